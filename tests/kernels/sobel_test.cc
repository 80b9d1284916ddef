// ComputeSobelMoments and ComputeNoiseBlocks: every compiled target equals
// the reference; the reference equals OpenCV's Sobel and the closed forms.
#include "kernels/sobel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "acuity/plane.h"
#include "kernels/kernel_harness.h"
#include "kernels/opencv_planes.h"
#include "metrics/cv_plane.h"

namespace acuity::kernels::test {
namespace kernels_sobel_test {
namespace {

std::string Describe(const SobelMoments& m) {
  return "count=" + std::to_string(m.count) +
         " sum_g2=" + std::to_string(m.sum_g2) +
         " sum_px=" + std::to_string(m.sum_px) +
         " sum_px_sq=" + std::to_string(m.sum_px_sq) +
         " mag_count=" + std::to_string(m.mag_count) +
         " sum_mag=" + std::to_string(m.sum_mag) +
         " sum_mag_sq=" + std::to_string(m.sum_mag_sq);
}

void ExpectSobelTargetsMatchReference(const PlaneView& view,
                                      const std::string& what) {
  test::ExpectTargetsAndDispatchEqual(
      what, ComputeSobelMomentsReference(view),
      [&](int64_t t) { return ComputeSobelMomentsOnTarget(t, view); },
      [&] { return ComputeSobelMoments(view); }, Describe);
}

std::vector<NoiseBlock> NoiseBlocks(int64_t target, const PlaneView& view,
                                    int row_step) {
  std::vector<NoiseBlock> blocks(3, NoiseBlock{1, 2, 3, 4});  // stale content
  if (target == kReference) {
    ComputeNoiseBlocksReference(view, row_step, &blocks);
  } else if (target == kDispatched) {
    ComputeNoiseBlocks(view, row_step, &blocks);
  } else {
    ComputeNoiseBlocksOnTarget(target, view, row_step, &blocks);
  }
  return blocks;
}

void ExpectNoiseTargetsMatchReference(const PlaneView& view, int row_step,
                                      const std::string& what) {
  ASSERT_EQ(NoiseBlocks(kReference, view, row_step).size(),
            static_cast<size_t>(NoiseBlockCols(view)) *
                NoiseBlockRows(view, row_step))
      << what;
  ExpectEntryPointsAgree(
      what, [&](int64_t t) { return NoiseBlocks(t, view, row_step); });
}

TEST(SobelTest, HandComputedExample) {
  // 3x3 plane, one interior pixel:
  //   1 2 3
  //   4 5 9
  //   7 8 0
  const uint32_t v[3][3] = {{1, 2, 3}, {4, 5, 9}, {7, 8, 0}};
  const Fill fill = [&v](int x, int y, std::mt19937&) { return v[y][x]; };
  for (int depth : {8, 10, 16}) {
    const OwnedPlane p = MakePlane(3, 3, depth, 5, fill, 1);
    const int64_t gx = (3 + 2 * 9 + 0) - (1 + 2 * 4 + 7);  // 5
    const int64_t gy = (7 + 2 * 8 + 0) - (1 + 2 * 2 + 3);  // 15
    SobelMoments want;
    want.count = 1;
    want.sum_g2 = gx * gx + gy * gy;  // 250
    want.sum_px = 5;
    want.sum_px_sq = 25;
    want.mag_count = 1;  // (0, 0) is on the lattice
    const double q = std::sqrt(250.0) * std::ldexp(1.0, 12 - depth);
    want.sum_mag = static_cast<uint64_t>(std::lround(q));
    want.sum_mag_sq = want.sum_mag * want.sum_mag;
    EXPECT_EQ(ComputeSobelMomentsReference(p.view), want) << depth;
    ExpectSobelTargetsMatchReference(p.view, "hand example");
  }
}

TEST(SobelTest, TooSmallPlanesHaveNoInterior) {
  ExpectInteriorOnly([](const PlaneView& v) { return ComputeSobelMoments(v); },
                     [](const SobelMoments& m) { return m.count; });
}

// The harness's sweep, heights also across a band of 32 rows, and a ramp
// with noise: magnitudes of every size, many near a rounding boundary of q.
TEST(SobelTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns.push_back(test::NamedPattern("ramp_noise"));
  sweep.heights = {1, 2, 3, 7, 37};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    if (c.height == 37 && c.width > 67 && c.depth > 12) return;  // slow ref
    ExpectSobelTargetsMatchReference(c.plane.view, c.what);
  });
}

TEST(SobelTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 7, {8, 10, 16},
                                 [](int64_t t, const PlaneView& v) {
                                   return ComputeSobelMomentsOnTarget(t, v);
                                 });
  test::ExpectPaddingIsNeverRead(
      1921, 35, {8, 10, 12},
      [](int64_t t, const PlaneView& v) { return NoiseBlocks(t, v, 1); });
}

// Vertical stripes 0, 0, max, max: |Gx| = 4 max and Gy = 0 at every
// interior pixel, the largest |G|^2 there is, on planes large enough to
// cross every flush budget (12 bits: 2 steps).
TEST(SobelTest, WorstCaseGradientDoesNotOverflow) {
  for (int depth : {8, 10, 12, 13, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int x, int, std::mt19937&) {
      return (x & 2) ? max : 0u;
    };
    const int w = depth > 12 ? 300 : 2000, h = depth > 12 ? 40 : 300;
    const OwnedPlane p = MakePlane(w, h, depth, 7, fill, 3);
    const int64_t count = int64_t{w - 2} * (h - 2);
    const uint64_t g = 4 * uint64_t{max};
    const SobelMoments ref = ComputeSobelMomentsReference(p.view);
    EXPECT_EQ(ref.count, count);
    EXPECT_EQ(ref.sum_g2, static_cast<uint64_t>(count) * g * g);
    // Every lattice magnitude is 4 max: q = round(4 max * 2^(12 - depth)).
    const uint64_t q = static_cast<uint64_t>(
        std::lround(4.0 * max * std::ldexp(1.0, 12 - depth)));
    EXPECT_EQ(ref.sum_mag, static_cast<uint64_t>(ref.mag_count) * q);
    ExpectSobelTargetsMatchReference(p.view,
                                     "stripes depth " + std::to_string(depth));
  }
}

TEST(SobelTest, LargeRandomPlanesMatchReference) {
  test::ForEachLargePlane({8, 10, 12}, [](const test::PlaneCase& c) {
    ExpectSobelTargetsMatchReference(c.plane.view, c.what);
  });
}

// The lattice covers one pixel in four, every row and every column
// equally: its count is exact for any size.
TEST(SobelTest, LatticeCountsOnePixelInFour) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() & 0xFF; };
  for (int w : {3, 4, 5, 6, 7, 66}) {
    for (int h : {3, 4, 5, 6, 7}) {
      const OwnedPlane p = MakePlane(w, h, 8, 0, fill, 9);
      int64_t want = 0;
      for (int y = 1; y < h - 1; ++y) {
        for (int x = 1; x < w - 1; ++x) {
          want += (x - 1) % 4 == kMagnitudePhase[(y - 1) % 4];
        }
      }
      EXPECT_EQ(ComputeSobelMoments(p.view).mag_count, want) << w << "x" << h;
    }
  }
  // A 4x4 interior: one lattice pixel per row and per column.
  EXPECT_EQ(ComputeSobelMoments(MakePlane(6, 6, 8, 0, fill, 1).view).mag_count,
            4);
}

// ---------------------------------------------------------------------------
// Agreement with OpenCV: sum of Gx^2 + Gy^2 over the interior equals the
// interior of cv::Sobel(CV_64F) dx and dy; the lattice magnitude moments
// equal sqrt(dx^2 + dy^2) on the lattice to the quantisation (|q/16 - M| <=
// 1/32 + float rounding).

void ExpectMatchesOpenCv(const cv::Mat& img, int bit_depth,
                         const std::string& what) {
  const PlaneView view = metrics::PlaneOf(img, bit_depth);
  cv::Mat dx, dy;
  cv::Sobel(img, dx, CV_64F, 1, 0, 3);
  cv::Sobel(img, dy, CV_64F, 0, 1, 3);
  double g2 = 0, mag = 0, mag_sq = 0;
  int64_t lattice = 0;
  for (int y = 1; y < img.rows - 1; ++y) {
    for (int x = 1; x < img.cols - 1; ++x) {
      const double a = dx.at<double>(y, x), b = dy.at<double>(y, x);
      g2 += a * a + b * b;
      if ((x - 1) % 4 == kMagnitudePhase[(y - 1) % 4]) {
        mag += std::sqrt(a * a + b * b);
        mag_sq += a * a + b * b;
        ++lattice;
      }
    }
  }
  const double unit = std::ldexp(1.0, bit_depth - 12);  // q -> native units
  for (int64_t target : CompiledTargets()) {
    const SobelMoments m = ComputeSobelMomentsOnTarget(target, view);
    ASSERT_EQ(m.count, int64_t{img.cols - 2} * (img.rows - 2));
    EXPECT_NEAR(static_cast<double>(m.sum_g2), g2, 1e-12 * g2)
        << what << " " << TargetName(target);
    ASSERT_EQ(m.mag_count, lattice);
    const double mean_q = static_cast<double>(m.sum_mag) / lattice * unit;
    const double mean_m = mag / lattice;
    // Per pixel |q unit - M| <= unit / 2 + 2^-24 M.
    EXPECT_NEAR(mean_q, mean_m, unit / 2 + 1e-6 * mean_m)
        << what << " " << TargetName(target);
    const double sd_q =
        std::sqrt(static_cast<double>(m.sum_mag_sq) / lattice * unit * unit -
                  mean_q * mean_q);
    const double sd_m = std::sqrt(mag_sq / lattice - mean_m * mean_m);
    EXPECT_NEAR(sd_q, sd_m, unit / 2 + 1e-6 * mean_m)
        << what << " " << TargetName(target);
  }
}

TEST(SobelTest, MatchesOpenCvSobel8Bit) {
  const cv::Mat noise = RandomImage(1280, 720, CV_8UC1, 255, 3);
  cv::Mat smooth;
  cv::GaussianBlur(noise, smooth, cv::Size(0, 0), 2.0);
  cv::normalize(smooth, smooth, 0, 255, cv::NORM_MINMAX);
  ExpectMatchesOpenCv(noise, 8, "random 1280x720");
  ExpectMatchesOpenCv(smooth, 8, "blurred 1280x720");
  ExpectMatchesOpenCv(smooth(cv::Rect(3, 5, 333, 101)), 8, "blurred ROI");
}

TEST(SobelTest, MatchesOpenCvSobel10Bit) {
  const cv::Mat noise = RandomImage(640, 360, CV_16UC1, 1023, 4);
  cv::Mat smooth;
  cv::GaussianBlur(noise, smooth, cv::Size(0, 0), 1.5);
  ExpectMatchesOpenCv(noise, 10, "random 10-bit");
  ExpectMatchesOpenCv(smooth, 10, "blurred 10-bit");
}

// The lattice standard deviation of the magnitude is within 0.5% of the
// full-frame one on real photographs and synthetic content (measured:
// <= 0.32%, baboon.jpg).
TEST(SobelTest, LatticeStdDevMatchesFullFrame) {
  const std::string dir = "/usr/share/doc/opencv-doc/examples/data/";
  std::vector<std::pair<std::string, cv::Mat>> images;
  for (const char* name : {"baboon.jpg", "building.jpg", "fruits.jpg"}) {
    cv::Mat img = cv::imread(dir + name, cv::IMREAD_GRAYSCALE);
    if (!img.empty()) images.emplace_back(name, img);
  }
  if (images.empty()) GTEST_SKIP() << "opencv-doc images not installed";
  // Synthetic: a ramp with sharp horizontal and vertical bars.
  cv::Mat bars(360, 640, CV_8U);
  for (int y = 0; y < bars.rows; ++y) {
    for (int x = 0; x < bars.cols; ++x) {
      bars.at<uint8_t>(y, x) = static_cast<uint8_t>(
          (x / 40 + y / 24) % 2 ? 200 - x / 8 : 30 + y / 6);
    }
  }
  images.emplace_back("bars", bars);
  for (const auto& [name, img] : images) {
    for (double sigma : {0.0, 1.0, 3.0}) {
      cv::Mat m = img;
      if (sigma > 0) cv::GaussianBlur(img, m, cv::Size(0, 0), sigma);
      cv::Mat dx, dy, mag;
      cv::Sobel(m, dx, CV_64F, 1, 0, 3);
      cv::Sobel(m, dy, CV_64F, 0, 1, 3);
      cv::magnitude(dx, dy, mag);
      cv::Scalar mean, sd;
      cv::meanStdDev(mag(cv::Rect(1, 1, m.cols - 2, m.rows - 2)), mean, sd);
      const SobelMoments s = ComputeSobelMoments(metrics::PlaneOf(m, 8));
      const double n = static_cast<double>(s.mag_count);
      const double mq = static_cast<double>(s.sum_mag) / n;
      const double sd_lattice =
          std::sqrt(static_cast<double>(s.sum_mag_sq) / n - mq * mq) / 16;
      EXPECT_NEAR(sd_lattice, sd[0], 0.005 * sd[0])
          << name << " blur " << sigma;
    }
  }
}

// ---------------------------------------------------------------------------
// Noise blocks.

TEST(NoiseTest, BlockGrid) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() & 0xFF; };
  const OwnedPlane p = MakePlane(1920, 1080, 8, 0, fill, 1);
  EXPECT_EQ(NoiseBlockCols(p.view), 119);    // 1918 / 16
  EXPECT_EQ(NoiseBlockRows(p.view, 1), 67);  // 1078 / 16
  EXPECT_EQ(NoiseBlockRows(p.view, 2), 34);
  EXPECT_EQ(NoiseBlockRows(p.view, 3), 23);
  const OwnedPlane small = MakePlane(17, 40, 8, 0, fill, 1);
  EXPECT_EQ(NoiseBlockCols(small.view), 0);
  std::vector<NoiseBlock> blocks(5);
  ComputeNoiseBlocks(small.view, 1, &blocks);
  EXPECT_TRUE(blocks.empty());
  ComputeNoiseBlocks(PlaneView{}, 1, &blocks);
  EXPECT_TRUE(blocks.empty());
}

// Widths and heights around the 16-pixel block grid (plus the border),
// every depth (11 too), every-row and every-other-block-row sampling.
TEST(NoiseTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.widths = {17, 18, 19, 33, 34, 50, 66, 67, 82, 130, 258, 1921};
  sweep.heights = {18, 19, 35, 50};
  sweep.depths = {8, 9, 10, 11, 12, 13, 16};
  sweep.patterns.push_back(test::NamedPattern("ramp_noise"));
  sweep.seed = 100;
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    for (int row_step : {1, 2}) {
      ExpectNoiseTargetsMatchReference(
          c.plane.view, row_step, c.what + " step " + std::to_string(row_step));
    }
  });
}

// Checkerboard 0/max: |N| = 8 max and Gx = Gy = 0 at every pixel (the
// largest |N| there is); vertical stripes: |Gx| = 4 max, N = 0.
TEST(NoiseTest, ClosedForms) {
  for (int depth : {8, 10, 12, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill checker = [max](int x, int y, std::mt19937&) {
      return ((x + y) & 1) ? max : 0u;
    };
    const Fill stripes = [max](int x, int, std::mt19937&) {
      return (x & 2) ? max : 0u;
    };
    const OwnedPlane c = MakePlane(1000, 70, depth, 5, checker, 1);
    const OwnedPlane s = MakePlane(1000, 70, depth, 5, stripes, 1);
    std::vector<NoiseBlock> bc, bs;
    ComputeNoiseBlocks(c.view, 1, &bc);
    ComputeNoiseBlocks(s.view, 1, &bs);
    ASSERT_EQ(bc.size(), 62u * 4u);
    for (const NoiseBlock& b : bc) {
      EXPECT_EQ(b.sum_abs_n, 128u * 8u * max);
      EXPECT_EQ(b.sum_grad, 0u);
      EXPECT_EQ(b.min, 0u);
      EXPECT_EQ(b.max, max);
    }
    for (const NoiseBlock& b : bs) {
      EXPECT_EQ(b.sum_abs_n, 0u);
      EXPECT_EQ(b.sum_grad, 128u * 4u * max);
    }
    ExpectNoiseTargetsMatchReference(c.view, 1, "checker");
    ExpectNoiseTargetsMatchReference(s.view, 3, "stripes");
  }
}

TEST(NoiseTest, LargeRandomPlanesMatchReference) {
  test::ForEachLargePlane({8, 10, 12}, [](const test::PlaneCase& c) {
    ExpectNoiseTargetsMatchReference(c.plane.view, 1, c.what);
  });
}

}  // namespace
}  // namespace kernels_sobel_test
}  // namespace acuity::kernels::test
