// laplacian_var_540p (this file). effective_height, the other resolution
// measure, lives in effective_resolution.cc since it became an edge-blur
// estimate.
//
// laplacian_var_540p: the variance of the 3x3 Laplacian [0 1 0; 1 -4 1;
// 0 1 0] (laplacian_var's operator; Pertuz et al. 2013, LAPV) of the luma
// plane resampled to kReferenceHeight = 540 lines, aspect ratio kept, and
// smoothed by the binomial [1 2 1]^T [1 2 1] / 16, so that 720p and 1080p
// encodes of the same content compare (plain laplacian_var scales with the
// pixel pitch: 2-3.5x between them on camera-like content).
//   Why the smoothing: a 720p pixel is a wider aperture than a 1080p pixel,
//   and the Laplacian weighs the top octave of the 540-line band, where the
//   two differ. Without it a 720p encode reads 0.59-0.66 of the 1080p
//   encode of the same sharp source (area resampling; 0.70-0.72 with the
//   linear path) and 0.77-0.83 on camera-soft sources; with it 0.87-0.92
//   (docs/metrics.md has the table). The price: values ~8x smaller than an
//   unsmoothed Laplacian variance at the same scale, so compare
//   laplacian_var_540p only with itself.
//   Resampling, on native code values (LumaScale applied to the statistic):
//   1080 lines, 8-bit, even width: exact 2x box average rounded as
//   cv::resize(INTER_AREA) rounds it, fused with the smoothing
//   (kernels::HalveAndSmooth8); other integer multiples of 540 whose width
//   the factor divides: cv::resize INTER_AREA (exact box); 540: none;
//   other heights above 540: INTER_AREA by the integer part of the ratio
//   when it divides the frame, then INTER_LINEAR for the rest (< 2x;
//   OpenCV's generic INTER_AREA costs ~2 ms per 720p frame and at ratios
//   below 2 a 2-tap linear blend low-passes comparably); below 540 lines:
//   INTER_LINEAR upscale (no overshoot, so no invented detail: a 360p encode
//   reads lower than a 1080p one of the same content, as it should).
//   Smoothed values stay exact integers (kernels/resolution.h).
// Unit: 8-bit code values^2. Range 0..65025 (the smoothed Laplacian's
// kernel has positive weights summing to 1, so |L| <= 255); higher is
// sharper. Border rule: pixels whose 5x5 neighbourhood lies in the
// resampled plane. Null when the smoothed plane is flat (laplacian_var's
// kFlatLumaStd rule), smaller than 5x5, or OpenCV fails.
#include "metrics/resolution.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "kernels/laplacian.h"
#include "kernels/resolution.h"
#include "metrics/cv_plane.h"
#include "metrics/frame_analysis.h"
#include "metrics/moments.h"

namespace acuity::metrics {
namespace {

// Widest plane laplacian_var_540p resamples to: 64:9 at 540 lines. An
// upscale multiplies the samples by (540 / height)^2, so an 8192x2 frame
// would become 2.2 M x 540 (2.4 GB); frames wider than 64:9 read null. With
// this bound the derived buffers (result, smoothed) hold at most
// max(3840 x 540, the frame's own samples) each.
constexpr int kMax540Width = 3840;

// Width of the plane at kReferenceHeight lines, aspect ratio kept; 0 when it
// would exceed kMax540Width (computed in double: no int overflow).
int TargetWidth(const PlaneView& y) {
  const double w =
      std::round(static_cast<double>(y.width) * kReferenceHeight / y.height);
  if (w > kMax540Width) return 0;
  return std::max(1, static_cast<int>(w));
}

class LaplacianVar540pMetric final : public Metric {
 public:
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    out.Set(0, LaplacianVar540p(frame.y, analysis.scale(), &ws_));
  }

 private:
  Resample540Workspace ws_;
};

}  // namespace

const cv::Mat& ResampleTo540(const PlaneView& y, Resample540Workspace* ws) {
  const int type = y.bit_depth > 8 ? CV_16UC1 : CV_8UC1;
  const cv::Mat src(y.height, y.width, type, const_cast<uint8_t*>(y.data),
                    static_cast<size_t>(y.stride));
  const int h = y.height, w = y.width;
  const cv::Size target(TargetWidth(y), kReferenceHeight);
  if (target.width == 0) {  // wider than 64:9: refused, not allocated
    ws->result.release();
    return ws->result;
  }
  if (h == kReferenceHeight) {
    ws->result = src;  // a header over the frame: valid during this call
    return ws->result;
  }
  if (h < kReferenceHeight) {
    cv::resize(src, ws->result, target, 0, 0, cv::INTER_LINEAR);
    return ws->result;
  }
  const int k = h / kReferenceHeight;  // integer part of the ratio, >= 1
  if (h % kReferenceHeight == 0 && w % k == 0 && w / k == target.width) {
    cv::resize(src, ws->result, target, 0, 0, cv::INTER_AREA);
    return ws->result;
  }
  if (k >= 2) {
    if (h % k == 0 && w % k == 0) {
      cv::resize(src, ws->stage, cv::Size(w / k, h / k), 0, 0, cv::INTER_AREA);
      cv::resize(ws->stage, ws->result, target, 0, 0, cv::INTER_LINEAR);
    } else {
      cv::resize(src, ws->result, target, 0, 0, cv::INTER_AREA);
    }
    return ws->result;
  }
  cv::resize(src, ws->result, target, 0, 0, cv::INTER_LINEAR);
  return ws->result;
}

std::optional<double> LaplacianVar540p(const PlaneView& y,
                                       const LumaScale& scale,
                                       Resample540Workspace* ws) {
  if (y.empty()) return std::nullopt;
  try {
    if (y.bit_depth <= 8 && y.height == 2 * kReferenceHeight &&
        y.width % 2 == 0 && y.width / 2 == TargetWidth(y) && y.width / 2 >= 5) {
      // 1080 lines, 8-bit: the exact 2x box and the smoothing in one pass
      // (identical to cv::resize + BinomialSmooth3x3, 60 us faster).
      ws->smoothed.create(kReferenceHeight - 2, y.width / 2 - 2, CV_16UC1);
      kernels::HalveAndSmooth8(y,
                               reinterpret_cast<uint16_t*>(ws->smoothed.data),
                               static_cast<ptrdiff_t>(ws->smoothed.step[0]));
    } else {
      const cv::Mat& m = ResampleTo540(y, ws);
      if (m.cols < 5 || m.rows < 5) return std::nullopt;
      const PlaneView resampled = PlaneOf(m, y.bit_depth);
      ws->smoothed.create(m.rows - 2, m.cols - 2, CV_16UC1);
      kernels::BinomialSmooth3x3(resampled,
                                 reinterpret_cast<uint16_t*>(ws->smoothed.data),
                                 static_cast<ptrdiff_t>(ws->smoothed.step[0]));
    }
    const PlaneView smoothed =
        PlaneOf(ws->smoothed, kernels::BinomialSmoothDepth(y.bit_depth));
    // 8-bit input is smoothed into exact sums (16x the weighted mean).
    LumaScale units = scale;
    if (y.bit_depth <= 8) units.gain /= 16.0;
    return LaplacianVarFromMoments(kernels::ComputeLaplacianMoments(smoothed),
                                   units);
  } catch (const cv::Exception&) {
    return std::nullopt;
  }
}

MetricEntry LaplacianVar540pEntry() {
  return {"laplacian_var_540p",
          {{"laplacian_var_540p", "8-bit code values^2", "0..65025",
            Direction::kHigherIsSharper,
            "Laplacian variance of luma resampled to 540 lines (area "
            "average) and binomial-smoothed: comparable across encode "
            "resolutions; null on flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new LaplacianVar540pMetric()); }};
}

}  // namespace acuity::metrics
