// Plane statistics: exact sum of all samples, and a luma histogram.
#ifndef ACUITY_KERNELS_PLANE_STATS_H_
#define ACUITY_KERNELS_PLANE_STATS_H_

#include <cstdint>
#include <vector>

#include "acuity/plane.h"

namespace acuity::kernels {

// Sum of every sample of the plane (exact). SIMD, runtime-dispatched.
uint64_t ComputePlaneSum(const PlaneView& plane);
uint64_t ComputePlaneSumReference(const PlaneView& plane);

// Histogram of the samples of every `row_step`-th row (rows 0, row_step,
// 2*row_step, ...), all columns. `hist` is resized to 2^bit_depth bins and
// overwritten. Scalar only: a histogram is a scatter, not a SIMD pattern.
void ComputeHistogram(const PlaneView& plane, int row_step,
                      std::vector<uint32_t>* hist);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_PLANE_STATS_H_
