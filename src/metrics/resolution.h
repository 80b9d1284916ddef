// Resolution metrics: effective_height (how many lines of detail a frame
// really has) and laplacian_var_540p (laplacian_var at a fixed reference
// height, comparable across encode resolutions). Definitions, calibration
// and limits are in resolution.cc and docs/metrics.md.
#ifndef ACUITY_METRICS_RESOLUTION_H_
#define ACUITY_METRICS_RESOLUTION_H_

#include <cstdint>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "acuity/plane.h"

namespace acuity::metrics {

// Reference height of laplacian_var_540p, in lines.
inline constexpr int kReferenceHeight = 540;

MetricEntry EffectiveHeightEntry();
MetricEntry LaplacianVar540pEntry();

// Buffers of the effective_height estimator, reused across frames (no
// allocation per frame once sized). One per metric instance; not
// thread-safe.
struct SpectrumWorkspace {
  std::vector<int> columns;        // sampled x positions
  std::vector<float> window;       // Hann window of one segment
  std::vector<float> gain_window;  // window * LumaScale gain
  std::vector<int64_t> sums;       // per segment: sum of samples
  std::vector<uint64_t> sums_sq;   // per segment: sum of squares
  std::vector<double> power;       // mean power per DFT bin, 0..L/2
  std::vector<double> bands;       // whitened, smoothed band levels
  cv::Mat gathered;                // rows x columns as read (CV_32F)
  cv::Mat transposed;              // columns x rows
  cv::Mat segments;                // view of `transposed`: one segment per row
  cv::Mat spectra;                 // their DFTs (CCS packed)
};

// The vertical power spectrum behind effective_height: mean power per DFT
// bin of the Hann-windowed column segments, bins 0..L/2 (L = segment
// length), in full-range 8-bit units^2. Empty when the frame is too small
// or too flat to tell. Shared with tests and the calibration tool.
const std::vector<double>& VerticalPowerSpectrum(const PlaneView& y,
                                                 const LumaScale& scale,
                                                 SpectrumWorkspace* ws);

// Cutoff of such a spectrum as a fraction of Nyquist in (0, 1], or nullopt
// when no band above the lowest frequencies rises over the 8-bit
// quantisation floor (nothing to tell a cutoff from).
std::optional<double> CutoffFraction(const std::vector<double>& power,
                                     SpectrumWorkspace* ws);

// effective_height of one luma plane in lines (0..height), or nullopt.
std::optional<double> EffectiveHeight(const PlaneView& y,
                                      const LumaScale& scale,
                                      SpectrumWorkspace* ws);

// Buffers of laplacian_var_540p, reused across frames.
struct Resample540Workspace {
  cv::Mat stage;     // integer area pre-reduction (non-integer ratios >= 2)
  cv::Mat result;    // the plane at kReferenceHeight lines
  cv::Mat smoothed;  // its binomial 3x3 smoothing (CV_16U)
};

// The luma plane resampled to kReferenceHeight lines, aspect ratio kept
// (native code values, same depth). See resolution.cc for the filters.
// Throws cv::Exception on OpenCV failure. Shared with tests.
const cv::Mat& ResampleTo540(const PlaneView& y, Resample540Workspace* ws);

// laplacian_var_540p of one luma plane, or nullopt (flat after resampling,
// too small, or an OpenCV failure).
std::optional<double> LaplacianVar540p(const PlaneView& y,
                                       const LumaScale& scale,
                                       Resample540Workspace* ws);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_RESOLUTION_H_
