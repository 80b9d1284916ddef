// Plain C++ reference twins of the Sobel and Immerkaer kernels: the
// definitions, kept simple on purpose. The SIMD targets in sobel.cc must
// match them exactly.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kernels/sobel.h"

namespace acuity::kernels {
namespace {

struct Responses {
  int64_t gx, gy, n;
};

Responses At3x3(const PlaneView& plane, int x, int y) {
  int64_t p[3][3];
  for (int dy = 0; dy < 3; ++dy) {
    for (int dx = 0; dx < 3; ++dx) p[dy][dx] = plane.At(x + dx - 1, y + dy - 1);
  }
  Responses r;
  r.gx = (p[0][2] + 2 * p[1][2] + p[2][2]) - (p[0][0] + 2 * p[1][0] + p[2][0]);
  r.gy = (p[2][0] + 2 * p[2][1] + p[2][2]) - (p[0][0] + 2 * p[0][1] + p[0][2]);
  r.n = (p[0][0] - 2 * p[0][1] + p[0][2]) -
        2 * (p[1][0] - 2 * p[1][1] + p[1][2]) +
        (p[2][0] - 2 * p[2][1] + p[2][2]);
  return r;
}

}  // namespace

SobelMoments ComputeSobelMomentsReference(const PlaneView& plane) {
  SobelMoments m;
  if (plane.empty() || plane.width < 3 || plane.height < 3) return m;
  // 2^(kMagnitudeFracBits + 8 - depth): a power of two, so the product
  // with the square root is exact.
  const float scale =
      std::ldexp(1.0f, kMagnitudeFracBits + 8 - plane.bit_depth);
  // |G|^2 <= 2 * (4 * 65535)^2 < 2^38: sum_g2 is exact for up to 2^26
  // interior pixels at 16 bits (8192 x 8192), 2^42 at 8 bits.
  for (int y = 1; y < plane.height - 1; ++y) {
    const int phase = kMagnitudePhase[(y - 1) % 4];
    for (int x = 1; x < plane.width - 1; ++x) {
      const Responses r = At3x3(plane, x, y);
      const int64_t g2 = r.gx * r.gx + r.gy * r.gy;
      const uint64_t c = plane.At(x, y);
      m.count += 1;
      m.sum_g2 += static_cast<uint64_t>(g2);
      m.sum_px += c;
      m.sum_px_sq += c * c;
      if ((x - 1) % 4 == phase) {
        // Single precision throughout, as the SIMD targets compute it.
        const float mag = std::sqrt(static_cast<float>(g2));
        const int64_t q = std::lrint(mag * scale);  // half to even
        m.mag_count += 1;
        m.sum_mag += static_cast<uint64_t>(q);
        m.sum_mag_sq += static_cast<uint64_t>(q * q);
      }
    }
  }
  return m;
}

int NoiseBlockCols(const PlaneView& plane) {
  if (plane.empty() || plane.width < 3 || plane.height < 3) return 0;
  return (plane.width - 2) / kNoiseBlockSize;
}

int NoiseBlockRows(const PlaneView& plane, int row_step) {
  if (plane.empty() || plane.width < 3 || plane.height < 3) return 0;
  const int all = (plane.height - 2) / kNoiseBlockSize;
  return (all + row_step - 1) / row_step;
}

void ComputeNoiseBlocksReference(const PlaneView& plane, int row_step,
                                 std::vector<NoiseBlock>* blocks) {
  const int cols = NoiseBlockCols(plane);
  const int rows = NoiseBlockRows(plane, row_step);
  blocks->assign(static_cast<size_t>(cols) * rows, NoiseBlock{});
  for (int r = 0; r < rows; ++r) {
    const int by = r * row_step;
    for (int bx = 0; bx < cols; ++bx) {
      NoiseBlock& b = (*blocks)[static_cast<size_t>(r) * cols + bx];
      b.min = 0xFFFF;
      // The measured rows: every other row of the block, from its first.
      for (int y = 1 + by * kNoiseBlockSize; y <= (by + 1) * kNoiseBlockSize;
           y += 2) {
        for (int x = 1 + bx * kNoiseBlockSize; x <= (bx + 1) * kNoiseBlockSize;
             ++x) {
          const Responses g = At3x3(plane, x, y);
          const uint32_t c = plane.At(x, y);
          // Per block: sum |N| <= 128 * 8 * 65535 < 2^32, likewise the
          // gradient sum.
          b.sum_abs_n += static_cast<uint32_t>(std::abs(g.n));
          b.sum_grad += static_cast<uint32_t>(std::abs(g.gx) + std::abs(g.gy));
          b.min = static_cast<uint16_t>(std::min<uint32_t>(b.min, c));
          b.max = static_cast<uint16_t>(std::max<uint32_t>(b.max, c));
        }
      }
    }
  }
}

}  // namespace acuity::kernels
