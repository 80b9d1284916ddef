// luma_rms_contrast: RMS contrast, the population standard deviation of
// every luma sample of the frame, in full-range 8-bit units (native values
// times LumaScale::gain). Range 0..127.5 (half black, half white; limited-
// range footroom/headroom can reach ~148). Higher = more contrast. A flat
// frame has RMS contrast 0, a true value (not undetermined), so it is
// reported as 0, never null; null only for an empty picture.
//
// clipped_share: share (0..1) of luma samples at or beyond the nominal black
// or white level: limited range <= 16 or >= 235 (times 2^(depth-8): 64 and
// 940 at 10 bits), full range 0 or 2^depth - 1. Higher = more clipped
// shadows/highlights (crushed blacks, blown whites). Null only for an empty
// picture. Both come from one exact pass (kernels/luma_moments.h) over
// every sample, no border rule. Neutral (descriptive), not sharpness.
#include "metrics/contrast.h"

#include <cmath>
#include <memory>

#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

class Contrast final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    levels_ = ClipLevelsFor(info.bit_depth, info.range);
    return Status::Ok();
  }
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    if (frame.y.empty()) return;
    const kernels::LumaMoments m =
        kernels::ComputeLumaMoments(frame.y, levels_.black, levels_.white);
    out.Set(0, RmsContrast(m, analysis.scale()));
    out.Set(1, static_cast<double>(m.count_low + m.count_high) /
                   static_cast<double>(m.count));
  }

 private:
  ClipLevels levels_;
};

}  // namespace

ClipLevels ClipLevelsFor(int bit_depth, ColorRange range) {
  if (range == ColorRange::kFull) return {0, (int32_t{1} << bit_depth) - 1};
  const int shift = bit_depth - 8;
  return {16 << shift, 235 << shift};
}

std::optional<double> RmsContrast(const kernels::LumaMoments& m,
                                  const LumaScale& scale) {
  if (m.count <= 0) return std::nullopt;
  // n^2 * variance, exact in 128 bits.
  const __int128 num =
      static_cast<__int128>(m.sum_sq) * m.count -
      static_cast<__int128>(m.sum) * static_cast<__int128>(m.sum);
  const double n = static_cast<double>(m.count);
  return std::sqrt(static_cast<double>(num)) / n * scale.gain;
}

MetricEntry ContrastEntry() {
  return {
      "luma_rms_contrast",
      {{"luma_rms_contrast", "8-bit code values", "0..127.5",
        Direction::kNeutral,
        "population standard deviation of luma (RMS contrast); higher "
        "is more contrast; 0 on a flat frame"},
       {"clipped_share", "share of luma samples", "0..1", Direction::kNeutral,
        "share of luma samples at or beyond nominal black or white "
        "(limited: <=16 or >=235); higher is more clipped"}},
      true,
      [] { return std::unique_ptr<Metric>(new Contrast()); }};
}

}  // namespace acuity::metrics
