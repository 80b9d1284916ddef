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
#include "kernels/owned_plane.h"
#include "kernels/targets.h"

namespace acuity::kernels {
namespace {

using test::Fill;
using test::MakePlane;
using test::MaxValue;

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

void ExpectAllTargetsMatchReference(const PlaneView& in,
                                    const std::string& what) {
  Output ref(in);
  BinomialSmooth3x3Reference(in, ref.data(), ref.stride);
  for (int64_t target : CompiledTargets()) {
    Output got(in);
    BinomialSmooth3x3OnTarget(target, in, got.data(), got.stride);
    ASSERT_EQ(got.samples, ref.samples)
        << what << " target=" << TargetName(target);
  }
  Output dispatched(in);
  BinomialSmooth3x3(in, dispatched.data(), dispatched.stride);
  ASSERT_EQ(dispatched.samples, ref.samples) << what << " dispatched";
}

TEST(ResolutionKernelTest, AllTargetsMatchReference) {
  const std::vector<std::pair<const char*, std::function<Fill(uint32_t)>>>
      patterns = {
          {"random",
           [](uint32_t max) -> Fill {
             return [max](int, int, std::mt19937& rng) {
               return rng() % (max + 1);
             };
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
      };
  uint32_t seed = 1;
  for (int depth : {8, 10, 12, 16}) {
    for (int width : {1, 2, 3, 4, 17, 63, 64, 65, 1921, 4100}) {
      for (int height : {1, 2, 3, 5}) {
        for (int pad : {0, 13}) {
          for (const auto& [name, make] : patterns) {
            const auto plane = MakePlane(width, height, depth, pad,
                                         make(MaxValue(depth)), seed++);
            ExpectAllTargetsMatchReference(
                plane.view, std::string(name) + " " + std::to_string(width) +
                                "x" + std::to_string(height) + " depth " +
                                std::to_string(depth) + " pad " +
                                std::to_string(pad));
          }
        }
      }
    }
  }
}

void ExpectHalvingTargetsMatchReference(const PlaneView& in,
                                        const std::string& what) {
  PlaneView half = in;
  half.width = in.width / 2;
  half.height = in.height / 2;
  Output ref(half);
  HalveAndSmooth8Reference(in, ref.data(), ref.stride);
  for (int64_t target : CompiledTargets()) {
    Output got(half);
    HalveAndSmooth8OnTarget(target, in, got.data(), got.stride);
    ASSERT_EQ(got.samples, ref.samples)
        << what << " target=" << TargetName(target);
  }
  Output dispatched(half);
  HalveAndSmooth8(in, dispatched.data(), dispatched.stride);
  ASSERT_EQ(dispatched.samples, ref.samples) << what << " dispatched";
}

TEST(ResolutionKernelTest, HalvingTargetsMatchReference) {
  uint32_t seed = 100;
  for (int width : {2, 6, 7, 8, 34, 126, 128, 130, 3842, 8194}) {
    for (int height : {2, 6, 8, 11}) {
      for (int pad : {0, 13}) {
        for (int pattern = 0; pattern < 3; ++pattern) {
          const Fill fill = [pattern](int x, int y, std::mt19937& rng) {
            if (pattern == 0) return static_cast<uint32_t>(rng() & 0xFF);
            if (pattern == 1) return 255u;
            return ((x + y) & 1) ? 255u : 0u;
          };
          const auto plane = MakePlane(width, height, 8, pad, fill, seed++);
          ExpectHalvingTargetsMatchReference(
              plane.view, std::to_string(width) + "x" + std::to_string(height) +
                              " pattern " + std::to_string(pattern) + " pad " +
                              std::to_string(pad));
        }
      }
    }
  }
}

TEST(ResolutionKernelTest, HalvingEqualsOpenCvAreaThenSmoothing) {
  const auto plane = MakePlane(
      1920, 1080, 8, 32,
      [](int, int, std::mt19937& rng) { return rng() & 0xFFu; }, 7);
  const cv::Mat src(1080, 1920, CV_8U, const_cast<uint8_t*>(plane.view.data),
                    static_cast<size_t>(plane.view.stride));
  cv::Mat half;
  cv::resize(src, half, cv::Size(960, 540), 0, 0, cv::INTER_AREA);
  PlaneView hv;
  hv.data = half.data;
  hv.stride = static_cast<ptrdiff_t>(half.step[0]);
  hv.width = 960;
  hv.height = 540;
  hv.bit_depth = 8;
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
}  // namespace acuity::kernels
