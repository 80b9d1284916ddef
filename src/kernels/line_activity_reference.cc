// Plain C++ reference twin of ComputeLineActivity: the definition, kept
// simple on purpose. The SIMD targets in line_activity.cc must match it
// exactly.
#include <algorithm>
#include <cstdlib>

#include "kernels/line_activity.h"

namespace acuity::kernels {

void ComputeLineActivityReference(const PlaneView& plane,
                                  std::vector<uint32_t>* rows,
                                  std::vector<uint32_t>* cols) {
  const int w = plane.empty() ? 0 : plane.width;
  const int h = plane.empty() ? 0 : plane.height;
  rows->assign(std::max(0, h - 2), 0u);
  cols->assign(std::max(0, w - 2), 0u);
  const auto d2 = [](int64_t a, int64_t b, int64_t c) {
    return static_cast<uint32_t>(std::abs(a - 2 * b + c));
  };
  for (int y = 1; y + 1 < h; ++y) {
    for (int x = 0; x < w; x += 4) {
      (*rows)[y - 1] +=
          d2(plane.At(x, y - 1), plane.At(x, y), plane.At(x, y + 1));
    }
  }
  for (int y = 0; y < h; y += 4) {
    for (int x = 1; x + 1 < w; ++x) {
      (*cols)[x - 1] +=
          d2(plane.At(x - 1, y), plane.At(x, y), plane.At(x + 1, y));
    }
  }
}

void ResetFirstDifferenceLines(const PlaneView& plane,
                               FirstDifferenceLines* out) {
  const int w = plane.empty() ? 0 : plane.width;
  const int h = plane.empty() ? 0 : plane.height;
  out->rows_a.assign(std::max(0, h - 1), 0u);
  out->rows_b.assign(std::max(0, h - 1), 0u);
  out->cols_a.assign(std::max(0, w - 1), 0u);
  out->cols_b.assign(std::max(0, w - 1), 0u);
}

void ComputeFirstDifferenceLinesReference(const PlaneView& plane,
                                          FirstDifferenceLines* out) {
  ResetFirstDifferenceLines(plane, out);
  const int w = plane.empty() ? 0 : plane.width;
  const int h = plane.empty() ? 0 : plane.height;
  const auto d1 = [](int64_t a, int64_t b) {
    return static_cast<uint32_t>(std::abs(b - a));
  };
  for (int y = 0; y + 1 < h; ++y) {
    for (int x = 0; x < w; ++x) {
      (x < w / 2 ? out->rows_a : out->rows_b)[y] +=
          d1(plane.At(x, y), plane.At(x, y + 1));
    }
  }
  for (int y = 0; y < h; y += 4) {
    for (int x = 0; x + 1 < w; ++x) {
      (y < h / 2 ? out->cols_a : out->cols_b)[x] +=
          d1(plane.At(x, y), plane.At(x + 1, y));
    }
  }
}

}  // namespace acuity::kernels
