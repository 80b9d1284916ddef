// luma_rms_contrast and clipped_share through the Metric interface and the
// real decode pipeline.
#include "metrics/contrast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "metrics/frame_analysis.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_contrast_test {
namespace {

using test::Entry;
using test::Median;

const std::string kData = "/usr/share/doc/opencv-doc/examples/data/";

// Both outputs for a luma plane (CV_8U or CV_16U holding `bit_depth` bits):
// luma_rms_contrast, clipped_share.
std::vector<std::optional<double>> RunContrast(const cv::Mat& y, int bit_depth,
                                               ColorRange range) {
  return test::RunEntry("luma_rms_contrast", y, bit_depth, range);
}

// Left half `a`, right half `b`.
cv::Mat Halves(int type, double a, double b) {
  cv::Mat img(90, 161, type, cv::Scalar(a));
  img(cv::Rect(80, 0, 81, 90)).setTo(cv::Scalar(b));
  return img;
}

TEST(ContrastTest, EntryHasStableKeys) {
  const MetricEntry& e = Entry("luma_rms_contrast");
  ASSERT_EQ(e.outputs.size(), 2u);
  EXPECT_EQ(e.outputs[0].key, "luma_rms_contrast");
  EXPECT_EQ(e.outputs[1].key, "clipped_share");
  EXPECT_TRUE(e.in_default_set);
  for (const MetricInfo& o : e.outputs) {
    EXPECT_EQ(o.direction, Direction::kNeutral) << o.key;
  }
}

TEST(ContrastTest, ClipLevels) {
  EXPECT_EQ(metrics::ClipLevelsFor(8, ColorRange::kLimited).black, 16);
  EXPECT_EQ(metrics::ClipLevelsFor(8, ColorRange::kLimited).white, 235);
  EXPECT_EQ(metrics::ClipLevelsFor(10, ColorRange::kLimited).black, 64);
  EXPECT_EQ(metrics::ClipLevelsFor(10, ColorRange::kLimited).white, 940);
  EXPECT_EQ(metrics::ClipLevelsFor(8, ColorRange::kFull).white, 255);
  EXPECT_EQ(metrics::ClipLevelsFor(12, ColorRange::kFull).white, 4095);
  EXPECT_EQ(metrics::ClipLevelsFor(12, ColorRange::kFull).black, 0);
}

// Closed forms: black/white halves have RMS contrast (white - black) / 2 *
// (161 odd columns: 80 vs 81 samples, so the std is 127.5 * sqrt(1 -
// (1/161)^2)); all of them are at the nominal levels, so clipped_share = 1.
TEST(ContrastTest, BlackWhiteHalves) {
  const double want = 127.5 * std::sqrt(1.0 - 1.0 / (161.0 * 161.0));
  struct Case {
    int type, depth;
    ColorRange range;
    double black, white;
  };
  for (const Case c : {Case{CV_8U, 8, ColorRange::kFull, 0, 255},
                       Case{CV_8U, 8, ColorRange::kLimited, 16, 235},
                       Case{CV_16U, 10, ColorRange::kLimited, 64, 940},
                       Case{CV_16U, 10, ColorRange::kFull, 0, 1023}}) {
    const auto out =
        RunContrast(Halves(c.type, c.black, c.white), c.depth, c.range);
    ASSERT_TRUE(out[0] && out[1]);
    // 10-bit full range: 1023 maps to 255.75 (LumaScale's one rule).
    const double scale = c.white == 1023 ? 1023.0 / 1020.0 : 1.0;
    EXPECT_NEAR(*out[0], want * scale, 1e-9) << c.depth << " " << c.white;
    EXPECT_EQ(*out[1], 1.0);
  }
  // One code value inside the nominal range on both sides: nothing clipped.
  const auto in = RunContrast(Halves(CV_8U, 17, 234), 8, ColorRange::kLimited);
  EXPECT_EQ(in[1].value_or(-1), 0.0);
  EXPECT_NEAR(in[0].value_or(-1),
              108.5 * 255.0 / 219.0 * std::sqrt(1.0 - 1.0 / (161.0 * 161.0)),
              1e-9);
}

// RMS contrast of a flat frame is a true 0, not undetermined.
TEST(ContrastTest, FlatFrameIsZeroNotNull) {
  const cv::Mat flat(90, 160, CV_8U, cv::Scalar(128));
  const auto out = RunContrast(flat, 8, ColorRange::kLimited);
  ASSERT_TRUE(out[0] && out[1]);
  EXPECT_EQ(*out[0], 0.0);
  EXPECT_EQ(*out[1], 0.0);
  const auto black =
      RunContrast(cv::Mat(90, 160, CV_8U, cv::Scalar(0)), 8, ColorRange::kFull);
  EXPECT_EQ(black[0].value_or(-1), 0.0);
  EXPECT_EQ(black[1].value_or(-1), 1.0);
}

// Equals OpenCV's meanStdDev (population std) on a real photo.
TEST(ContrastTest, MatchesOpenCvStdDev) {
  cv::Mat bgr = cv::imread(kData + "building.jpg", cv::IMREAD_COLOR);
  ASSERT_FALSE(bgr.empty());
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  cv::Scalar mean, sd;
  cv::meanStdDev(gray, mean, sd);
  const auto out = RunContrast(gray, 8, ColorRange::kFull);
  ASSERT_TRUE(out[0].has_value());
  EXPECT_NEAR(*out[0], sd[0], 1e-9 * sd[0]);
  const double clipped =
      (cv::countNonZero(gray == 0) + cv::countNonZero(gray == 255)) /
      static_cast<double>(gray.total());
  EXPECT_NEAR(out[1].value_or(-1), clipped, 1e-12);
}

// eq=contrast=c scales luma around mid grey: RMS contrast grows with c
// (about linearly until clipping), clipped_share rises once highlights and
// shadows are pushed past the nominal levels. luma_contrast (p95 - p5) is
// reported alongside.
TEST(ContrastTest, EqContrastLadder) {
  std::vector<double> rms, clipped, p5p95;
  for (const char* c : {"0.25", "0.5", "0.75", "1.0", "1.25"}) {
    const std::string path =
        test::Generated(std::string("contrast_eq_fruits_") + c + ".mkv",
                        "-i " + kData + "fruits.jpg -vf eq=contrast=" + c +
                            ",format=yuv420p -frames:v 1 -c:v ffv1");
    ASSERT_FALSE(path.empty());
    const auto m = test::Measure(path, "luma_rms_contrast,luma_contrast");
    ASSERT_TRUE(m.has_value());
    rms.push_back(Median(*m, "luma_rms_contrast"));
    clipped.push_back(Median(*m, "clipped_share"));
    p5p95.push_back(Median(*m, "luma_contrast"));
    std::printf(
        "eq=contrast=%s: luma_rms_contrast %.2f clipped_share %.4f "
        "luma_contrast %.2f\n",
        c, rms.back(), clipped.back(), p5p95.back());
  }
  for (size_t i = 1; i < rms.size(); ++i) {
    EXPECT_GT(rms[i], rms[i - 1] * 1.15) << i;
    EXPECT_GE(clipped[i], clipped[i - 1]) << i;
    EXPECT_GT(p5p95[i], p5p95[i - 1]) << i;
  }
  // Up to 1.0 RMS contrast is proportional to c (no clipping yet).
  EXPECT_NEAR(rms[0] / rms[3], 0.25, 0.01);
  EXPECT_NEAR(rms[1] / rms[3], 0.5, 0.01);
  EXPECT_LT(clipped[0], 0.001);
  EXPECT_GT(clipped[4], clipped[3] + 0.05);
}

// The same picture at 8 and 10 bits (lossless) reads the same in 8-bit units.
TEST(ContrastTest, TenBitMatchesEightBit) {
  std::vector<double> rms, clipped;
  for (const char* fmt : {"yuv420p", "yuv420p10le"}) {
    const std::string path = test::Generated(
        std::string("contrast_building_") + fmt + ".mkv",
        "-i " + kData + "building.jpg -vf scale=out_range=tv,format=" + fmt +
            " -frames:v 1 -c:v ffv1");
    ASSERT_FALSE(path.empty());
    const auto m = test::Measure(path, "luma_rms_contrast");
    ASSERT_TRUE(m.has_value());
    rms.push_back(Median(*m, "luma_rms_contrast"));
    clipped.push_back(Median(*m, "clipped_share"));
  }
  std::printf("8 vs 10 bit: rms %.3f / %.3f, clipped %.4f / %.4f\n", rms[0],
              rms[1], clipped[0], clipped[1]);
  EXPECT_NEAR(rms[0], rms[1], 0.005 * rms[0]);
  EXPECT_NEAR(clipped[0], clipped[1], 0.01);
}

}  // namespace
}  // namespace metrics_contrast_test
}  // namespace acuity
