#ifndef ACUITY_METRICS_FACE_H_
#define ACUITY_METRICS_FACE_H_

#include <opencv2/core.hpp>

#include "acuity/metric.h"
#include "face/detector.h"

namespace acuity::metrics {

// Side of the square every face is resampled to before its sharpness is
// measured (luma samples), so that a close-up and a distant face compare.
inline constexpr int kFaceCanonicalSize = 128;
// Faces with a shorter side below this (luma samples) are counted but not
// measured: upscaling them 4x and more would measure the interpolator.
inline constexpr int kFaceMinMeasuredSide = 32;

// The confidence factor of the salience is n / (n + this) for a cascade
// box merged from n windows: 0.38 at the fewest a box can have (5), 0.6 at
// 12, 0.8 at 32 (a clear close-up has 20-60).
inline constexpr double kSalienceHalfNeighbours = 8.0;

// How much a viewer looks at a face with box `box` in a frame of that size
// (rule at the top of face.cc), 0..1. Shared with tests.
double FaceSalience(const cv::Rect& box, int frame_width, int frame_height,
                    face::FaceKind kind, double score);

// face_count, face_laplacian_var, face_edge_width_px, face_vs_frame (opt-in;
// definitions at the top of face.cc).
MetricEntry FaceEntry();

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_FACE_H_
