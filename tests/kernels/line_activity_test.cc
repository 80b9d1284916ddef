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
// differences near zero).
TEST(LineActivityTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns = test::Patterns(
      {"random", "zero", "max", "checkerboard", "extremes", "ramp_noise"});
  sweep.heights = {1, 2, 3, 4, 5, 9};
  sweep.pads = {0, 13};
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

}  // namespace
}  // namespace kernels_line_activity_test
}  // namespace acuity::kernels::test
