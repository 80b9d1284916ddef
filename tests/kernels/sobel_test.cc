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
#include "kernels/owned_plane.h"
#include "kernels/targets.h"

namespace acuity::kernels {
namespace {

using test::Fill;
using test::MakePlane;
using test::MaxValue;
using test::OwnedPlane;

struct Pattern {
  const char* name;
  std::function<Fill(uint32_t max)> make;
};

std::vector<Pattern> Patterns() {
  return {
      {"random",
       [](uint32_t max) -> Fill {
         return
             [max](int, int, std::mt19937& rng) { return rng() % (max + 1); };
       }},
      {"max",
       [](uint32_t max) -> Fill {
         return [max](int, int, std::mt19937&) { return max; };
       }},
      {"checkerboard",
       [](uint32_t max) -> Fill {
         return [max](int x, int y, std::mt19937&) {
           return ((x + y) & 1) ? max : 0u;
         };
       }},
      {"random_extremes",
       [](uint32_t max) -> Fill {
         return [max](int, int, std::mt19937& rng) {
           return (rng() & 1) ? max : 0u;
         };
       }},
      // Smooth ramp plus a little noise: magnitudes of every size, many
      // near a rounding boundary of q.
      {"ramp_noise",
       [](uint32_t max) -> Fill {
         return [max](int x, int y, std::mt19937& rng) {
           const uint32_t v = (x * 7 + y * 3) % (max + 1) + rng() % 3;
           return v > max ? max : v;
         };
       }},
  };
}

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
  const SobelMoments ref = ComputeSobelMomentsReference(view);
  for (int64_t target : CompiledTargets()) {
    const SobelMoments got = ComputeSobelMomentsOnTarget(target, view);
    ASSERT_EQ(got, ref) << what << " target=" << TargetName(target)
                        << "\n  got " << Describe(got) << "\n  ref "
                        << Describe(ref);
  }
  ASSERT_EQ(ComputeSobelMoments(view), ref) << what << " (dispatched)";
}

void ExpectNoiseTargetsMatchReference(const PlaneView& view, int row_step,
                                      const std::string& what) {
  std::vector<NoiseBlock> ref, got;
  ComputeNoiseBlocksReference(view, row_step, &ref);
  ASSERT_EQ(ref.size(), static_cast<size_t>(NoiseBlockCols(view)) *
                            NoiseBlockRows(view, row_step))
      << what;
  for (int64_t target : CompiledTargets()) {
    got.assign(3, NoiseBlock{1, 2, 3, 4});  // stale content must vanish
    ComputeNoiseBlocksOnTarget(target, view, row_step, &got);
    ASSERT_EQ(got.size(), ref.size()) << what << " " << TargetName(target);
    for (size_t i = 0; i < ref.size(); ++i) {
      ASSERT_EQ(got[i], ref[i])
          << what << " target=" << TargetName(target) << " block " << i
          << ": got " << got[i].sum_abs_n << "/" << got[i].sum_grad << "/"
          << got[i].min << "/" << got[i].max << " ref " << ref[i].sum_abs_n
          << "/" << ref[i].sum_grad << "/" << ref[i].min << "/" << ref[i].max;
    }
  }
  ComputeNoiseBlocks(view, row_step, &got);
  ASSERT_EQ(got, ref) << what << " (dispatched)";
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
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() & 0xFF; };
  for (int w : {1, 2, 3, 70}) {
    for (int h : {1, 2, 3}) {
      const OwnedPlane p = MakePlane(w, h, 8, 3, fill, 7);
      const SobelMoments m = ComputeSobelMoments(p.view);
      if (w >= 3 && h >= 3) {
        EXPECT_EQ(m.count, (w - 2) * (h - 2));
      } else {
        EXPECT_EQ(m, SobelMoments{}) << w << "x" << h;
      }
    }
  }
  EXPECT_EQ(ComputeSobelMoments(PlaneView{}), SobelMoments{});
}

// Awkward widths around every vector size (16/32/64 bytes, 8/16/32 u16
// lanes), heights with 0, 1 and several interior rows and across a band of
// 32 rows, strides > width.
TEST(SobelTest, AllTargetsMatchReference) {
  const int widths[] = {1,  2,  3,  4,  9,  10, 15, 16, 17,  18,  19,
                        33, 34, 35, 63, 64, 65, 66, 67, 130, 257, 1921};
  const int heights[] = {1, 2, 3, 7, 37};
  const int depths[] = {8, 9, 10, 12, 13, 16};
  uint32_t seed = 1;
  for (int depth : depths) {
    for (const Pattern& pattern : Patterns()) {
      const Fill fill = pattern.make(MaxValue(depth));
      for (int w : widths) {
        for (int h : heights) {
          if (h == 37 && w > 67 && depth > 12) continue;  // slow reference
          for (int pad : {0, 13}) {
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            ExpectSobelTargetsMatchReference(
                p.view, std::string(pattern.name) + " " + std::to_string(w) +
                            "x" + std::to_string(h) + " depth " +
                            std::to_string(depth) + " pad " +
                            std::to_string(pad));
          }
        }
      }
    }
  }
}

TEST(SobelTest, PaddingIsNeverRead) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() % 1024; };
  for (int depth : {8, 10}) {
    const OwnedPlane a = MakePlane(1921, 7, depth, 40, fill, 11);
    OwnedPlane b = MakePlane(1921, 7, depth, 40, fill, 12);
    for (int y = 0; y < 7; ++y) {
      for (int x = 0; x < 1921; ++x) b.Set(x, y, a.view.At(x, y));
    }
    for (int64_t target : CompiledTargets()) {
      EXPECT_EQ(ComputeSobelMomentsOnTarget(target, a.view),
                ComputeSobelMomentsOnTarget(target, b.view))
          << TargetName(target) << " depth " << depth;
      std::vector<NoiseBlock> ba, bb;
      ComputeNoiseBlocksOnTarget(target, a.view, 1, &ba);
      ComputeNoiseBlocksOnTarget(target, b.view, 1, &bb);
      EXPECT_EQ(ba, bb) << TargetName(target) << " depth " << depth;
    }
  }
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
  for (int depth : {8, 10, 12}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane p = MakePlane(1920, 1080, depth, 64, fill, 5);
    ExpectSobelTargetsMatchReference(p.view,
                                     "1080p depth " + std::to_string(depth));
  }
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

PlaneView ViewOf(const cv::Mat& img, int bit_depth) {
  PlaneView view;
  view.data = img.data;
  view.stride = static_cast<ptrdiff_t>(img.step[0]);
  view.width = img.cols;
  view.height = img.rows;
  view.bit_depth = bit_depth;
  return view;
}

void ExpectMatchesOpenCv(const cv::Mat& img, int bit_depth,
                         const std::string& what) {
  const PlaneView view = ViewOf(img, bit_depth);
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

cv::Mat RandomImage(int w, int h, int type, double max, uint64_t seed) {
  cv::Mat img(h, w, type);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, max + 1);
  return img;
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
      const SobelMoments s = ComputeSobelMoments(ViewOf(m, 8));
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

TEST(NoiseTest, AllTargetsMatchReference) {
  const int widths[] = {17, 18, 19, 33, 34, 50, 66, 67, 82, 130, 258, 1921};
  const int heights[] = {18, 19, 35, 50};
  const int depths[] = {8, 9, 10, 11, 12, 13, 16};
  uint32_t seed = 100;
  for (int depth : depths) {
    for (const Pattern& pattern : Patterns()) {
      const Fill fill = pattern.make(MaxValue(depth));
      for (int w : widths) {
        for (int h : heights) {
          for (int row_step : {1, 2}) {
            const int pad = (seed & 1) ? 13 : 0;
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            ExpectNoiseTargetsMatchReference(
                p.view, row_step,
                std::string(pattern.name) + " " + std::to_string(w) + "x" +
                    std::to_string(h) + " depth " + std::to_string(depth) +
                    " step " + std::to_string(row_step));
          }
        }
      }
    }
  }
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
  for (int depth : {8, 10, 12}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane p = MakePlane(1920, 1080, depth, 64, fill, 5);
    ExpectNoiseTargetsMatchReference(p.view, 1,
                                     "1080p depth " + std::to_string(depth));
  }
}

}  // namespace
}  // namespace acuity::kernels
