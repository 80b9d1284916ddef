// Heatmap: where in the picture the blur is. A coarse grid of tiles; per
// tile the detail scale of detail_scale_px (how fine its detail is, in
// samples; metrics/detail.h) and the Laplacian variance (as laplacian_var,
// per tile), pooled over the frames of a video; flat tiles (no detail to
// blur) are marked, not called blurry. `acuity score --heatmap` puts it in
// the report and draws it over a representative frame (NAME.heatmap.png).
// docs/heatmap.md has the rules in prose. This header is the data (what a
// report holds); drawing it is acuity/heatmap_png.h.
//
// Grid: cols = min(16, max(1, W / 8)) columns and
// rows = max(1, min(round(cols * H / W), H / 8)) rows of luma samples, so
// tiles are about square (16 x 9 on 16:9 video) and at least 8 samples on a
// side. Tile c covers x in [floor(c * W / cols), floor((c + 1) * W / cols)),
// likewise for rows: the tiles partition the picture.
//
// Per frame and tile: the Laplacian is taken with the tile's neighbours in
// view, so every interior pixel of the frame is measured in exactly one
// tile and the tile sums add up to the whole-frame laplacian_var moments.
// A tile has no reading in a frame when it is flat there (sky, a wall,
// black bars): blur cannot be told from a lack of detail. Flat: its luma
// standard deviation is below kHeatmapFlatLumaStd (full-range 8-bit units)
// or it is not structured by detail_scale_px's rule (noise-compensated RMS
// gradient below metrics::kDetailMinGradient = 1 code value per sample).
//
// Pooling per tile over the frames where it had a reading: the Laplacian
// variance by the geometric mean of (v + 1), minus 1, i.e.
// exp(mean(log(v + 1))) - 1; the detail scale by the geometric mean;
// accumulated in frame order on one thread (deterministic, memory
// independent of length). A tile with a reading in fewer than half of the
// frames is flat: null in both.
#ifndef ACUITY_HEATMAP_H_
#define ACUITY_HEATMAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace acuity {

inline constexpr double kHeatmapFlatLumaStd = 2.0;
// = metrics::kDetailMinGradient (code values per sample).
inline constexpr double kHeatmapFlatMinGradient = 1.0;
inline constexpr int kHeatmapMaxCols = 16;

struct Heatmap {
  int cols = 0;
  int rows = 0;
  int width = 0;  // picture size (luma samples) the grid divides
  int height = 0;
  // Pooled tile values, row-major (rows * cols); nullopt: flat. Unit:
  // full-range 8-bit code values^2, as laplacian_var.
  std::vector<std::optional<double>> values;
  // Pooled detail scale per tile (samples; higher is blurrier), row-major;
  // nullopt exactly where `values` is. What the PNG colours by.
  std::vector<std::optional<double>> detail_scale;
  int flat_tiles = 0;  // tiles that are null (flat)
  int64_t frames = 0;  // frames pooled
  // The representative frame the PNG shows: the frame whose whole-frame
  // Laplacian variance is closest to the median over the video (ties: the
  // earlier frame; no frame with a value: the first frame).
  int64_t frame_index = 0;  // FrameRecord::index
  double frame_pts = 0.0;

  const std::optional<double>& At(int col, int row) const {
    return values[static_cast<size_t>(row) * cols + col];
  }
  // Tile edges in luma samples: [TileX0(c), TileX0(c + 1)).
  int TileX0(int c) const {
    return static_cast<int>(static_cast<int64_t>(c) * width / cols);
  }
  int TileY0(int r) const {
    return static_cast<int>(static_cast<int64_t>(r) * height / rows);
  }
};

// The grid for a W x H picture (rule above).
void HeatmapGrid(int width, int height, int* cols, int* rows);

}  // namespace acuity

#endif  // ACUITY_HEATMAP_H_
