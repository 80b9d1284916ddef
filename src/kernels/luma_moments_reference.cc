// Plain C++ reference twin of ComputeLumaMoments: the definition, kept
// simple on purpose. The SIMD targets in luma_moments.cc must match it
// exactly.
#include "kernels/luma_moments.h"

namespace acuity::kernels {

LumaMoments ComputeLumaMomentsReference(const PlaneView& plane, int32_t low,
                                        int32_t high) {
  LumaMoments m;
  if (plane.empty()) return m;
  for (int y = 0; y < plane.height; ++y) {
    for (int x = 0; x < plane.width; ++x) {
      const int64_t v = plane.At(x, y);
      m.count += 1;
      m.sum += static_cast<uint64_t>(v);
      m.sum_sq += static_cast<uint64_t>(v * v);
      if (v <= low) m.count_low += 1;
      if (v >= high) m.count_high += 1;
    }
  }
  return m;
}

}  // namespace acuity::kernels
