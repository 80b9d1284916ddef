// FrameAnalysis: each shared product equals what its metrics computed on
// their own (the same kernel on the same plane), products are recomputed
// for every new frame, reading an unprepared product aborts, and every
// registry entry runs through the pipeline's FrameAnalysis with only the
// products it declares (a missing declaration would abort).
#include "metrics/frame_analysis.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "kernels/kernel_harness.h"
#include "kernels/owned_plane.h"
#include "kernels/tile_moments.h"
#include "metrics/detail.h"
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

// The 3x3 products, alone or fused (any two of them, or the tiles), equal
// the whole-plane kernels and the reference tiles on detail_scale_px's
// grid: on 1080p (the fused SIMD path), 320x180 (tiles narrower than a
// vector: composed), odd sizes, 10-bit and planes without interior.
TEST(FrameAnalysisTest, FusedAndSeparate3x3ProductsAreTheSame) {
  const unsigned k3x3[] = {kNeedLaplacianMoments,
                           kNeedSobelMoments,
                           kNeedDetailTiles,
                           kNeedLaplacianMoments | kNeedSobelMoments,
                           kNeedLaplacianMoments | kNeedDetailTiles,
                           kNeedSobelMoments | kNeedDetailTiles,
                           kNeedAll};
  struct Shape {
    int w, h, depth;
  };
  for (const Shape& s :
       {Shape{1920, 1080, 8}, Shape{320, 180, 8}, Shape{1283, 721, 8},
        Shape{1283, 721, 10}, Shape{5, 4, 8}, Shape{2, 9, 8}}) {
    const kernels::test::OwnedPlane p =
        kernels::test::MakePlane(s.w, s.h, s.depth, 7,
                                 kernels::test::NamedPattern("ramp_noise")
                                     .make(kernels::test::MaxValue(s.depth)),
                                 9);
    Frame f;
    f.y = p.view;
    int cols = 0, rows = 0;
    metrics::DetailGrid(s.w, s.h, &cols, &rows);
    std::vector<kernels::TileMoments> tiles;
    kernels::MagnitudeSums mag;
    kernels::ComputeTileMomentsReference(f.y, cols, rows, &tiles, &mag);
    for (unsigned needs : k3x3) {
      FrameAnalysis a;
      a.Begin(f, LumaScale::For(s.depth, ColorRange::kLimited));
      a.Prepare(needs);
      const std::string what = std::to_string(s.w) + "x" + std::to_string(s.h) +
                               " depth " + std::to_string(s.depth) + " needs " +
                               std::to_string(needs);
      if (needs & kNeedLaplacianMoments) {
        EXPECT_EQ(a.laplacian_moments(),
                  kernels::ComputeLaplacianMomentsReference(f.y))
            << what;
      }
      if (needs & kNeedSobelMoments) {
        EXPECT_EQ(a.sobel_moments(), kernels::ComputeSobelMomentsReference(f.y))
            << what;
      }
      if (needs & kNeedDetailTiles) EXPECT_EQ(a.detail_tiles(), tiles) << what;
    }
  }
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
