// FrameAnalysis: each shared product equals what its metrics computed on
// their own (the same kernel on the same plane), products are recomputed
// for every new frame, reading an unprepared product aborts, and every
// registry entry runs through the pipeline's FrameAnalysis with only the
// products it declares (a missing declaration would abort).
#include "metrics/frame_analysis.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "acuity/metric.h"
#include "metrics/metric_test_util.h"
#include "metrics/noise.h"

namespace acuity {
namespace metrics_frame_analysis_test {
namespace {

using test::View;

cv::Mat Noisy(int seed, double sigma) {
  cv::Mat img(180, 320, CV_8U);
  cv::randu(img, 40, 200);
  cv::GaussianBlur(img, img, cv::Size(0, 0), 3.0);
  cv::Mat noise(img.size(), CV_16S);
  cv::setRNGSeed(seed);
  cv::randn(noise, 0, sigma);
  cv::Mat out;
  cv::add(img, noise, out, cv::noArray(), CV_8U);
  return out;
}

TEST(FrameAnalysisTest, ProductsEqualTheKernelsRunDirectly) {
  const cv::Mat img = Noisy(1, 4.0);
  Frame f;
  f.y = View(img);
  const LumaScale scale = LumaScale::For(8, ColorRange::kLimited);
  FrameAnalysis a;
  a.Begin(f, scale);
  a.Prepare(kNeedAll);
  std::vector<kernels::NoiseBlock> blocks;
  std::vector<uint64_t> keys;
  kernels::ComputeNoiseBlocks(f.y, metrics::NoiseRowStep(f.y), &blocks);
  const std::optional<double> sigma = metrics::NoiseSigmaFromBlocks(
      f.y, metrics::NoiseRowStep(f.y), blocks, scale, &keys);
  ASSERT_TRUE(sigma.has_value());
  EXPECT_EQ(a.noise_sigma(), sigma);
  EXPECT_GT(*sigma, 2.0);  // the added grain is seen
  EXPECT_EQ(a.laplacian_moments(), kernels::ComputeLaplacianMoments(f.y));
}

TEST(FrameAnalysisTest, NewFrameForgetsTheLastFramesProducts) {
  const cv::Mat clean = Noisy(2, 0.0), grainy = Noisy(3, 8.0);
  const LumaScale scale = LumaScale::For(8, ColorRange::kFull);
  FrameAnalysis a;
  Frame f;
  f.y = View(clean);
  a.Begin(f, scale);
  a.Prepare(kNeedNoise);
  EXPECT_TRUE(a.Has(kNeedNoise));
  EXPECT_FALSE(a.Has(kNeedLaplacianMoments));
  const std::optional<double> clean_sigma = a.noise_sigma();
  f.y = View(grainy);
  a.Begin(f, scale);
  EXPECT_FALSE(a.Has(kNeedNoise));
  a.Prepare(kNeedNoise | kNeedLaplacianMoments);
  ASSERT_TRUE(clean_sigma && a.noise_sigma());
  EXPECT_GT(*a.noise_sigma(), *clean_sigma + 4.0);
  EXPECT_EQ(a.laplacian_moments(), kernels::ComputeLaplacianMoments(f.y));
}

TEST(FrameAnalysisDeathTest, ReadingAnUnpreparedProductAborts) {
  const cv::Mat img = Noisy(4, 1.0);
  Frame f;
  f.y = View(img);
  FrameAnalysis a;
  a.Begin(f, LumaScale{});
  a.Prepare(kNeedLaplacianMoments);
  EXPECT_DEATH((void)a.noise_sigma(), "noise_sigma read but not prepared");
}

TEST(FrameAnalysisTest, EveryEntryRunsOnItsDeclaredProductsAlone) {
  // Each entry gets a FrameAnalysis with exactly its needs: an entry that
  // reads a product it does not declare aborts here. Values must also
  // equal a run with every product prepared.
  const cv::Mat img = Noisy(5, 2.0);
  Frame f;
  f.y = View(img);
  StreamInfo info;
  info.width = img.cols;
  info.height = img.rows;
  info.has_chroma = false;
  info.range = ColorRange::kFull;
  info.scale = LumaScale::For(8, ColorRange::kFull);
  for (const MetricEntry& e : MetricRegistry()) {
    std::vector<std::optional<double>> results[2];
    for (int k = 0; k < 2; ++k) {
      auto m = e.create();
      ASSERT_TRUE(m->Configure(MetricOptions{}).ok()) << e.name;
      ASSERT_TRUE(m->Init(info).ok()) << e.name;
      FrameValues out(e.outputs.size());
      ProcessFrame(*m, f, info.scale, out, k == 0 ? e.needs : kNeedAll);
      results[k] = out.values();
    }
    EXPECT_EQ(results[0], results[1]) << e.name;
  }
}

}  // namespace
}  // namespace metrics_frame_analysis_test
}  // namespace acuity
