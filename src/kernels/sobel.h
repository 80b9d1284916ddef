// Sobel and Immerkaer kernels: the sums behind gradient_energy, si and
// noise_sigma, in one pass over a plane each, without materialising any
// gradient image.
//
// With p(x, y) the samples of the plane, per pixel:
//   Gx = [p(x+1,y-1) + 2 p(x+1,y) + p(x+1,y+1)]
//      - [p(x-1,y-1) + 2 p(x-1,y) + p(x-1,y+1)]     (cv::Sobel dx=1, ksize 3)
//   Gy = [p(x-1,y+1) + 2 p(x,y+1) + p(x+1,y+1)]
//      - [p(x-1,y-1) + 2 p(x,y-1) + p(x+1,y-1)]     (cv::Sobel dy=1, ksize 3)
//   N  = I * [1 -2 1; -2 4 -2; 1 -2 1]              (Immerkaer 1996)
// With m = 2^bit_depth - 1: |Gx|, |Gy| <= 4m and |N| <= 8m (the positive
// weights of N sum to 8), so all three fit int16 up to 12 bits.
//
// Border rule (as kernels/laplacian.h): only interior pixels
// (1 <= x < W-1, 1 <= y < H-1) are measured, i.e. pixels whose whole 3x3
// neighbourhood lies in the plane; no padding is invented.
//
// Every result is an exact integer (the magnitude is quantised per pixel,
// see SobelMoments), so every SIMD target and the reference return
// identical values. SIMD paths cover 8..12-bit planes; 13..16-bit planes
// use the reference (rare in video, and |Gx|^2 + |Gy|^2 no longer fits
// int32 there).
#ifndef ACUITY_KERNELS_SOBEL_H_
#define ACUITY_KERNELS_SOBEL_H_

#include <cstdint>
#include <vector>

#include "acuity/plane.h"

namespace acuity::kernels {

// The magnitude lattice: interior pixel (x, y) is sampled for the magnitude
// sums when (x - 1) % 4 == kMagnitudePhase[(y - 1) % 4]. One pixel in four,
// every row and every column equally often (a 4x4 dither pattern, not a
// row subsample: horizontal edges are never skipped wholesale). A float
// square root per pixel costs more than the rest of the kernel, and the
// standard deviation of the magnitude over this lattice is within 0.5% of
// the full-frame value on natural and synthetic content (tested; measured
// <= 0.32%), where every 4th row is off by up to 3%.
inline constexpr int kMagnitudePhase[4] = {0, 2, 1, 3};
// Magnitudes are quantised to 1/16 of an 8-bit code value at every depth:
// q = round(sqrt(fl(Gx^2 + Gy^2)) * 2^(kMagnitudeFracBits + 8 - bit_depth))
// with fl() the nearest float, sqrt the IEEE single-precision square root
// (correctly rounded on every target) and round-half-to-even. q <= 23170.
inline constexpr int kMagnitudeFracBits = 4;

struct SobelMoments {
  int64_t count = 0;        // interior pixels: (W-2)*(H-2)
  uint64_t sum_g2 = 0;      // sum of Gx^2 + Gy^2 over the interior (exact)
  uint64_t sum_px = 0;      // sum of the centre pixels p(x,y) (flatness test)
  uint64_t sum_px_sq = 0;   // sum of p(x,y)^2
  int64_t mag_count = 0;    // interior pixels on the magnitude lattice
  uint64_t sum_mag = 0;     // sum of q over the lattice
  uint64_t sum_mag_sq = 0;  // sum of q^2 over the lattice
  bool operator==(const SobelMoments&) const = default;
};

// Runtime-dispatched SIMD (Highway) version.
SobelMoments ComputeSobelMoments(const PlaneView& plane);
// Plain C++ reference twin: the definition, kept simple on purpose.
SobelMoments ComputeSobelMomentsReference(const PlaneView& plane);
// One specific compiled target (an element of CompiledTargets(); anything
// else aborts). For tests and benchmarks.
SobelMoments ComputeSobelMomentsOnTarget(int64_t target,
                                         const PlaneView& plane);

// Noise blocks: the interior is tiled by kNoiseBlockSize x kNoiseBlockSize
// blocks from (1, 1); only complete blocks exist (the last < 16 interior
// columns and rows belong to none). Block (bx, by) covers interior pixels
// x in [1 + 16 bx, 16 + 16 bx], y likewise, and is measured on its 16
// columns x 8 rows y = 1 + 16 by + 2i (every other row): vertically
// adjacent |N| are strongly correlated (the vertical profile [1 -2 1] has
// lag-1 autocorrelation -2/3), so the other rows add little information
// for their cost.
inline constexpr int kNoiseBlockSize = 16;
inline constexpr int kNoiseBlockPixels = kNoiseBlockSize * kNoiseBlockSize / 2;

struct NoiseBlock {
  uint32_t sum_abs_n = 0;  // sum of |N| over the kNoiseBlockPixels measured
  uint32_t sum_grad = 0;   // sum of |Gx| + |Gy| (texture: edges, detail)
  uint16_t min = 0;        // smallest and largest sample p(x,y) of the
  uint16_t max = 0;        // measured pixels (clipping test)
  bool operator==(const NoiseBlock&) const = default;
};

// Blocks of every `row_step`-th block row (block rows 0, row_step, ...;
// row_step >= 1), all block columns. `blocks` is resized to
// NoiseBlockRows(plane, row_step) * NoiseBlockCols(plane) entries, row-major,
// and overwritten (no allocation once its capacity suffices).
int NoiseBlockCols(const PlaneView& plane);
int NoiseBlockRows(const PlaneView& plane, int row_step);
void ComputeNoiseBlocks(const PlaneView& plane, int row_step,
                        std::vector<NoiseBlock>* blocks);
void ComputeNoiseBlocksReference(const PlaneView& plane, int row_step,
                                 std::vector<NoiseBlock>* blocks);
void ComputeNoiseBlocksOnTarget(int64_t target, const PlaneView& plane,
                                int row_step, std::vector<NoiseBlock>* blocks);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_SOBEL_H_
