// gradient_energy and si through the Metric interface: OpenCV's Sobel as
// the oracle of gradient_energy, FFmpeg's siti filter as the oracle of si,
// and a Gaussian blur ladder that must lower them (and laplacian_var_nc).
#include "metrics/gradient.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "metrics/metric_test_util.h"
#include "test_util.h"

namespace acuity {
namespace metrics_gradient_test {
namespace {

using test::Entry;
using test::RunEntry;

cv::Mat Textured(int w, int h, int seed) {
  cv::Mat img(h, w, CV_8U);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(img, img, cv::Size(0, 0), 1.0);
  return img;
}

TEST(TextureGradientTest, Outputs) {
  const MetricEntry& e = Entry("gradient_energy");
  ASSERT_EQ(e.outputs.size(), 2u);
  EXPECT_EQ(e.outputs[0].key, "gradient_energy");
  EXPECT_EQ(e.outputs[1].key, "si");
  EXPECT_TRUE(e.in_default_set);
  EXPECT_EQ(MetricDirection("gradient_energy"), Direction::kHigherIsSharper);
  EXPECT_EQ(MetricDirection("si"), Direction::kHigherIsSharper);
}

// gradient_energy is the interior mean of dx^2 + dy^2 of cv::Sobel(CV_64F).
TEST(TextureGradientTest, GradientEnergyEqualsOpenCvSobel) {
  for (const cv::Mat& img : {Textured(641, 361, 1),
                             Textured(1921, 33, 2)(cv::Rect(5, 3, 1700, 29))}) {
    cv::Mat dx, dy;
    cv::Sobel(img, dx, CV_64F, 1, 0, 3);
    cv::Sobel(img, dy, CV_64F, 0, 1, 3);
    const cv::Rect interior(1, 1, img.cols - 2, img.rows - 2);
    const double want =
        (dx(interior).dot(dx(interior)) + dy(interior).dot(dy(interior))) /
        interior.area();
    const auto v = RunEntry("gradient_energy", img, 8, ColorRange::kFull);
    ASSERT_TRUE(v[0].has_value());
    EXPECT_NEAR(*v[0], want, 1e-12 * want);
  }
}

// si is the population standard deviation of the Sobel magnitude: within
// 0.5% of OpenCV's over the whole interior (the lattice, kernels/sobel.h).
TEST(TextureGradientTest, SiIsTheStdDevOfTheSobelMagnitude) {
  const cv::Mat img = Textured(640, 360, 3);
  cv::Mat dx, dy, mag;
  cv::Sobel(img, dx, CV_64F, 1, 0, 3);
  cv::Sobel(img, dy, CV_64F, 0, 1, 3);
  cv::magnitude(dx, dy, mag);
  cv::Scalar mean, sd;
  cv::meanStdDev(mag(cv::Rect(1, 1, img.cols - 2, img.rows - 2)), mean, sd);
  const auto v = RunEntry("gradient_energy", img, 8, ColorRange::kFull);
  ASSERT_TRUE(v[1].has_value());
  EXPECT_NEAR(*v[1], sd[0], 0.005 * sd[0]);
}

TEST(TextureGradientTest, LimitedRangeAndTenBitAreScaled) {
  const cv::Mat img8 = Textured(320, 180, 4);
  cv::Mat img10;
  img8.convertTo(img10, CV_16U, 4.0);  // the same picture in 10-bit codes
  const auto full = RunEntry("gradient_energy", img8, 8, ColorRange::kFull);
  const auto limited =
      RunEntry("gradient_energy", img8, 8, ColorRange::kLimited);
  const auto ten = RunEntry("gradient_energy", img10, 10, ColorRange::kFull);
  const double g = 255.0 / 219.0;
  EXPECT_NEAR(*limited[0], *full[0] * g * g, 1e-12 * *limited[0]);
  EXPECT_NEAR(*limited[1], *full[1] * g, 1e-12 * *limited[1]);
  EXPECT_NEAR(*ten[0], *full[0], 1e-12 * *full[0]);
  EXPECT_NEAR(*ten[1], *full[1], 1e-12 * *full[1]);
}

TEST(TextureGradientTest, FlatFramesAreNullNotNaN) {
  const cv::Mat flat(90, 160, CV_8U, cv::Scalar(128));
  for (const auto& v :
       RunEntry("gradient_energy", flat, 8, ColorRange::kFull)) {
    EXPECT_FALSE(v.has_value());
  }
  cv::Mat faint = flat.clone();  // luma std 0.35 < 1: still undetermined
  for (int y = 0; y < faint.rows; y += 2) faint.at<uint8_t>(y, 5) = 129;
  for (const auto& v :
       RunEntry("gradient_energy", faint, 8, ColorRange::kFull)) {
    EXPECT_FALSE(v.has_value());
  }
  cv::Mat edge = flat.clone();
  edge(cv::Rect(80, 0, 80, 90)).setTo(200);
  const auto v = RunEntry("gradient_energy", edge, 8, ColorRange::kFull);
  ASSERT_TRUE(v[0].has_value() && v[1].has_value());
  EXPECT_TRUE(std::isfinite(*v[0]) && std::isfinite(*v[1]));
  EXPECT_GT(*v[0], 0.0);
  EXPECT_GT(*v[1], 0.0);
  const cv::Mat tiny(2, 2, CV_8U, cv::Scalar(7));
  for (const auto& t :
       RunEntry("gradient_energy", tiny, 8, ColorRange::kFull)) {
    EXPECT_FALSE(t.has_value());
  }
}

// ---------------------------------------------------------------------------
// si against FFmpeg's siti filter, frame by frame, on the same files.

// lavfi.siti.si of every frame, in decode order (empty on failure).
std::vector<double> FfmpegSi(const std::string& path) {
  const std::string out = path + ".siti.txt";
  const test::RunResult r = test::RunCommand(
      "ffmpeg -nostdin -hide_banner -v error -i '" + path +
      "' -vf siti,metadata=mode=print:file='" + out + "' -f null -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<double> si;
  std::istringstream in(test::ReadFile(out));
  std::string line;
  const std::string key = "lavfi.siti.si=";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0)
      si.push_back(std::stod(line.substr(key.size())));
  }
  std::remove(out.c_str());
  return si;
}

// FFmpeg reports SI in full-range code values of the input depth (0..1023
// at 10 bits: limited 64..940 maps to 0..1023); acuity in 8-bit units.
void ExpectSiMatchesFfmpeg(const std::string& path, double ffmpeg_per_acuity) {
  ASSERT_FALSE(path.empty());
  const std::vector<double> want = FfmpegSi(path);
  const auto got = test::Measure(path, "gradient_energy");
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->keys[1], "si");
  const auto& si = got->values[1];
  ASSERT_EQ(si.size(), want.size()) << path;
  ASSERT_FALSE(want.empty());
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_TRUE(si[i].has_value()) << path << " frame " << i;
    const double ours = *si[i] * ffmpeg_per_acuity;
    EXPECT_NEAR(ours, want[i], 0.015 * want[i]) << path << " frame " << i;
    worst = std::max(worst, std::abs(ours / want[i] - 1));
  }
  std::printf("[ si vs siti ] %s: %zu frames, worst %.3f%%\n", path.c_str(),
              want.size(), 100 * worst);
}

const char kLimited8[] =
    "-pix_fmt yuv420p -color_range tv -colorspace smpte170m -c:v libx264 "
    "-preset veryfast -crf 18";

TEST(TextureGradientTest, SiMatchesFfmpegSiti8BitH264) {
  ExpectSiMatchesFfmpeg(
      test::Generated("texture_siti_testsrc2.mp4",
                      "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 6 " +
                          std::string(kLimited8)),
      1.0);
  // A photograph, sharp and blurred.
  const std::string baboon =
      "/usr/share/doc/opencv-doc/examples/data/baboon.jpg";
  if (std::FILE* f = std::fopen(baboon.c_str(), "rb")) {
    std::fclose(f);
    ExpectSiMatchesFfmpeg(
        test::Generated(
            "texture_siti_baboon.mp4",
            "-loop 1 -i " + baboon + " -frames:v 2 " + std::string(kLimited8)),
        1.0);
    ExpectSiMatchesFfmpeg(
        test::Generated("texture_siti_baboon_blur.mp4",
                        "-loop 1 -i " + baboon +
                            " -vf gblur=sigma=1.5 -frames:v 2 " +
                            std::string(kLimited8)),
        1.0);
  }
}

TEST(TextureGradientTest, SiMatchesFfmpegSiti10Bit) {
  ExpectSiMatchesFfmpeg(
      test::Generated("texture_siti_testsrc2_10bit.mp4",
                      "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 4 "
                      "-pix_fmt yuv420p10le -color_range tv -colorspace bt709 "
                      "-c:v libx264 -preset veryfast -crf 18"),
      1023.0 / 255.0);
}

// Same input, same numbers, whatever the decoder's thread count.
TEST(TextureGradientTest, ThreadsDoNotChangeValues) {
  const std::string path =
      test::Generated("texture_siti_testsrc2.mp4",
                      "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 6 " +
                          std::string(kLimited8));
  ASSERT_FALSE(path.empty());
  const auto one = test::Measure(path, "gradient_energy,noise_sigma", 1);
  const auto two = test::Measure(path, "gradient_energy,noise_sigma", 2);
  ASSERT_TRUE(one.has_value() && two.has_value());
  EXPECT_EQ(one->keys, two->keys);
  EXPECT_EQ(one->values, two->values);
}

// ---------------------------------------------------------------------------
// Known degradation: a Gaussian blur ladder on detailed content (lossless
// H.264, so only the blur changes) lowers every sharpness output.

TEST(TextureLadderTest, BlurLowersGradientEnergySiAndLaplacianVarNc) {
  std::vector<double> energy, si, lap_nc;
  for (int sigma : {0, 1, 2, 3, 4}) {
    std::string vf = "testsrc2=s=640x360:r=25,format=yuv444p";
    if (sigma > 0) vf += ",gblur=sigma=" + std::to_string(sigma) + ":steps=6";
    const std::string path = test::Generated(
        "texture_ladder_sigma" + std::to_string(sigma) + ".mp4",
        "-f lavfi -i " + vf +
            ",format=yuv420p -frames:v 3 -color_range tv -colorspace "
            "smpte170m -c:v libx264 -preset ultrafast -qp 0");
    ASSERT_FALSE(path.empty());
    const auto m = test::Measure(path, "gradient_energy,noise_sigma");
    ASSERT_TRUE(m.has_value());
    energy.push_back(*m->Of("gradient_energy").median);
    si.push_back(*m->Of("si").median);
    lap_nc.push_back(*m->Of("laplacian_var_nc").median);
    std::printf(
        "[ ladder ] sigma %d: gradient_energy %.1f si %.2f "
        "laplacian_var_nc %.2f noise_sigma %.3f\n",
        sigma, energy.back(), si.back(), lap_nc.back(),
        *m->Of("noise_sigma").median);
  }
  for (size_t i = 1; i < energy.size(); ++i) {
    EXPECT_LT(energy[i], energy[i - 1]) << "sigma " << i;
    EXPECT_LT(si[i], si[i - 1]) << "sigma " << i;
    EXPECT_LT(lap_nc[i], lap_nc[i - 1]) << "sigma " << i;
  }
}

}  // namespace
}  // namespace metrics_gradient_test
}  // namespace acuity
