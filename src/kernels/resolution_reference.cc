// Plain C++ reference twin of BinomialSmooth3x3: the definition, kept simple
// on purpose. The SIMD targets in resolution.cc must match it exactly.
#include <vector>

#include "kernels/resolution.h"

namespace acuity::kernels {

void BinomialSmooth3x3Reference(const PlaneView& in, uint16_t* out,
                                ptrdiff_t out_stride) {
  if (in.empty() || in.width < 3 || in.height < 3) return;
  static constexpr uint32_t kWeight[3] = {1, 2, 1};
  for (int y = 1; y < in.height - 1; ++y) {
    uint16_t* row = reinterpret_cast<uint16_t*>(
        reinterpret_cast<uint8_t*>(out) + (y - 1) * out_stride);
    for (int x = 1; x < in.width - 1; ++x) {
      // <= 16 * 65535 < 2^20: no overflow in 32 bits.
      uint32_t sum = 0;
      for (int j = -1; j <= 1; ++j) {
        for (int i = -1; i <= 1; ++i) {
          sum += kWeight[i + 1] * kWeight[j + 1] * in.At(x + i, y + j);
        }
      }
      row[x - 1] =
          static_cast<uint16_t>(in.bit_depth > 8 ? (sum + 8) >> 4 : sum);
    }
  }
}

void HalveAndSmooth8Reference(const PlaneView& in, uint16_t* out,
                              ptrdiff_t out_stride) {
  const int w = in.width / 2, h = in.height / 2;
  if (in.empty() || w < 3 || h < 3) return;
  std::vector<uint8_t> half(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const uint32_t sum = in.At(2 * x, 2 * y) + in.At(2 * x + 1, 2 * y) +
                           in.At(2 * x, 2 * y + 1) +
                           in.At(2 * x + 1, 2 * y + 1);
      half[static_cast<size_t>(y) * w + x] =
          static_cast<uint8_t>((sum + 2) >> 2);
    }
  }
  PlaneView m;
  m.data = half.data();
  m.stride = w;
  m.width = w;
  m.height = h;
  m.bit_depth = 8;
  BinomialSmooth3x3Reference(m, out, out_stride);
}

}  // namespace acuity::kernels
