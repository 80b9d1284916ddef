// The kernel test harness itself: it sees every compiled target, sweeps
// what it says, and fails when a target, the dispatched entry point or a
// kernel that reads row padding differs from the reference.
#include "kernels/kernel_harness.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "kernels/laplacian.h"
#include "kernels/targets.h"

namespace acuity::kernels {
namespace kernels_kernel_harness_test {
namespace {

TEST(KernelHarnessTest, HasTargets) {
  ASSERT_FALSE(CompiledTargets().empty());
  EXPECT_STRNE(ActiveSimdTarget(), "Unknown");
  EXPECT_STREQ(ActiveSimdTarget(), TargetName(CompiledTargets().front()));
  for (int64_t target : CompiledTargets()) {
    EXPECT_GE(DispatchTableIndex(target), 0) << TargetName(target);
  }
}

TEST(KernelHarnessTest, SweepVisitsEveryCombinationOnce) {
  test::Sweep sweep;
  sweep.depths = {8, 16};
  sweep.patterns = test::Patterns({"random", "checkerboard"});
  sweep.widths = {1, 17};
  sweep.heights = {2, 3};
  sweep.pads = {0, 13};
  std::set<std::string> seen;
  std::set<uint32_t> seeds;
  const int n = test::ForEachPlane(sweep, [&](const test::PlaneCase& c) {
    seen.insert(c.what);
    seeds.insert(c.seed);
    const PlaneView& v = c.plane.view;
    EXPECT_EQ(v.width, c.width);
    EXPECT_EQ(v.height, c.height);
    EXPECT_EQ(v.bit_depth, c.depth);
    EXPECT_EQ(v.stride, (c.width + c.pad) * (c.depth > 8 ? 2 : 1));
    for (int y = 0; y < v.height; ++y) {
      for (int x = 0; x < v.width; ++x) {
        ASSERT_LE(v.At(x, y), test::MaxValue(c.depth)) << c.what;
        if (c.pattern.name == "checkerboard") {
          ASSERT_EQ(v.At(x, y), ((x + y) & 1) ? test::MaxValue(c.depth) : 0u);
        }
      }
    }
  });
  EXPECT_EQ(n, 2 * 2 * 2 * 2 * 2);
  EXPECT_EQ(seen.size(), 32u);
  EXPECT_EQ(seeds.size(), 32u);
  EXPECT_TRUE(seen.count("checkerboard 17x3 depth 16 pad 13"));
}

TEST(KernelHarnessTest, StandardSweepCoversEveryVectorSize) {
  const std::vector<int>& w = test::StandardWidths();
  for (int lanes : {16, 32, 64, 128}) {  // bytes at 8 bits, lanes at 16
    for (int d : {-1, 0, 1}) {
      EXPECT_TRUE(std::count(w.begin(), w.end(), lanes + d)) << lanes + d;
    }
  }
  EXPECT_TRUE(std::count(w.begin(), w.end(), 1921));
  const std::vector<int>& depths = test::StandardDepths();
  for (int d : {8, 9, 10, 12, 13, 14, 16}) {
    EXPECT_TRUE(std::count(depths.begin(), depths.end(), d)) << d;
  }
}

TEST(KernelHarnessTest, NamedPatternsReachTheExtremes) {
  for (const char* name : {"random", "zero", "max", "checkerboard", "extremes",
                           "ramp", "ramp_noise"}) {
    const test::Pattern p = test::NamedPattern(name);
    EXPECT_EQ(p.name, name);
    const test::OwnedPlane plane =
        test::MakePlane(70, 9, 10, 0, p.make(1023), 1);
    uint32_t lo = 1023, hi = 0;
    for (int y = 0; y < 9; ++y) {
      for (int x = 0; x < 70; ++x) {
        lo = std::min(lo, plane.view.At(x, y));
        hi = std::max(hi, plane.view.At(x, y));
      }
    }
    EXPECT_LE(hi, 1023u) << name;
    if (std::string(name) != "zero") {
      EXPECT_GT(hi, 0u) << name;
    }
    if (std::string(name) == "max") {
      EXPECT_EQ(lo, 1023u);
    }
    if (std::string(name) == "extremes" ||
        std::string(name) == "checkerboard") {
      EXPECT_EQ(lo, 0u);
      EXPECT_EQ(hi, 1023u);
    }
  }
  EXPECT_NONFATAL_FAILURE(test::NamedPattern("no such pattern"),
                          "no pattern 'no such pattern'");
}

TEST(KernelHarnessTest, FloatsCompareBitForBit) {
  EXPECT_TRUE(test::SameResult(1.5f, 1.5f));
  EXPECT_FALSE(test::SameResult(0.0f, -0.0f));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(test::SameResult(nan, nan));
  EXPECT_FALSE(test::SameResult(std::vector<float>{1, 0.0f},
                                std::vector<float>{1, -0.0f}));
  EXPECT_TRUE(test::SameResult(std::vector<int>{1, 2}, std::vector<int>{1, 2}));
}

// What the harness must catch, on the Laplacian kernel. Free functions:
// EXPECT_FATAL_FAILURE's statement cannot use local variables.
const test::OwnedPlane& Plane() {
  static const test::OwnedPlane p = test::MakePlane(
      67, 7, 10, 13, test::NamedPattern("random").make(1023), 3);
  return p;
}

void OneTargetDiffers() {
  const PlaneView& v = Plane().view;
  const int64_t last = CompiledTargets().back();
  test::ExpectTargetsAndDispatchEqual(
      "planted", ComputeLaplacianMomentsReference(v),
      [&](int64_t t) {
        LaplacianMoments m = ComputeLaplacianMomentsOnTarget(t, v);
        if (t == last) m.sum_sq += 1;
        return m;
      },
      [&] { return ComputeLaplacianMoments(v); });
}

void DispatchDiffers() {
  const PlaneView& v = Plane().view;
  test::ExpectTargetsAndDispatchEqual(
      "planted", ComputeLaplacianMomentsReference(v),
      [&](int64_t t) { return ComputeLaplacianMomentsOnTarget(t, v); },
      [&] {
        LaplacianMoments m = ComputeLaplacianMoments(v);
        m.count += 1;
        return m;
      });
}

void VectorElementDiffers() {
  const std::vector<uint16_t> want = {1, 2, 3, 4};
  test::ExpectTargetsEqual("planted", want, [](int64_t) {
    return std::vector<uint16_t>{1, 2, 9, 4};
  });
}

// Sums every sample of the row *including* its padding.
uint64_t SumWithPadding(int64_t, const PlaneView& v) {
  uint64_t sum = 0;
  for (int y = 0; y < v.height; ++y) {
    for (ptrdiff_t b = 0; b < v.stride; ++b) sum += v.Row8(y)[b];
  }
  return sum;
}

void ReadsPadding() {
  test::ExpectPaddingIsNeverRead(100, 3, {8}, SumWithPadding);
}

TEST(KernelHarnessTest, CatchesWhatItMust) {
  EXPECT_FATAL_FAILURE(OneTargetDiffers(), "planted target=");
  EXPECT_FATAL_FAILURE(DispatchDiffers(), "planted (dispatched)");
  EXPECT_FATAL_FAILURE(VectorElementDiffers(), "first difference at [2]");
  EXPECT_FATAL_FAILURE(ReadsPadding(), "depends on the row padding");
  // And the same calls pass on the real kernel.
  const PlaneView& v = Plane().view;
  test::ExpectTargetsAndDispatchEqual(
      "real", ComputeLaplacianMomentsReference(v),
      [&](int64_t t) { return ComputeLaplacianMomentsOnTarget(t, v); },
      [&] { return ComputeLaplacianMoments(v); });
  test::ExpectPaddingIsNeverRead(100, 3, {8}, ComputePlaneSumOnTarget);
}

}  // namespace
}  // namespace kernels_kernel_harness_test
}  // namespace acuity::kernels
