// laplacian_var: variance of the 3x3 Laplacian [0 1 0; 1 -4 1; 0 1 0] of
// the luma plane (LAPV in Pertuz et al., "Analysis of focus measure
// operators for shape-from-focus", Pattern Recognition 46, 2013).
// Equals cv::Laplacian(luma, dst, CV_64F) followed by the population
// variance over the interior pixels (the border rule of kernels/laplacian.h).
// Unit: squared full-range 8-bit code values; >8-bit input is divided by
// 2^(depth-8) and limited-range input is scaled by (255/219)^2, so numbers
// compare across files. Range 0..~1e6 (8-bit worst case 1020^2).
// Higher is sharper. Null on frames too flat to judge: luma standard
// deviation below kFlatLumaStd over the same pixels.
//
// The entry also outputs noise_sigma and laplacian_var_nc (definitions in
// metrics/noise.cc), which reuse the same Laplacian moments.
#include "metrics/laplacian_var.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "metrics/noise.h"

namespace acuity::metrics {
namespace {

// One pass of Laplacian moments serves laplacian_var and laplacian_var_nc;
// the noise blocks (metrics/noise.h) give noise_sigma. Sharing the moments
// saves a second Laplacian pass (~0.18 ms per 1080p frame).
class LaplacianVar final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    scale_ = info.scale;
    return Status::Ok();
  }
  void Process(const Frame& frame, FrameValues& out) override {
    const PlaneView& y = frame.y;
    const std::optional<double> lap =
        LaplacianVarFromMoments(kernels::ComputeLaplacianMoments(y), scale_);
    out.Set(0, lap);
    kernels::ComputeNoiseBlocks(y, NoiseRowStep(y), &blocks_);
    const std::optional<double> sigma =
        NoiseSigmaFromBlocks(blocks_, scale_, &keys_);
    out.Set(1, sigma);
    if (sigma && lap) {
      out.Set(2, std::max(0.0, *lap - kLaplacianNoiseGain * *sigma * *sigma));
    }
  }

 private:
  LumaScale scale_;
  std::vector<kernels::NoiseBlock> blocks_;  // reused: no allocation per frame
  std::vector<uint64_t> keys_;
};

// Population variance of integer samples from their sums, exactly:
// (n*sum_sq - sum^2) / n^2 with a 128-bit numerator.
double VarianceFromSums(int64_t n, __int128 sum, unsigned __int128 sum_sq) {
  const __int128 num = static_cast<__int128>(sum_sq) * n - sum * sum;
  const double nn = static_cast<double>(n);
  return static_cast<double>(num) / (nn * nn);
}

}  // namespace

std::optional<double> LaplacianVarFromMoments(
    const kernels::LaplacianMoments& m, const LumaScale& scale) {
  if (m.count <= 0) return std::nullopt;
  const double luma_var = VarianceFromSums(m.count, m.sum_px, m.sum_px_sq);
  if (std::sqrt(luma_var) * scale.gain < kFlatLumaStd) return std::nullopt;
  return VarianceFromSums(m.count, m.sum, m.sum_sq) * scale.gain * scale.gain;
}

MetricEntry LaplacianVarEntry() {
  return {"laplacian_var",
          {{"laplacian_var", "8-bit code values^2", "0..1040400",
            Direction::kHigherIsSharper,
            "variance of the 3x3 Laplacian of luma (OpenCV's "
            "Laplacian().var() recipe); null on flat frames"},
           {"noise_sigma", "8-bit code values", "0..~128", Direction::kNeutral,
            "noise standard deviation (Immerkaer 1996) over the flattest 10% "
            "of 16x16 blocks that do not touch black or white"},
           {"laplacian_var_nc", "8-bit code values^2", "0..1040400",
            Direction::kHigherIsSharper,
            "laplacian_var minus 20 noise_sigma^2 (the noise part), clamped "
            "at 0; null on flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new LaplacianVar()); }};
}

}  // namespace acuity::metrics
