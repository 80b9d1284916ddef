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
#include "kernels/kernel_harness.h"
#include "kernels/opencv_planes.h"
#include "metrics/cv_plane.h"

namespace acuity::kernels::test {
namespace kernels_laplacian_test {
namespace {

std::string Describe(const LaplacianMoments& m) {
  return "count=" + std::to_string(m.count) + " sum=" + std::to_string(m.sum) +
         " sum_sq=" + std::to_string(m.sum_sq) +
         " sum_px=" + std::to_string(m.sum_px) +
         " sum_px_sq=" + std::to_string(m.sum_px_sq);
}

// Every compiled target and the dispatched entry point equal the reference.
void ExpectAllTargetsMatchReference(const PlaneView& view,
                                    const std::string& what) {
  test::ExpectTargetsAndDispatchEqual(
      what, ComputeLaplacianMomentsReference(view),
      [&](int64_t t) { return ComputeLaplacianMomentsOnTarget(t, view); },
      [&] { return ComputeLaplacianMoments(view); }, Describe);
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
  ExpectInteriorOnly(
      [](const PlaneView& v) { return ComputeLaplacianMoments(v); },
      [](const LaplacianMoments& m) { return m.count; });
}

// The harness's standard sweep: heights with 0, 1 and several interior
// rows.
TEST(LaplacianTest, AllTargetsMatchReference) {
  test::ForEachPlane(test::Sweep{}, [](const test::PlaneCase& c) {
    ExpectAllTargetsMatchReference(c.plane.view, c.what);
  });
}

TEST(LaplacianTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 7, {8, 10, 16},
                                 [](int64_t t, const PlaneView& v) {
                                   return ComputeLaplacianMomentsOnTarget(t, v);
                                 });
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
    const Fill fill = test::NamedPattern("checkerboard").make(max);
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
  test::ForEachLargePlane({8, 10, 16}, [](const test::PlaneCase& c) {
    ExpectAllTargetsMatchReference(c.plane.view, c.what);
  });
}

// The kernels are stateless: concurrent calls (including the first, which
// initialises Highway's dispatch) give the single-threaded answer.
TEST(LaplacianTest, ConcurrentCallsAgree) {
  const OwnedPlane p =
      MakePlane(1000, 200, 10, 8, test::NamedPattern("random").make(1023), 21);
  test::ExpectConcurrentCallsAgree(
      ComputeLaplacianMomentsReference(p.view),
      [&p] { return ComputeLaplacianMoments(p.view); });
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
  const PlaneView view = metrics::PlaneOf(img, img.depth() == CV_8U ? 8 : 10);

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
}  // namespace kernels_laplacian_test
}  // namespace acuity::kernels::test
