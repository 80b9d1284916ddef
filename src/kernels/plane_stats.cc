// Plane statistics: SIMD (Highway) exact plane sum with its reference twin,
// and a scalar histogram.

#include "kernels/plane_stats.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/plane_stats.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR (the fallback for CPUs without SSSE3; GCC < 12.3 has no usable
// EMU128) has one-lane vectors, too narrow for SumsOf8 and the even/odd split:
// there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR

// 8-bit: SumsOf8 (psadbw) adds groups of 8 bytes straight into uint64 lanes;
// a uint64 lane cannot overflow before the uint64 total does.
uint64_t PlaneSum8(const PlaneView& plane) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint64_t, decltype(d8)> du64;
  const size_t n = hn::Lanes(d8);
  const size_t w = static_cast<size_t>(plane.width);
  if (w < n) return ComputePlaneSumReference(plane);

  auto acc0 = hn::Zero(du64), acc1 = hn::Zero(du64);
  for (int y = 0; y < plane.height; ++y) {
    const uint8_t* HWY_RESTRICT row = plane.Row8(y);
    size_t x = 0;
    for (; x + 2 * n <= w; x += 2 * n) {
      acc0 = hn::Add(acc0, hn::SumsOf8(hn::LoadU(d8, row + x)));
      acc1 = hn::Add(acc1, hn::SumsOf8(hn::LoadU(d8, row + x + n)));
    }
    if (x + n <= w) {
      acc0 = hn::Add(acc0, hn::SumsOf8(hn::LoadU(d8, row + x)));
      x += n;
    }
    if (x < w) {
      // Last vector ends at the row end (never reads the stride padding);
      // the lanes already summed are zeroed.
      const size_t x_last = w - n;
      const auto v = hn::LoadU(d8, row + x_last);
      acc1 = hn::Add(
          acc1, hn::SumsOf8(hn::IfThenZeroElse(hn::FirstN(d8, x - x_last), v)));
    }
  }
  return hn::GetLane(hn::SumOfLanes(du64, hn::Add(acc0, acc1)));
}

// 9..16-bit: u16 samples split into even/odd uint32 lanes. One step adds at
// most 2 * 65535 to a uint32 lane, so 32768 steps (32768 * 131070 < 2^32)
// are safe before flushing the uint32 lanes into uint64 lanes.
uint64_t PlaneSum16(const PlaneView& plane) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::Repartition<uint32_t, decltype(du16)> du32;
  const hn::Repartition<uint64_t, decltype(du16)> du64;
  const hn::Half<decltype(du32)> dh32;
  const size_t n = hn::Lanes(du16);
  const size_t w = static_cast<size_t>(plane.width);
  if (w < n) return ComputePlaneSumReference(plane);

  constexpr size_t kStepBudget = 32768;
  static_assert(kStepBudget * 2 * 65535 <= 0xFFFFFFFFull, "u32 lanes");
  size_t budget = kStepBudget;
  auto acc32 = hn::Zero(du32);
  auto acc64 = hn::Zero(du64);
  const auto flush = [&]() HWY_ATTR {
    acc64 = hn::Add(acc64,
                    hn::Add(hn::PromoteTo(du64, hn::LowerHalf(dh32, acc32)),
                            hn::PromoteTo(du64, hn::UpperHalf(dh32, acc32))));
    acc32 = hn::Zero(du32);
    budget = kStepBudget;
  };
  const auto lo = hn::Set(du32, 0xFFFF);
  const auto add = [&](hn::VFromD<decltype(du16)> v) HWY_ATTR {
    const auto v32 = hn::BitCast(du32, v);
    acc32 = hn::Add(acc32, hn::Add(hn::And(v32, lo), hn::ShiftRight<16>(v32)));
    if (--budget == 0) flush();
  };
  for (int y = 0; y < plane.height; ++y) {
    const uint16_t* HWY_RESTRICT row = plane.Row16(y);
    size_t x = 0;
    for (; x + n <= w; x += n) add(hn::LoadU(du16, row + x));
    if (x < w) {
      const size_t x_last = w - n;
      add(hn::IfThenZeroElse(hn::FirstN(du16, x - x_last),
                             hn::LoadU(du16, row + x_last)));
    }
  }
  flush();
  return hn::GetLane(hn::SumOfLanes(du64, acc64));
}

#endif  // HWY_TARGET != HWY_SCALAR

uint64_t ComputePlaneSumImpl(const PlaneView& plane) {
#if HWY_TARGET == HWY_SCALAR
  return ComputePlaneSumReference(plane);
#else
  if (plane.empty()) return 0;
  return plane.bit_depth > 8 ? PlaneSum16(plane) : PlaneSum8(plane);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputePlaneSumImpl);

uint64_t ComputePlaneSum(const PlaneView& plane) {
  return HWY_DYNAMIC_DISPATCH(ComputePlaneSumImpl)(plane);
}

uint64_t ComputePlaneSumOnTarget(int64_t target, const PlaneView& plane) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputePlaneSumOnTarget");
  return HWY_DISPATCH_TABLE(ComputePlaneSumImpl)[index](plane);
}

uint64_t ComputePlaneSumReference(const PlaneView& plane) {
  uint64_t sum = 0;
  if (plane.empty()) return sum;
  for (int y = 0; y < plane.height; ++y) {
    for (int x = 0; x < plane.width; ++x) sum += plane.At(x, y);
  }
  return sum;
}

namespace {

// Counts samples into kSubs interleaved sub-histograms: consecutive samples
// of a smooth image often share a bin, and incrementing the same counter
// back to back serialises on store-to-load forwarding. Spreading neighbours
// over kSubs tables lets the increments overlap.
template <size_t kSubs, typename T>
void CountRows(const PlaneView& plane, int row_step, uint32_t max_value,
               uint32_t* HWY_RESTRICT tables, size_t bins) {
  const size_t w = static_cast<size_t>(plane.width);
  for (int y = 0; y < plane.height; y += row_step) {
    const T* HWY_RESTRICT row =
        reinterpret_cast<const T*>(plane.data + y * plane.stride);
    size_t x = 0;
    if (max_value >= (uint32_t{1} << (8 * sizeof(T))) - 1) {
      // Every representable sample has a bin: no clamping needed.
      for (; x + kSubs <= w; x += kSubs) {
        for (size_t k = 0; k < kSubs; ++k) ++tables[k * bins + row[x + k]];
      }
      for (; x < w; ++x) ++tables[row[x]];
    } else {
      // Samples above the declared depth land in the top bin instead of
      // writing out of bounds.
      for (; x + kSubs <= w; x += kSubs) {
        for (size_t k = 0; k < kSubs; ++k) {
          ++tables[k * bins + std::min<uint32_t>(row[x + k], max_value)];
        }
      }
      for (; x < w; ++x) ++tables[std::min<uint32_t>(row[x], max_value)];
    }
  }
}

template <size_t kSubs>
void HistogramWithSubs(const PlaneView& plane, int row_step, size_t bins,
                       std::vector<uint32_t>* hist) {
  const uint32_t max_value = static_cast<uint32_t>(bins - 1);
  if (kSubs == 1) {
    if (plane.bit_depth > 8) {
      CountRows<1, uint16_t>(plane, row_step, max_value, hist->data(), bins);
    } else {
      CountRows<1, uint8_t>(plane, row_step, max_value, hist->data(), bins);
    }
    return;
  }
  std::vector<uint32_t> tables(kSubs * bins, 0);
  if (plane.bit_depth > 8) {
    CountRows<kSubs, uint16_t>(plane, row_step, max_value, tables.data(), bins);
  } else {
    CountRows<kSubs, uint8_t>(plane, row_step, max_value, tables.data(), bins);
  }
  for (size_t k = 0; k < kSubs; ++k) {
    const uint32_t* table = tables.data() + k * bins;
    for (size_t i = 0; i < bins; ++i) (*hist)[i] += table[i];
  }
}

}  // namespace

void ComputeHistogram(const PlaneView& plane, int row_step,
                      std::vector<uint32_t>* hist) {
  const int depth = std::clamp(plane.bit_depth, 1, 16);
  const size_t bins = size_t{1} << depth;
  hist->assign(bins, 0);
  if (plane.empty()) return;
  row_step = std::max(row_step, 1);
  // A run of equal samples (black bars, flat sky) makes one table serialise
  // on store-to-load forwarding: about 5 cycles per sample against under 1
  // with 8 tables (measured on a flat 1080p plane: 4.2 ms with 1 table,
  // 1.1 ms with 4, 0.8 ms with 8; textured content is ~0.6 ms in all cases).
  // Tables cost kSubs * bins counters to clear and merge, and should stay in
  // L1 (<= 32 KiB together); beyond 12 bits one table (deep planes spread
  // samples over many bins anyway).
  if (bins <= 256) {
    HistogramWithSubs<8>(plane, row_step, bins, hist);
  } else if (bins <= 1024) {
    HistogramWithSubs<4>(plane, row_step, bins, hist);
  } else if (bins <= 4096) {
    HistogramWithSubs<2>(plane, row_step, bins, hist);
  } else {
    HistogramWithSubs<1>(plane, row_step, bins, hist);
  }
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
