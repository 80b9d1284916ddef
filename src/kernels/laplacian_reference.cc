// Plain C++ reference twin of ComputeLaplacianMoments: the definition, kept
// simple on purpose. The SIMD targets in laplacian.cc must match it exactly.
#include "kernels/laplacian.h"

namespace acuity::kernels {

LaplacianMoments ComputeLaplacianMomentsReference(const PlaneView& plane) {
  LaplacianMoments m;
  if (plane.empty() || plane.width < 3 || plane.height < 3) return m;
  // |L| <= 4 * 65535 = 262140, so L^2 < 2^36: the uint64 sum_sq is exact for
  // up to 2^28 interior pixels at 16 bits (16384 x 16384), 2^44 at 8 bits.
  for (int y = 1; y < plane.height - 1; ++y) {
    for (int x = 1; x < plane.width - 1; ++x) {
      const int64_t c = plane.At(x, y);
      const int64_t l = static_cast<int64_t>(plane.At(x - 1, y)) +
                        plane.At(x + 1, y) + plane.At(x, y - 1) +
                        plane.At(x, y + 1) - 4 * c;
      m.count += 1;
      m.sum += l;
      m.sum_sq += static_cast<uint64_t>(l * l);
      m.sum_px += static_cast<uint64_t>(c);
      m.sum_px_sq += static_cast<uint64_t>(c * c);
    }
  }
  return m;
}

}  // namespace acuity::kernels
