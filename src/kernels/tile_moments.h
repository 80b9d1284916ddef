// Tile moments: the Laplacian and Sobel sums of every tile of a grid over a
// plane, and the Sobel magnitude sums of the whole plane, in one pass: the
// fused 3x3 kernel behind detail_scale_px's tiles, laplacian_var and
// gradient_energy (metrics/frame_analysis.h shares it between them).
//
// Tiles: tile (r, c) of a cols x rows grid covers the interior pixels
// (kernels/laplacian.h's border rule) with
//   max(1, c W / cols) <= x < min(W-1, (c+1) W / cols)   (integer division),
//   max(1, r H / rows) <= y < min(H-1, (r+1) H / rows),
// i.e. what ComputeLaplacianMoments and ComputeSobelMoments measure on the
// tile widened by one sample of its neighbours (metrics::TileView). The
// tiles partition the interior, so their sums add up to the whole plane's.
// The magnitude sums use the plane's own lattice (kernels/sobel.h), which a
// tile's view would shift: they are taken once for the plane.
//
// Every result equals the separate kernels' (tested on every target):
//   tile.{count, sum_l, sum_l2, sum_px, sum_px_sq} = ComputeLaplacianMoments
//     of the tile view's {count, sum, sum_sq, sum_px, sum_px_sq},
//   tile.sum_g2 = ComputeSobelMoments(tile view).sum_g2,
//   magnitude = ComputeSobelMoments(plane)'s {mag_count, sum_mag,
//     sum_mag_sq}.
// Exact integers: every SIMD target returns the reference's. Fused on 8-bit
// planes whose first tile is at least one vector plus one sample wide (120
// samples at 1080p on 16 columns); other planes are measured by the
// separate SIMD kernels tile by tile (same sums, their cost).
#ifndef ACUITY_KERNELS_TILE_MOMENTS_H_
#define ACUITY_KERNELS_TILE_MOMENTS_H_

#include <cstdint>
#include <vector>

#include "acuity/plane.h"
#include "kernels/laplacian.h"
#include "kernels/sobel.h"

namespace acuity::kernels {

struct TileMoments {
  int64_t count = 0;       // interior pixels of the tile
  int64_t sum_l = 0;       // sum of L (4-neighbour Laplacian)
  uint64_t sum_l2 = 0;     // sum of L^2
  uint64_t sum_px = 0;     // sum of p(x, y)
  uint64_t sum_px_sq = 0;  // sum of p(x, y)^2
  uint64_t sum_g2 = 0;     // sum of Sobel Gx^2 + Gy^2
  bool operator==(const TileMoments&) const = default;
};

struct MagnitudeSums {
  int64_t mag_count = 0;  // SobelMoments' fields of the same name
  uint64_t sum_mag = 0;
  uint64_t sum_mag_sq = 0;
  bool operator==(const MagnitudeSums&) const = default;
};

// `tiles` is resized to rows * cols (row-major) and overwritten; cols and
// rows >= 1 (precondition). An empty plane gives zero sums.
void ComputeTileMoments(const PlaneView& plane, int cols, int rows,
                        std::vector<TileMoments>* tiles, MagnitudeSums* mag);
// Plain C++ reference twin: the separate reference kernels, tile by tile.
void ComputeTileMomentsReference(const PlaneView& plane, int cols, int rows,
                                 std::vector<TileMoments>* tiles,
                                 MagnitudeSums* mag);
void ComputeTileMomentsOnTarget(int64_t target, const PlaneView& plane,
                                int cols, int rows,
                                std::vector<TileMoments>* tiles,
                                MagnitudeSums* mag);

// The definition from any implementation of the two separate kernels
// (the reference twin passes the references; SIMD targets fall back to
// theirs for planes they do not fuse).
void ComposeTileMoments(const PlaneView& plane, int cols, int rows,
                        LaplacianMoments (*laplacian)(const PlaneView&),
                        SobelMoments (*sobel)(const PlaneView&),
                        std::vector<TileMoments>* tiles, MagnitudeSums* mag);

// One tile's Laplacian moments (what ComputeLaplacianMoments gives on its
// TileView).
LaplacianMoments LaplacianOfTile(const TileMoments& tile);
// The whole plane's moments from the tiles': exactly
// ComputeLaplacianMoments(plane) and ComputeSobelMoments(plane).
LaplacianMoments LaplacianFromTiles(const std::vector<TileMoments>& tiles);
SobelMoments SobelFromTiles(const std::vector<TileMoments>& tiles,
                            const MagnitudeSums& mag);

// The view of tile (r, c) (widened by one sample of its neighbours, clipped
// at the plane's border) on which the separate kernels measure that tile.
PlaneView TileView(const PlaneView& plane, int cols, int rows, int r, int c);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_TILE_MOMENTS_H_
