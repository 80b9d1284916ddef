// laplacian_var_540p: laplacian_var at a fixed reference height, comparable
// across encode resolutions. Definition and limits are in resolution.cc and
// docs/metrics.md (effective_height is in effective_resolution.h).
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

MetricEntry LaplacianVar540pEntry();

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
