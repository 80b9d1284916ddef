// OpenCV images for the kernel tests that compare a kernel with OpenCV's
// own filters (views over them: metrics::PlaneOf in metrics/cv_plane.h).
#ifndef ACUITY_TESTS_KERNELS_OPENCV_PLANES_H_
#define ACUITY_TESTS_KERNELS_OPENCV_PLANES_H_

#include <cstdint>
#include <opencv2/core.hpp>

namespace acuity::kernels::test {

// Uniform samples in [0, max].
inline cv::Mat RandomImage(int w, int h, int type, double max, uint64_t seed) {
  cv::Mat img(h, w, type);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, max + 1);
  return img;
}

}  // namespace acuity::kernels::test

#endif  // ACUITY_TESTS_KERNELS_OPENCV_PLANES_H_
