#include "kernels/laplacian.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <thread>
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
      {"zero",
       [](uint32_t) -> Fill {
         return [](int, int, std::mt19937&) { return 0u; };
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
  };
}

std::string Describe(const LaplacianMoments& m) {
  return "count=" + std::to_string(m.count) + " sum=" + std::to_string(m.sum) +
         " sum_sq=" + std::to_string(m.sum_sq) +
         " sum_px=" + std::to_string(m.sum_px) +
         " sum_px_sq=" + std::to_string(m.sum_px_sq);
}

// Every compiled target and the dispatched entry point equal the reference.
void ExpectAllTargetsMatchReference(const PlaneView& view,
                                    const std::string& what) {
  const LaplacianMoments ref = ComputeLaplacianMomentsReference(view);
  for (int64_t target : CompiledTargets()) {
    const LaplacianMoments got = ComputeLaplacianMomentsOnTarget(target, view);
    ASSERT_EQ(got, ref) << what << " target=" << TargetName(target)
                        << "\n  got " << Describe(got) << "\n  ref "
                        << Describe(ref);
  }
  ASSERT_EQ(ComputeLaplacianMoments(view), ref) << what << " (dispatched)";
}

TEST(LaplacianTest, HasTargets) {
  ASSERT_FALSE(CompiledTargets().empty());
  EXPECT_STRNE(ActiveSimdTarget(), "Unknown");
  EXPECT_STREQ(ActiveSimdTarget(), TargetName(CompiledTargets().front()));
  for (int64_t target : CompiledTargets()) {
    EXPECT_GE(DispatchTableIndex(target), 0) << TargetName(target);
  }
}

TEST(LaplacianTest, HandComputedExample) {
  // 3x4 plane, two interior pixels (1,1) and (1,2).
  //   0  0  0
  //   0 10  0
  //   0  3  0
  //   0  0  0
  const Fill fill = [](int x, int y, std::mt19937&) -> uint32_t {
    if (x == 1 && y == 1) return 10;
    if (x == 1 && y == 2) return 3;
    return 0;
  };
  for (int depth : {8, 10, 16}) {
    const OwnedPlane p = MakePlane(3, 4, depth, 5, fill, 1);
    LaplacianMoments want;
    want.count = 2;
    want.sum = (3 - 40) + (10 - 12);  // -37 + -2
    want.sum_sq = 37 * 37 + 2 * 2;    // 1373
    want.sum_px = 13;
    want.sum_px_sq = 109;
    EXPECT_EQ(ComputeLaplacianMomentsReference(p.view), want) << depth;
    ExpectAllTargetsMatchReference(p.view, "hand example");
  }
}

TEST(LaplacianTest, TooSmallPlanesHaveNoInterior) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() & 0xFF; };
  for (int w : {1, 2, 3, 64}) {
    for (int h : {1, 2, 3}) {
      const OwnedPlane p = MakePlane(w, h, 8, 3, fill, 7);
      const LaplacianMoments m = ComputeLaplacianMoments(p.view);
      if (w >= 3 && h >= 3) {
        EXPECT_EQ(m.count, (w - 2) * (h - 2));
      } else {
        EXPECT_EQ(m, LaplacianMoments{}) << w << "x" << h;
      }
    }
  }
  EXPECT_EQ(ComputeLaplacianMoments(PlaneView{}), LaplacianMoments{});
}

// Awkward widths around every vector size (16/32/64 bytes, 8/16/32 u16
// lanes), heights with 0, 1 and several interior rows, strides > width.
TEST(LaplacianTest, AllTargetsMatchReference) {
  const int widths[] = {1,  2,  3,  4,  9,  10, 15, 16, 17,  18,  19,
                        33, 34, 35, 63, 64, 65, 66, 67, 130, 257, 1921};
  const int heights[] = {1, 2, 3, 7};
  const int depths[] = {8, 9, 10, 12, 13, 14, 16};
  uint32_t seed = 1;
  for (int depth : depths) {
    for (const Pattern& pattern : Patterns()) {
      const Fill fill = pattern.make(MaxValue(depth));
      for (int w : widths) {
        for (int h : heights) {
          for (int pad : {0, 13}) {
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            ExpectAllTargetsMatchReference(
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

TEST(LaplacianTest, PaddingIsNeverRead) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() % 1024; };
  for (int depth : {8, 10, 16}) {
    // Same seed for the samples, different garbage: MakePlane draws the
    // garbage first, so build the samples from a separate fixed table.
    const OwnedPlane a = MakePlane(1921, 7, depth, 40, fill, 11);
    OwnedPlane b = MakePlane(1921, 7, depth, 40, fill, 12);
    for (int y = 0; y < 7; ++y) {
      for (int x = 0; x < 1921; ++x) b.Set(x, y, a.view.At(x, y));
    }
    for (int64_t target : CompiledTargets()) {
      EXPECT_EQ(ComputeLaplacianMomentsOnTarget(target, a.view),
                ComputeLaplacianMomentsOnTarget(target, b.view))
          << TargetName(target) << " depth " << depth;
    }
  }
}

// The closed form for a 0/max checkerboard: every interior L is +-4 max, and
// the plane is large enough to cross the int32 flush budget of every target
// (within a row at 16384+ pixels, and across rows).
TEST(LaplacianTest, CheckerboardWorstCaseDoesNotOverflow) {
  struct Size {
    int w, h;
  };
  for (int depth : {8, 10, 12, 13, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int x, int y, std::mt19937&) {
      return ((x + y) & 1) ? max : 0u;
    };
    for (Size s : {Size{16500, 4}, Size{2000, 300}}) {
      const OwnedPlane p = MakePlane(s.w, s.h, depth, 7, fill, 3);
      const int64_t count = int64_t{s.w - 2} * (s.h - 2);
      const uint64_t l = 4 * uint64_t{max};
      const LaplacianMoments ref = ComputeLaplacianMomentsReference(p.view);
      EXPECT_EQ(ref.count, count);
      EXPECT_EQ(ref.sum_sq, static_cast<uint64_t>(count) * l * l);
      ExpectAllTargetsMatchReference(
          p.view, "checkerboard depth " + std::to_string(depth) + " " +
                      std::to_string(s.w) + "x" + std::to_string(s.h));
    }
  }
}

TEST(LaplacianTest, LargeRandomPlanesMatchReference) {
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane p = MakePlane(1920, 1080, depth, 64, fill, 5);
    ExpectAllTargetsMatchReference(p.view,
                                   "1080p depth " + std::to_string(depth));
  }
}

// The kernels are stateless: concurrent calls (including the first, which
// initialises Highway's dispatch) give the single-threaded answer.
TEST(LaplacianTest, ConcurrentCallsAgree) {
  const uint32_t max = MaxValue(10);
  const Fill fill = [max](int, int, std::mt19937& rng) {
    return rng() % (max + 1);
  };
  const OwnedPlane p = MakePlane(1000, 200, 10, 8, fill, 21);
  const LaplacianMoments want = ComputeLaplacianMomentsReference(p.view);
  std::vector<LaplacianMoments> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back(
        [&p, &got, i] { got[i] = ComputeLaplacianMoments(p.view); });
  }
  for (std::thread& t : threads) t.join();
  for (const LaplacianMoments& m : got) EXPECT_EQ(m, want);
}

// ---------------------------------------------------------------------------
// Agreement with OpenCV: var(L) over the interior equals the variance of
// cv::Laplacian(ksize=1) cropped to the same interior.

double VarianceFromMoments(const LaplacianMoments& m) {
  const double n = static_cast<double>(m.count);
  const double sum = static_cast<double>(m.sum);
  return (static_cast<double>(m.sum_sq) - sum * sum / n) / n;
}

void ExpectMatchesOpenCv(const cv::Mat& img, const std::string& what) {
  PlaneView view;
  view.data = img.data;
  view.stride = static_cast<ptrdiff_t>(img.step[0]);
  view.width = img.cols;
  view.height = img.rows;
  view.bit_depth = img.depth() == CV_8U ? 8 : 10;

  cv::Mat lap;
  cv::Laplacian(img, lap, CV_64F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(lap(cv::Rect(1, 1, img.cols - 2, img.rows - 2)), mean, stddev);
  const double cv_var = stddev[0] * stddev[0];

  for (int64_t target : CompiledTargets()) {
    const LaplacianMoments m = ComputeLaplacianMomentsOnTarget(target, view);
    ASSERT_EQ(m.count, int64_t{img.cols - 2} * (img.rows - 2));
    const double var = VarianceFromMoments(m);
    EXPECT_NEAR(var, cv_var, 1e-9 * cv_var)
        << what << " target " << TargetName(target);
    EXPECT_NEAR(static_cast<double>(m.sum) / m.count, mean[0],
                1e-9 * std::max(1.0, std::abs(mean[0])))
        << what << " target " << TargetName(target);
  }
}

cv::Mat RandomImage(int w, int h, int type, double max, uint64_t seed) {
  cv::Mat img(h, w, type);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, max + 1);
  return img;
}

TEST(LaplacianTest, VarianceMatchesOpenCvOnRandom8Bit) {
  ExpectMatchesOpenCv(RandomImage(640, 480, CV_8UC1, 255, 1), "random 640x480");
  ExpectMatchesOpenCv(RandomImage(1921, 7, CV_8UC1, 255, 2), "random 1921x7");
}

TEST(LaplacianTest, VarianceMatchesOpenCvOnSmooth8Bit) {
  const cv::Mat noise = RandomImage(1280, 720, CV_8UC1, 255, 3);
  cv::Mat smooth;
  cv::GaussianBlur(noise, smooth, cv::Size(0, 0), 3.0);
  ExpectMatchesOpenCv(smooth, "blurred 1280x720");
  // A region of interest: stride larger than width.
  ExpectMatchesOpenCv(smooth(cv::Rect(3, 5, 333, 101)), "blurred ROI");
}

TEST(LaplacianTest, VarianceMatchesOpenCvOn10Bit) {
  const cv::Mat noise = RandomImage(640, 360, CV_16UC1, 1023, 4);
  cv::Mat smooth;
  cv::GaussianBlur(noise, smooth, cv::Size(0, 0), 1.5);
  ExpectMatchesOpenCv(noise, "random 10-bit");
  ExpectMatchesOpenCv(smooth, "blurred 10-bit");
}

}  // namespace
}  // namespace acuity::kernels
