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
// metrics/noise.cc); noise_sigma is taken from the noise blocks and
// laplacian_var_nc from the coarse plane of kernels/block.h.
#include "metrics/laplacian_var.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/block.h"
#include "metrics/frame_analysis.h"
#include "metrics/moments.h"
#include "metrics/noise.h"

namespace acuity::metrics {
namespace {

// The whole-frame Laplacian moments and the noise estimate come from the
// frame's FrameAnalysis (shared with effective_height, detail_scale_px and
// face_count); laplacian_var_nc's coarse plane is this entry's own.
class LaplacianVar final : public Metric {
 public:
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& y = frame.y;
    const std::optional<double> lap =
        LaplacianVarFromMoments(analysis.laplacian_moments(), analysis.scale());
    out.Set(0, lap);
    const std::optional<double> sigma = analysis.noise_sigma();
    out.Set(1, sigma);
    if (sigma && lap) {
      kernels::ComputeBlockSums4(y, &cells_);
      const std::optional<double> coarse = CoarseLaplacianVar(
          cells_, y.width / 4, y.height / 4, analysis.scale(), &boxes_);
      if (coarse) out.Set(2, LaplacianVarNc(*coarse, *sigma));
    }
  }

 private:
  std::vector<uint32_t> cells_;  // 4x4 block sums, reused
  std::vector<uint32_t> boxes_;  // 8x8 box sums at stride 4, reused
};

}  // namespace

double LaplacianVarNc(double coarse, double noise_sigma) {
  return std::max(coarse - kCoarseNoiseGain * noise_sigma * noise_sigma,
                  (1.0 - kMaxNoiseShare) * coarse);
}

std::optional<double> CoarseLaplacianVar(const std::vector<uint32_t>& cells,
                                         int cells_w, int cells_h,
                                         const LumaScale& scale,
                                         std::vector<uint32_t>* boxes) {
  // Box sums B(i, j): the 8x8 samples from (4i, 4j), i.e. 2x2 cells, and
  // the exact sums of their Laplacian (kernels/block.h).
  if (cells_w - 1 < 3 || cells_h - 1 < 3) return std::nullopt;
  const kernels::CoarseLaplacianSums l = kernels::ComputeCoarseLaplacianSums(
      cells.data(), cells_w, cells_h, boxes);
  // Box sums are 64 x the box means: the variance of means is / 64^2.
  return VarianceFromSums(l.count, l.sum, l.sum_sq) / 4096.0 * scale.gain *
         scale.gain;
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
           {"laplacian_var_nc", "8-bit code values^2", "0..4161600",
            Direction::kHigherIsSharper,
            "detail that grain and coding blocks cannot fake: variance of "
            "the Laplacian of 8x8 box means taken every 4 samples (detail of "
            "~8-16 px), minus its noise part (0.094 noise_sigma^2); null on "
            "flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new LaplacianVar()); },
          false,
          false,
          kNeedNoise | kNeedLaplacianMoments};
}

}  // namespace acuity::metrics
