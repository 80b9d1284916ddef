// Plain C++ reference twins of the block kernels: the definitions, kept
// simple on purpose. The SIMD targets in block.cc must match them exactly.
#include <algorithm>

#include "kernels/block.h"

namespace acuity::kernels {

void ComputeBlockSums4Reference(const PlaneView& plane,
                                std::vector<uint32_t>* sums) {
  const int bw = plane.empty() ? 0 : plane.width / 4;
  const int bh = plane.empty() ? 0 : plane.height / 4;
  sums->assign(static_cast<size_t>(bw) * bh, 0);
  for (int j = 0; j < bh; ++j) {
    for (int i = 0; i < bw; ++i) {
      uint32_t s = 0;
      for (int y = 4 * j; y < 4 * j + 4; ++y) {
        for (int x = 4 * i; x < 4 * i + 4; ++x) s += plane.At(x, y);
      }
      (*sums)[static_cast<size_t>(j) * bw + i] = s;
    }
  }
}

GridDiffSums ComputeGridDiffSumsReference(const PlaneView& plane,
                                          uint32_t clip) {
  const auto d = [clip](uint32_t a, uint32_t b) {
    return uint64_t{std::min(a > b ? a - b : b - a, clip)};
  };
  GridDiffSums g;
  if (plane.empty()) return g;
  for (int y = 0; y < plane.height; ++y) {
    for (int x = 0; x + 1 < plane.width; ++x) {
      g.h[x % 16] += d(plane.At(x + 1, y), plane.At(x, y));
    }
  }
  for (int y = 0; y + 1 < plane.height; ++y) {
    for (int x = 0; x < plane.width; ++x) {
      g.v[y % 16] += d(plane.At(x, y + 1), plane.At(x, y));
    }
  }
  return g;
}

}  // namespace acuity::kernels
