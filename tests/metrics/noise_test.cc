// noise_sigma and laplacian_var_nc through the Metric interface: known
// white noise on smooth content, clean detailed pictures, grain on a
// blurred clip (FFmpeg fixtures), flat and clipped frames.
#include "metrics/noise.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "kernels/block.h"
#include "kernels/sobel.h"
#include "metrics/degraded_clips.h"
#include "metrics/laplacian_var.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_noise_test {
namespace {

using test::Entry;
using test::RunEntry;
using test::View;

// Smooth content in 60..190: a horizontal ramp plus low-frequency blobs
// (float, 8-bit code values).
cv::Mat Smooth(int w, int h, int seed) {
  cv::RNG rng(seed);
  cv::Mat coarse(h / 32 + 2, w / 32 + 2, CV_32F);
  rng.fill(coarse, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::Mat blobs;
  cv::resize(coarse, blobs, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
  cv::GaussianBlur(blobs, blobs, cv::Size(0, 0), 12);
  cv::normalize(blobs, blobs, 0, 1, cv::NORM_MINMAX);
  cv::Mat f(h, w, CV_32F);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      f.at<float>(y, x) = 60.0f + 70.0f * x / w + 60.0f * blobs.at<float>(y, x);
    }
  }
  return f;
}

// Content plus white Gaussian noise of `sigma`, rounded to `type` after
// scaling by `gain` (4 for 10-bit codes).
cv::Mat WithNoise(const cv::Mat& f, double sigma, int seed, int type = CV_8U,
                  double gain = 1.0) {
  cv::Mat noise(f.size(), CV_32F);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
  cv::Mat out;
  cv::Mat(f + noise).convertTo(out, type, gain);
  return out;
}

TEST(TextureNoiseTest, Outputs) {
  // noise_sigma and laplacian_var_nc share laplacian_var's entry (and its
  // Laplacian pass).
  const MetricEntry& e = Entry("noise_sigma");
  ASSERT_EQ(e.outputs.size(), 3u);
  EXPECT_EQ(e.name, "laplacian_var");
  EXPECT_EQ(e.outputs[1].key, "noise_sigma");
  EXPECT_EQ(e.outputs[2].key, "laplacian_var_nc");
  EXPECT_TRUE(e.in_default_set);
  EXPECT_EQ(MetricDirection("noise_sigma"), Direction::kNeutral);
  EXPECT_EQ(MetricDirection("laplacian_var_nc"), Direction::kHigherIsSharper);
}

// Known white noise on smooth content: the estimate is within 10% (measured
// within 2%) at 8 bits, 10 bits and limited range.
TEST(TextureNoiseTest, WhiteNoiseOnSmoothContentWithinTenPercent) {
  const cv::Mat base = Smooth(1280, 720, 1);
  for (double sigma : {2.0, 5.0, 10.0}) {
    const cv::Mat img8 = WithNoise(base, sigma, 7);
    const auto v8 = RunEntry("noise_sigma", img8, 8, ColorRange::kFull);
    ASSERT_TRUE(v8[0].has_value());
    EXPECT_NEAR(*v8[0], sigma, 0.10 * sigma);
    const cv::Mat img10 = WithNoise(base, sigma, 8, CV_16U, 4.0);
    const auto v10 = RunEntry("noise_sigma", img10, 10, ColorRange::kFull);
    ASSERT_TRUE(v10[0].has_value());
    EXPECT_NEAR(*v10[0], sigma, 0.10 * sigma);
    // The same codes read as limited range are 255/219 larger.
    const auto lim = RunEntry("noise_sigma", img8, 8, ColorRange::kLimited);
    EXPECT_NEAR(*lim[0], *v8[0] * 255.0 / 219.0, 1e-12);
    std::printf("[ noise ] sigma %4.1f: 8-bit %.3f, 10-bit %.3f\n", sigma,
                *v8[0], *v10[0]);
  }
  // Clean smooth content (rounding only) reads as ~0.
  cv::Mat clean;
  base.convertTo(clean, CV_8U);
  EXPECT_LT(*RunEntry("noise_sigma", clean, 8, ColorRange::kFull)[0], 0.3);
}

// laplacian_var_nc is the coarse Laplacian variance of kernels/block.h's
// 4x4 block sums minus kCoarseNoiseGain * noise_sigma^2, and noise barely
// moves it: smooth content + noise of sigma 5 (which adds ~500 to
// laplacian_var) changes it by less than 1.
TEST(TextureNoiseTest, LaplacianVarNcIgnoresTheNoise) {
  const cv::Mat smooth = Smooth(640, 360, 2);
  const cv::Mat img = WithNoise(smooth, 5.0, 9);
  cv::Mat clean;
  smooth.convertTo(clean, CV_8U);
  const auto v = RunEntry("noise_sigma", img, 8, ColorRange::kFull);
  const auto lap = RunEntry("laplacian_var", img, 8, ColorRange::kFull);
  const auto v_clean = RunEntry("noise_sigma", clean, 8, ColorRange::kFull);
  ASSERT_TRUE(v[0] && v[1] && lap[0] && v_clean[1]);
  EXPECT_NEAR(*lap[0], 20.0 * 25.0, 0.15 * 500.0);
  std::vector<uint32_t> cells, boxes;
  kernels::ComputeBlockSums4(test::View(img), &cells);
  const auto coarse =
      metrics::CoarseLaplacianVar(cells, img.cols / 4, img.rows / 4,
                                  LumaScale::For(8, ColorRange::kFull), &boxes);
  ASSERT_TRUE(coarse.has_value());
  EXPECT_DOUBLE_EQ(*v[1], metrics::LaplacianVarNc(*coarse, *v[0]));
  EXPECT_DOUBLE_EQ(metrics::LaplacianVarNc(*coarse, *v[0]),
                   std::max(*coarse - metrics::kCoarseNoiseGain * *v[0] * *v[0],
                            *coarse / 3.0));
  EXPECT_NEAR(*v[1], *v_clean[1], 1.0);
  EXPECT_LT(*v[1], 0.01 * *lap[0]);
}

// The noise gain is exact: on pure white noise (no content) the coarse
// variance is kCoarseNoiseGain * sigma^2 (within sampling error).
TEST(TextureNoiseTest, CoarseNoiseGainMatchesWhiteNoise) {
  cv::Mat noise(720, 1280, CV_16U);
  cv::RNG rng(4);
  cv::Mat f(720, 1280, CV_32F);
  rng.fill(f, cv::RNG::NORMAL, 512.0, 40.0);  // sigma 10 in 8-bit units
  f.convertTo(noise, CV_16U);
  std::vector<uint32_t> cells, boxes;
  kernels::ComputeBlockSums4(test::View(noise, 10), &cells);
  const auto coarse = metrics::CoarseLaplacianVar(
      cells, 320, 180, LumaScale::For(10, ColorRange::kFull), &boxes);
  ASSERT_TRUE(coarse.has_value());
  EXPECT_NEAR(*coarse, metrics::kCoarseNoiseGain * 100.0,
              0.05 * metrics::kCoarseNoiseGain * 100.0);
}

// Clean detailed pictures: texture must not read as noise.
TEST(TextureNoiseTest, CleanDetailedPicturesStaySmall) {
  const std::string ts = test::Generated(
      "texture_noise_testsrc2.png",
      "-f lavfi -i testsrc2=s=640x360 -frames:v 1 -pix_fmt gray");
  ASSERT_FALSE(ts.empty());
  const cv::Mat testsrc2 = cv::imread(ts, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(testsrc2.empty());
  const double v_ts =
      *RunEntry("noise_sigma", testsrc2, 8, ColorRange::kFull)[0];
  EXPECT_LT(v_ts, 0.25);
  const cv::Mat baboon =
      cv::imread("/usr/share/doc/opencv-doc/examples/data/baboon.jpg",
                 cv::IMREAD_GRAYSCALE);
  if (baboon.empty()) GTEST_SKIP() << "opencv-doc images not installed";
  const double v_baboon =
      *RunEntry("noise_sigma", baboon, 8, ColorRange::kFull)[0];
  // Fur everywhere: the flattest blocks still hold texture (plain Immerkaer
  // over the whole picture reads ~9.7).
  EXPECT_LT(v_baboon, 4.0);
  std::printf("[ noise ] clean testsrc2 %.3f, baboon.jpg %.3f\n", v_ts,
              v_baboon);
}

// The frame is measured on every NoiseRowStep()-th block row; the estimate
// agrees with the one from every block row.
TEST(TextureNoiseTest, SampledBlockRowsAgreeWithAllRows) {
  const cv::Mat base = Smooth(1920, 1080, 3);
  std::vector<cv::Mat> planes = {WithNoise(base, 1.5, 4),
                                 WithNoise(base, 6.0, 5)};
  const cv::Mat photo =
      cv::imread("/usr/share/doc/opencv-doc/examples/data/building.jpg",
                 cv::IMREAD_GRAYSCALE);
  if (!photo.empty()) {
    cv::Mat big;
    cv::resize(photo, big, cv::Size(1920, 1080), 0, 0, cv::INTER_CUBIC);
    cv::Mat f;
    big.convertTo(f, CV_32F);
    planes.push_back(WithNoise(f, 3.0, 6));
  }
  const LumaScale scale = LumaScale::For(8, ColorRange::kFull);
  std::vector<kernels::NoiseBlock> blocks;
  std::vector<uint64_t> keys;
  for (const cv::Mat& p : planes) {
    const PlaneView v = View(p, 8);
    ASSERT_EQ(metrics::NoiseRowStep(v), 3);
    kernels::ComputeNoiseBlocks(v, 1, &blocks);
    const double all =
        *metrics::NoiseSigmaFromBlocks(v, 1, blocks, scale, &keys);
    kernels::ComputeNoiseBlocks(v, metrics::NoiseRowStep(v), &blocks);
    const double sampled = *metrics::NoiseSigmaFromBlocks(
        v, metrics::NoiseRowStep(v), blocks, scale, &keys);
    EXPECT_NEAR(sampled, all, 0.03 * all);
    std::printf("[ noise ] every 3rd block row %.3f, all rows %.3f\n", sampled,
                all);
    EXPECT_EQ(*RunEntry("noise_sigma", p, 8, ColorRange::kFull)[0], sampled);
  }
}

TEST(TextureNoiseTest, FlatClippedAndTinyFrames) {
  // Flat mid-grey: no noise (0, a value); laplacian_var and so _nc null.
  const cv::Mat grey(180, 320, CV_8U, cv::Scalar(128));
  auto v = RunEntry("noise_sigma", grey, 8, ColorRange::kLimited);
  ASSERT_TRUE(v[0].has_value());
  EXPECT_EQ(*v[0], 0.0);
  EXPECT_FALSE(v[1].has_value());
  // Black and white frames: every block touches a clip level, so all
  // count: no noise either.
  for (int level : {16, 235}) {
    const cv::Mat clipped(180, 320, CV_8U, cv::Scalar(level));
    v = RunEntry("noise_sigma", clipped, 8, ColorRange::kLimited);
    ASSERT_TRUE(v[0].has_value()) << level;
    EXPECT_EQ(*v[0], 0.0) << level;
    EXPECT_FALSE(v[1].has_value()) << level;
  }
  // Binary graphics (every pixel black or white, with flat areas): the
  // flat areas say "no noise"; the texture is not read as noise.
  cv::Mat binary(360, 640, CV_8U, cv::Scalar(16));
  cv::RNG rng(12);
  for (int y = 0; y < 180; ++y) {
    for (int x = 0; x < 640; ++x) {
      binary.at<uint8_t>(y, x) = (rng.next() & 1) ? 235 : 16;
    }
  }
  binary(cv::Rect(0, 300, 640, 60)).setTo(235);
  v = RunEntry("noise_sigma", binary, 8, ColorRange::kLimited);
  ASSERT_TRUE(v[0].has_value() && v[1].has_value());
  EXPECT_EQ(*v[0], 0.0);
  // Letterbox: noisy picture between black bars; the bars do not pull the
  // estimate to 0.
  cv::Mat letterbox = WithNoise(Smooth(640, 360, 4), 4.0, 10);
  letterbox(cv::Rect(0, 0, 640, 80)).setTo(16);
  letterbox(cv::Rect(0, 280, 640, 80)).setTo(16);
  v = RunEntry("noise_sigma", letterbox, 8, ColorRange::kLimited);
  ASSERT_TRUE(v[0].has_value());
  EXPECT_NEAR(*v[0], 4.0 * 255.0 / 219.0, 0.1 * 4.0 * 255.0 / 219.0);
  // Too small for one 16x16 block: null, never NaN.
  const cv::Mat tiny = WithNoise(Smooth(17, 17, 5), 3.0, 11);
  v = RunEntry("noise_sigma", tiny, 8, ColorRange::kFull);
  EXPECT_FALSE(v[0].has_value());
  EXPECT_FALSE(v[1].has_value());
}

// ---------------------------------------------------------------------------
// Grain on a blurred clip (FFmpeg fixtures, lossless H.264): noise_sigma
// rises clearly, and laplacian_var_nc of the grainy blurred clip stays
// below that of the clean sharp clip, where plain laplacian_var reads the
// grain as detail.

struct ClipValues {
  double noise, lap, lap_nc;
};

ClipValues MeasureClip(const std::string& name, const std::string& vf) {
  const std::string path = test::Generated(
      name, "-f lavfi -i testsrc2=s=640x360:r=25,format=yuv444p" + vf +
                ",format=yuv420p -frames:v 4 -color_range tv -colorspace "
                "smpte170m -c:v libx264 -preset ultrafast -qp 0");
  EXPECT_FALSE(path.empty());
  const auto m = test::Measure(path, "laplacian_var,noise_sigma");
  EXPECT_TRUE(m.has_value());
  if (!m) return {};
  return {*m->Of("noise_sigma").median, *m->Of("laplacian_var").median,
          *m->Of("laplacian_var_nc").median};
}

TEST(TextureNoiseTest, GrainOnBlurredClip) {
  const ClipValues sharp = MeasureClip("texture_grain_sharp.mp4", "");
  const ClipValues blurred =
      MeasureClip("texture_grain_blur2.mp4", ",gblur=sigma=2:steps=6");
  const ClipValues grainy =
      MeasureClip("texture_grain_blur2_noise20.mp4",
                  ",gblur=sigma=2:steps=6,noise=alls=20:allf=t");
  std::printf(
      "[ grain ] noise_sigma: sharp %.2f blurred %.2f grainy %.2f\n"
      "[ grain ] laplacian_var: sharp %.1f blurred %.1f grainy %.1f\n"
      "[ grain ] laplacian_var_nc: sharp %.1f blurred %.1f grainy %.1f\n",
      sharp.noise, blurred.noise, grainy.noise, sharp.lap, blurred.lap,
      grainy.lap, sharp.lap_nc, blurred.lap_nc, grainy.lap_nc);
  EXPECT_GT(grainy.noise, blurred.noise + 3.0);
  EXPECT_GT(grainy.noise, 3.0 * blurred.noise);
  // Grain fools plain laplacian_var: the grainy blurred clip reads sharper
  // than the clean sharp one (measured: 3411 vs 734)...
  EXPECT_GT(grainy.lap, sharp.lap);
  // ...but not once the noise part is taken out.
  EXPECT_LE(grainy.lap_nc, sharp.lap_nc);
  EXPECT_LT(grainy.lap_nc, 0.5 * grainy.lap);
  EXPECT_LT(grainy.lap_nc, 1.5 * blurred.lap_nc);
}

// A sharp rule-30 cellular automaton is noise-like: noise_sigma reads ~100
// on it. laplacian_var_nc must not subtract its texture as noise and call
// it flatter than its blurred twin (kMaxNoiseShare).
TEST(TextureNoiseTest, BinaryTextureIsNotSubtractedAway) {
  const auto nc = [](const std::string& name, const std::string& vf) {
    const std::string path = test::Generated(
        name, "-f lavfi -i cellauto=s=320x180:r=25:rule=30:random_seed=3" + vf +
                  ",format=yuv420p -frames:v 2 -c:v ffv1");
    EXPECT_FALSE(path.empty());
    const auto m = test::Measure(path, "laplacian_var");
    EXPECT_TRUE(m.has_value());
    return m ? std::make_pair(test::Median(*m, "laplacian_var_nc"),
                              test::Median(*m, "noise_sigma"))
             : std::make_pair(-1.0, -1.0);
  };
  const auto sharp = nc("texture_rule30_sharp.mkv", "");
  const auto soft = nc("texture_rule30_blur0.5.mkv",
                       ",format=yuv444p,gblur=sigma=0.5:steps=6");
  const auto blurred = nc("texture_rule30_blur1.5.mkv",
                          ",format=yuv444p,gblur=sigma=1.5:steps=6");
  std::printf(
      "[ rule30 ] laplacian_var_nc sharp %.1f (noise_sigma %.1f), blurred "
      "0.5 %.1f (%.1f), 1.5 %.1f (%.2f)\n",
      sharp.first, sharp.second, soft.first, soft.second, blurred.first,
      blurred.second);
  // Every sample of the sharp automaton is at black or white: no pixel is
  // clear of both, so no noise is read (it was ~100 when every block
  // counted, and the value then rose with a 0.5 px blur).
  EXPECT_EQ(sharp.second, 0.0);
  EXPECT_GT(sharp.first, soft.first);
  EXPECT_GT(soft.first, blurred.first);
}

// The targets of laplacian_var_nc on two contents (test pattern, photo):
// grain of strength 10 and 20 on a blurred clip reads at most 1.5x the
// clean blurred clip, MPEG-2 and MJPEG blocking at q 31 at most 1.1x the
// clean (lossless) encode, and the blur ladder 0/1/2/4 falls strictly.
TEST(TextureNoiseTest, LaplacianVarNcResistsGrainAndBlocks) {
  using test::Coding;
  using test::Content;
  using test::DegradedClip;
  for (Content content : {Content::kTestsrc2, Content::kBaboon}) {
    const auto nc = [](const std::string& path) {
      EXPECT_FALSE(path.empty());
      const auto m = test::Measure(path, "laplacian_var");
      EXPECT_TRUE(m.has_value());
      return m ? test::Median(*m, "laplacian_var_nc") : -1.0;
    };
    std::vector<double> ladder;
    for (int blur : {0, 1, 2, 4}) {
      ladder.push_back(nc(DegradedClip(content, blur, 0, Coding::kClean)));
    }
    const double clean = ladder[2];  // blur 2
    const double grain10 = nc(DegradedClip(content, 2, 10, Coding::kClean));
    const double grain20 = nc(DegradedClip(content, 2, 20, Coding::kClean));
    const double mpeg2 = nc(DegradedClip(content, 2, 0, Coding::kMpeg2, 31));
    const double mjpeg = nc(DegradedClip(content, 2, 0, Coding::kMjpeg, 31));
    std::printf(
        "[ nc %s ] ladder %.1f %.1f %.1f %.1f; blur 2: grain 10 %.2fx, "
        "grain 20 %.2fx, mpeg2 q31 %.2fx, mjpeg q31 %.2fx\n",
        test::ContentName(content).c_str(), ladder[0], ladder[1], ladder[2],
        ladder[3], grain10 / clean, grain20 / clean, mpeg2 / clean,
        mjpeg / clean);
    for (size_t i = 1; i < ladder.size(); ++i) {
      EXPECT_LT(ladder[i], ladder[i - 1]) << test::ContentName(content);
    }
    EXPECT_LE(grain10, 1.5 * clean) << test::ContentName(content);
    EXPECT_LE(grain20, 1.5 * clean) << test::ContentName(content);
    EXPECT_LE(mpeg2, 1.1 * clean) << test::ContentName(content);
    EXPECT_LE(mjpeg, 1.1 * clean) << test::ContentName(content);
    // Blocking removes detail: it must not read as sharper than clean.
    EXPECT_GT(mpeg2, 0.5 * clean) << test::ContentName(content);
  }
}

}  // namespace
}  // namespace metrics_noise_test
}  // namespace acuity
