#include "kernels/luma_moments.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "acuity/plane.h"
#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_luma_moments_test {
namespace {

constexpr int32_t kNone = std::numeric_limits<int32_t>::max();

std::string Describe(const LumaMoments& m) {
  return "count=" + std::to_string(m.count) + " sum=" + std::to_string(m.sum) +
         " sum_sq=" + std::to_string(m.sum_sq) +
         " low=" + std::to_string(m.count_low) +
         " high=" + std::to_string(m.count_high);
}

void ExpectAllTargetsMatchReference(const PlaneView& view, int32_t low,
                                    int32_t high, const std::string& what) {
  test::ExpectTargetsAndDispatchEqual(
      what, ComputeLumaMomentsReference(view, low, high),
      [&](int64_t t) { return ComputeLumaMomentsOnTarget(t, view, low, high); },
      [&] { return ComputeLumaMoments(view, low, high); }, Describe);
}

TEST(ContrastLumaMomentsTest, HandComputedExample) {
  // 3x2: 0 16 17 / 235 236 255 at 8 bits, times 4 at 10 bits.
  const uint32_t v[2][3] = {{0, 16, 17}, {235, 236, 255}};
  for (int depth : {8, 10, 16}) {
    const uint32_t k = 1u << (depth - 8);
    const Fill fill = [&](int x, int y, std::mt19937&) { return v[y][x] * k; };
    const OwnedPlane p = MakePlane(3, 2, depth, 5, fill, 1);
    const LumaMoments m = ComputeLumaMomentsReference(p.view, 16 * k, 235 * k);
    EXPECT_EQ(m.count, 6);
    EXPECT_EQ(m.sum, (0 + 16 + 17 + 235 + 236 + 255) * uint64_t{k});
    EXPECT_EQ(m.sum_sq,
              (0 + 256 + 289 + 55225 + 55696 + 65025) * uint64_t{k} * k);
    EXPECT_EQ(m.count_low, 2);   // 0, 16
    EXPECT_EQ(m.count_high, 3);  // 235, 236, 255
    const LumaMoments none = ComputeLumaMomentsReference(p.view, -1, kNone);
    EXPECT_EQ(none.count_low, 0);
    EXPECT_EQ(none.count_high, 0);
    ExpectAllTargetsMatchReference(p.view, 16 * k, 235 * k, "hand");
    ExpectAllTargetsMatchReference(p.view, -1, kNone, "hand, no counts");
  }
}

TEST(ContrastLumaMomentsTest, EmptyPlane) {
  EXPECT_EQ(ComputeLumaMoments(PlaneView{}, 16, 235), LumaMoments{});
  for (int64_t target : CompiledTargets()) {
    EXPECT_EQ(ComputeLumaMomentsOnTarget(target, PlaneView{}, 16, 235),
              LumaMoments{});
  }
}

// The harness's sweep with levels at the extremes (0, max, disabled,
// crossed) and in between.
TEST(ContrastLumaMomentsTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns.push_back(test::NamedPattern("ramp"));
  sweep.heights = {1, 2, 5};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const int32_t m = static_cast<int32_t>(MaxValue(c.depth));
    const int32_t levels[][2] = {{16 << (c.depth - 8), 235 << (c.depth - 8)},
                                 {0, m},
                                 {-1, kNone},
                                 {m, 0},
                                 {m / 2, m / 2 + 1}};
    for (const auto& lv : levels) {
      ExpectAllTargetsMatchReference(c.plane.view, lv[0], lv[1],
                                     c.what + " levels " +
                                         std::to_string(lv[0]) + "," +
                                         std::to_string(lv[1]));
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

TEST(ContrastLumaMomentsTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(
      1921, 5, {8, 10, 16}, [](int64_t t, const PlaneView& v) {
        const int32_t k = 1 << (v.bit_depth - 8);
        return ComputeLumaMomentsOnTarget(t, v, 16 * k, 235 * k);
      });
}

// All-max planes large enough to cross every flush budget (8-bit: 255
// steps; 16-bit: 32767 steps of up to 32 lanes), checked against the closed
// form.
TEST(ContrastLumaMomentsTest, WorstCaseDoesNotOverflow) {
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937&) { return max; };
    const OwnedPlane p = MakePlane(4099, 300, depth, 3, fill, 3);
    const uint64_t n = 4099ull * 300;
    const LumaMoments ref =
        ComputeLumaMomentsReference(p.view, 0, static_cast<int32_t>(max));
    EXPECT_EQ(ref.sum, n * max);
    EXPECT_EQ(ref.sum_sq, n * max * max);
    EXPECT_EQ(ref.count_high, static_cast<int64_t>(n));
    EXPECT_EQ(ref.count_low, 0);
    ExpectAllTargetsMatchReference(p.view, 0, static_cast<int32_t>(max),
                                   "max depth " + std::to_string(depth));
  }
}

TEST(ContrastLumaMomentsTest, LargeRandomPlanesMatchReference) {
  test::ForEachLargePlane({8, 10, 16}, [](const test::PlaneCase& c) {
    ExpectAllTargetsMatchReference(c.plane.view, 16 << (c.depth - 8),
                                   235 << (c.depth - 8), c.what);
  });
}

TEST(ContrastLumaMomentsTest, ConcurrentCallsAgree) {
  const OwnedPlane p =
      MakePlane(1000, 200, 10, 8, test::NamedPattern("random").make(1023), 21);
  test::ExpectConcurrentCallsAgree(
      ComputeLumaMomentsReference(p.view, 64, 940),
      [&p] { return ComputeLumaMoments(p.view, 64, 940); });
}

}  // namespace
}  // namespace kernels_luma_moments_test
}  // namespace acuity::kernels::test
