// FrameAnalysis (metrics/frame_analysis.h): per-frame shared products.
#include "metrics/frame_analysis.h"

#include <cstdio>
#include <cstdlib>

#include "acuity/metric.h"
#include "metrics/noise.h"

namespace acuity {

void FrameAnalysis::Begin(const Frame& frame, const LumaScale& scale) {
  frame_ = frame;
  scale_ = scale;
  ready_ = 0;
  noise_sigma_.reset();
  laplacian_ = {};
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
  if ((todo & kNeedLaplacianMoments) != 0) {
    if (!y.empty()) laplacian_ = kernels::ComputeLaplacianMoments(y);
    ready_ |= kNeedLaplacianMoments;
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

void ProcessFrame(Metric& metric, const Frame& frame, const LumaScale& scale,
                  FrameValues& out, unsigned needs) {
  FrameAnalysis analysis;
  analysis.Begin(frame, scale);
  analysis.Prepare(needs);
  metric.Process(analysis, out);
}

}  // namespace acuity
