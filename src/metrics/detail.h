// detail_scale_px and detail_share: flat is not blurry (definitions at the
// top of detail.cc). The tile analysis here is shared with the heatmap
// (src/pipeline/heatmap.cc), so a tile is flat or blurry by one rule.
#ifndef ACUITY_METRICS_DETAIL_H_
#define ACUITY_METRICS_DETAIL_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "acuity/metric.h"
#include "kernels/sobel.h"
#include "kernels/tile_moments.h"

namespace acuity::metrics {

// A tile carries structure when its noise-compensated RMS gradient is at
// least this many full-range 8-bit code values per sample (detail.cc says
// why this value). Below it the tile is flat: sky, a wall, a plain door.
inline constexpr double kDetailMinGradient = 1.0;
// A frame is flat (detail_scale_px null) when fewer than this share of its
// tiles carry structure.
inline constexpr double kDetailMinShare = 0.05;
// detail_scale_px pools the structured tiles' scales at this quantile (the
// finest quarter: a subject covering a quarter of the detailed area decides,
// a small sharp logo does not).
inline constexpr double kDetailQuantile = 0.25;
// Tiles smaller than this (samples a side) are not judged (too few samples).
inline constexpr int kDetailMinTileSide = 8;

// The tile grid (also the heatmap's, acuity/heatmap.h): cols = min(16,
// max(1, W / 8)), rows = max(1, min(round(cols * H / W), H / 8)); tile c
// covers x in [floor(c * W / cols), floor((c + 1) * W / cols)).
inline constexpr int kDetailMaxCols = 16;
void DetailGrid(int width, int height, int* cols, int* rows);

// The exact sums of one tile (kernels/tile_moments.h: with one sample of
// its neighbours in view, so the tiles' interiors partition the plane's
// interior).
using TileSums = kernels::TileMoments;

// Sums of every tile of `plane` (row-major, rows * cols entries): the fused
// kernel (the pipeline shares one per frame: FrameAnalysis::detail_tiles).
void ComputeTileSums(const PlaneView& plane, int cols, int rows,
                     std::vector<TileSums>* tiles);

// One tile judged, in full-range 8-bit units.
struct TileDetail {
  bool structured = false;  // noise-compensated RMS gradient >= threshold
  double gradient = 0.0;    // RMS gradient, noise-compensated (code/sample)
  // sqrt(E|grad I|^2 / E[(Lap I)^2]) in samples; set when structured.
  std::optional<double> scale_px;
};

// `noise_sigma`: the frame's noise standard deviation (8-bit units), 0 when
// unknown.
TileDetail JudgeTile(const TileSums& t, const LumaScale& scale,
                     double noise_sigma);

// The frame's noise sigma as noise_sigma measures it (8-bit units), 0 when
// it has no estimate. `blocks` and `keys` are scratch space.
double FrameNoiseSigma(const PlaneView& plane, const LumaScale& scale,
                       std::vector<kernels::NoiseBlock>* blocks,
                       std::vector<uint64_t>* keys);

// detail_scale_px, detail_share (opt-in).
MetricEntry DetailScaleEntry();

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_DETAIL_H_
