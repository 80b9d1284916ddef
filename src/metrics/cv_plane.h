// A PlaneView over an OpenCV matrix, for metrics that resample or crop with
// OpenCV and then run a kernel on the result (internal; kernels never see
// OpenCV types).
#ifndef ACUITY_METRICS_CV_PLANE_H_
#define ACUITY_METRICS_CV_PLANE_H_

#include <opencv2/core.hpp>

#include "acuity/plane.h"

namespace acuity::metrics {

// `m` is CV_8UC1 (bit_depth 8) or CV_16UC1 holding `bit_depth`-bit samples;
// the view is valid while `m` keeps its buffer.
inline PlaneView PlaneOf(const cv::Mat& m, int bit_depth) {
  PlaneView v;
  v.data = m.data;
  v.stride = static_cast<ptrdiff_t>(m.step[0]);
  v.width = m.cols;
  v.height = m.rows;
  v.bit_depth = bit_depth;
  return v;
}

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_CV_PLANE_H_
