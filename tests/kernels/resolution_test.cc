// BinomialSmooth3x3 and HalveAndSmooth8: every compiled SIMD target and the
// dispatched entry point equal the plain reference exactly, on awkward
// widths, padded strides, extreme values and every bit depth the decoder
// hands over; the fused 2x path equals OpenCV's INTER_AREA + smoothing.
#include "kernels/resolution.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "acuity/plane.h"
#include "kernels/kernel_harness.h"
#include "metrics/cv_plane.h"

namespace acuity::kernels::test {
namespace kernels_resolution_test {
namespace {

// Output buffer with a padded stride filled with a sentinel, so writes
// outside the (W-2) x (H-2) interior are caught too.
struct Output {
  int width = 0, height = 0;
  ptrdiff_t stride = 0;  // bytes
  std::vector<uint16_t> samples;
  explicit Output(const PlaneView& in)
      : width(std::max(0, in.width - 2)),
        height(std::max(0, in.height - 2)),
        stride(static_cast<ptrdiff_t>(width + 7) * 2),
        samples(static_cast<size_t>(width + 7) * std::max(1, height), 0xBEEF) {}
  uint16_t* data() { return samples.data(); }
};

std::vector<uint16_t> Smoothed(int64_t target, const PlaneView& in) {
  Output out(in);
  if (target == kReference) {
    BinomialSmooth3x3Reference(in, out.data(), out.stride);
  } else if (target == kDispatched) {
    BinomialSmooth3x3(in, out.data(), out.stride);
  } else {
    BinomialSmooth3x3OnTarget(target, in, out.data(), out.stride);
  }
  return out.samples;
}

// The harness's sweep, and 4100 (past every row buffer).
TEST(ResolutionKernelTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.widths.push_back(4100);
  sweep.heights = {1, 2, 3, 5};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    ExpectEntryPointsAgree(
        c.what, [&](int64_t t) { return Smoothed(t, c.plane.view); });
  });
}

TEST(ResolutionKernelTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 5, {8, 10, 16}, Smoothed);
}

std::vector<uint16_t> Halved(int64_t target, const PlaneView& in) {
  PlaneView half = in;
  half.width = in.width / 2;
  half.height = in.height / 2;
  Output out(half);
  if (target == kReference) {
    HalveAndSmooth8Reference(in, out.data(), out.stride);
  } else if (target == kDispatched) {
    HalveAndSmooth8(in, out.data(), out.stride);
  } else {
    HalveAndSmooth8OnTarget(target, in, out.data(), out.stride);
  }
  return out.samples;
}

// 8-bit planes only (the fused path), widths around twice every vector size.
TEST(ResolutionKernelTest, HalvingTargetsMatchReference) {
  test::Sweep sweep;
  sweep.depths = {8};
  sweep.patterns = test::Patterns({"random", "max", "checkerboard", "zero"});
  sweep.widths = {2, 6, 7, 8, 34, 66, 126, 128, 130, 258, 3842, 8194};
  sweep.heights = {2, 6, 8, 11};
  sweep.seed = 100;
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    ExpectEntryPointsAgree(c.what,
                           [&](int64_t t) { return Halved(t, c.plane.view); });
  });
}

TEST(ResolutionKernelTest, HalvingPaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(3842, 11, {8}, Halved);
}

TEST(ResolutionKernelTest, HalvingEqualsOpenCvAreaThenSmoothing) {
  const auto plane = MakePlane(
      1920, 1080, 8, 32,
      [](int, int, std::mt19937& rng) { return rng() & 0xFFu; }, 7);
  const cv::Mat src(1080, 1920, CV_8U, const_cast<uint8_t*>(plane.view.data),
                    static_cast<size_t>(plane.view.stride));
  cv::Mat half;
  cv::resize(src, half, cv::Size(960, 540), 0, 0, cv::INTER_AREA);
  const PlaneView hv = metrics::PlaneOf(half, 8);
  Output two_step(hv), fused(hv);
  BinomialSmooth3x3(hv, two_step.data(), two_step.stride);
  HalveAndSmooth8(plane.view, fused.data(), fused.stride);
  EXPECT_EQ(fused.samples, two_step.samples);
}

TEST(ResolutionKernelTest, ReferenceIsTheBinomialSum) {
  // 8-bit: the exact weighted sum; >8-bit: the rounded weighted mean.
  const auto p8 = MakePlane(
      4, 3, 8, 0, [](int x, int y, std::mt19937&) { return 10u * x + y; }, 1);
  Output o8(p8.view);
  BinomialSmooth3x3Reference(p8.view, o8.data(), o8.stride);
  // Centre (1,1): rows 0..2, columns 0..2 of 10x + y.
  uint32_t expect = 0;
  const uint32_t w[3] = {1, 2, 1};
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 3; ++i) expect += w[i] * w[j] * (10u * i + j);
  }
  EXPECT_EQ(o8.samples[0], expect);
  EXPECT_EQ(o8.samples[1], expect + 16 * 10);
  const auto p16 = MakePlane(
      3, 3, 16, 0, [](int, int, std::mt19937&) { return 65535u; }, 2);
  Output o16(p16.view);
  BinomialSmooth3x3Reference(p16.view, o16.data(), o16.stride);
  EXPECT_EQ(o16.samples[0], 65535);
  EXPECT_EQ(BinomialSmoothDepth(8), 12);
  EXPECT_EQ(BinomialSmoothDepth(10), 10);
}

}  // namespace
}  // namespace kernels_resolution_test
}  // namespace acuity::kernels::test
