// Line activity (kernels/line_activity.h): every compiled SIMD target
// against the plain C++ reference over awkward widths, padded strides and
// bit depths, plus closed forms.
#include "kernels/line_activity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_line_activity_test {
namespace {

using Sums = std::pair<std::vector<uint32_t>, std::vector<uint32_t>>;

Sums LineActivity(int64_t target, const PlaneView& v) {
  // Stale content must not survive.
  Sums s{std::vector<uint32_t>(5, 777), std::vector<uint32_t>(3, 12345)};
  if (target == kReference) {
    ComputeLineActivityReference(v, &s.first, &s.second);
  } else if (target == kDispatched) {
    ComputeLineActivity(v, &s.first, &s.second);
  } else {
    ComputeLineActivityOnTarget(target, v, &s.first, &s.second);
  }
  return s;
}

// The harness's sweep, heights around the 4-row step, ramps too (second
// differences near zero): for both kernels of the file.
test::Sweep LineSweep() {
  test::Sweep sweep;
  sweep.patterns = test::Patterns(
      {"random", "zero", "max", "checkerboard", "extremes", "ramp_noise"});
  sweep.heights = {1, 2, 3, 4, 5, 9};
  sweep.pads = {0, 13};
  return sweep;
}

TEST(LineActivityTest, AllTargetsMatchReference) {
  const test::Sweep sweep = LineSweep();
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const Sums want = LineActivity(kReference, c.plane.view);
    ASSERT_EQ(want.first.size(),
              static_cast<size_t>(std::max(0, c.height - 2)));
    ASSERT_EQ(want.second.size(),
              static_cast<size_t>(std::max(0, c.width - 2)));
    ExpectEntryPointsAgree(
        c.what, [&](int64_t t) { return LineActivity(t, c.plane.view); });
  });
}

// 1080p at every depth: the steady state of both loops.
TEST(LineActivityTest, LargePlanesMatchReference) {
  test::ForEachLargePlane({8, 10, 16}, [](const test::PlaneCase& c) {
    ExpectEntryPointsAgree(
        c.what, [&](int64_t t) { return LineActivity(t, c.plane.view); });
  });
}

TEST(LineActivityTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 9, {8, 10, 16}, LineActivity);
}

// Closed form: a 0/max checkerboard has |second difference| 2 max
// everywhere, so a row sums 2 max per measured column (ceil(W/4) of them)
// and a column 2 max per measured row (ceil(H/4)).
TEST(LineActivityTest, CheckerboardClosedForm) {
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const OwnedPlane p =
        MakePlane(70, 13, depth, 3, NamedPattern("checkerboard").make(max), 5);
    const Sums s = LineActivity(kDispatched, p.view);
    ASSERT_EQ(s.first.size(), 11u);
    ASSERT_EQ(s.second.size(), 68u);
    for (uint32_t r : s.first) EXPECT_EQ(r, 2 * max * 18) << depth;
    for (uint32_t c : s.second) EXPECT_EQ(c, 2 * max * 4) << depth;
  }
}

// A linear ramp has no second difference; an empty view has no lines.
TEST(LineActivityTest, RampIsZeroAndEmptyIsEmpty) {
  const OwnedPlane p = MakePlane(
      200, 40, 8, 0,
      [](int x, int y, std::mt19937&) { return static_cast<uint32_t>(x + y); },
      1);
  const Sums s = LineActivity(kDispatched, p.view);
  for (uint32_t r : s.first) EXPECT_EQ(r, 0u);
  for (uint32_t c : s.second) EXPECT_EQ(c, 0u);
  const Sums e = LineActivity(kDispatched, PlaneView{});
  EXPECT_TRUE(e.first.empty());
  EXPECT_TRUE(e.second.empty());
}

TEST(LineActivityTest, ConcurrentCallsAgree) {
  const OwnedPlane p =
      MakePlane(1921, 67, 10, 5, NamedPattern("random").make(1023), 3);
  ExpectConcurrentCallsAgree(LineActivity(kReference, p.view),
                             [&] { return LineActivity(kDispatched, p.view); });
}

// ComputeFirstDifferenceLines: the four sums as one comparable value.
using Firsts = std::vector<std::vector<uint32_t>>;

Firsts FirstDiffs(int64_t target, const PlaneView& v) {
  FirstDifferenceLines f;  // stale content must not survive
  f.rows_a.assign(5, 777);
  f.cols_b.assign(3, 12345);
  if (target == kReference) {
    ComputeFirstDifferenceLinesReference(v, &f);
  } else if (target == kDispatched) {
    ComputeFirstDifferenceLines(v, &f);
  } else {
    ComputeFirstDifferenceLinesOnTarget(target, v, &f);
  }
  return {f.rows_a, f.rows_b, f.cols_a, f.cols_b};
}

TEST(FirstDifferenceLinesTest, AllTargetsMatchReference) {
  const test::Sweep sweep = LineSweep();
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const Firsts want = FirstDiffs(kReference, c.plane.view);
    ASSERT_EQ(want[0].size(), static_cast<size_t>(std::max(0, c.height - 1)));
    ASSERT_EQ(want[2].size(), static_cast<size_t>(std::max(0, c.width - 1)));
    ExpectEntryPointsAgree(
        c.what, [&](int64_t t) { return FirstDiffs(t, c.plane.view); });
  });
}

TEST(FirstDifferenceLinesTest, LargePlanesMatchReference) {
  test::ForEachLargePlane({8, 10, 16}, [](const test::PlaneCase& c) {
    ExpectEntryPointsAgree(
        c.what, [&](int64_t t) { return FirstDiffs(t, c.plane.view); });
  });
}

TEST(FirstDifferenceLinesTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 9, {8, 10, 16}, FirstDiffs);
}

// Closed form: a 0/max checkerboard has |first difference| max between
// any two neighbours. 70 x 13: a row pair sums max over the 35 columns of
// each half; a column pair over the rows 0, 4 (top, y < 6) and 8, 12
// (bottom).
TEST(FirstDifferenceLinesTest, CheckerboardClosedForm) {
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const OwnedPlane p =
        MakePlane(70, 13, depth, 3, NamedPattern("checkerboard").make(max), 5);
    const Firsts f = FirstDiffs(kDispatched, p.view);
    ASSERT_EQ(f[0].size(), 12u);
    ASSERT_EQ(f[2].size(), 69u);
    for (uint32_t r : f[0]) EXPECT_EQ(r, max * 35) << depth;
    for (uint32_t r : f[1]) EXPECT_EQ(r, max * 35) << depth;
    for (uint32_t c : f[2]) EXPECT_EQ(c, max * 2) << depth;
    for (uint32_t c : f[3]) EXPECT_EQ(c, max * 2) << depth;
  }
}

}  // namespace
}  // namespace kernels_line_activity_test
}  // namespace acuity::kernels::test
