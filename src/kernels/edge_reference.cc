// Plain C++ reference twin of kernels/edge.h: the definition, simple on
// purpose (pixel by pixel, every sample read through PlaneView::At).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "kernels/edge.h"

namespace acuity::kernels {
namespace {

struct Gradient {
  int32_t gx = 0;
  int32_t gy = 0;
  int32_t Magnitude() const { return std::abs(gx) + std::abs(gy); }
};

Gradient SobelAt(const PlaneView& p, int x, int y) {
  const int shift = EdgeSampleShift(p.bit_depth);
  const auto s = [&](int xx, int yy) {
    return static_cast<int32_t>(p.At(xx, yy) >> shift);
  };
  Gradient g;
  g.gx = (s(x + 1, y - 1) + 2 * s(x + 1, y) + s(x + 1, y + 1)) -
         (s(x - 1, y - 1) + 2 * s(x - 1, y) + s(x - 1, y + 1));
  g.gy = (s(x - 1, y + 1) + 2 * s(x, y + 1) + s(x + 1, y + 1)) -
         (s(x - 1, y - 1) + 2 * s(x, y - 1) + s(x + 1, y - 1));
  return g;
}

uint8_t DirectionOf(const Gradient& g) {
  const int32_t ax = std::abs(g.gx);
  const int32_t ay = std::abs(g.gy);
  if (ay <= ((ax * 27146) >> 16)) return kEdgeX;
  if (ax <= ((ay * 27146) >> 16)) return kEdgeY;
  return (g.gx < 0) == (g.gy < 0) ? kEdgeXY : kEdgeXnY;
}

}  // namespace

SobelStats ComputeSobelStatsReference(const PlaneView& plane, int row_step) {
  SobelStats st;
  if (plane.empty() || plane.width < 3 || plane.height < 3 || row_step < 1) {
    return st;
  }
  for (int y = 1; y < plane.height - 1; y += row_step) {
    for (int x = 1; x < plane.width - 1; ++x) {
      const uint64_t m =
          static_cast<uint64_t>(SobelAt(plane, x, y).Magnitude());
      st.count += 1;
      st.sum += m;
      st.sum_sq += m * m;
      st.max = std::max(st.max, static_cast<uint32_t>(m));
    }
  }
  return st;
}

void ComputeEdgeCodesReference(const PlaneView& plane, int row_step,
                               uint32_t threshold, uint8_t* codes,
                               ptrdiff_t codes_stride, uint64_t* masks,
                               ptrdiff_t mask_stride) {
  const int rows = plane.empty() ? 0 : EdgeCodeRows(plane.height, row_step);
  const auto to_masks = [&](int j) {
    uint64_t* mask = masks + j * mask_stride;
    std::memset(mask, 0, EdgeMaskWords(plane.width) * sizeof(uint64_t));
    for (int x = 0; x < plane.width; ++x) {
      if (codes[j * codes_stride + x] != kEdgeNone) {
        mask[x / 64] |= uint64_t{1} << (x % 64);
      }
    }
  };
  if (plane.width < 5) {
    for (int j = 0; j < rows; ++j) {
      std::memset(codes + j * codes_stride, 0, plane.width);
      to_masks(j);
    }
    return;
  }
  for (int j = 0; j < rows; ++j) {
    const int y = EdgeCodeRowY(j, row_step);
    uint8_t* out = codes + j * codes_stride;
    std::memset(out, 0, plane.width);
    for (int x = 2; x < plane.width - 2; ++x) {
      const Gradient g = SobelAt(plane, x, y);
      const uint32_t m = static_cast<uint32_t>(g.Magnitude());
      if (m < threshold) continue;
      const uint8_t dir = DirectionOf(g);
      const int dx = dir == kEdgeY ? 0 : 1;
      const int dy = dir == kEdgeX ? 0 : (dir == kEdgeXnY ? -1 : 1);
      const int shift = EdgeSampleShift(plane.bit_depth);
      // D at (x + k dx, y + k dy): |p(. + d) - p(. - d)|.
      const auto central = [&](int k) {
        const int32_t ahead = static_cast<int32_t>(
            plane.At(x + (k + 1) * dx, y + (k + 1) * dy) >> shift);
        const int32_t behind = static_cast<int32_t>(
            plane.At(x + (k - 1) * dx, y + (k - 1) * dy) >> shift);
        return std::abs(ahead - behind);
      };
      const int32_t here = central(0);
      const int32_t before = central(-1);
      const int32_t after = central(1);
      if (here > before && here >= after) out[x] = dir;
    }
    to_masks(j);
  }
}

}  // namespace acuity::kernels
