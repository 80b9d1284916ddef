// Laplacian moments: the sums behind laplacian_var, in one pass over a plane,
// without materialising the Laplacian image.
//
// L(x,y) = p(x-1,y) + p(x+1,y) + p(x,y-1) + p(x,y+1) - 4 p(x,y), the 3x3
// kernel [0 1 0; 1 -4 1; 0 1 0] of cv::Laplacian(ksize=1).
// Border rule: only interior pixels (1 <= x < W-1, 1 <= y < H-1) are
// measured, i.e. pixels whose whole 3x3 neighbourhood lies in the plane; no
// padding is invented. Planes narrower or shorter than 3 have count 0.
// Sums are exact integers for 8..16-bit input, so every SIMD target and the
// reference return identical results.
#ifndef ACUITY_KERNELS_LAPLACIAN_H_
#define ACUITY_KERNELS_LAPLACIAN_H_

#include <cstdint>

#include "acuity/plane.h"

namespace acuity::kernels {

struct LaplacianMoments {
  int64_t count = 0;       // interior pixels: (W-2)*(H-2)
  int64_t sum = 0;         // sum of L
  uint64_t sum_sq = 0;     // sum of L^2
  uint64_t sum_px = 0;     // sum of the centre pixels p(x,y) over the interior
  uint64_t sum_px_sq = 0;  // sum of p(x,y)^2 over the interior
  bool operator==(const LaplacianMoments&) const = default;
};

// Runtime-dispatched SIMD (Highway) version.
LaplacianMoments ComputeLaplacianMoments(const PlaneView& plane);
// Plain C++ reference twin: the definition, kept simple on purpose.
LaplacianMoments ComputeLaplacianMomentsReference(const PlaneView& plane);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_LAPLACIAN_H_
