// Helpers shared by the metric tests: finding a registry entry by any of its
// keys, viewing an OpenCV matrix as a plane, running an entry on one luma
// plane, and reading a summary median.
#ifndef ACUITY_TESTS_METRICS_METRIC_TEST_UTIL_H_
#define ACUITY_TESTS_METRICS_METRIC_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "metrics/cv_plane.h"
#include "metrics/frame_analysis.h"
#include "test_util.h"

namespace acuity::test {

// The registry entry that computes output `key` (an entry's name is its
// first key), and the key's slot in it. Fails the test if there is none.
inline const MetricEntry& Entry(const std::string& key,
                                size_t* slot = nullptr) {
  for (const MetricEntry& e : MetricRegistry()) {
    for (size_t i = 0; i < e.outputs.size(); ++i) {
      if (e.outputs[i].key != key) continue;
      if (slot != nullptr) *slot = i;
      return e;
    }
  }
  ADD_FAILURE() << "no metric computes " << key;
  return MetricRegistry().front();
}

// A plane over a CV_8U or CV_16U matrix holding `bit_depth`-bit samples.
inline PlaneView View(const cv::Mat& m, int bit_depth = 8) {
  return metrics::PlaneOf(m, bit_depth);
}

// All outputs of the entry computing `key` on a luma-only frame, starting
// with `key` and going on in slot order (noise_sigma gives [noise_sigma,
// laplacian_var_nc, laplacian_var]).
inline std::vector<std::optional<double>> RunEntry(const std::string& key,
                                                   const cv::Mat& img,
                                                   int bit_depth,
                                                   ColorRange range) {
  size_t slot = 0;
  const MetricEntry& entry = Entry(key, &slot);
  auto m = entry.create();
  StreamInfo info;
  info.width = img.cols;
  info.height = img.rows;
  info.bit_depth = bit_depth;
  info.has_chroma = false;
  info.range = range;
  info.scale = LumaScale::For(bit_depth, range);
  EXPECT_TRUE(m->Init(info).ok());
  Frame f;
  f.y = View(img, bit_depth);
  FrameValues out(entry.outputs.size());
  ProcessFrame(*m, f, info.scale, out);
  std::vector<std::optional<double>> v = out.values();
  std::rotate(v.begin(), v.begin() + slot, v.end());
  return v;
}

// Median of output `key` over a measured file; fails the test when null.
inline double Median(const Measured& m, const std::string& key) {
  const auto& s = m.Of(key);
  EXPECT_TRUE(s.median.has_value()) << key << " has no value";
  return s.median.value_or(-1.0);
}

}  // namespace acuity::test

#endif  // ACUITY_TESTS_METRICS_METRIC_TEST_UTIL_H_
