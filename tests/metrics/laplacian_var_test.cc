// laplacian_var and the luma metrics through the real Metric interface.
#include "metrics/laplacian_var.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "acuity/metric.h"
#include "metrics/frame_analysis.h"
#include "metrics/luma_stats.h"
#include "metrics/metric_test_util.h"

namespace acuity {
namespace metrics_laplacian_var_test {
namespace {

using test::Entry;

// The entry's first output (its name) on one luma plane.
std::optional<double> RunMetric(const std::string& name, const cv::Mat& img,
                                int bit_depth, ColorRange range) {
  return test::RunEntry(name, img, bit_depth, range)[0];
}

cv::Mat Textured(int w, int h, int seed) {
  cv::Mat img(h, w, CV_8U);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(img, img, cv::Size(0, 0), 1.0);
  return img;
}

double OpenCvLapVarInterior(const cv::Mat& img) {
  cv::Mat lap;
  cv::Laplacian(img, lap, CV_64F);
  cv::Scalar mean, sd;
  cv::meanStdDev(lap(cv::Rect(1, 1, img.cols - 2, img.rows - 2)), mean, sd);
  return sd[0] * sd[0];
}

TEST(LaplacianVarTest, EqualsOpenCvOnFullRange8Bit) {
  const cv::Mat img = Textured(641, 361, 1);
  const auto v = RunMetric("laplacian_var", img, 8, ColorRange::kFull);
  ASSERT_TRUE(v.has_value());
  EXPECT_NEAR(*v, OpenCvLapVarInterior(img), 1e-9 * *v);
}

TEST(LaplacianVarTest, LimitedRangeScalesTheStatistic) {
  const cv::Mat img = Textured(320, 180, 2);
  const double full = *RunMetric("laplacian_var", img, 8, ColorRange::kFull);
  const double limited =
      *RunMetric("laplacian_var", img, 8, ColorRange::kLimited);
  EXPECT_NEAR(limited, full * (255.0 / 219.0) * (255.0 / 219.0),
              1e-9 * limited);
}

TEST(LaplacianVarTest, TenBitIsScaledToEightBitUnits) {
  const cv::Mat img8 = Textured(200, 100, 3);
  cv::Mat img10;
  img8.convertTo(img10, CV_16U, 4.0);  // same picture, 10-bit code values
  const double v8 = *RunMetric("laplacian_var", img8, 8, ColorRange::kFull);
  const double v10 = *RunMetric("laplacian_var", img10, 10, ColorRange::kFull);
  EXPECT_NEAR(v10, v8, 1e-9 * v8);
}

TEST(LaplacianVarTest, FlatFramesAreNullNotZero) {
  cv::Mat flat(90, 160, CV_8U, cv::Scalar(128));
  EXPECT_FALSE(
      RunMetric("laplacian_var", flat, 8, ColorRange::kFull).has_value());
  // Faint noise below the flatness threshold is still undetermined...
  cv::Mat faint = flat.clone();
  for (int y = 0; y < faint.rows; y += 2) faint.at<uint8_t>(y, 5) = 129;
  EXPECT_FALSE(
      RunMetric("laplacian_var", faint, 8, ColorRange::kFull).has_value());
  // ...and a single visible edge is not.
  cv::Mat edge = flat.clone();
  edge(cv::Rect(80, 0, 80, 90)).setTo(200);
  const auto v = RunMetric("laplacian_var", edge, 8, ColorRange::kFull);
  ASSERT_TRUE(v.has_value());
  EXPECT_GT(*v, 0.0);
  // Too small to have an interior.
  cv::Mat tiny(2, 2, CV_8U, cv::Scalar(7));
  EXPECT_FALSE(
      RunMetric("laplacian_var", tiny, 8, ColorRange::kFull).has_value());
}

TEST(LaplacianVarTest, BlurLowersIt) {
  const cv::Mat sharp = Textured(320, 240, 4);
  double prev = *RunMetric("laplacian_var", sharp, 8, ColorRange::kFull);
  for (double sigma : {0.8, 1.6, 3.2}) {
    cv::Mat b;
    cv::GaussianBlur(sharp, b, cv::Size(0, 0), sigma);
    const double v = *RunMetric("laplacian_var", b, 8, ColorRange::kFull);
    EXPECT_LT(v, prev) << sigma;
    prev = v;
  }
}

TEST(LumaStatsTest, MeanAndContrastInFullRangeUnits) {
  // Limited range: 16 is black (0) and 235 is white (255).
  cv::Mat img(100, 100, CV_8U, cv::Scalar(16));
  img(cv::Rect(0, 50, 100, 50)).setTo(235);
  EXPECT_NEAR(*RunMetric("luma_mean", img, 8, ColorRange::kLimited), 127.5,
              1e-9);
  EXPECT_NEAR(*RunMetric("luma_contrast", img, 8, ColorRange::kLimited), 255.0,
              1e-9);
  EXPECT_NEAR(*RunMetric("luma_mean", img, 8, ColorRange::kFull),
              (16 + 235) / 2.0, 1e-9);
  cv::Mat flat(100, 100, CV_8U, cv::Scalar(90));
  EXPECT_NEAR(*RunMetric("luma_contrast", flat, 8, ColorRange::kFull), 0.0,
              1e-12);
}

TEST(LumaStatsTest, ContrastMatchesPercentilesOfTheSampledRows) {
  const cv::Mat img = Textured(333, 201, 5);
  std::vector<int> values;
  for (int y = 0; y < img.rows; y += metrics::kContrastRowStep) {
    for (int x = 0; x < img.cols; ++x) values.push_back(img.at<uint8_t>(y, x));
  }
  std::sort(values.begin(), values.end());
  auto nearest_rank = [&](double q) {
    const size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
    return values[std::max<size_t>(rank, 1) - 1];
  };
  EXPECT_DOUBLE_EQ(*RunMetric("luma_contrast", img, 8, ColorRange::kFull),
                   nearest_rank(0.95) - nearest_rank(0.05));
}

TEST(LumaStatsTest, SampledContrastIsCloseToTheWholeFrame) {
  // Natural-like content: smooth gradients, edges and texture at 1080p.
  cv::Mat img(1080, 1920, CV_8U);
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      img.at<uint8_t>(y, x) =
          static_cast<uint8_t>(40 + 150.0 * x / img.cols +
                               30 * std::sin(x * 0.05) * std::cos(y * 0.031));
    }
  }
  cv::Mat noise = Textured(1920, 1080, 6);
  cv::addWeighted(img, 0.8, noise, 0.2, 0, img);
  std::vector<int> all(img.begin<uint8_t>(), img.end<uint8_t>());
  std::sort(all.begin(), all.end());
  auto q = [&](double p) {
    return all[static_cast<size_t>(std::ceil(p * all.size())) - 1];
  };
  const double full = q(0.95) - q(0.05);
  EXPECT_NEAR(*RunMetric("luma_contrast", img, 8, ColorRange::kFull), full,
              1.0);
}

TEST(RegistryTest, SelectMetrics) {
  auto def = SelectMetrics("default");
  ASSERT_TRUE(def.ok());
  size_t defaults = 0;
  for (const MetricEntry& e : MetricRegistry()) defaults += e.in_default_set;
  EXPECT_EQ(def->size(), defaults);
  EXPECT_LT(def->size(), MetricRegistry().size());  // some are opt-in
  for (const MetricEntry* e : *def) EXPECT_TRUE(e->in_default_set) << e->name;
  auto all = SelectMetrics("all");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), MetricRegistry().size());
  // Any key of a group selects the group, once.
  auto group = SelectMetrics("halo_share,edge_width_px,si");
  ASSERT_TRUE(group.ok());
  ASSERT_EQ(group->size(), 2u);
  EXPECT_EQ((*group)[0]->name, "gradient_energy");
  EXPECT_EQ((*group)[1]->name, "edge_width_px");
  auto one = SelectMetrics("luma_mean, laplacian_var");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 2u);
  EXPECT_EQ((*one)[0]->name, "laplacian_var");  // registry order
  auto bad = SelectMetrics("laplacian_var,sharpness");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown metric 'sharpness'"),
            std::string::npos);
  EXPECT_FALSE(SelectMetrics("").ok());
}

TEST(RegistryTest, EveryOutputIsDocumented) {
  for (const MetricEntry& e : MetricRegistry()) {
    ASSERT_FALSE(e.outputs.empty()) << e.name;
    EXPECT_EQ(e.outputs[0].key, e.name);
    for (const MetricInfo& m : e.outputs) {
      EXPECT_FALSE(m.unit.empty()) << m.key;
      EXPECT_FALSE(m.range.empty()) << m.key;
      EXPECT_FALSE(m.help.empty()) << m.key;
      const std::string doc = ACUITY_SOURCE_DIR "/docs/metrics.md";
      std::ifstream in(doc);
      std::stringstream ss;
      ss << in.rdbuf();
      EXPECT_NE(ss.str().find("`" + m.key + "`"), std::string::npos)
          << m.key << " is not documented in docs/metrics.md";
    }
  }
}

}  // namespace
}  // namespace metrics_laplacian_var_test
}  // namespace acuity
