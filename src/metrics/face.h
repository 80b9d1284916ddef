#ifndef ACUITY_METRICS_FACE_H_
#define ACUITY_METRICS_FACE_H_

#include "acuity/metric.h"

namespace acuity::metrics {

// Side of the square every face is resampled to before its sharpness is
// measured (luma samples), so that a close-up and a distant face compare.
inline constexpr int kFaceCanonicalSize = 128;
// Faces with a shorter side below this (luma samples) are counted but not
// measured: upscaling them 4x and more would measure the interpolator.
inline constexpr int kFaceMinMeasuredSide = 32;

// face_count, face_laplacian_var, face_edge_width_px, face_vs_frame (opt-in;
// definitions at the top of face.cc).
MetricEntry FaceEntry();

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_FACE_H_
