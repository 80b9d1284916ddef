// detail_scale_px / detail_share (metrics/detail.h): flat is not blurry.
#include "metrics/detail.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "metric_test_util.h"

namespace acuity {
namespace metrics_detail_test {
namespace {

const std::string kData = "/usr/share/doc/opencv-doc/examples/data/";

cv::Mat Photo(const std::string& name, int w = 640, int h = 360) {
  cv::Mat img = cv::imread(kData + name, cv::IMREAD_GRAYSCALE);
  EXPECT_FALSE(img.empty()) << name;
  if (img.empty()) return cv::Mat(h, w, CV_8UC1, cv::Scalar(128));
  cv::Mat out;
  cv::resize(img, out, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat Blur(const cv::Mat& m, double sigma) {
  if (sigma <= 0) return m.clone();
  cv::Mat out;
  cv::GaussianBlur(m, out, cv::Size(0, 0), sigma);
  return out;
}

std::vector<std::optional<double>> Detail(const cv::Mat& m) {
  return test::RunEntry("detail_scale_px", m, 8, ColorRange::kFull);
}

// Rises strictly with Gaussian blur on photos of different kinds.
TEST(DetailScale, RisesWithBlur) {
  for (const std::string name : {"building.jpg", "fruits.jpg", "baboon.jpg"}) {
    const cv::Mat img = Photo(name);
    double last = 0;
    for (double sigma : {0.0, 1.0, 2.0, 4.0}) {
      const auto v = Detail(Blur(img, sigma));
      ASSERT_TRUE(v[0].has_value()) << name << " sigma " << sigma;
      std::printf("  %s sigma %.0f: detail_scale_px %.3f share %.2f\n",
                  name.c_str(), sigma, *v[0], *v[1]);
      EXPECT_GT(*v[0], last * 1.15) << name << " sigma " << sigma;
      last = *v[0];
    }
  }
}

// Contrast does not change the scale: a quarter-contrast copy of a sharp
// photo reads within 10% of the original, and far sharper than the
// full-contrast photo blurred by sigma 2.
TEST(DetailScale, LowContrastSharpIsNotBlurry) {
  const cv::Mat img = Photo("building.jpg");
  cv::Mat faint;
  img.convertTo(faint, CV_8U, 0.25, 96);
  const auto full = Detail(img), low = Detail(faint),
             blurred = Detail(Blur(img, 2.0));
  ASSERT_TRUE(full[0] && low[0] && blurred[0]);
  EXPECT_NEAR(*low[0], *full[0], 0.1 * *full[0]);
  EXPECT_LT(*low[0] * 1.5, *blurred[0]);
}

// Flat frames are null, not blurry: a plain wall with grain, a smooth
// sky-like gradient, black. A sharp photo has structure in most tiles.
TEST(DetailScale, FlatFramesAreNull) {
  cv::Mat wall(360, 640, CV_8UC1, cv::Scalar(140));
  cv::Mat grain(wall.size(), CV_16SC1);
  cv::randn(grain, 0, 2.0);
  cv::Mat grainy;
  wall.convertTo(grainy, CV_16S);
  grainy += grain;
  grainy.convertTo(grainy, CV_8U);
  cv::Mat sky(360, 640, CV_8UC1);
  for (int y = 0; y < sky.rows; ++y) {
    for (int x = 0; x < sky.cols; ++x) {
      sky.at<uint8_t>(y, x) = static_cast<uint8_t>(90 + y * 120 / 360 + x / 40);
    }
  }
  for (const cv::Mat* m : {&wall, &grainy, &sky}) {
    const auto v = Detail(*m);
    EXPECT_FALSE(v[0].has_value());
    ASSERT_TRUE(v[1].has_value());
    EXPECT_LT(*v[1], metrics::kDetailMinShare);
  }
  const auto photo = Detail(Photo("building.jpg"));
  ASSERT_TRUE(photo[1].has_value());
  EXPECT_GT(*photo[1], 0.8);
}

}  // namespace
}  // namespace metrics_detail_test
}  // namespace acuity
