// brisque: equality with OpenCV's QualityBRISQUE (its own test value on
// RubberWhale1.png), the luma conversion, blur ordering, every-Nth-frame
// sampling, null on undefined statistics and the missing-model error.
#include "metrics/brisque.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/quality.hpp>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/score.h"
#include "metrics/frame_analysis.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_brisque_test {
namespace {

using test::View;

namespace fs = std::filesystem;

// opencv_contrib modules/quality/test/test_brisque.cpp: BRISQUE_EXPECTED_2,
// QualityBRISQUE on cv/optflow/RubberWhale1.png read as BGR.
constexpr double kOpenCvRubberWhale = 9.7544803619384766;
const std::string kPhotos = "/usr/share/doc/opencv-doc/examples/data/";
const std::string kRubberWhale = kPhotos + "rubberwhale1.png";

const MetricEntry& BrisqueEntry() {
  for (const MetricEntry& e : MetricRegistry()) {
    if (e.name == "brisque") return e;
  }
  std::abort();
}

// One frame through a fresh metric instance.
std::optional<double> Measure(const PlaneView& y, int bit_depth,
                              ColorRange range) {
  auto metric = BrisqueEntry().create();
  EXPECT_TRUE(metric->Configure(MetricOptions{}).ok());
  StreamInfo info;
  info.width = y.width;
  info.height = y.height;
  info.bit_depth = bit_depth;
  info.has_chroma = false;
  info.range = range;
  info.scale = LumaScale::For(bit_depth, range);
  const Status s = metric->Init(info);
  EXPECT_TRUE(s.ok()) << s.message();
  Frame frame;
  frame.y = y;
  FrameValues out(1);
  ProcessFrame(*metric, frame, info.scale, out);
  return out.values()[0];
}

cv::Mat RubberWhaleGray() {
  const cv::Mat bgr = cv::imread(kRubberWhale, cv::IMREAD_COLOR);
  cv::Mat gray;
  if (!bgr.empty()) cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

double OpenCvBrisque(const cv::Mat& img) {
  const std::string dir = metrics::kBrisqueDebianModelDir;
  return cv::quality::QualityBRISQUE::compute(
      img, dir + "/" + metrics::kBrisqueModelFile,
      dir + "/" + metrics::kBrisqueRangeFile)[0];
}

// The metric on OpenCV's own gray equals QualityBRISQUE::compute on the
// BGR picture (which converts with BGR2GRAY itself), and OpenCV's test value.
TEST(BrisqueTest, LumaEqualsOpenCvOnRubberWhale) {
  const cv::Mat bgr = cv::imread(kRubberWhale, cv::IMREAD_COLOR);
  ASSERT_FALSE(bgr.empty()) << kRubberWhale << " (apt-get install opencv-doc)";
  const cv::Mat gray = RubberWhaleGray();
  const auto v = Measure(View(gray), 8, ColorRange::kFull);
  ASSERT_TRUE(v.has_value());
  EXPECT_DOUBLE_EQ(*v, OpenCvBrisque(bgr));
  EXPECT_DOUBLE_EQ(*v, OpenCvBrisque(gray));
  EXPECT_NEAR(*v, kOpenCvRubberWhale, 0.01);
}

// 10-bit limited luma that encodes the same picture gives the same score:
// v = 64 + g * 876/255 is 3.4 codes per 8-bit step, so round((v - 64) *
// 255/876) recovers g exactly. Stride > width on purpose.
TEST(BrisqueTest, TenBitLimitedMapsToThe8BitScore) {
  const cv::Mat gray = RubberWhaleGray();
  ASSERT_FALSE(gray.empty());
  cv::Mat padded(gray.rows, gray.cols + 7, CV_16UC1, cv::Scalar(1023));
  for (int r = 0; r < gray.rows; ++r) {
    for (int x = 0; x < gray.cols; ++x) {
      padded.at<uint16_t>(r, x) = static_cast<uint16_t>(
          std::lround(64 + gray.at<uint8_t>(r, x) * 876.0 / 255.0));
    }
  }
  PlaneView y = View(padded, 10);
  y.width = gray.cols;
  const auto v10 = Measure(y, 10, ColorRange::kLimited);
  const auto v8 = Measure(View(gray), 8, ColorRange::kFull);
  ASSERT_TRUE(v10.has_value() && v8.has_value());
  EXPECT_EQ(*v10, *v8);
}

// Real pipeline, gray PNG (FFmpeg decodes gray8 as is, full range): the luma
// is OpenCV's BGR2GRAY pixel for pixel, so the score is OpenCV's.
TEST(BrisqueTest, GrayPngThroughPipelineMatchesOpenCv) {
  const cv::Mat gray = RubberWhaleGray();
  ASSERT_FALSE(gray.empty());
  const std::string dir = std::string(ACUITY_BINARY_DIR) + "/fixtures/gen";
  fs::create_directories(dir);
  const std::string path = dir + "/brisque_rubberwhale_gray.png";
  ASSERT_TRUE(cv::imwrite(path, gray));
  const auto m = test::Measure(path, "brisque");
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->values[0].size(), 1u);
  ASSERT_TRUE(m->values[0][0].has_value());
  EXPECT_NEAR(*m->values[0][0], OpenCvBrisque(gray), 1e-6);
  EXPECT_NEAR(*m->values[0][0], kOpenCvRubberWhale, 0.01);
}

// Real pipeline, the RGB PNG: libswscale's RGB->Y (BT.601, full range, via
// a 15-bit intermediate rounded twice) differs from OpenCV 4.6's BGR2GRAY,
// (9798 R + 19235 G + 3735 B + 16384) >> 15, by +-1 on 0.56% of this
// picture's samples (0.51% of all 2^24 colours), which moves BRISQUE by
// 0.054 (9.808 vs 9.754). No swscale flag changes that. Both facts are
// checked, so a decoder that computes OpenCV's luma tightens the tolerance.
TEST(BrisqueTest, RgbPngThroughPipelineIsCloseToOpenCv) {
  const cv::Mat gray = RubberWhaleGray();
  ASSERT_FALSE(gray.empty());
  auto decoder = Decoder::Open(kRubberWhale, DecoderOptions{});
  ASSERT_TRUE(decoder.ok()) << decoder.status().message();
  Frame frame;
  auto got = (*decoder)->Next(&frame);
  ASSERT_TRUE(got.ok() && got.value());
  ASSERT_EQ(frame.y.bit_depth, 8);
  ASSERT_EQ((*decoder)->stream().range, ColorRange::kFull);
  ASSERT_EQ(frame.y.width, gray.cols);
  ASSERT_EQ(frame.y.height, gray.rows);
  int max_diff = 0;
  int64_t differing = 0;
  for (int r = 0; r < gray.rows; ++r) {
    for (int x = 0; x < gray.cols; ++x) {
      const int d = std::abs(static_cast<int>(frame.y.Row8(r)[x]) -
                             gray.at<uint8_t>(r, x));
      max_diff = std::max(max_diff, d);
      differing += d != 0;
    }
  }
  // The decoder computes RGB-born luma with OpenCV's BGR2GRAY rule.
  EXPECT_EQ(max_diff, 0);
  EXPECT_EQ(differing, 0);

  const auto m = test::Measure(kRubberWhale, "brisque");
  ASSERT_TRUE(m.has_value());
  ASSERT_TRUE(m->values[0][0].has_value());
  EXPECT_NEAR(*m->values[0][0], kOpenCvRubberWhale, 0.01)
      << differing << " luma samples differ from BGR2GRAY";
}

// Gaussian blur (sigma 3) of a photo reads as more distorted.
TEST(BrisqueTest, BlurScoresWorse) {
  const std::string src = "-i " + kPhotos + "building.jpg -frames:v 1";
  const std::string sharp = test::Generated("brisque_building.png", src);
  const std::string blurred = test::Generated("brisque_building_gblur3.png",
                                              src + " -vf gblur=sigma=3");
  ASSERT_FALSE(sharp.empty());
  ASSERT_FALSE(blurred.empty());
  const auto a = test::Measure(sharp, "brisque");
  const auto b = test::Measure(blurred, "brisque");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->values[0][0] && b->values[0][0]);
  EXPECT_GT(*b->values[0][0], *a->values[0][0] + 20)
      << "sharp " << *a->values[0][0] << " blurred " << *b->values[0][0];
}

// --brisque-every 2 on a 5-frame H.264 clip (yuv420p, limited range):
// frames 0, 2, 4 measured, 1 and 3 null. The default (30) measures frame 0
// only, with the same value.
TEST(BrisqueTest, EveryNthFrameOnly) {
  const std::string clip = test::Generated(
      "brisque_5frames_building.mp4",
      "-loop 1 -i " + kPhotos +
          "building.jpg -vf scale=320:300,noise=alls=6:allf=t -frames:v 5 "
          "-c:v libx264 -preset ultrafast -qp 10 -pix_fmt yuv420p");
  ASSERT_FALSE(clip.empty());
  auto selected = SelectMetrics("brisque");
  ASSERT_TRUE(selected.ok());
  ScoreOptions options;
  options.metrics = *selected;
  options.decoder.threads = 1;
  ASSERT_TRUE(options.metric_options.Set("brisque_every", "2").ok());
  auto every2 = ScoreVideo(clip, options);
  ASSERT_TRUE(every2.ok()) << every2.status().message();
  ASSERT_EQ(every2->values.size(), 1u);
  const auto& v = every2->values[0];
  ASSERT_EQ(v.size(), 5u);
  for (size_t f = 0; f < v.size(); ++f) {
    EXPECT_EQ(v[f].has_value(), f % 2 == 0) << "frame " << f;
    // Inside the range, not at OpenCV's clamps (the clip is no corner case).
    if (v[f]) {
      EXPECT_TRUE(*v[f] > 1 && *v[f] < 99) << *v[f];
    }
  }
  EXPECT_EQ(every2->summary[0].n, 3);

  options.metric_options = MetricOptions{};
  auto every30 = ScoreVideo(clip, options);
  ASSERT_TRUE(every30.ok());
  const auto& w = every30->values[0];
  ASSERT_EQ(w.size(), 5u);
  ASSERT_TRUE(w[0].has_value() && v[0].has_value());
  EXPECT_EQ(*w[0], *v[0]);
  for (size_t f = 1; f < w.size(); ++f) EXPECT_FALSE(w[f].has_value());
}

TEST(BrisqueTest, OptionRejectsNonPositiveEvery) {
  MetricOptions options;
  for (const char* bad : {"0", "-1", "nan", "1e3", "1073741825", ""}) {
    const Status s = options.Set("brisque_every", bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("--brisque-every"), std::string::npos) << bad;
  }
  EXPECT_EQ(options.Every("brisque_every"), 30);  // the declared default
  ASSERT_TRUE(options.Set("brisque_every", "1073741824").ok());
  EXPECT_EQ(options.Every("brisque_every"), 1 << 30);
}

// Statistics BRISQUE cannot fit (no positive or no negative MSCN
// coefficients) are null, where OpenCV answers a clamped 100.
TEST(BrisqueTest, UndefinedStatisticsAreNull) {
  const cv::Mat flat(180, 320, CV_8UC1, cv::Scalar(100));
  EXPECT_FALSE(Measure(View(flat), 8, ColorRange::kFull).has_value());
  EXPECT_EQ(OpenCvBrisque(flat), 100.0);
  cv::Mat ramp(180, 320, CV_8UC1);
  for (int r = 0; r < ramp.rows; ++r) {
    for (int x = 0; x < ramp.cols; ++x) ramp.at<uint8_t>(r, x) = x * 255 / 319;
  }
  EXPECT_FALSE(Measure(View(ramp), 8, ColorRange::kFull).has_value());
  const cv::Mat tiny(1, 1, CV_8UC1, cv::Scalar(7));
  EXPECT_FALSE(Measure(View(tiny), 8, ColorRange::kFull).has_value());
}

// Sets an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// ACUITY_BRISQUE_MODEL_DIR wins over the Debian path (which has the files
// here): pointed at an empty folder, scoring fails with one line naming the
// missing file and the package.
TEST(BrisqueTest, MissingModelIsAClearOneLineError) {
  const fs::path empty =
      fs::path(ACUITY_BINARY_DIR) / "brisque_test" / "empty_model_dir";
  fs::remove_all(empty);
  fs::create_directories(empty);
  const std::string clip = test::Generated(
      "brisque_gray_still.png", "-f lavfi -i testsrc2=s=64x48 -frames:v 1");
  ASSERT_FALSE(clip.empty());
  {
    ScopedEnv env(metrics::kBrisqueModelDirEnv, empty.string());
    auto dir = metrics::FindBrisqueModelDir();
    ASSERT_FALSE(dir.ok());
    EXPECT_EQ(dir.status().code(), StatusCode::kNotFound);

    auto selected = SelectMetrics("brisque");
    ASSERT_TRUE(selected.ok());
    ScoreOptions options;
    options.metrics = *selected;
    auto r = ScoreVideo(clip, options);
    ASSERT_FALSE(r.ok());
    const std::string& msg = r.status().message();
    EXPECT_NE(msg.find((empty / metrics::kBrisqueModelFile).string()),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("apt-get install opencv-data"), std::string::npos);
    EXPECT_NE(msg.find(clip), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;

    // The CLI prints it as one error line and exits 1.
    auto cli =
        test::RunCommand(test::Cli() + " score -q --metrics brisque " + clip);
    EXPECT_EQ(cli.exit_code, 1);
    EXPECT_EQ(cli.err, "acuity: error: " + msg + "\n");
  }
  // The Debian path is used again once the variable is gone.
  EXPECT_TRUE(metrics::FindBrisqueModelDir().ok());
}

}  // namespace
}  // namespace metrics_brisque_test
}  // namespace acuity
