// blockiness through the Metric interface and the real decoder: rises with
// the MPEG-2 and MJPEG quantiser, stays low on clean, blurred and grainy
// content, null on flat and tiny frames.
#include "metrics/blockiness.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "metrics/degraded_clips.h"
#include "metrics/metric_test_util.h"

namespace acuity {
namespace metrics_blockiness_test {
namespace {

using test::Coding;
using test::Content;
using test::DegradedClip;
using test::RunEntry;

double Blockiness(const std::string& path) {
  EXPECT_FALSE(path.empty());
  const auto m = test::Measure(path, "blockiness");
  EXPECT_TRUE(m.has_value());
  return m ? test::Median(*m, "blockiness") : -1.0;
}

TEST(BlockinessTest, Info) {
  size_t slot = 0;
  const MetricEntry& e = test::Entry("blockiness", &slot);
  EXPECT_EQ(slot, 0u);
  EXPECT_TRUE(e.in_default_set);
  EXPECT_EQ(e.outputs[0].unit, "ratio");
}

// Quantiser ladders q 2/8/16/31 of both codecs on a blurred test pattern
// and a sharp photo: strictly rising.
TEST(BlockinessTest, RisesWithTheQuantiser) {
  for (Content content : {Content::kTestsrc2, Content::kBaboon}) {
    for (Coding coding : {Coding::kMpeg2, Coding::kMjpeg}) {
      for (int blur : {content == Content::kTestsrc2 ? 2 : 0}) {
        std::vector<double> v;
        for (int q : {2, 8, 16, 31}) {
          v.push_back(Blockiness(DegradedClip(content, blur, 0, coding, q)));
        }
        std::printf(
            "[ blockiness %s %s blur %d ] q2 %.2f q8 %.2f q16 %.2f "
            "q31 %.2f\n",
            test::ContentName(content).c_str(),
            coding == Coding::kMpeg2 ? "mpeg2" : "mjpeg", blur, v[0], v[1],
            v[2], v[3]);
        for (size_t i = 1; i < v.size(); ++i) {
          EXPECT_GT(v[i], v[i - 1]) << test::ContentName(content) << " q step "
                                    << i << " blur " << blur;
        }
        EXPECT_GT(v.back(), 0.5) << test::ContentName(content);
      }
    }
  }
}

// Clean, blurred and grainy pictures carry no grid: the photo reads ~0.
// testsrc2 draws its pattern on an 8-pixel grid of its own (a documented
// limit), so it reads higher but still below coarse blocking.
TEST(BlockinessTest, LowOnCleanBlurredAndGrainyContent) {
  for (int blur : {0, 2}) {
    for (int grain : {0, 20}) {
      const double photo = Blockiness(
          DegradedClip(Content::kBaboon, blur, grain, Coding::kClean));
      const double pattern = Blockiness(
          DegradedClip(Content::kTestsrc2, blur, grain, Coding::kClean));
      std::printf(
          "[ blockiness clean ] blur %d grain %d: baboon %.3f "
          "testsrc2 %.3f\n",
          blur, grain, photo, pattern);
      EXPECT_LT(photo, 0.1);
      EXPECT_LT(pattern, 0.45);
    }
  }
  EXPECT_LT(
      Blockiness(DegradedClip(Content::kTestsrc2, 0, 0, Coding::kClean)),
      Blockiness(DegradedClip(Content::kTestsrc2, 0, 0, Coding::kMjpeg, 31)));
}

TEST(BlockinessTest, SyntheticBlocksAndNullRules) {
  // Flat 8x8 blocks of alternating levels on a smooth ramp: strong.
  cv::Mat blocks(64, 96, CV_8U);
  for (int y = 0; y < blocks.rows; ++y) {
    for (int x = 0; x < blocks.cols; ++x) {
      blocks.at<uint8_t>(y, x) =
          static_cast<uint8_t>(100 + ((x / 8 + y / 8) % 2) * 6 + x / 16);
    }
  }
  const auto b = RunEntry("blockiness", blocks, 8, ColorRange::kFull)[0];
  ASSERT_TRUE(b.has_value());
  EXPECT_GT(*b, 1.0);
  // The same steps shifted off the grid by 4 samples read lower.
  cv::Mat shifted;
  cv::copyMakeBorder(blocks, shifted, 4, 0, 4, 0, cv::BORDER_REPLICATE);
  const auto s = RunEntry("blockiness", shifted, 8, ColorRange::kFull)[0];
  ASSERT_TRUE(s.has_value());
  EXPECT_LT(*s, 0.2 * *b);
  // Flat grey: null. Under 16x16: null. Never NaN.
  const cv::Mat grey(64, 64, CV_8U, cv::Scalar(128));
  EXPECT_FALSE(RunEntry("blockiness", grey, 8, ColorRange::kFull)[0]);
  const cv::Mat tiny = blocks(cv::Rect(0, 0, 15, 40)).clone();
  EXPECT_FALSE(RunEntry("blockiness", tiny, 8, ColorRange::kFull)[0]);
  // 10-bit: the same picture x 4 reads the same.
  cv::Mat blocks10;
  blocks.convertTo(blocks10, CV_16U, 4.0);
  const auto b10 = RunEntry("blockiness", blocks10, 10, ColorRange::kFull)[0];
  ASSERT_TRUE(b10.has_value());
  EXPECT_NEAR(*b10, *b, 1e-9);
}

}  // namespace
}  // namespace metrics_blockiness_test
}  // namespace acuity
