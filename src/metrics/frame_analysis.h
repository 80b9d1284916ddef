// FrameAnalysis: one decoded frame and the per-frame products that several
// metrics derive from it, computed once per frame and shared.
//
// Each registry entry declares the products it reads (MetricEntry::needs, a
// set of Need bits). Before the metrics of a frame run, the pipeline calls
// Prepare() with the union of the selected entries' needs; metrics then only
// read, so they may run on several threads at once. Reading a product that
// was not prepared is a registry bug and aborts with its name (tests catch
// it). A product is exactly what the metric computed on its own before
// (same kernel, same arguments), so sharing moves no number.
//
// Products:
//  - kNeedNoise: noise_sigma's estimator (metrics/noise.h) on the luma:
//    ComputeNoiseBlocks at NoiseRowStep, then NoiseSigmaFromBlocks, in
//    full-range 8-bit units (nullopt: no usable block). Read by
//    laplacian_var (noise_sigma, laplacian_var_nc), effective_height and
//    detail_scale_px.
//  - kNeedLaplacianMoments: kernels::ComputeLaplacianMoments of the whole
//    luma plane. Read by laplacian_var; face_count uses it when another
//    entry had it prepared (face_vs_frame) and computes it itself otherwise.
//  - kNeedSobelMoments: kernels::ComputeSobelMoments of the whole luma
//    plane. Read by gradient_energy.
//  - kNeedDetailTiles: kernels::ComputeTileMoments of the luma on
//    detail_scale_px's grid (metrics::DetailGrid). Read by detail_scale_px
//    and the heatmap.
// The last three are one fused pass (kernels/tile_moments.h) when the tiles
// or both whole-plane moments are needed: the whole plane's moments are
// then the sums over the tiles (one tile when the detail tiles are not
// wanted), which equal the whole-plane kernels' exactly (tested).
#ifndef ACUITY_METRICS_FRAME_ANALYSIS_H_
#define ACUITY_METRICS_FRAME_ANALYSIS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "acuity/frame.h"
#include "kernels/laplacian.h"
#include "kernels/sobel.h"
#include "kernels/tile_moments.h"

namespace acuity {

enum Need : unsigned {
  kNeedNoise = 1u << 0,
  kNeedLaplacianMoments = 1u << 1,
  kNeedSobelMoments = 1u << 2,
  kNeedDetailTiles = 1u << 3,
};
constexpr unsigned kNeedAll =
    kNeedNoise | kNeedLaplacianMoments | kNeedSobelMoments | kNeedDetailTiles;

class Metric;
class FrameValues;

class FrameAnalysis {
 public:
  FrameAnalysis() = default;
  FrameAnalysis(const FrameAnalysis&) = delete;
  FrameAnalysis& operator=(const FrameAnalysis&) = delete;

  // A new frame: the products of the previous one are forgotten. `frame`
  // must stay valid until the next Begin(); `scale` is the stream's
  // (StreamInfo::scale); `position` the frame's number among the frames
  // scored (0-based: its row in the report), for metrics that measure
  // every Nth frame only without keeping a count of their own.
  void Begin(const Frame& frame, const LumaScale& scale, int64_t position = 0);
  // Computes the products in `needs` that this frame does not have yet.
  void Prepare(unsigned needs);

  const Frame& frame() const { return frame_; }
  const LumaScale& scale() const { return scale_; }
  int64_t position() const { return position_; }
  // True when Prepare() computed `need` for this frame.
  bool Has(Need need) const { return (ready_ & need) != 0; }

  std::optional<double> noise_sigma() const;                   // kNeedNoise
  const kernels::LaplacianMoments& laplacian_moments() const;  // kNeed...
  const kernels::SobelMoments& sobel_moments() const;  // kNeedSobelMoments
  // kNeedDetailTiles: rows * cols tiles, row-major (empty for an empty
  // plane); the grid is metrics::DetailGrid of the plane's size.
  const std::vector<kernels::TileMoments>& detail_tiles() const;

 private:
  void Require(Need need, const char* name) const;

  Frame frame_;
  LumaScale scale_;
  int64_t position_ = 0;
  unsigned ready_ = 0;
  std::optional<double> noise_sigma_;
  kernels::LaplacianMoments laplacian_;
  kernels::SobelMoments sobel_;
  std::vector<kernels::TileMoments> tiles_;
  std::vector<kernels::TileMoments> whole_;  // the one-tile grid
  kernels::MagnitudeSums magnitude_;
  std::vector<kernels::NoiseBlock> blocks_;  // scratch, reused per frame
  std::vector<uint64_t> keys_;
};

// One frame through `metric` as the pipeline runs it: a FrameAnalysis of
// `frame` with `needs` prepared (an entry's MetricEntry::needs, or all).
// For tests, benchmarks and tools that drive a single metric.
void ProcessFrame(Metric& metric, const Frame& frame, const LumaScale& scale,
                  FrameValues& out, unsigned needs = kNeedAll);

}  // namespace acuity

#endif  // ACUITY_METRICS_FRAME_ANALYSIS_H_
