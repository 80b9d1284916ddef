// laplacian_var_540p: resolution independence (the same content encoded at
// 720 and 1080 lines), blur ladders, null and determinism rules. The
// effective_height tests (known upscales, blur ladders, grain and coding
// blocks, anamorphic upscales) are in effective_resolution_test.cc.
#include "metrics/resolution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "metrics/laplacian_var.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_resolution_test {
namespace {

using test::View;

std::optional<double> Lap540(const cv::Mat& m, int bit_depth = 8,
                             ColorRange range = ColorRange::kFull) {
  metrics::Resample540Workspace ws;
  return metrics::LaplacianVar540p(View(m, bit_depth),
                                   LumaScale::For(bit_depth, range), &ws);
}

// The Mandelbrot set at 1920x1080 (lavfi, frame 0): a hard-edged,
// aliased render, i.e. detail up to Nyquist. Lossless gray PNGs.
const char* kMandel = "-f lavfi -i mandelbrot=s=1920x1080 -frames:v 1";

std::string MandelNative() {
  return test::Generated("res_mandel_native.png",
                         std::string(kMandel) + " -pix_fmt gray");
}

// First frame's value of `key` through the real decode pipeline.
std::optional<double> MeasureFirst(const std::string& path,
                                   const std::string& key) {
  const auto m = test::Measure(path, key);
  if (!m.has_value()) return std::nullopt;
  for (size_t i = 0; i < m->keys.size(); ++i) {
    if (m->keys[i] == key && !m->values[i].empty()) return m->values[i][0];
  }
  ADD_FAILURE() << key << " missing for " << path;
  return std::nullopt;
}

cv::Mat ReadGray(const std::string& path) {
  cv::Mat m = cv::imread(path, cv::IMREAD_GRAYSCALE);
  EXPECT_FALSE(m.empty()) << path;
  return m;
}

// ---------------------------------------------------------------------------
// laplacian_var_540p

// The oracle: OpenCV's binomial smoothing and Laplacian on a resampled
// plane, variance over the pixels whose 5x5 neighbourhood is inside.
double OracleSmoothedLapVar(const cv::Mat& resampled) {
  cv::Mat f, smooth, lap;
  resampled.convertTo(f, CV_64F);
  const cv::Mat k = (cv::Mat_<double>(3, 1) << 0.25, 0.5, 0.25);
  cv::sepFilter2D(f, smooth, CV_64F, k, k);
  cv::Laplacian(smooth, lap, CV_64F);
  cv::Scalar mean, sd;
  cv::meanStdDev(lap(cv::Rect(2, 2, f.cols - 4, f.rows - 4)), mean, sd);
  return sd[0] * sd[0];
}

cv::Mat Resampled(const cv::Mat& img, int interpolation) {
  cv::Mat out;
  const int width = static_cast<int>(std::lround(img.cols * 540.0 / img.rows));
  cv::resize(img, out, cv::Size(width, 540), 0, 0, interpolation);
  return out;
}

cv::Mat Textured(int w, int h, int seed) {
  cv::Mat img(h, w, CV_8U);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(img, img, cv::Size(0, 0), 1.5);
  return img;
}

TEST(ResolutionLapVar540pTest, EqualsOpenCvOracle) {
  // 1080 and 2160 lines: exact 2x / 4x box (INTER_AREA); 540: no resampling;
  // 360: bilinear upscale. Then binomial smoothing and the Laplacian.
  struct Case {
    cv::Size size;
    int interpolation;
  };
  for (const Case c :
       {Case{{1920, 1080}, cv::INTER_AREA}, Case{{3840, 2160}, cv::INTER_AREA},
        Case{{960, 540}, cv::INTER_AREA}, Case{{640, 360}, cv::INTER_LINEAR},
        Case{{1280, 720}, cv::INTER_LINEAR}}) {
    const cv::Mat img = Textured(c.size.width, c.size.height, c.size.height);
    const auto v = Lap540(img);
    ASSERT_TRUE(v.has_value()) << c.size.height;
    EXPECT_NEAR(*v, OracleSmoothedLapVar(Resampled(img, c.interpolation)),
                1e-9 * *v)
        << c.size.height;
  }
}

TEST(ResolutionLapVar540pTest, NonIntegerRatiosApproximateTheAreaAverage) {
  // 720 lines take the linear path, 1440 an exact 2x box then linear:
  // OpenCV's generic INTER_AREA (~2 ms per 720p frame) is what they stand
  // in for.
  for (const cv::Size size : {cv::Size(1280, 720), cv::Size(2560, 1440)}) {
    const cv::Mat img = Textured(size.width, size.height, 5);
    const double oracle = OracleSmoothedLapVar(Resampled(img, cv::INTER_AREA));
    const auto v = Lap540(img);
    ASSERT_TRUE(v.has_value());
    EXPECT_NEAR(*v, oracle, 0.15 * oracle) << size.height;
  }
}

TEST(ResolutionLapVar540pTest, SameContentAt1080And720Agrees) {
  // One high-resolution source with a camera-like soft pixel (the Mandelbrot
  // set at 2160 lines, Gaussian-blurred), area-downscaled to 1080 and 720
  // lines and encoded as real H.264 (yuv420p, qp 0).
  auto make = [](int lines) {
    return test::Generated(
        "res_lv_mandel_" + std::to_string(lines) + ".mp4",
        "-f lavfi -i mandelbrot=s=3840x2160 -frames:v 1 -vf "
        "gblur=sigma=2:steps=6,scale=-2:" +
            std::to_string(lines) +
            ":flags=area -c:v libx264 -pix_fmt yuv420p -qp 0");
  };
  const std::string p1080 = make(1080), p720 = make(720);
  ASSERT_FALSE(p1080.empty());
  ASSERT_FALSE(p720.empty());
  const auto n1080 = MeasureFirst(p1080, "laplacian_var_540p");
  const auto n720 = MeasureFirst(p720, "laplacian_var_540p");
  const auto r1080 = MeasureFirst(p1080, "laplacian_var");
  const auto r720 = MeasureFirst(p720, "laplacian_var");
  ASSERT_TRUE(n1080 && n720 && r1080 && r720);
  EXPECT_NEAR(*n720 / *n1080, 1.0, 0.15)
      << *n720 << " vs " << *n1080 << " (laplacian_var " << *r720 << " vs "
      << *r1080 << ")";
  EXPECT_GT(*r720 / *r1080, 2.0);
}

TEST(ResolutionLapVar540pTest, BlurLadderDecreases) {
  const std::string native = MandelNative();
  ASSERT_FALSE(native.empty());
  const cv::Mat sharp = ReadGray(native);
  double previous = *Lap540(sharp);
  for (double sigma : {0.5, 1.0, 1.5, 2.0, 3.0}) {
    cv::Mat blurred;
    cv::GaussianBlur(sharp, blurred, cv::Size(0, 0), sigma);
    const auto v = Lap540(blurred);
    ASSERT_TRUE(v.has_value()) << sigma;
    EXPECT_LT(*v, previous) << sigma;
    previous = *v;
  }
}

TEST(ResolutionLapVar540pTest, FlatIsNullAndDepthRangeScaleTheStatistic) {
  EXPECT_FALSE(Lap540(cv::Mat(1080, 1920, CV_8U, cv::Scalar(128))));
  EXPECT_FALSE(Lap540(cv::Mat(720, 1280, CV_16U, cv::Scalar(512)), 10));
  metrics::Resample540Workspace ws;
  EXPECT_FALSE(metrics::LaplacianVar540p(PlaneView{}, LumaScale{}, &ws));
  const cv::Mat img8 = Textured(1920, 1080, 6);
  cv::Mat img10;
  img8.convertTo(img10, CV_16U, 4.0);
  const double v8 = *Lap540(img8);
  // The 8-bit box average rounds to 8-bit integers, the 10-bit one keeps 2
  // more bits: close, not identical.
  EXPECT_NEAR(*Lap540(img10, 10), v8, 0.03 * v8);
  EXPECT_NEAR(*Lap540(img8, 8, ColorRange::kLimited),
              v8 * (255.0 / 219.0) * (255.0 / 219.0), 1e-9 * v8);
}

TEST(ResolutionLapVar540pTest, DeterministicAcrossRuns) {
  const cv::Mat img = Textured(1280, 720, 7);
  metrics::Resample540Workspace ws;
  const LumaScale scale;
  const auto a = metrics::LaplacianVar540p(View(img), scale, &ws);
  const int threads = cv::getNumThreads();
  cv::setNumThreads(1);
  const auto b = metrics::LaplacianVar540p(View(img), scale, &ws);
  cv::setNumThreads(threads);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a, b);
}

TEST(ResolutionRegistryTest, BothKeysAreDefaultAndHigherIsSharper) {
  for (const std::string key : {"effective_height", "laplacian_var_540p"}) {
    const auto selected = SelectMetrics(key);
    ASSERT_TRUE(selected.ok()) << key;
    ASSERT_EQ(selected->size(), 1u);
    EXPECT_TRUE(selected.value()[0]->in_default_set) << key;
    EXPECT_EQ(MetricDirection(key), Direction::kHigherIsSharper) << key;
  }
}

}  // namespace
}  // namespace metrics_resolution_test
}  // namespace acuity
