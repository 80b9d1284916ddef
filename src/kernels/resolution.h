// Binomial 3x3 smoothing behind laplacian_var_540p: the luma plane (already
// resampled to 540 lines) convolved with [1 2 1]^T [1 2 1], i.e. a Gaussian
// of variance 1/2 pixel^2 per axis, so that the Laplacian that follows sees
// the same effective pixel aperture whatever resolution the video was
// encoded at (see metrics/resolution.cc for why and the measured effect).
//
// Border rule: only interior pixels (1 <= x < W-1, 1 <= y < H-1) are
// written, to out(x-1, y-1): the output is (W-2) x (H-2). Planes narrower
// or shorter than 3 write nothing.
// Values: 8-bit input: the exact integer sum (16 x the weighted mean,
// <= 4080, so the output is a 12-bit plane). 9..16-bit input: the weighted
// mean rounded half up, (sum + 8) >> 4, in the input's code values. Both
// are exact integer arithmetic: every SIMD target equals the reference.
#ifndef ACUITY_KERNELS_RESOLUTION_H_
#define ACUITY_KERNELS_RESOLUTION_H_

#include <cstddef>
#include <cstdint>

#include "acuity/plane.h"

namespace acuity::kernels {

// Bit depth of the smoothed plane for an input of `bit_depth` bits.
inline int BinomialSmoothDepth(int bit_depth) {
  return bit_depth > 8 ? bit_depth : 12;
}

// Runtime-dispatched SIMD (Highway) version. `out` receives H-2 rows of W-2
// samples, `out_stride` bytes apart.
void BinomialSmooth3x3(const PlaneView& in, uint16_t* out,
                       ptrdiff_t out_stride);
// Plain C++ reference twin: the definition, kept simple on purpose.
void BinomialSmooth3x3Reference(const PlaneView& in, uint16_t* out,
                                ptrdiff_t out_stride);
// One compiled target (tests, benchmarks); `target` must be an element of
// CompiledTargets() (kernels/targets.h), anything else aborts.
void BinomialSmooth3x3OnTarget(int64_t target, const PlaneView& in,
                               uint16_t* out, ptrdiff_t out_stride);

// The 1080p -> 540p case in one pass: the exact 2x box average of an 8-bit
// plane, rounded as OpenCV's cv::resize(INTER_AREA) rounds it,
// m(X, Y) = (p(2X, 2Y) + p(2X+1, 2Y) + p(2X, 2Y+1) + p(2X+1, 2Y+1) + 2) >> 2
// for X < W/2, Y < H/2, then BinomialSmooth3x3 of m (8-bit rule: exact
// sums). Writes (W/2 - 2) x (H/2 - 2) samples: the same as cv::resize
// followed by BinomialSmooth3x3, without the intermediate plane.
// Preconditions: in.bit_depth == 8; odd last columns/rows are ignored.
void HalveAndSmooth8(const PlaneView& in, uint16_t* out, ptrdiff_t out_stride);
void HalveAndSmooth8Reference(const PlaneView& in, uint16_t* out,
                              ptrdiff_t out_stride);
void HalveAndSmooth8OnTarget(int64_t target, const PlaneView& in, uint16_t* out,
                             ptrdiff_t out_stride);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_RESOLUTION_H_
