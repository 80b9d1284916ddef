// Block kernels: sums of the 4x4 blocks of a plane (the coarse plane of
// laplacian_var_nc) and sums of absolute neighbour differences by position
// on the coding-block grid (blockiness).
//
// Both are exact integer sums, so every SIMD target returns exactly what the
// plain C++ reference returns.
#ifndef ACUITY_KERNELS_BLOCK_H_
#define ACUITY_KERNELS_BLOCK_H_

#include <array>
#include <cstdint>
#include <vector>

#include "acuity/plane.h"

namespace acuity::kernels {

// Sums of the non-overlapping 4x4 blocks that lie wholly inside the plane:
// (*sums)[j * (W/4) + i] = sum of p(x, y) over 4i <= x < 4i+4, 4j <= y < 4j+4,
// for i < W/4, j < H/4 (the last W mod 4 columns and H mod 4 rows are not
// covered). `sums` is resized to (W/4) * (H/4). A sum is at most
// 16 * 65535 < 2^20.
void ComputeBlockSums4(const PlaneView& plane, std::vector<uint32_t>* sums);
void ComputeBlockSums4Reference(const PlaneView& plane,
                                std::vector<uint32_t>* sums);

// Sums of absolute differences between neighbouring samples, limited to
// `clip` (native code values), by phase on a 16-sample grid that starts at
// (0, 0):
//   h[k] = sum of min(|p(x+1, y) - p(x, y)|, clip) over all rows y and all
//          0 <= x < W-1 with x mod 16 == k,
//   v[k] = sum of min(|p(x, y+1) - p(x, y)|, clip) over all columns x and
//          all 0 <= y < H-1 with y mod 16 == k.
// Phase 7 and 15 are differences across an 8x8 block boundary (between
// columns 8m-1 and 8m), phase 15 across a 16x16 one. Each sum is at most
// 2^32 * 65535 for planes up to 65536 x 65536: exact in uint64.
struct GridDiffSums {
  std::array<uint64_t, 16> h{};
  std::array<uint64_t, 16> v{};
  bool operator==(const GridDiffSums&) const = default;
};
// `scratch` holds per-column sums (reused between calls: no allocation per
// frame).
GridDiffSums ComputeGridDiffSums(const PlaneView& plane, uint32_t clip,
                                 std::vector<uint16_t>* scratch);
GridDiffSums ComputeGridDiffSumsReference(const PlaneView& plane,
                                          uint32_t clip);

// The Laplacian of the coarse plane behind laplacian_var_nc. With `cells`
// the 4x4 block sums (ComputeBlockSums4: cells_w x cells_h, row-major, each
// < 2^20), the box sums B(i, j) = cells(i, j) + cells(i+1, j) +
// cells(i, j+1) + cells(i+1, j+1) (the 8x8 samples from (4i, 4j)) for
// i < bw = cells_w - 1, j < bh = cells_h - 1, and over the interior boxes
// (1 <= i < bw - 1, 1 <= j < bh - 1)
//   L = B(i-1, j) + B(i+1, j) + B(i, j-1) + B(i, j+1) - 4 B(i, j):
// their count, sum of L and sum of L^2 (all zero when bw < 3 or bh < 3).
// |L| < 2^24 and L^2 < 2^48: exact for rows of up to 4096 boxes (planes up
// to 16384 wide; precondition). `boxes` is scratch (reused).
struct CoarseLaplacianSums {
  int64_t count = 0;
  int64_t sum = 0;
  unsigned __int128 sum_sq = 0;
  bool operator==(const CoarseLaplacianSums&) const = default;
};
CoarseLaplacianSums ComputeCoarseLaplacianSums(const uint32_t* cells,
                                               int cells_w, int cells_h,
                                               std::vector<uint32_t>* boxes);
CoarseLaplacianSums ComputeCoarseLaplacianSumsReference(const uint32_t* cells,
                                                        int cells_w,
                                                        int cells_h);

// The kernels on one compiled target (tests and benchmarks; see targets.h).
void ComputeBlockSums4OnTarget(int64_t target, const PlaneView& plane,
                               std::vector<uint32_t>* sums);
GridDiffSums ComputeGridDiffSumsOnTarget(int64_t target, const PlaneView& plane,
                                         uint32_t clip,
                                         std::vector<uint16_t>* scratch);
CoarseLaplacianSums ComputeCoarseLaplacianSumsOnTarget(
    int64_t target, const uint32_t* cells, int cells_w, int cells_h,
    std::vector<uint32_t>* boxes);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_BLOCK_H_
