// Plain C++ reference twin of ComputeTileMoments: the separate reference
// kernels, tile by tile, kept simple on purpose. The SIMD targets in
// sobel.cc must match it exactly. Also the tile rule and the sums over
// tiles (kernels/tile_moments.h).
#include <algorithm>

#include "kernels/tile_moments.h"

namespace acuity::kernels {

PlaneView TileView(const PlaneView& plane, int cols, int rows, int r, int c) {
  const int64_t w = plane.width, h = plane.height;
  const int vy0 = std::max(0, static_cast<int>(r * h / rows) - 1);
  const int vy1 = std::min<int>(static_cast<int>(h),
                                static_cast<int>((r + 1) * h / rows) + 1);
  const int vx0 = std::max(0, static_cast<int>(c * w / cols) - 1);
  const int vx1 = std::min<int>(static_cast<int>(w),
                                static_cast<int>((c + 1) * w / cols) + 1);
  PlaneView sub = plane;
  sub.data = plane.data + vy0 * plane.stride + vx0 * plane.bytes_per_sample();
  sub.width = vx1 - vx0;
  sub.height = vy1 - vy0;
  return sub;
}

void ComposeTileMoments(const PlaneView& plane, int cols, int rows,
                        LaplacianMoments (*laplacian)(const PlaneView&),
                        SobelMoments (*sobel)(const PlaneView&),
                        std::vector<TileMoments>* tiles, MagnitudeSums* mag) {
  tiles->assign(static_cast<size_t>(cols) * rows, {});
  *mag = {};
  if (plane.empty()) return;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const PlaneView sub = TileView(plane, cols, rows, r, c);
      const LaplacianMoments l = laplacian(sub);
      TileMoments& t = (*tiles)[static_cast<size_t>(r) * cols + c];
      t.count = l.count;
      t.sum_l = l.sum;
      t.sum_l2 = l.sum_sq;
      t.sum_px = l.sum_px;
      t.sum_px_sq = l.sum_px_sq;
      t.sum_g2 = sobel(sub).sum_g2;
    }
  }
  const SobelMoments s = sobel(plane);
  mag->mag_count = s.mag_count;
  mag->sum_mag = s.sum_mag;
  mag->sum_mag_sq = s.sum_mag_sq;
}

void ComputeTileMomentsReference(const PlaneView& plane, int cols, int rows,
                                 std::vector<TileMoments>* tiles,
                                 MagnitudeSums* mag) {
  ComposeTileMoments(plane, cols, rows, ComputeLaplacianMomentsReference,
                     ComputeSobelMomentsReference, tiles, mag);
}

LaplacianMoments LaplacianOfTile(const TileMoments& t) {
  LaplacianMoments m;
  m.count = t.count;
  m.sum = t.sum_l;
  m.sum_sq = t.sum_l2;
  m.sum_px = t.sum_px;
  m.sum_px_sq = t.sum_px_sq;
  return m;
}

LaplacianMoments LaplacianFromTiles(const std::vector<TileMoments>& tiles) {
  LaplacianMoments m;
  for (const TileMoments& t : tiles) {
    const LaplacianMoments one = LaplacianOfTile(t);
    m.count += one.count;
    m.sum += one.sum;
    m.sum_sq += one.sum_sq;
    m.sum_px += one.sum_px;
    m.sum_px_sq += one.sum_px_sq;
  }
  return m;
}

SobelMoments SobelFromTiles(const std::vector<TileMoments>& tiles,
                            const MagnitudeSums& mag) {
  SobelMoments m;
  for (const TileMoments& t : tiles) {
    m.count += t.count;
    m.sum_g2 += t.sum_g2;
    m.sum_px += t.sum_px;
    m.sum_px_sq += t.sum_px_sq;
  }
  m.mag_count = mag.mag_count;
  m.sum_mag = mag.sum_mag;
  m.sum_mag_sq = mag.sum_mag_sq;
  return m;
}

}  // namespace acuity::kernels
