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
  // Box sums B(i, j): the 8x8 samples from (4i, 4j), i.e. 2x2 cells.
  const int bw = cells_w - 1, bh = cells_h - 1;
  if (bw < 3 || bh < 3) return std::nullopt;
  boxes->resize(static_cast<size_t>(bw) * bh);
  for (int j = 0; j < bh; ++j) {
    const uint32_t* c0 = cells.data() + static_cast<size_t>(j) * cells_w;
    const uint32_t* c1 = c0 + cells_w;
    uint32_t* b = boxes->data() + static_cast<size_t>(j) * bw;
    for (int i = 0; i < bw; ++i) b[i] = c0[i] + c0[i + 1] + c1[i] + c1[i + 1];
  }
  // Box sums are < 64 * 65536 = 2^22, so |L| < 2^25 and L^2 < 2^50; a row
  // of at most 2^12 boxes (planes up to 16384 wide) sums to < 2^62 in the
  // 64-bit row sums, and the 128-bit totals are exact for any plane.
  __int128 sum = 0;
  unsigned __int128 sum_sq = 0;
  int64_t n = 0;
  for (int j = 1; j + 1 < bh; ++j) {
    const uint32_t* up = boxes->data() + static_cast<size_t>(j - 1) * bw;
    const uint32_t* mid = up + bw;
    const uint32_t* down = mid + bw;
    int64_t row_sum = 0;
    uint64_t row_sq = 0;
    for (int i = 1; i + 1 < bw; ++i) {
      const int64_t l = int64_t{up[i]} + down[i] + mid[i - 1] + mid[i + 1] -
                        4 * int64_t{mid[i]};
      row_sum += l;
      row_sq += static_cast<uint64_t>(l * l);
    }
    sum += row_sum;
    sum_sq += row_sq;
    n += bw - 2;
  }
  // Box sums are 64 x the box means: the variance of means is / 64^2.
  return VarianceFromSums(n, sum, sum_sq) / 4096.0 * scale.gain * scale.gain;
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
