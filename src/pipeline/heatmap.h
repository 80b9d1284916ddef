// TileMap: the per-tile Laplacian measurement behind acuity::Heatmap (rules
// in acuity/heatmap.h), and the drawing of the heatmap picture. Internal.
#ifndef ACUITY_PIPELINE_HEATMAP_H_
#define ACUITY_PIPELINE_HEATMAP_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "acuity/frame.h"
#include "acuity/frames.h"
#include "acuity/heatmap.h"
#include "acuity/heatmap_png.h"
#include "acuity/report.h"
#include "kernels/laplacian.h"
#include "kernels/sobel.h"
#include "metrics/detail.h"

namespace acuity {

// Laplacian moments of every tile of `plane` (row-major), with the
// neighbouring samples in view so that the tiles' interiors partition the
// plane's interior: the moments add up to ComputeLaplacianMoments(plane).
// `tiles` is resized to rows * cols.
void ComputeTileMoments(const PlaneView& plane, int cols, int rows,
                        std::vector<kernels::LaplacianMoments>* tiles);

// A tile's value in full-range 8-bit code values^2, or nullopt when the
// tile is flat (luma std < kHeatmapFlatLumaStd) or has no interior.
std::optional<double> TileValue(const kernels::LaplacianMoments& m,
                                const LumaScale& scale);

// Streams frames of one video into a pooled Heatmap. Not thread-safe: one
// thread adds the frames, in order (ScoreVideo's measuring thread).
class TileMapAccumulator {
 public:
  void Init(const StreamInfo& info);
  void Add(const Frame& frame);
  // The same with the frame's noise sigma (full-range 8-bit; 0 when
  // unknown) and tiles already measured on this map's grid, as the scorer
  // has them (FrameAnalysis::noise_sigma, detail_tiles: the grid is the
  // same, DetailGrid).
  void Add(double noise_sigma, const std::vector<metrics::TileSums>& tiles);
  // `frames`: the report's frame records, one per Add() call, in order.
  Heatmap Finish(const std::vector<FrameRecord>& frames) const;

 private:
  int cols_ = 0, rows_ = 0, width_ = 0, height_ = 0;
  LumaScale scale_;
  std::vector<metrics::TileSums> tiles_;  // scratch, reused
  std::vector<kernels::NoiseBlock> blocks_;
  std::vector<uint64_t> keys_;
  std::vector<double> sum_log_;        // per tile: sum log(v + 1)
  std::vector<double> sum_log_scale_;  // per tile: sum log(detail scale)
  std::vector<int64_t> n_;             // per tile: frames with a reading
  // Per frame: whole-frame Laplacian variance (NaN: flat), for choosing the
  // representative frame. 8 bytes a frame.
  std::vector<double> frame_value_;
};

// The heatmap picture: `frame` (already decoded, any size with the map's
// aspect ratio) in dimmed grey, tiles coloured by detail scale, flat tiles
// grey and hatched, legend strip below. Returns packed BGR, width =
// frame.width, height = frame.height + HeatmapLegendHeight(frame.width).
Picture RenderHeatmap(const Picture& frame, const Heatmap& map);

}  // namespace acuity

#endif  // ACUITY_PIPELINE_HEATMAP_H_
