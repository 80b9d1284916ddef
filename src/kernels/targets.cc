#include "kernels/targets.h"

#include <hwy/base.h>
#include <hwy/highway.h>
#include <hwy/targets.h>

namespace acuity::kernels {
namespace {

// hwy::SupportedTargets() runs CPUID on every call (very slow in a VM), so
// ask once. Unlike Highway's own dispatch, this ignores later
// SetSupportedTargetsForTest/DisableTargets calls, which is what a caller
// naming one specific target wants.
int64_t SupportedMask() {
  static const int64_t mask = hwy::SupportedTargets();
  return mask;
}

}  // namespace

std::vector<int64_t> CompiledTargets() {
  static const std::vector<int64_t> targets = [] {
    std::vector<int64_t> result;
    // Lower target bits are better: taking the lowest set bit first lists
    // the best target first (as hwy::SupportedAndGeneratedTargets does).
    for (int64_t bits = SupportedMask() & HWY_TARGETS; bits != 0;
         bits &= bits - 1) {
      result.push_back(bits & -bits);
    }
    return result;
  }();
  return targets;
}

const char* TargetName(int64_t target) { return hwy::TargetName(target); }

const char* ActiveSimdTarget() {
  const std::vector<int64_t> targets = CompiledTargets();
  // Runtime dispatch falls back to the last table entry (EMU128/SCALAR) when
  // no compiled target is supported; report that rather than nothing.
  if (targets.empty()) return hwy::TargetName(HWY_STATIC_TARGET);
  return hwy::TargetName(targets.front());
}

int DispatchTableIndex(int64_t target) {
  if (target == 0 || (target & (target - 1)) != 0) return -1;  // one bit only
  if ((target & HWY_TARGETS & SupportedMask()) == 0) return -1;
  // Same bit layout as hwy::ChosenTarget::Update + GetIndex: dynamic targets
  // are shifted into the low bits, the scalar fallback is the last entry.
  int64_t mask = HWY_CHOSEN_TARGET_SHIFT(target);
  if (target == HWY_EMU128 || target == HWY_SCALAR) {
    mask |= HWY_CHOSEN_TARGET_MASK_SCALAR;
  }
  mask &= HWY_CHOSEN_TARGET_MASK_TARGETS;
  if (mask == 0) return -1;
  return static_cast<int>(
      hwy::Num0BitsBelowLS1Bit_Nonzero64(static_cast<uint64_t>(mask)));
}

int CheckedDispatchTableIndex(int64_t target, const char* caller) {
  const int index = DispatchTableIndex(target);
  if (index < 0) {
    HWY_ABORT("%s: target %s not available", caller, TargetName(target));
  }
  return index;
}

}  // namespace acuity::kernels
