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

CoarseLaplacianSums ComputeCoarseLaplacianSumsReference(const uint32_t* cells,
                                                        int cells_w,
                                                        int cells_h) {
  CoarseLaplacianSums r;
  const int bw = cells_w - 1, bh = cells_h - 1;
  if (bw < 3 || bh < 3) return r;
  const auto box = [&](int i, int j) {
    const uint32_t* c = cells + static_cast<size_t>(j) * cells_w + i;
    return int64_t{c[0]} + c[1] + c[cells_w] + c[cells_w + 1];
  };
  for (int j = 1; j + 1 < bh; ++j) {
    for (int i = 1; i + 1 < bw; ++i) {
      const int64_t l = box(i - 1, j) + box(i + 1, j) + box(i, j - 1) +
                        box(i, j + 1) - 4 * box(i, j);
      ++r.count;
      r.sum += l;
      r.sum_sq += static_cast<uint64_t>(l * l);
    }
  }
  return r;
}

}  // namespace acuity::kernels
