// effective_height and laplacian_var_540p: calibration fixtures (content
// downscaled and re-upscaled by known kernels and factors), blur ladders,
// resolution-independence of laplacian_var_540p, null and determinism rules.
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
namespace {

using test::View;

const std::string kData = "/usr/share/doc/opencv-doc/examples/data/";

std::optional<double> Height(const cv::Mat& m, int bit_depth = 8,
                             ColorRange range = ColorRange::kFull) {
  metrics::SpectrumWorkspace ws;
  return metrics::EffectiveHeight(View(m, bit_depth),
                                  LumaScale::For(bit_depth, range), &ws);
}

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

// Downscaled to `lines` with lanczos (a sharp anti-aliasing filter: the
// low-resolution picture has detail up to its own Nyquist), then upscaled
// back to 1080 lines with `kernel`: the true vertical resolution is `lines`.
std::string MandelUpscaled(int lines, const std::string& kernel) {
  return test::Generated(
      "res_mandel_" + kernel + "_" + std::to_string(lines) + ".png",
      std::string(kMandel) + " -vf scale=-2:" + std::to_string(lines) +
          ":flags=lanczos,scale=1920:1080:flags=" + kernel + " -pix_fmt gray");
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
// effective_height

TEST(EffectiveHeightTest, UpscaledContentReadsItsSourceHeightWhateverKernel) {
  const std::string native = MandelNative();
  ASSERT_FALSE(native.empty());
  const auto full = MeasureFirst(native, "effective_height");
  ASSERT_TRUE(full.has_value());
  EXPECT_GE(*full, 900.0);
  EXPECT_LE(*full, 1080.0);
  for (const std::string kernel : {"bicubic", "lanczos", "bilinear"}) {
    double previous = *full;
    for (int lines : {720, 540, 360}) {
      const std::string path = MandelUpscaled(lines, kernel);
      ASSERT_FALSE(path.empty());
      const auto v = MeasureFirst(path, "effective_height");
      ASSERT_TRUE(v.has_value()) << kernel << " " << lines;
      EXPECT_NEAR(*v, lines, 0.15 * lines) << kernel << " " << lines;
      EXPECT_LT(*v, previous) << kernel << " " << lines;
      previous = *v;
    }
  }
}

TEST(EffectiveHeightTest, H264Yuv420pKeepsTheReading) {
  // Real lossy H.264 (yuv420p, limited range, crf 12) of the 540-line
  // bicubic upscale and of the native frame.
  const std::string up = test::Generated(
      "res_mandel_bicubic_540_crf12.mp4",
      std::string(kMandel) +
          " -vf scale=-2:540:flags=lanczos,scale=1920:1080:flags=bicubic"
          " -c:v libx264 -pix_fmt yuv420p -crf 12");
  const std::string native = test::Generated(
      "res_mandel_native_crf12.mp4",
      std::string(kMandel) + " -c:v libx264 -pix_fmt yuv420p -crf 12");
  ASSERT_FALSE(up.empty());
  ASSERT_FALSE(native.empty());
  const auto v_up = MeasureFirst(up, "effective_height");
  const auto v_native = MeasureFirst(native, "effective_height");
  ASSERT_TRUE(v_up.has_value());
  ASSERT_TRUE(v_native.has_value());
  EXPECT_NEAR(*v_up, 540.0, 0.15 * 540.0);
  EXPECT_GE(*v_native, 900.0);
}

TEST(EffectiveHeightTest, RealPhotosUpscaledReadNearTheirSourceHeight) {
  // Debian's opencv-doc photos are small: upscaled to 1080 lines they are
  // known upscales (true vertical resolution <= their own height), never
  // native 1080p. The photos themselves are not sharp to their last line,
  // and baboon's fur is aliased, hence the 25% allowance above.
  struct Case {
    const char* file;
    int source_lines;
    const char* kernel;
  };
  for (const Case c : {Case{"building.jpg", 600, "bicubic"},
                       Case{"baboon.jpg", 512, "lanczos"}}) {
    const std::string path = test::Generated(
        std::string("res_up_") + c.file + ".png",
        "-i " + kData + c.file + " -vf scale=-2:1080:flags=" + c.kernel +
            " -pix_fmt gray");
    ASSERT_FALSE(path.empty());
    const auto v = MeasureFirst(path, "effective_height");
    ASSERT_TRUE(v.has_value()) << c.file;
    EXPECT_LE(*v, 1.25 * c.source_lines) << c.file;
    EXPECT_GE(*v, 200.0) << c.file;
  }
  // A real photo with more than 1080 lines (aloeL.jpg, 1110), scaled to
  // 1080 and then down to 720/540/360 and back up: ordered readings.
  double previous = 1e9;
  for (int lines : {1080, 720, 540, 360}) {
    std::string vf = "scale=-2:1080:flags=lanczos";
    if (lines != 1080) {
      vf += ",scale=-2:" + std::to_string(lines) +
            ":flags=lanczos,scale=-2:1080:flags=bicubic";
    }
    const std::string path = test::Generated(
        "res_aloe_" + std::to_string(lines) + ".png",
        "-i " + kData + "aloeL.jpg -vf " + vf + " -pix_fmt gray");
    ASSERT_FALSE(path.empty());
    const auto v = MeasureFirst(path, "effective_height");
    ASSERT_TRUE(v.has_value()) << lines;
    EXPECT_LT(*v, previous) << lines;
    EXPECT_NEAR(*v, lines, 0.25 * lines) << lines;
    previous = *v;
  }
}

TEST(EffectiveHeightTest, GaussianBlurLadderIsNonIncreasing) {
  const std::string native = MandelNative();
  ASSERT_FALSE(native.empty());
  const cv::Mat sharp = ReadGray(native);
  double previous = *Height(sharp);
  EXPECT_EQ(previous, 1080.0);
  std::vector<double> readings;
  for (double sigma : {0.5, 0.7, 1.0, 1.5, 2.0, 3.0}) {
    cv::Mat blurred;
    cv::GaussianBlur(sharp, blurred, cv::Size(0, 0), sigma);
    const auto v = Height(blurred);
    ASSERT_TRUE(v.has_value()) << sigma;
    EXPECT_LE(*v, previous) << sigma;
    readings.push_back(*v);
    previous = *v;
  }
  // Softness lowers it well below the frame height: sigma 1 reads like a
  // 1080p frame upscaled from ~540 lines, sigma 3 like ~200.
  EXPECT_LT(readings[2], 750.0);
  EXPECT_LT(readings[5], 300.0);
}

TEST(EffectiveHeightTest, FlatOrFeaturelessFramesAreNullNeverNaN) {
  const cv::Mat flat(1080, 1920, CV_8U, cv::Scalar(90));
  EXPECT_FALSE(Height(flat).has_value());
  // Faint dither below the flatness threshold.
  cv::Mat faint = flat.clone();
  for (int y = 0; y < faint.rows; y += 3) faint.at<uint8_t>(y, 30) = 91;
  EXPECT_FALSE(Height(faint).has_value());
  // A smooth vertical ramp varies but has no detail to find a cutoff in.
  cv::Mat ramp(1080, 1920, CV_8U);
  for (int y = 0; y < ramp.rows; ++y) ramp.row(y).setTo(20 + y * 200 / 1080);
  EXPECT_FALSE(Height(ramp).has_value());
  // Too few rows for a spectrum; empty planes.
  cv::Mat tiny(40, 64, CV_8U);
  cv::randu(tiny, 0, 255);
  EXPECT_FALSE(Height(tiny).has_value());
  metrics::SpectrumWorkspace ws;
  EXPECT_FALSE(metrics::EffectiveHeight(PlaneView{}, LumaScale{}, &ws));
  // Noise is detail to a spectrum: white noise reads full resolution, and
  // the value is a finite number of lines.
  cv::Mat noise(360, 640, CV_8U);
  cv::randu(noise, 0, 255);
  const auto v = Height(noise);
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(std::isfinite(*v));
  EXPECT_EQ(*v, 360.0);
}

TEST(EffectiveHeightTest, LetterboxBarsAreTrimmed) {
  // A 540-line upscale letterboxed to 2.4:1 inside a 1080-line frame: the
  // bars' edges are hard steps that would read as detail if measured.
  const std::string path = MandelUpscaled(540, "bicubic");
  ASSERT_FALSE(path.empty());
  const cv::Mat full = ReadGray(path);
  cv::Mat boxed(1080, 1920, CV_8U, cv::Scalar(16));
  full(cv::Rect(0, 140, 1920, 800)).copyTo(boxed(cv::Rect(0, 140, 1920, 800)));
  const auto v_full = Height(full);
  const auto v_boxed = Height(boxed);
  ASSERT_TRUE(v_full.has_value());
  ASSERT_TRUE(v_boxed.has_value());
  EXPECT_NEAR(*v_boxed, 540.0, 0.15 * 540.0);
  EXPECT_NEAR(*v_boxed, *v_full, 0.1 * *v_full);
}

TEST(EffectiveHeightTest, DepthAndRangeDoNotChangeIt) {
  const std::string path = MandelUpscaled(720, "lanczos");
  ASSERT_FALSE(path.empty());
  const cv::Mat img8 = ReadGray(path);
  cv::Mat img10;
  img8.convertTo(img10, CV_16U, 4.0);
  const auto v8 = Height(img8);
  ASSERT_TRUE(v8.has_value());
  EXPECT_EQ(Height(img10, 10), v8);  // exact: power-of-two scaling
  const auto limited = Height(img8, 8, ColorRange::kLimited);
  ASSERT_TRUE(limited.has_value());
  EXPECT_NEAR(*limited, *v8, 1.0);
}

TEST(EffectiveHeightTest, DeterministicAcrossRunsAndOpenCvThreads) {
  const std::string path = MandelUpscaled(540, "lanczos");
  ASSERT_FALSE(path.empty());
  const cv::Mat img = ReadGray(path);
  metrics::SpectrumWorkspace ws;  // reused, as across frames
  const LumaScale scale;
  const auto a = metrics::EffectiveHeight(View(img), scale, &ws);
  const auto b = metrics::EffectiveHeight(View(img), scale, &ws);
  const int threads = cv::getNumThreads();
  cv::setNumThreads(1);
  const auto c = metrics::EffectiveHeight(View(img), scale, &ws);
  const std::vector<double> spectrum1 =
      metrics::VerticalPowerSpectrum(View(img), scale, &ws);
  cv::setNumThreads(threads);
  const std::vector<double> spectrum2 =
      metrics::VerticalPowerSpectrum(View(img), scale, &ws);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  EXPECT_EQ(spectrum1, spectrum2);
  // Through the pipeline, twice.
  EXPECT_EQ(MeasureFirst(path, "effective_height"),
            MeasureFirst(path, "effective_height"));
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
}  // namespace acuity
