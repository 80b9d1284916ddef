// Motion kernel: the integer sums behind motion_mean, ti, motion_blur,
// motion_blur_angle and moving_sharpness_ratio, in one call per frame.
//
// With c = the current luma plane and p = the previous one (same size and
// depth), d(x, y) = c(x, y) - p(x, y):
//  - frame difference sums over EVERY pixel (0 <= x < W, 0 <= y < H):
//    sum |d|, sum d, sum d^2 (FFmpeg signalstats YDIF and siti TI use the
//    whole frame too). All zero when `prev` is empty (first frame).
//  - blocks: the interior (pixels whose 3x3 neighbourhood lies in the plane)
//    is tiled by kMotionBlock x kMotionBlock blocks from (1, 1); only
//    complete blocks exist (the last < 32 interior columns and rows belong to
//    none; a plane smaller than 34x34 has no block). Block (bx, by) covers
//    x in [1 + 32 bx, 32 + 32 bx], y likewise. Per block: the Sobel gradient
//    energy sum Gx^2 + Gy^2 and sum |d|. Sobel as kernels/sobel.h:
//      Gx = [p(x+1,y-1) + 2 p(x+1,y) + p(x+1,y+1)] - [same at x-1]
//      Gy = [p(x-1,y+1) + 2 p(x,y+1) + p(x+1,y+1)] - [same at y-1]
//  - the gradient structure tensor sum [Gx^2, GxGy; GxGy, Gy^2] over the
//    pixels of all blocks.
// Every sum is an exact integer, so every SIMD target and the reference
// return identical values. SIMD paths cover 8..12-bit planes (|G| <= 4m <
// 2^15 with m = 2^depth - 1); 13..16-bit planes use the reference.
#ifndef ACUITY_KERNELS_MOTION_H_
#define ACUITY_KERNELS_MOTION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "acuity/plane.h"

namespace acuity::kernels {

inline constexpr int kMotionBlock = 32;

struct MotionBlock {
  uint64_t energy = 0;        // sum of Gx^2 + Gy^2 over the block
  uint32_t sum_abs_diff = 0;  // sum of |d| over the block (<= 1024 * 65535)
  bool operator==(const MotionBlock&) const = default;
};

struct MotionSums {
  int64_t diff_count = 0;     // W*H when prev is given, else 0
  uint64_t sum_abs_diff = 0;  // sum |d|
  int64_t sum_diff = 0;       // sum d
  uint64_t sum_diff_sq = 0;   // sum d^2
  int64_t tensor_count = 0;   // pixels in blocks
  uint64_t sxx = 0;           // sum Gx^2 over the blocks
  uint64_t syy = 0;           // sum Gy^2
  int64_t sxy = 0;            // sum Gx Gy
  bool operator==(const MotionSums&) const = default;
};

// The blur pyramid behind motion_blur: the block area (x in [1, 1 + 32
// MotionBlockCols), y likewise) averaged down by 2 per level,
//   L0 = the plane's samples, L(k+1)(x, y) = (Lk(2x, 2y) + Lk(2x+1, 2y) +
//        Lk(2x, 2y+1) + Lk(2x+1, 2y+1) + 2) >> 2   (exact integers),
// and per level k = 1 .. kBlurLevels the Sobel structure tensor sums (as
// for the blocks) over the interior of Lk (1 <= x <= Wk-2, likewise y):
// the same gradient statistics at scales of 2, 4, 8, 16 and 32 px. Level 0
// is the block sums of MotionSums. Levels smaller than 3x3 have count 0.
inline constexpr int kBlurLevels = 5;
struct BlurTensor {
  int64_t count = 0;  // pixels summed
  uint64_t sxx = 0, syy = 0;
  int64_t sxy = 0;
  bool operator==(const BlurTensor&) const = default;
};
struct BlurPyramid {
  BlurTensor level[kBlurLevels];  // level[i] is scale 2^(i+1)
  bool operator==(const BlurPyramid&) const = default;
};
// `scratch` holds the levels (resized, no allocation once large enough).
// Levels narrower or lower than 3 samples end the pyramid (count 0).
void ComputeBlurPyramid(const PlaneView& plane, std::vector<uint16_t>* scratch,
                        BlurPyramid* out);
void ComputeBlurPyramidReference(const PlaneView& plane,
                                 std::vector<uint16_t>* scratch,
                                 BlurPyramid* out);
void ComputeBlurPyramidOnTarget(int64_t target, const PlaneView& plane,
                                std::vector<uint16_t>* scratch,
                                BlurPyramid* out);
// Tensor sums over the interior of one level (w x h contiguous samples).
BlurTensor LevelTensorReference(const uint16_t* level, size_t w, int h);

int MotionBlockCols(const PlaneView& plane);
int MotionBlockRows(const PlaneView& plane);

// `prev` is empty() for the first frame, else the same size and depth as
// `cur`. `blocks` is resized to MotionBlockRows * MotionBlockCols entries,
// row-major, and overwritten (no allocation once its capacity suffices).
// `keep`, when not null, receives a copy of `cur` as contiguous rows of
// width * bytes_per_sample bytes (the next frame's `prev`); it may be
// prev's own buffer (prev.data == keep, prev.stride == row bytes): each
// sample of prev is read before it is overwritten. Fusing the copy into
// the difference pass saves a separate pass over the plane (~0.1 ms at
// 1080p).
void ComputeMotion(const PlaneView& cur, const PlaneView& prev, uint8_t* keep,
                   MotionSums* sums, std::vector<MotionBlock>* blocks);
// Plain C++ reference twin: the definition, kept simple on purpose.
void ComputeMotionReference(const PlaneView& cur, const PlaneView& prev,
                            uint8_t* keep, MotionSums* sums,
                            std::vector<MotionBlock>* blocks);
// One specific compiled target (an element of CompiledTargets(); anything
// else aborts). For tests and benchmarks.
void ComputeMotionOnTarget(int64_t target, const PlaneView& cur,
                           const PlaneView& prev, uint8_t* keep,
                           MotionSums* sums, std::vector<MotionBlock>* blocks);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_MOTION_H_
