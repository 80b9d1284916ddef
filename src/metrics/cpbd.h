// cpbd: Cumulative Probability of Blur Detection (Narvekar & Karam, IEEE
// TIP 20(9), 2011), as computed by the authors' MATLAB release. See cpbd.cc
// for the definition and the choices that make it match MATLAB.
//
// The stages are exposed for the conformance tests, which compare each one
// with MATLAB's own intermediate maps. They take an 8-bit gray image
// (CV_8UC1, any step) and return CV_8UC1 maps of the same size.
#ifndef ACUITY_METRICS_CPBD_H_
#define ACUITY_METRICS_CPBD_H_

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>

#include "acuity/metric.h"
#include "kernels/cpbd.h"

namespace acuity::metrics {

MetricEntry CpbdEntry();

// Which derivative-of-Gaussian filter MATLAB's edge(I, 'canny') builds for
// sigma = sqrt(2). kCurrent (the default): 13 taps at -6..6 (extent
// ceil(4 sigma)); the MATLAB CPBD value of the conformance image comes from
// it. kLegacy16: 16 taps at -7.5..7.5 (length 8 ceil(sigma)), what older
// Image Processing Toolbox releases built; the conformance Canny map comes
// from it. Production uses kCurrent.
enum class CannyFilter { kCurrent, kLegacy16 };

// MATLAB edge(I, 'canny'): 1 on edge pixels, 0 elsewhere.
cv::Mat MatlabCanny(const cv::Mat& gray,
                    CannyFilter filter = CannyFilter::kCurrent);

// MATLAB edge(I, 'sobel', 2, 'vertical') with thinning: 1 on edge pixels.
cv::Mat MatlabSobelVertical(const cv::Mat& gray);

// Marziliano edge widths (CPBD_compute.m's marziliano_method) at the edge
// pixels of `sobel_edges` (nonzero = edge): 0 where there is no edge or the
// gradient is not horizontal, else the width in pixels (2..202).
cv::Mat MarzilianoWidths(const cv::Mat& gray, const cv::Mat& sobel_edges);

// The pooling stage: CPBD from an image, its Canny map (edge blocks) and its
// width map. nullopt when no edge block holds a measured width.
std::optional<double> CpbdFromMaps(const cv::Mat& gray, const cv::Mat& canny,
                                   const cv::Mat& widths);

// The whole metric on an 8-bit gray image.
std::optional<double> CpbdFromGray(const cv::Mat& gray);
// The same with given kernels (one SIMD target, or the reference twins), for
// tests and benchmarks: every choice returns the same value.
std::optional<double> CpbdFromGray(const cv::Mat& gray,
                                   const kernels::CpbdKernels& kernels);

class CpbdEngine;

// CpbdFromGray that keeps its buffers between calls (as the metric does),
// for benchmarks. Not thread-safe; one instance per thread.
class CpbdCalculator {
 public:
  // always_full_histogram: take the Canny thresholds from the full 64-bin
  // histogram every frame instead of the one-pass estimate (the same values,
  // slower; for tests).
  explicit CpbdCalculator(
      const kernels::CpbdKernels& kernels = kernels::CpbdKernelsBest(),
      bool always_full_histogram = false);
  ~CpbdCalculator();
  CpbdCalculator(const CpbdCalculator&) = delete;
  CpbdCalculator& operator=(const CpbdCalculator&) = delete;
  std::optional<double> FromGray(const cv::Mat& gray);

 private:
  std::unique_ptr<CpbdEngine> engine_;
};

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_CPBD_H_
