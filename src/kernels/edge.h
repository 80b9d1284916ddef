// Edge detection for the edge-width family (edge_width_px and friends):
// Sobel gradients, quantised gradient direction and non-maximum suppression
// along it, in two integer passes over a luma plane.
//
// Gradients: the 3x3 Sobel operator,
//   gx = [p(x+1,y-1) + 2p(x+1,y) + p(x+1,y+1)] - [same at x-1],
//   gy = [p(x-1,y+1) + 2p(x,y+1) + p(x+1,y+1)] - [same at y-1],
// on the samples p = sample >> EdgeSampleShift(bit_depth) (0 up to 12 bits,
// so 13..16-bit input is detected on its top 12 bits and every quantity
// below fits int16). Magnitude is the L1 norm m = |gx| + |gy| (<= 8 * 4095).
//
// Direction: the gradient direction quantised to 4 walk vectors (dx, dy)
// with sector borders at 22.5 degrees (tan 22.5 = 0.41421 ~ 27146 / 2^16):
//   kEdgeX   (1, 0)  if |gy| <= (|gx| * 27146) >> 16
//   kEdgeY   (0, 1)  if |gx| <= (|gy| * 27146) >> 16 (and not kEdgeX)
//   kEdgeXY  (1, 1)  otherwise, gx and gy of the same sign
//   kEdgeXnY (1, -1) otherwise (opposite signs)
// (y grows downwards, so kEdgeXY is the gradient pointing down-right).
//
// Non-maximum suppression along the quantised direction d = (dx, dy), on
// the central difference of the samples along d,
//   D(x, y) = |p(x+dx, y+dy) - p(x-dx, y-dy)|:
// (x, y) is an edge pixel iff
//   m(x,y) >= threshold, D(x,y) > D(x-dx, y-dy) and D(x,y) >= D(x+dx, y+dy),
// i.e. the steepest point of the profile the walks of metrics/edges.cc
// follow (the strict/non-strict pair keeps one pixel of a two-pixel tie:
// a perfectly sharp step has two equal central differences). Using D rather
// than the neighbours' Sobel magnitudes means only the centre row needs
// gradients, so a row step skips whole rows of work.
//
// Border rule: edge pixels only for 2 <= x < W-2, 2 <= y < H-2 (the 5x5
// neighbourhood lies in the plane). Codes outside that are kEdgeNone.
//
// Everything is exact integer arithmetic: every SIMD target and the plain
// reference twin return identical stats and identical codes.
#ifndef ACUITY_KERNELS_EDGE_H_
#define ACUITY_KERNELS_EDGE_H_

#include <cstddef>
#include <cstdint>

#include "acuity/plane.h"

namespace acuity::kernels {

// Edge codes: 0 = no edge, else the quantised gradient direction.
inline constexpr uint8_t kEdgeNone = 0;
inline constexpr uint8_t kEdgeX = 1;    // walk (1, 0)
inline constexpr uint8_t kEdgeXY = 2;   // walk (1, 1)
inline constexpr uint8_t kEdgeY = 3;    // walk (0, 1)
inline constexpr uint8_t kEdgeXnY = 4;  // walk (1, -1)

// Right shift applied to samples before the Sobel operator.
inline constexpr int EdgeSampleShift(int bit_depth) {
  return bit_depth > 12 ? bit_depth - 12 : 0;
}

// Sums of the Sobel L1 magnitude over the gradient pixels of the sampled
// rows y = 1, 1 + row_step, ... <= H-2 (columns 1 .. W-2). Exact: at most
// 2^31 pixels of m <= 32760 and m^2 < 2^30.
struct SobelStats {
  int64_t count = 0;
  uint64_t sum = 0;     // sum of m
  uint64_t sum_sq = 0;  // sum of m^2
  uint32_t max = 0;     // largest m
  bool operator==(const SobelStats&) const = default;
};

SobelStats ComputeSobelStats(const PlaneView& plane, int row_step);
SobelStats ComputeSobelStatsReference(const PlaneView& plane, int row_step);
// One compiled target (kernels/targets.h: CompiledTargets()); aborts on a
// target that is not available.
SobelStats ComputeSobelStatsOnTarget(int64_t target, const PlaneView& plane,
                                     int row_step);

// Rows of edge codes for a plane: one centre row in each block of row_step
// rows 2 + j * row_step .. 2 + (j+1) * row_step - 1 that lies in
// 2 .. H-3, at a pseudo-random offset in the block (a fixed hash of j):
// stratified sampling, so content aligned to even rows (4:2:0, 2x
// upscales) or any other period is neither always hit nor always missed.
// row_step 1 is every row 2 .. H-3.
inline int EdgeCodeRows(int height, int row_step) {
  return height < 5 || row_step < 1 ? 0 : (height - 4) / row_step;
}
inline int EdgeCodeRowY(int j, int row_step) {
  uint32_t h = static_cast<uint32_t>(j) * 0x9E3779B1u;
  h ^= h >> 15;
  h *= 0x85EBCA77u;
  h ^= h >> 13;
  return 2 + j * row_step +
         static_cast<int>(h % static_cast<uint32_t>(row_step));
}

// Words of one row of edge masks: bit i of word k is pixel x = 64 k + i.
inline int EdgeMaskWords(int width) { return (width + 63) / 64; }

// Writes the edge code of every pixel of the centre rows into
// codes[j * codes_stride + x], 0 <= j < EdgeCodeRows, 0 <= x < W (all W
// entries of each row are written, nothing beyond), and the same as bits,
// set iff the code is not kEdgeNone, into masks[j * mask_stride + k],
// 0 <= k < EdgeMaskWords(W) (unused high bits of the last word are 0), so
// callers can visit the sparse edge pixels without scanning every code.
// `threshold` is in Sobel L1 units of the shifted samples. Planes smaller
// than 5x5 have no rows. Precondition: samples < 2^bit_depth,
// codes_stride >= W, mask_stride >= EdgeMaskWords(W).
void ComputeEdgeCodes(const PlaneView& plane, int row_step, uint32_t threshold,
                      uint8_t* codes, ptrdiff_t codes_stride, uint64_t* masks,
                      ptrdiff_t mask_stride);
void ComputeEdgeCodesReference(const PlaneView& plane, int row_step,
                               uint32_t threshold, uint8_t* codes,
                               ptrdiff_t codes_stride, uint64_t* masks,
                               ptrdiff_t mask_stride);
void ComputeEdgeCodesOnTarget(int64_t target, const PlaneView& plane,
                              int row_step, uint32_t threshold, uint8_t* codes,
                              ptrdiff_t codes_stride, uint64_t* masks,
                              ptrdiff_t mask_stride);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_EDGE_H_
