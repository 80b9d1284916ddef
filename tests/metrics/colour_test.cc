// Colour outputs (saturation_mean, saturation_p90, colorfulness,
// pallid_share) through the Metric interface and the real decode pipeline,
// against FFmpeg's signalstats, OpenCV on RGB, and closed forms.
#include "metrics/colour.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/metric.h"
#include "metrics/frame_analysis.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_colour_test {
namespace {

using test::Entry;
using test::Median;

const std::string kData = "/usr/share/doc/opencv-doc/examples/data/";

// An 8-bit frame from OpenCV planes (chroma may be subsampled or empty).
Frame MakeFrame(const cv::Mat& y, const cv::Mat& u, const cv::Mat& v) {
  const auto view = [](const cv::Mat& m) {
    PlaneView p;
    if (m.empty()) return p;
    p.data = m.data;
    p.stride = static_cast<ptrdiff_t>(m.step[0]);
    p.width = m.cols;
    p.height = m.rows;
    p.bit_depth = m.depth() == CV_8U ? 8 : 10;
    return p;
  };
  Frame f;
  f.y = view(y);
  f.u = view(u);
  f.v = view(v);
  return f;
}

std::vector<std::optional<double>> RunColour(const Frame& f, ColorRange range,
                                             ColorMatrix matrix) {
  auto m = Entry("saturation_mean").create();
  StreamInfo info;
  info.width = f.y.width;
  info.height = f.y.height;
  info.bit_depth = f.y.bit_depth;
  info.has_chroma = !f.u.empty();
  info.range = range;
  info.scale = LumaScale::For(f.y.bit_depth, range);
  info.matrix = matrix;
  EXPECT_TRUE(m->Init(info).ok());
  FrameValues out(4);
  ProcessFrame(*m, f, info.scale, out);
  return out.values();
}

// A real photo as full-range BT.601 8-bit planes, chroma 4:2:0 by area
// averaging (what an encoder's downsampling does).
struct Yuv {
  cv::Mat y, u, v;
};
Yuv Photo420(const std::string& file) {
  const cv::Mat bgr = cv::imread(kData + file, cv::IMREAD_COLOR);
  EXPECT_FALSE(bgr.empty()) << file;
  cv::Mat ycrcb;
  cv::cvtColor(bgr, ycrcb, cv::COLOR_BGR2YCrCb);  // BT.601, full range
  std::vector<cv::Mat> ch;
  cv::split(ycrcb, ch);
  Yuv out;
  out.y = ch[0];
  const cv::Size half((bgr.cols + 1) / 2, (bgr.rows + 1) / 2);
  cv::resize(ch[2], out.u, half, 0, 0, cv::INTER_AREA);
  cv::resize(ch[1], out.v, half, 0, 0, cv::INTER_AREA);
  return out;
}

// Hasler & Suesstrunk's M computed directly on an 8-bit BGR image.
double HaslerM(const cv::Mat& bgr) {
  cv::Mat f;
  bgr.convertTo(f, CV_64FC3);
  std::vector<cv::Mat> c;
  cv::split(f, c);
  const cv::Mat rg = c[2] - c[1];
  const cv::Mat yb = 0.5 * (c[2] + c[1]) - c[0];
  cv::Scalar m_rg, sd_rg, m_yb, sd_yb;
  cv::meanStdDev(rg, m_rg, sd_rg);
  cv::meanStdDev(yb, m_yb, sd_yb);
  return std::sqrt(sd_rg[0] * sd_rg[0] + sd_yb[0] * sd_yb[0]) +
         0.3 * std::sqrt(m_rg[0] * m_rg[0] + m_yb[0] * m_yb[0]);
}

// SATAVG of every frame, from FFmpeg's signalstats on the same file.
std::vector<double> Satavg(const std::string& path) {
  const test::RunResult r =
      test::RunCommand("ffmpeg -nostdin -v error -i '" + path +
                       "' -vf signalstats,metadata=print:file=- -f null -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<double> out;
  std::istringstream in(r.out);
  std::string line;
  const std::string key = "lavfi.signalstats.SATAVG=";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0)
      out.push_back(std::stod(line.substr(key.size())));
  }
  return out;
}

TEST(ColourTest, EntryHasStableKeys) {
  const MetricEntry& e = Entry("saturation_mean");
  ASSERT_EQ(e.outputs.size(), 4u);
  EXPECT_EQ(e.outputs[metrics::kSaturationMean].key, "saturation_mean");
  EXPECT_EQ(e.outputs[metrics::kSaturationP90].key, "saturation_p90");
  EXPECT_EQ(e.outputs[metrics::kColorfulness].key, "colorfulness");
  EXPECT_EQ(e.outputs[metrics::kPallidShare].key, "pallid_share");
  EXPECT_TRUE(e.in_default_set);
  for (const MetricInfo& o : e.outputs) {
    EXPECT_EQ(o.direction, Direction::kNeutral) << o.key;
  }
}

// divide_100_blocks(540, 960, 0) in NTIA's MATLAB: 14 x 7 blocks of 68 x 77,
// the last column 76 wide and the last row 78 high.
TEST(ColourTest, NtiaBlocksFollowDivide100Blocks) {
  const metrics::BlockGrid g = metrics::NtiaBlocks(540, 960);
  ASSERT_EQ(g.x.size(), 15u);
  ASSERT_EQ(g.y.size(), 8u);
  EXPECT_EQ(g.x[1], 68);
  EXPECT_EQ(g.x[13], 884);
  EXPECT_EQ(g.x[14], 960);
  EXPECT_EQ(g.y[1], 77);
  EXPECT_EQ(g.y[6], 462);
  EXPECT_EQ(g.y[7], 540);
  // Any size: boundaries strictly increase from 0 to the plane size.
  for (auto [rows, cols] : std::vector<std::pair<int, int>>{
           {1, 1}, {1, 500}, {3, 2}, {180, 320}, {9, 17}, {2160, 1920}}) {
    const metrics::BlockGrid b = metrics::NtiaBlocks(rows, cols);
    ASSERT_GE(b.x.size(), 2u);
    ASSERT_GE(b.y.size(), 2u);
    EXPECT_EQ(b.x.front(), 0);
    EXPECT_EQ(b.x.back(), cols);
    EXPECT_EQ(b.y.front(), 0);
    EXPECT_EQ(b.y.back(), rows);
    for (size_t i = 1; i < b.x.size(); ++i) EXPECT_LT(b.x[i - 1], b.x[i]);
    for (size_t i = 1; i < b.y.size(); ++i) EXPECT_LT(b.y[i - 1], b.y[i]);
    const size_t n = (b.x.size() - 1) * (b.y.size() - 1);
    if (rows * cols >= 10000) {
      EXPECT_NEAR(static_cast<double>(n), 100.0, 10.0);
    }
  }
}

// The oracle: signalstats SATAVG is the mean of (int)hypotf(u-mid, v-mid)
// in native code values, i.e. the truncated radius. So, per frame, acuity's
// radius (native units: saturation_mean / chroma_gain, quantised to 1/16)
// must lie in [SATAVG, SATAVG + 1), and within 1% of SATAVG + 0.5 (the
// truncation's mean loss when fractional parts are spread evenly).
void ExpectMatchesSatavg(const std::string& path, double chroma_gain) {
  ASSERT_FALSE(path.empty());
  const std::vector<double> sat = Satavg(path);
  const auto m = test::Measure(path, "saturation_mean");
  ASSERT_TRUE(m.has_value());
  const auto& ours = m->Series("saturation_mean");
  ASSERT_EQ(ours.size(), sat.size());
  ASSERT_GE(sat.size(), 1u);
  for (size_t i = 0; i < sat.size(); ++i) {
    ASSERT_TRUE(ours[i].has_value());
    const double native = *ours[i] / chroma_gain;
    EXPECT_GE(native, sat[i] - 1.0 / 32) << path << " frame " << i;
    EXPECT_LT(native, sat[i] + 1.0 + 1.0 / 32) << path << " frame " << i;
    EXPECT_NEAR(native, sat[i] + 0.5, 0.01 * (sat[i] + 0.5))
        << path << " frame " << i;
  }
}

TEST(ColourTest, SaturationMeanMatchesSignalstatsOn8BitH264) {
  const double gain = 255.0 / 224.0;  // limited range, 8 bit
  ExpectMatchesSatavg(
      test::Generated("colour_testsrc2_420_crf18.mp4",
                      "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 5 "
                      "-c:v libx264 -pix_fmt yuv420p -crf 18"),
      gain);
  ExpectMatchesSatavg(
      test::Generated("colour_fruits_420_crf18.mp4",
                      "-i " + kData +
                          "fruits.jpg -vf scale=out_range=tv,format=yuv420p "
                          "-frames:v 1 -c:v libx264 -crf 18"),
      gain);
}

TEST(ColourTest, SaturationMeanMatchesSignalstatsOn10BitH264) {
  // signalstats measures 10-bit planes natively (mid 512): SATAVG is in
  // 10-bit code values, as is saturation_mean / (255 / (224 * 4)).
  ExpectMatchesSatavg(
      test::Generated("colour_testsrc2_420p10_crf18.mp4",
                      "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 3 "
                      "-c:v libx264 -pix_fmt yuv420p10le -crf 18"),
      255.0 / (224.0 * 4.0));
}

// Synthetic planes: saturation_mean is the exact mean radius up to the
// 1/16 quantisation, colorfulness is Hasler's M of R'G'B' made from the
// planes with the published BT.601 constants (any Y': it cancels), and the
// row-sampled p90 is close to the whole-frame p90.
TEST(ColourTest, MatchesDirectComputationOnPhotoPlanes) {
  for (const char* file : {"fruits.jpg", "baboon.jpg", "building.jpg"}) {
    const Yuv p = Photo420(file);
    const auto out = RunColour(MakeFrame(p.y, p.u, p.v), ColorRange::kFull,
                               ColorMatrix::kBt601);
    ASSERT_TRUE(out[0] && out[1] && out[2] && out[3]) << file;
    std::vector<double> radius;
    double sum_rg = 0, sum_yb = 0, sq_rg = 0, sq_yb = 0;
    for (int y = 0; y < p.u.rows; ++y) {
      for (int x = 0; x < p.u.cols; ++x) {
        const double du = p.u.at<uint8_t>(y, x) - 128.0;
        const double dv = p.v.at<uint8_t>(y, x) - 128.0;
        radius.push_back(std::hypot(du, dv));
        const double r = 1.402 * dv;
        const double g = -0.344136 * du - 0.714136 * dv;
        const double b = 1.772 * du;
        const double rg = r - g, yb = 0.5 * (r + g) - b;
        sum_rg += rg;
        sum_yb += yb;
        sq_rg += rg * rg;
        sq_yb += yb * yb;
      }
    }
    const double n = static_cast<double>(radius.size());
    double mean_r = 0;
    for (double r : radius) mean_r += r;
    mean_r /= n;
    EXPECT_NEAR(*out[0], mean_r, 1.0 / 32) << file;

    const double m_rg = sum_rg / n, m_yb = sum_yb / n;
    const double want_m =
        std::sqrt(sq_rg / n - m_rg * m_rg + sq_yb / n - m_yb * m_yb) +
        0.3 * std::sqrt(m_rg * m_rg + m_yb * m_yb);
    EXPECT_NEAR(*out[2], want_m, 1e-4 * want_m) << file;

    std::sort(radius.begin(), radius.end());
    const double p90 = radius[static_cast<size_t>(std::ceil(0.9 * n)) - 1];
    std::printf(
        "%s: saturation_p90 %.3f (every %d-th chroma row), whole "
        "frame %.3f\n",
        file, *out[1], metrics::kSaturationRowStep, p90);
    EXPECT_NEAR(*out[1], p90, std::max(1.0, 0.03 * p90)) << file;
  }
}

// Hasler's M on the chroma grid without clipping vs. M on the RGB picture
// OpenCV decodes (its own chroma upsampling, RGB clipped to 0..255). JPEG:
// acuity reads the coded 4:2:2/4:2:0 planes; PNG (RGB): acuity converts to
// 4:4:4 BT.601 full range with libswscale.
TEST(ColourTest, ColorfulnessMatchesOpenCvOnRgb) {
  const std::string ts = test::Generated(
      "colour_testsrc2.png", "-f lavfi -i testsrc2=s=640x360 -frames:v 1");
  const std::string hue =
      test::Generated("colour_fruits_hue05.png",
                      "-i " + kData + "fruits.jpg -vf hue=s=0.5 -frames:v 1");
  struct Case {
    std::string path;
    double tolerance;  // relative
  };
  const Case cases[] = {{kData + "fruits.jpg", 0.03},
                        {kData + "baboon.jpg", 0.03},
                        {kData + "building.jpg", 0.03},
                        {ts, 0.01},
                        {hue, 0.01}};
  for (const Case& c : cases) {
    ASSERT_FALSE(c.path.empty());
    const cv::Mat bgr = cv::imread(c.path, cv::IMREAD_COLOR);
    ASSERT_FALSE(bgr.empty()) << c.path;
    const double want = HaslerM(bgr);
    const auto m = test::Measure(c.path, "saturation_mean");
    ASSERT_TRUE(m.has_value()) << c.path;
    const double got = Median(*m, "colorfulness");
    std::printf("colorfulness %s: acuity %.3f, OpenCV RGB %.3f (%+.2f%%)\n",
                c.path.c_str(), got, want, 100.0 * (got - want) / want);
    EXPECT_NEAR(got, want, c.tolerance * want) << c.path;
  }
}

// hue=s= scales chroma around neutral: every colour output moves
// monotonically with s, and s = 0 is grey (radius 0, every block pallid).
TEST(ColourTest, HueSaturationLadderIsMonotonic) {
  for (const std::string& src :
       {"-i " + kData + "fruits.jpg",
        std::string("-f lavfi -i testsrc2=s=640x360")}) {
    const std::string tag =
        src.find("fruits") != std::string::npos ? "fruits" : "testsrc2";
    std::vector<std::vector<double>> v;  // [step][output]
    for (const char* s : {"0", "0.25", "0.5", "0.75", "1.0"}) {
      const std::string path = test::Generated(
          "colour_hue_" + tag + "_s" + s + ".mkv",
          src + " -vf hue=s=" + s + ",format=yuv420p -frames:v 1 -c:v ffv1");
      ASSERT_FALSE(path.empty());
      const auto m = test::Measure(path, "saturation_mean");
      ASSERT_TRUE(m.has_value());
      v.push_back({Median(*m, "saturation_mean"), Median(*m, "saturation_p90"),
                   Median(*m, "colorfulness"), Median(*m, "pallid_share")});
      std::printf(
          "%s hue=s=%s: saturation_mean %.2f p90 %.2f colorfulness "
          "%.2f pallid_share %.3f\n",
          tag.c_str(), s, v.back()[0], v.back()[1], v.back()[2], v.back()[3]);
    }
    EXPECT_LT(v[0][0], 0.5) << tag;
    EXPECT_LT(v[0][1], 0.5) << tag;
    EXPECT_LT(v[0][2], 0.5) << tag;
    EXPECT_EQ(v[0][3], 1.0) << tag;
    for (size_t i = 1; i < v.size(); ++i) {
      for (int k = 0; k < 3; ++k) {
        EXPECT_GT(v[i][k], v[i - 1][k] + 1.0) << tag << " step " << i;
      }
      EXPECT_LE(v[i][3], v[i - 1][3]) << tag << " step " << i;
    }
    EXPECT_LT(v.back()[3], 0.9) << tag;
  }
}

// The same pictures coded limited and full range (lossless): after range
// scaling every output agrees; residual differences are the rounding of
// the two conversions (and a few blocks crossing the pallid threshold).
TEST(ColourTest, LimitedAndFullRangeAgree) {
  struct Source {
    const char* tag;
    std::string args;
  };
  const Source sources[] = {{"fruits", "-i " + kData + "fruits.jpg"},
                            {"baboon", "-i " + kData + "baboon.jpg"},
                            {"testsrc2", "-f lavfi -i testsrc2=s=640x360"}};
  for (const Source& src : sources) {
    std::vector<std::vector<double>> v;
    for (const char* r : {"tv", "pc"}) {
      const std::string path = test::Generated(
          std::string("colour_range_") + src.tag + "_" + r + ".mkv",
          src.args + " -vf scale=out_range=" + r +
              ",format=yuv420p -color_range " + r + " -frames:v 1 -c:v ffv1");
      ASSERT_FALSE(path.empty());
      const auto m = test::Measure(path, "saturation_mean,luma_rms_contrast");
      ASSERT_TRUE(m.has_value());
      v.push_back({Median(*m, "saturation_mean"), Median(*m, "saturation_p90"),
                   Median(*m, "colorfulness"), Median(*m, "pallid_share"),
                   Median(*m, "luma_rms_contrast"),
                   Median(*m, "clipped_share")});
    }
    std::printf(
        "limited vs full (%s): sat %.3f/%.3f p90 %.3f/%.3f M %.3f/%.3f "
        "pallid %.3f/%.3f rms %.3f/%.3f clipped %.4f/%.4f\n",
        src.tag, v[0][0], v[1][0], v[0][1], v[1][1], v[0][2], v[1][2], v[0][3],
        v[1][3], v[0][4], v[1][4], v[0][5], v[1][5]);
    for (int k : {0, 1, 2}) {
      EXPECT_NEAR(v[0][k], v[1][k], 0.01 * v[1][k] + 0.1) << src.tag << k;
    }
    EXPECT_NEAR(v[0][3], v[1][3], 0.05) << src.tag;
    EXPECT_NEAR(v[0][4], v[1][4], 0.005 * v[1][4]) << src.tag;
  }
}

TEST(ColourTest, GrayInputIsNullNeverNaN) {
  const std::string path = test::Generated(
      "colour_gray.png",
      "-f lavfi -i testsrc2=s=320x180 -frames:v 1 -pix_fmt gray");
  ASSERT_FALSE(path.empty());
  const auto m = test::Measure(path, "saturation_mean,luma_rms_contrast");
  ASSERT_TRUE(m.has_value());
  for (const char* key :
       {"saturation_mean", "saturation_p90", "colorfulness", "pallid_share"}) {
    EXPECT_EQ(m->Of(key).n, 0) << key;
    EXPECT_EQ(m->Of(key).n_null, 1) << key;
  }
  for (const char* key : {"luma_rms_contrast", "clipped_share"}) {
    EXPECT_EQ(m->Of(key).n, 1) << key;
    ASSERT_TRUE(m->Of(key).median.has_value()) << key;
    EXPECT_TRUE(std::isfinite(*m->Of(key).median)) << key;
  }
  // The metric itself, on a frame without chroma planes.
  const cv::Mat y(64, 64, CV_8U, cv::Scalar(100));
  for (const auto& v : RunColour(MakeFrame(y, {}, {}), ColorRange::kFull,
                                 ColorMatrix::kBt601)) {
    EXPECT_FALSE(v.has_value());
  }
}

// NTIA's rule per block: pallid when std(Cb) < 3 OR std(Cr) < 3 (limited
// 8-bit units, n-1 normalised). Checked on a 200x100 chroma plane (14 x 7
// blocks of 14 x 14, the last column 18 wide, the last row 16 high).
TEST(ColourTest, PallidShareFollowsNtiaRule) {
  const metrics::BlockGrid g = metrics::NtiaBlocks(100, 200);
  ASSERT_EQ(g.x.size(), 15u);
  ASSERT_EQ(g.y.size(), 8u);
  const cv::Mat y(200, 400, CV_8U, cv::Scalar(128));
  struct Case {
    int amp_u, amp_v;  // +-amp checkerboard around 128 in each block
    double want;
  };
  // Limited range: +-3 gives std 3 * sqrt(n / (n - 1)) > 3: not pallid;
  // +-2: pallid. Cb varied but Cr flat: pallid (NTIA's OR).
  for (const Case c : {Case{3, 3, 0.0}, Case{2, 3, 1.0}, Case{3, 2, 1.0},
                       Case{20, 0, 1.0}, Case{0, 0, 1.0}}) {
    cv::Mat u(100, 200, CV_8U), v(100, 200, CV_8U);
    for (int r = 0; r < 100; ++r) {
      for (int x = 0; x < 200; ++x) {
        const int sign = ((r + x) & 1) ? 1 : -1;
        u.at<uint8_t>(r, x) = static_cast<uint8_t>(128 + sign * c.amp_u);
        v.at<uint8_t>(r, x) = static_cast<uint8_t>(90 + sign * c.amp_v);
      }
    }
    const auto out = RunColour(MakeFrame(y, u, v), ColorRange::kLimited,
                               ColorMatrix::kBt709);
    ASSERT_TRUE(out[3].has_value());
    EXPECT_EQ(*out[3], c.want) << c.amp_u << "," << c.amp_v;
  }
  // Half the blocks flat (left 7 columns of blocks), half varied.
  cv::Mat u(100, 200, CV_8U), v(100, 200, CV_8U);
  for (int r = 0; r < 100; ++r) {
    for (int x = 0; x < 200; ++x) {
      const int amp = x < g.x[7] ? 0 : 10;
      const int sign = ((r + x) & 1) ? 1 : -1;
      u.at<uint8_t>(r, x) = static_cast<uint8_t>(128 + sign * amp);
      v.at<uint8_t>(r, x) = static_cast<uint8_t>(128 - sign * amp);
    }
  }
  const auto out =
      RunColour(MakeFrame(y, u, v), ColorRange::kFull, ColorMatrix::kBt709);
  EXPECT_EQ(out[3].value_or(-1), 0.5);
  // Full range: the threshold is 3 * 255/224 = 3.42 full-range units.
  cv::Mat u4(100, 200, CV_8U), v4(100, 200, CV_8U);
  for (int amp : {3, 4}) {
    for (int r = 0; r < 100; ++r) {
      for (int x = 0; x < 200; ++x) {
        const int sign = ((r + x) & 1) ? 1 : -1;
        u4.at<uint8_t>(r, x) = static_cast<uint8_t>(128 + sign * amp);
        v4.at<uint8_t>(r, x) = static_cast<uint8_t>(128 - sign * amp);
      }
    }
    const auto o =
        RunColour(MakeFrame(y, u4, v4), ColorRange::kFull, ColorMatrix::kBt709);
    EXPECT_EQ(o[3].value_or(-1), amp == 3 ? 1.0 : 0.0) << amp;
  }
}

// The decoder's matrix: from the stream's tag, by size when untagged,
// BT.601 for pictures acuity converts from RGB.
TEST(ColourTest, DecoderReportsColorMatrix) {
  struct Case {
    std::string name, args;
    ColorMatrix want;
  };
  const std::string small = "-f lavfi -i color=c=red:s=320x180 -frames:v 1 ";
  const std::string hd = "-f lavfi -i color=c=red:s=1280x720 -frames:v 1 ";
  const Case cases[] = {
      {"colour_m_untagged_180p.mkv", small + "-pix_fmt yuv420p -c:v ffv1",
       ColorMatrix::kBt601},
      {"colour_m_untagged_720p.mkv", hd + "-pix_fmt yuv420p -c:v ffv1",
       ColorMatrix::kBt709},
      {"colour_m_709_180p.mkv",
       small + "-pix_fmt yuv420p -colorspace bt709 -c:v ffv1",
       ColorMatrix::kBt709},
      {"colour_m_601_720p.mkv",
       hd + "-pix_fmt yuv420p -colorspace smpte170m -c:v ffv1",
       ColorMatrix::kBt601},
      {"colour_m_2020_180p.mkv",
       small + "-pix_fmt yuv420p10le -colorspace bt2020nc -c:v ffv1",
       ColorMatrix::kBt2020},
      {"colour_m_rgb_720p.png", hd, ColorMatrix::kBt601},
  };
  for (const Case& c : cases) {
    const std::string path = test::Generated(c.name, c.args);
    ASSERT_FALSE(path.empty()) << c.name;
    auto d = Decoder::Open(path, DecoderOptions{});
    ASSERT_TRUE(d.ok()) << d.status().message();
    Frame f;
    auto got = (*d)->Next(&f);
    ASSERT_TRUE(got.ok() && got.value()) << c.name;
    EXPECT_EQ((*d)->stream().matrix, c.want)
        << c.name << ": " << ColorMatrixName((*d)->stream().matrix);
  }
}

}  // namespace
}  // namespace metrics_colour_test
}  // namespace acuity
