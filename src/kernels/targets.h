// SIMD target introspection and per-target entry points for the kernels.
//
// Production code calls the runtime-dispatched kernels (laplacian.h,
// plane_stats.h); Highway picks the best target the CPU supports. Tests and
// benchmarks use the *OnTarget functions below to run one specific compiled
// target, so every target can be checked against the plain C++ reference.
// The OnTarget functions index Highway's dispatch table directly and touch no
// global state: they are thread-safe and do not change what
// HWY_DYNAMIC_DISPATCH chooses.
#ifndef ACUITY_KERNELS_TARGETS_H_
#define ACUITY_KERNELS_TARGETS_H_

#include <cstdint>
#include <vector>

#include "acuity/plane.h"
#include "kernels/laplacian.h"

namespace acuity::kernels {

// Highway targets (HWY_AVX2, HWY_SCALAR, ...) that were compiled into this
// binary AND are supported by the running CPU, best first. Computed once.
std::vector<int64_t> CompiledTargets();

// Human-readable name of a Highway target bit, e.g. "AVX2", "EMU128".
const char* TargetName(int64_t target);

// Name of the target that runtime dispatch uses on this CPU, e.g. "AVX2".
const char* ActiveSimdTarget();

// Index of `target` in a HWY_EXPORT table, or -1 if that target was not
// compiled or the CPU does not support it. Mirrors
// hwy::ChosenTarget::GetIndex() for a single target.
int DispatchTableIndex(int64_t target);
// The same, for the *OnTarget entry points: aborts, naming `caller` and the
// target, when the target is not available.
int CheckedDispatchTableIndex(int64_t target, const char* caller);

// The kernels, run on one target. Precondition: `target` is an element of
// CompiledTargets(); anything else aborts.
LaplacianMoments ComputeLaplacianMomentsOnTarget(int64_t target,
                                                 const PlaneView& plane);
uint64_t ComputePlaneSumOnTarget(int64_t target, const PlaneView& plane);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_TARGETS_H_
