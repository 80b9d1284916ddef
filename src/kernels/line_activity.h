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

// First differences per line pair, split in two halves of the other axis:
// the input of DetectUpscale's 2x test (an upscale by 2 makes the sums
// alternate between even and odd line pairs). With p(x, y) the samples of
// a W x H plane:
//   rows_a[y] = sum over 0 <= x < W/2 of |p(x, y+1) - p(x, y)|,
//   rows_b[y] = the same over W/2 <= x < W,                 0 <= y <= H-2,
//   cols_a[x] = sum over y = 0, 4, 8, ... < H/2 of |p(x+1, y) - p(x, y)|,
//   cols_b[x] = the same over y = 4k, H/2 <= y < H,        0 <= x <= W-2
// (W/2, H/2 rounded down). Every row pair is summed over all its columns;
// every 4th row is enough for the columns (as ComputeLineActivity's). Each
// vector is resized to max(0, H-1) or max(0, W-1) sums and overwritten. A sum
// covers at most 32768 terms below 2^16 for planes up to 65536 samples wide and
// high (precondition), so it fits in 32 bits. Exact integer sums: every SIMD
// target returns what the reference returns.
struct FirstDifferenceLines {
  std::vector<uint32_t> rows_a, rows_b, cols_a, cols_b;
};
void ComputeFirstDifferenceLines(const PlaneView& plane,
                                 FirstDifferenceLines* out);
void ComputeFirstDifferenceLinesReference(const PlaneView& plane,
                                          FirstDifferenceLines* out);
// Sizes out's four sums for `plane` as above and zeroes them (the first
// step of the reference and of every SIMD target).
void ResetFirstDifferenceLines(const PlaneView& plane,
                               FirstDifferenceLines* out);
void ComputeFirstDifferenceLinesOnTarget(int64_t target, const PlaneView& plane,
                                         FirstDifferenceLines* out);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_LINE_ACTIVITY_H_
