// The metric suite as a whole: every output that has a sharpness direction
// (higher is sharper / higher is blurrier, from the registry) must move the
// right way under known blur, through the real decode pipeline. New metrics
// join these checks by their registry direction alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "acuity/metric.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_suite_test {
namespace {

using test::Median;

const std::string kPhotos = "/usr/share/doc/opencv-doc/examples/data/";

// Keys of `m` whose direction says which way is sharper.
std::vector<std::string> SharpnessKeys(const test::Measured& m) {
  std::vector<std::string> keys;
  for (const std::string& k : m.keys) {
    if (MetricDirection(k) != Direction::kNeutral) keys.push_back(k);
  }
  return keys;
}

// `after` is blurrier than `before` by every sharpness key.
void ExpectBlurrier(const test::Measured& before, const test::Measured& after,
                    const std::string& what) {
  for (const std::string& k : SharpnessKeys(before)) {
    const double a = Median(before, k), b = Median(after, k);
    if (MetricDirection(k) == Direction::kHigherIsSharper) {
      EXPECT_LT(b, a) << what << ": " << k;
    } else {
      EXPECT_GT(b, a) << what << ": " << k;
    }
  }
}

TEST(MetricSuiteTest, BlurringRealPhotosLowersEverySharpnessMetric) {
  for (const std::string photo : {"building", "fruits", "baboon"}) {
    const std::string src = "-i " + kPhotos + photo + ".jpg -frames:v 1";
    const std::string sharp = test::Generated("suite_" + photo + ".png", src);
    const std::string blurred = test::Generated(
        "suite_" + photo + "_gblur2.png", src + " -vf gblur=sigma=2");
    ASSERT_FALSE(sharp.empty() || blurred.empty());
    const auto a = test::Measure(sharp, "default,cpbd,brisque");
    const auto b = test::Measure(blurred, "default,cpbd,brisque");
    ASSERT_TRUE(a && b);
    ASSERT_GE(SharpnessKeys(*a).size(), 10u);
    ExpectBlurrier(*a, *b, photo + " vs gblur 2");
  }
}

TEST(MetricSuiteTest, GaussianLadderMovesEverySharpnessMetricMonotonically) {
  // testsrc2 (edges, text, gradients), lossless H.264 4:2:0, sigma 0..4.
  // brisque is left out: testsrc2 is synthetic and BRISQUE clamps it to 100
  // (docs/metrics.md); the photo test above covers it.
  std::vector<test::Measured> ladder;
  for (int sigma = 0; sigma <= 4; ++sigma) {
    std::string vf = "format=yuv444p";
    if (sigma > 0) vf += ",gblur=sigma=" + std::to_string(sigma);
    const std::string clip = test::Generated(
        "suite_ladder_sigma" + std::to_string(sigma) + ".mp4",
        "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 3 -vf " + vf +
            ",format=yuv420p -c:v libx264 -qp 0 -preset ultrafast");
    ASSERT_FALSE(clip.empty());
    const auto m = test::Measure(clip, "default,cpbd");
    ASSERT_TRUE(m.has_value());
    ladder.push_back(*m);
  }
  for (size_t i = 1; i < ladder.size(); ++i) {
    ExpectBlurrier(
        ladder[i - 1], ladder[i],
        "sigma " + std::to_string(i - 1) + " -> " + std::to_string(i));
  }
}

}  // namespace
}  // namespace metrics_suite_test
}  // namespace acuity
