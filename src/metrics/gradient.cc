// gradient_energy: Tenengrad, the mean of Gx^2 + Gy^2 of the 3x3 Sobel
// operator on luma (TENG in Pertuz et al., "Analysis of focus measure
// operators for shape-from-focus", Pattern Recognition 46, 2013). Equals
// cv::Sobel(luma, dx, CV_64F, 1, 0) and (0, 1) followed by the mean of
// dx^2 + dy^2 over the interior pixels (the border rule of kernels/sobel.h),
// exactly: the sum is an integer. Unit: squared full-range 8-bit code
// values (>8-bit input divided by 2^(depth-8), limited range scaled by
// (255/219)^2). Range 0..2080800 for 8-bit full range (2 * 1020^2).
// Higher is sharper.
//
// si: spatial information (SI) of ITU-T Rec. P.910 (04/2008): the
// standard deviation over the frame of the Sobel magnitude
// sqrt(Gx^2 + Gy^2), in full-range 8-bit code values. FFmpeg's `siti`
// filter computes the same thing (same Sobel kernels, interior pixels only,
// limited range expanded to full range, population standard deviation) and
// is the test oracle. Here the magnitude is taken on a lattice of one
// interior pixel in four (kernels::kMagnitudePhase) and quantised to 1/16
// of a code value (|error| <= 1/32 per pixel, so the standard deviation is
// within 1/32 of that of the exact magnitudes); the lattice value is within
// 0.5% of the full-frame one (tests/kernels/sobel_test.cc). Range 0..~721.
// Higher is sharper / more detail.
//
// Null: planes smaller than 3x3, and flat frames (luma standard deviation
// over the interior below kFlatLumaStd, as laplacian_var): the SI of a flat
// frame is ~0, which as a sharpness value would read "maximally blurry"
// where the truth is "nothing to judge", so it is null like the other
// sharpness outputs (FFmpeg's siti reports the small number).
#include "metrics/gradient.h"

#include <cmath>
#include <memory>

#include "metrics/frame_analysis.h"
#include "metrics/moments.h"

namespace acuity::metrics {
namespace {

// Population variance of integer samples from their sums, exactly:
// (n*sum_sq - sum^2) / n^2 with a 128-bit numerator.
class GradientEnergy final : public Metric {
 public:
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const GradientValues v = GradientFromMoments(
        analysis.sobel_moments(), frame.y.bit_depth, analysis.scale());
    out.Set(0, v.gradient_energy);
    out.Set(1, v.si);
  }
};

}  // namespace

GradientValues GradientFromMoments(const kernels::SobelMoments& m,
                                   int bit_depth, const LumaScale& scale) {
  GradientValues v;
  if (m.count <= 0 || m.mag_count <= 0) return v;
  if (TooFlat(m.count, m.sum_px, m.sum_px_sq, scale)) return v;
  v.gradient_energy = static_cast<double>(m.sum_g2) /
                      static_cast<double>(m.count) * scale.gain * scale.gain;
  // q is in units of 2^(bit_depth - 8 - kMagnitudeFracBits) code values.
  const double unit =
      std::ldexp(1.0, bit_depth - 8 - kernels::kMagnitudeFracBits);
  v.si = std::sqrt(VarianceFromSums(m.mag_count, m.sum_mag, m.sum_mag_sq)) *
         unit * scale.gain;
  return v;
}

MetricEntry GradientEnergyEntry() {
  return {"gradient_energy",
          {{"gradient_energy", "8-bit code values^2", "0..2080800",
            Direction::kHigherIsSharper,
            "Tenengrad: mean of Gx^2+Gy^2 of the 3x3 Sobel on luma; null on "
            "flat frames"},
           {"si", "8-bit code values", "0..721", Direction::kHigherIsSharper,
            "ITU-T P.910 spatial information: std of the Sobel magnitude "
            "(FFmpeg siti); null on flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new GradientEnergy()); },
          false,
          false,
          kNeedSobelMoments};
}

}  // namespace acuity::metrics
