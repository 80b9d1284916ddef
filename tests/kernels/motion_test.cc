// ComputeMotion: every compiled SIMD target against the plain reference,
// exactly, over awkward sizes, strides > width and 8/10/12/16-bit planes.
#include "kernels/motion.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_motion_test {
namespace {

TEST(MotionKernelTest, HandComputedExample) {
  // A vertical edge moving: 40x40, left half 0, right half 100 (x >= 20);
  // previous frame all 0.
  const auto cur = MakePlane(
      40, 40, 8, 3,
      [](int x, int, std::mt19937&) { return x >= 20 ? 100u : 0u; }, 1);
  const auto prev = MakePlane(
      40, 40, 8, 0, [](int, int, std::mt19937&) { return 0u; }, 2);
  MotionSums s;
  std::vector<MotionBlock> blocks;
  ComputeMotionReference(cur.view, prev.view, nullptr, &s, &blocks);
  EXPECT_EQ(s.diff_count, 1600);
  EXPECT_EQ(s.sum_abs_diff, 20u * 40 * 100);
  EXPECT_EQ(s.sum_diff, 20 * 40 * 100);
  EXPECT_EQ(s.sum_diff_sq, 20u * 40 * 10000);
  ASSERT_EQ(blocks.size(), 1u);  // interior 38x38: one 32x32 block
  EXPECT_EQ(s.tensor_count, 1024);
  // Columns 19 and 20 see Gx = 400 on each of the 32 block rows.
  EXPECT_EQ(s.sxx, 2u * 32 * 400 * 400);
  EXPECT_EQ(s.syy, 0u);
  EXPECT_EQ(s.sxy, 0);
  EXPECT_EQ(blocks[0].energy, s.sxx);
  // Block columns 1..32: x = 20..32 (13 columns) moved by 100.
  EXPECT_EQ(blocks[0].sum_abs_diff, 13u * 32 * 100);
  // No previous frame: no differences.
  ComputeMotionReference(cur.view, PlaneView{}, nullptr, &s, &blocks);
  EXPECT_EQ(s.diff_count, 0);
  EXPECT_EQ(s.sum_abs_diff, 0u);
  EXPECT_EQ(blocks[0].sum_abs_diff, 0u);
  EXPECT_EQ(s.sxx, 2u * 32 * 400 * 400);
}

// SIMD paths for 8..12 bits; 13 is the first depth on the reference path.
const std::vector<int> kMotionDepths = {8, 10, 12, 13, 16};

struct MotionResult {
  MotionSums sums;
  std::vector<MotionBlock> blocks;
  bool operator==(const MotionResult&) const = default;
};

MotionResult Motion(int64_t target, const PlaneView& cur, const PlaneView& prev,
                    uint8_t* keep = nullptr) {
  MotionResult r;
  r.blocks.resize(3);  // stale content must vanish
  if (target == kReference) {
    ComputeMotionReference(cur, prev, keep, &r.sums, &r.blocks);
  } else if (target == kDispatched) {
    ComputeMotion(cur, prev, keep, &r.sums, &r.blocks);
  } else {
    ComputeMotionOnTarget(target, cur, prev, keep, &r.sums, &r.blocks);
  }
  return r;
}

std::string Describe(const MotionResult& r) {
  const MotionSums& s = r.sums;
  return "diff_count=" + std::to_string(s.diff_count) +
         " sum_abs_diff=" + std::to_string(s.sum_abs_diff) +
         " sum_diff=" + std::to_string(s.sum_diff) +
         " sum_diff_sq=" + std::to_string(s.sum_diff_sq) +
         " tensor_count=" + std::to_string(s.tensor_count) +
         " sxx=" + std::to_string(s.sxx) + " syy=" + std::to_string(s.syy) +
         " sxy=" + std::to_string(s.sxy) + ", " +
         std::to_string(r.blocks.size()) + " blocks";
}

// Widths and heights around the 32-pixel block grid (plus the border),
// extremes for the flush budgets, with and without a previous frame, and
// in place: prev in a contiguous buffer that receives cur.
TEST(MotionKernelTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.depths = kMotionDepths;
  sweep.patterns = test::Patterns({"random", "extremes", "ramp"});
  sweep.widths = {1, 2, 3, 33, 34, 35, 63, 65, 66, 67, 97, 130, 1921};
  sweep.heights = {1, 3, 34, 70};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const PlaneView& cur = c.plane.view;
    const OwnedPlane prev =
        MakePlane(c.width, c.height, c.depth, 5, c.fill, c.seed + 1000003);
    for (bool with_prev : {true, false}) {
      const PlaneView pv = with_prev ? prev.view : PlaneView{};
      const std::string what = c.what + " prev " + std::to_string(with_prev);
      const MotionResult want = Motion(kReference, cur, pv);
      ExpectEntryPointsAgree(
          what, [&](int64_t t) { return Motion(t, cur, pv); }, Describe);
      if (::testing::Test::HasFatalFailure()) return;
      if (c.width < 3 || c.height < 3) continue;  // nothing kept
      const size_t row = static_cast<size_t>(c.width) * cur.bytes_per_sample();
      test::ExpectTargetsEqual(
          what + " in place", want,
          [&](int64_t t) {
            std::vector<uint8_t> buf(row * c.height);
            for (int y = 0; y < c.height; ++y) {
              std::memcpy(buf.data() + row * y, prev.view.Row8(y), row);
            }
            PlaneView in_place = prev.view;
            in_place.data = buf.data();
            in_place.stride = static_cast<ptrdiff_t>(row);
            const MotionResult r =
                Motion(t, cur, with_prev ? in_place : PlaneView{}, buf.data());
            for (int y = 0; y < c.height; ++y) {
              EXPECT_EQ(std::memcmp(buf.data() + row * y, cur.Row8(y), row), 0)
                  << what << " kept row " << y << " " << TargetName(t);
            }
            return r;
          },
          Describe);
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

TEST(MotionKernelTest, PaddingIsNeverRead) {
  ExpectPaddingIsNeverReadInEither(
      1921, 70, {8, 10, 16},
      [](int64_t t, const PlaneView& cur, const PlaneView& prev) {
        return Motion(t, cur, prev);
      });
}

// The blur pyramid: a hand-checked level, then every compiled target
// against the reference over awkward sizes (no block, one block, odd
// level sizes, 1921 wide), strides > width and 8/10/12/16-bit planes.
TEST(BlurPyramidKernelTest, HandComputedLevels) {
  // 66x66: one 64x64 block area from (1, 1); a vertical step at x = 33
  // (column 32 of the area): level 1 (32x32) has it between columns 15
  // and 16 exactly, 0 | 100.
  const auto plane = MakePlane(
      66, 66, 8, 0,
      [](int x, int, std::mt19937&) { return x >= 33 ? 100u : 0u; }, 1);
  BlurPyramid p;
  std::vector<uint16_t> scratch;
  ComputeBlurPyramidReference(plane.view, &scratch, &p);
  // Level 1: 32x32, interior 30x30; Gx = 400 at columns 15 and 16.
  EXPECT_EQ(p.level[0].count, 30 * 30);
  EXPECT_EQ(p.level[0].sxx, 2u * 30 * 400 * 400);
  EXPECT_EQ(p.level[0].syy, 0u);
  EXPECT_EQ(p.level[0].sxy, 0);
  // Level 2: 16x16 (interior 14x14), level 3: 8x8 (6x6), level 4: 4x4
  // (2x2): the step stays sharp, between columns 7|8, 3|4 and 1|2.
  EXPECT_EQ(p.level[1].count, 14 * 14);
  EXPECT_EQ(p.level[1].sxx, 2u * 14 * 400 * 400);
  EXPECT_EQ(p.level[2].count, 6 * 6);
  EXPECT_EQ(p.level[2].sxx, 2u * 6 * 400 * 400);
  EXPECT_EQ(p.level[3].count, 2 * 2);
  EXPECT_EQ(p.level[3].sxx, 2u * 2 * 400 * 400);
  // Level 5 would be 2x2: too small for a 3x3 Sobel, so it ends the
  // pyramid.
  EXPECT_EQ(p.level[4], BlurTensor{});
  // Rounding: (a + b + c + d + 2) >> 2; a plane of 1s and 2s alternating
  // by column averages to 2 ((1 + 2 + 1 + 2 + 2) >> 2): flat levels.
  const auto stripes = MakePlane(
      66, 66, 8, 0, [](int x, int, std::mt19937&) { return 1u + (x & 1); }, 2);
  ComputeBlurPyramidReference(stripes.view, &scratch, &p);
  EXPECT_EQ(p.level[0].sxx, 0u);
  EXPECT_EQ(p.level[0].syy, 0u);
  // No complete block: no level.
  const auto small = MakePlane(
      33, 40, 8, 0, [](int x, int, std::mt19937&) { return x * 5u; }, 3);
  ComputeBlurPyramidReference(small.view, &scratch, &p);
  EXPECT_EQ(p, BlurPyramid{});
}

BlurPyramid Pyramid(int64_t target, const PlaneView& plane) {
  BlurPyramid p;
  p.level[0].count = 99;                // stale content is overwritten
  std::vector<uint16_t> scratch(5, 7);  // reused scratch
  if (target == kReference) {
    ComputeBlurPyramidReference(plane, &scratch, &p);
  } else if (target == kDispatched) {
    ComputeBlurPyramid(plane, &scratch, &p);
  } else {
    ComputeBlurPyramidOnTarget(target, plane, &scratch, &p);
  }
  return p;
}

TEST(BlurPyramidKernelTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.depths = kMotionDepths;
  sweep.patterns = test::Patterns({"random", "extremes", "ramp"});
  sweep.widths = {1, 2, 3, 34, 63, 65, 66, 67, 97, 129, 130, 1921};
  sweep.heights = {1, 3, 34, 70, 131};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    ExpectEntryPointsAgree(c.what,
                           [&](int64_t t) { return Pyramid(t, c.plane.view); });
  });
}

TEST(BlurPyramidKernelTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(130, 131, {8, 10, 16}, Pyramid);
}

}  // namespace
}  // namespace kernels_motion_test
}  // namespace acuity::kernels::test
