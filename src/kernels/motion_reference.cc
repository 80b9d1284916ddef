// Plain C++ reference twin of ComputeMotion: the definition, kept simple on
// purpose. The SIMD targets in motion.cc must match it exactly.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "kernels/motion.h"

namespace acuity::kernels {

int MotionBlockCols(const PlaneView& plane) {
  return plane.empty() ? 0 : std::max(0, plane.width - 2) / kMotionBlock;
}
int MotionBlockRows(const PlaneView& plane) {
  return plane.empty() ? 0 : std::max(0, plane.height - 2) / kMotionBlock;
}

void ComputeMotionReference(const PlaneView& cur, const PlaneView& prev,
                            uint8_t* keep, MotionSums* sums,
                            std::vector<MotionBlock>* blocks) {
  *sums = {};
  const int nbx = MotionBlockCols(cur), nby = MotionBlockRows(cur);
  blocks->assign(static_cast<size_t>(nbx) * nby, MotionBlock{});
  if (cur.empty()) return;
  const bool diff = !prev.empty();
  // |d| <= 65535, d^2 < 2^32: the 64-bit sums are exact for any plane that
  // fits in memory.
  if (diff) {
    for (int y = 0; y < cur.height; ++y) {
      for (int x = 0; x < cur.width; ++x) {
        const int64_t d = static_cast<int64_t>(cur.At(x, y)) - prev.At(x, y);
        sums->diff_count += 1;
        sums->sum_abs_diff += static_cast<uint64_t>(std::llabs(d));
        sums->sum_diff += d;
        sums->sum_diff_sq += static_cast<uint64_t>(d * d);
      }
    }
  }
  const auto p = [&](int x, int y) {
    return static_cast<int64_t>(cur.At(x, y));
  };
  for (int by = 0; by < nby; ++by) {
    for (int bx = 0; bx < nbx; ++bx) {
      MotionBlock& b = (*blocks)[static_cast<size_t>(by) * nbx + bx];
      for (int y = 1 + by * kMotionBlock; y <= (by + 1) * kMotionBlock; ++y) {
        for (int x = 1 + bx * kMotionBlock; x <= (bx + 1) * kMotionBlock; ++x) {
          const int64_t gx =
              (p(x + 1, y - 1) + 2 * p(x + 1, y) + p(x + 1, y + 1)) -
              (p(x - 1, y - 1) + 2 * p(x - 1, y) + p(x - 1, y + 1));
          const int64_t gy =
              (p(x - 1, y + 1) + 2 * p(x, y + 1) + p(x + 1, y + 1)) -
              (p(x - 1, y - 1) + 2 * p(x, y - 1) + p(x + 1, y - 1));
          b.energy += static_cast<uint64_t>(gx * gx + gy * gy);
          sums->sxx += static_cast<uint64_t>(gx * gx);
          sums->syy += static_cast<uint64_t>(gy * gy);
          sums->sxy += gx * gy;
          sums->tensor_count += 1;
          if (diff) {
            b.sum_abs_diff += static_cast<uint32_t>(
                std::llabs(p(x, y) - static_cast<int64_t>(prev.At(x, y))));
          }
        }
      }
    }
  }
  if (keep != nullptr) {
    const size_t row_bytes =
        static_cast<size_t>(cur.width) * cur.bytes_per_sample();
    for (int y = 0; y < cur.height; ++y) {
      std::memcpy(keep + row_bytes * y, cur.Row8(y), row_bytes);
    }
  }
}

BlurTensor LevelTensorReference(const uint16_t* level, size_t w, int h) {
  BlurTensor t;
  const auto p = [&](size_t x, int y) {
    return static_cast<int64_t>(level[static_cast<size_t>(y) * w + x]);
  };
  for (int y = 1; y + 1 < h; ++y) {
    for (size_t x = 1; x + 1 < w; ++x) {
      const int64_t gx = (p(x + 1, y - 1) + 2 * p(x + 1, y) + p(x + 1, y + 1)) -
                         (p(x - 1, y - 1) + 2 * p(x - 1, y) + p(x - 1, y + 1));
      const int64_t gy = (p(x - 1, y + 1) + 2 * p(x, y + 1) + p(x + 1, y + 1)) -
                         (p(x - 1, y - 1) + 2 * p(x, y - 1) + p(x + 1, y - 1));
      t.count += 1;
      t.sxx += static_cast<uint64_t>(gx * gx);
      t.syy += static_cast<uint64_t>(gy * gy);
      t.sxy += gx * gy;
    }
  }
  return t;
}

void ComputeBlurPyramidReference(const PlaneView& plane,
                                 std::vector<uint16_t>* scratch,
                                 BlurPyramid* out) {
  *out = {};
  size_t w = static_cast<size_t>(MotionBlockCols(plane)) * kMotionBlock;
  int h = MotionBlockRows(plane) * kMotionBlock;
  if (w == 0 || h == 0) return;
  // Level 0 is the block area of the plane; each level fits uint16.
  const auto l0 = [&](size_t x, int y) {
    return static_cast<uint32_t>(plane.At(1 + static_cast<int>(x), 1 + y));
  };
  std::vector<uint16_t> cur, next;
  for (int k = 0; k < kBlurLevels; ++k) {
    const size_t nw = w / 2;
    const int nh = h / 2;
    next.assign(nw * static_cast<size_t>(nh), 0);
    for (int y = 0; y < nh; ++y) {
      for (size_t x = 0; x < nw; ++x) {
        const auto s = [&](size_t xx, int yy) {
          return k == 0 ? l0(xx, yy) : cur[static_cast<size_t>(yy) * w + xx];
        };
        next[static_cast<size_t>(y) * nw + x] = static_cast<uint16_t>(
            (s(2 * x, 2 * y) + s(2 * x + 1, 2 * y) + s(2 * x, 2 * y + 1) +
             s(2 * x + 1, 2 * y + 1) + 2) >>
            2);
      }
    }
    cur.swap(next);
    w = nw;
    h = nh;
    if (w < 3 || h < 3) break;
    out->level[k] = LevelTensorReference(cur.data(), w, h);
  }
  (void)scratch;  // the twin keeps its own buffers
}

}  // namespace acuity::kernels
