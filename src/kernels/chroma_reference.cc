// Plain C++ reference twin of ComputeChromaMoments: the definition, kept
// simple on purpose. The SIMD targets in chroma.cc must match it exactly.
#include <algorithm>
#include <cmath>

#include "kernels/chroma.h"

namespace acuity::kernels {

ChromaMoments ComputeChromaMomentsReference(const PlaneView& u,
                                            const PlaneView& v) {
  ChromaMoments m;
  if (u.empty() || v.empty()) return m;
  const int64_t mid = int64_t{1} << (u.bit_depth - 1);
  for (int y = 0; y < u.height; ++y) {
    for (int x = 0; x < u.width; ++x) {
      const int64_t du = std::max<int64_t>(u.At(x, y) - mid, -32767);
      const int64_t dv = std::max<int64_t>(v.At(x, y) - mid, -32767);
      // s < 2^31: exact in int32, rounded once by the conversion to float.
      const auto s = static_cast<int32_t>(du * du + dv * dv);
      const float r = std::sqrt(static_cast<float>(s));
      m.count += 1;
      m.sum_uv += du * dv;
      // 16 * r is exact (a power of two); nearbyint rounds half to even in
      // the default rounding mode, as the SIMD conversion does.
      m.sum_radius16 += static_cast<uint64_t>(std::nearbyint(16.0f * r));
    }
  }
  return m;
}

void ComputeChromaRadiusBinsReference(const PlaneView& u, const PlaneView& v,
                                      int y, uint16_t* bins) {
  if (u.empty() || v.empty()) return;
  const int64_t mid = int64_t{1} << (u.bit_depth - 1);
  const int shift = 2 * (u.bit_depth - 8);
  for (int x = 0; x < u.width; ++x) {
    const int64_t du = std::max<int64_t>(u.At(x, y) - mid, -32767);
    const int64_t dv = std::max<int64_t>(v.At(x, y) - mid, -32767);
    const int64_t s = (du * du + dv * dv) >> shift;
    bins[x] = static_cast<uint16_t>(std::min(s, 224 + s / 8));
  }
}

}  // namespace acuity::kernels
