// Line activity: per-line sums of |second difference| across the line, the
// input of effective_height's upscale detector (metrics/effective_
// resolution.cc, DetectUpscale): an upscale by 1.5x or 3x leaves a period-3
// pattern in them.
//
// With p(x, y) the samples of a W x H plane:
//   rows[y - 1] = sum over x = 0, 4, 8, ... < W of
//                 |p(x, y-1) - 2 p(x, y) + p(x, y+1)|      1 <= y <= H-2,
//   cols[x - 1] = sum over y = 0, 4, 8, ... < H of
//                 |p(x-1, y) - 2 p(x, y) + p(x+1, y)|      1 <= x <= W-2.
// Every 4th column (row) is enough for the pattern and a quarter of the
// cost. `rows` is resized to max(0, H-2) sums, `cols` to max(0, W-2) (both
// empty when the plane is), and overwritten (no allocation once their
// capacity suffices). A term is at most 2 * 65535, so a sum is below 2^32
// for planes up to 65536 samples wide and high (precondition).
// Exact integer sums: every SIMD target returns what the reference returns.
#ifndef ACUITY_KERNELS_LINE_ACTIVITY_H_
#define ACUITY_KERNELS_LINE_ACTIVITY_H_

#include <cstdint>
#include <vector>

#include "acuity/plane.h"

namespace acuity::kernels {

// Runtime-dispatched SIMD (Highway) version.
void ComputeLineActivity(const PlaneView& plane, std::vector<uint32_t>* rows,
                         std::vector<uint32_t>* cols);
// Plain C++ reference twin: the definition, kept simple on purpose.
void ComputeLineActivityReference(const PlaneView& plane,
                                  std::vector<uint32_t>* rows,
                                  std::vector<uint32_t>* cols);
// One compiled target (tests, benchmarks); `target` must be an element of
// CompiledTargets() (kernels/targets.h), anything else aborts.
void ComputeLineActivityOnTarget(int64_t target, const PlaneView& plane,
                                 std::vector<uint32_t>* rows,
                                 std::vector<uint32_t>* cols);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_LINE_ACTIVITY_H_
