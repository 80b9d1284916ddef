// FrameAnalysis (metrics/frame_analysis.h): per-frame shared products.
#include "metrics/frame_analysis.h"

#include <cstdio>
#include <cstdlib>

#include "acuity/metric.h"
#include "metrics/detail.h"
#include "metrics/noise.h"

namespace acuity {

void FrameAnalysis::Begin(const Frame& frame, const LumaScale& scale,
                          int64_t position) {
  frame_ = frame;
  scale_ = scale;
  position_ = position;
  ready_ = 0;
  noise_sigma_.reset();
  laplacian_ = {};
  sobel_ = {};
  tiles_.clear();
}

void FrameAnalysis::Prepare(unsigned needs) {
  const unsigned todo = needs & ~ready_;
  const PlaneView& y = frame_.y;
  if ((todo & kNeedNoise) != 0) {
    if (!y.empty()) {
      const int step = metrics::NoiseRowStep(y);
      kernels::ComputeNoiseBlocks(y, step, &blocks_);
      noise_sigma_ =
          metrics::NoiseSigmaFromBlocks(y, step, blocks_, scale_, &keys_);
    }
    ready_ |= kNeedNoise;
  }
  // The 3x3 products: one fused pass for the tiles (whose sums give the
  // whole-plane moments too), or for both whole-plane moments (one tile:
  // cheaper than the two separate passes); a lone whole-plane moment by its
  // own kernel. Same sums either way.
  constexpr unsigned k3x3 =
      kNeedLaplacianMoments | kNeedSobelMoments | kNeedDetailTiles;
  const unsigned want = todo & k3x3;
  if (want == 0) return;
  if (y.empty()) {
    ready_ |= want;
  } else if ((want & kNeedDetailTiles) != 0) {
    int cols = 0, rows = 0;
    metrics::DetailGrid(y.width, y.height, &cols, &rows);
    kernels::ComputeTileMoments(y, cols, rows, &tiles_, &magnitude_);
    laplacian_ = kernels::LaplacianFromTiles(tiles_);
    sobel_ = kernels::SobelFromTiles(tiles_, magnitude_);
    ready_ |= k3x3;
  } else if (want == (kNeedLaplacianMoments | kNeedSobelMoments)) {
    kernels::ComputeTileMoments(y, 1, 1, &whole_, &magnitude_);
    laplacian_ = kernels::LaplacianFromTiles(whole_);
    sobel_ = kernels::SobelFromTiles(whole_, magnitude_);
    ready_ |= want;
  } else if (want == kNeedLaplacianMoments) {
    laplacian_ = kernels::ComputeLaplacianMoments(y);
    ready_ |= kNeedLaplacianMoments;
  } else {
    sobel_ = kernels::ComputeSobelMoments(y);
    ready_ |= kNeedSobelMoments;
  }
}

void FrameAnalysis::Require(Need need, const char* name) const {
  if (!Has(need)) {
    std::fprintf(stderr,
                 "acuity: internal error: FrameAnalysis::%s read but not "
                 "prepared (the metric's registry entry must list it in "
                 "needs)\n",
                 name);
    std::abort();
  }
}

std::optional<double> FrameAnalysis::noise_sigma() const {
  Require(kNeedNoise, "noise_sigma");
  return noise_sigma_;
}

const kernels::LaplacianMoments& FrameAnalysis::laplacian_moments() const {
  Require(kNeedLaplacianMoments, "laplacian_moments");
  return laplacian_;
}

const kernels::SobelMoments& FrameAnalysis::sobel_moments() const {
  Require(kNeedSobelMoments, "sobel_moments");
  return sobel_;
}

const std::vector<kernels::TileMoments>& FrameAnalysis::detail_tiles() const {
  Require(kNeedDetailTiles, "detail_tiles");
  return tiles_;
}

void ProcessFrame(Metric& metric, const Frame& frame, const LumaScale& scale,
                  FrameValues& out, unsigned needs) {
  FrameAnalysis analysis;
  analysis.Begin(frame, scale);
  analysis.Prepare(needs);
  metric.Process(analysis, out);
}

}  // namespace acuity
