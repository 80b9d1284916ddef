// ComputeMotion: every compiled SIMD target against the plain reference,
// exactly, over awkward sizes, strides > width and 8/10/12/16-bit planes.
#include "kernels/motion.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/owned_plane.h"
#include "kernels/targets.h"

namespace acuity::kernels {
namespace {

using test::MakePlane;
using test::MaxValue;
using test::OwnedPlane;

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

TEST(MotionKernelTest, AllTargetsMatchReference) {
  ASSERT_FALSE(CompiledTargets().empty());
  for (int depth : {8, 10, 12, 16}) {
    const uint32_t max = MaxValue(depth);
    for (int pattern = 0; pattern < 3; ++pattern) {
      const test::Fill fill = [max, pattern](int x, int y, std::mt19937& rng) {
        switch (pattern) {
          case 0:
            return static_cast<uint32_t>(rng() % (max + 1));
          case 1:
            return (rng() & 1) ? max : 0u;  // extremes: flush budgets
          default:
            return static_cast<uint32_t>((x * 7 + y * 3) % (max + 1));
        }
      };
      for (int w : {1, 2, 3, 34, 63, 97, 1921}) {
        for (int h : {1, 3, 34, 70}) {
          for (int pad : {0, 13}) {
            const OwnedPlane cur = MakePlane(w, h, depth, pad, fill, 7 + w);
            const OwnedPlane prev = MakePlane(w, h, depth, 5, fill, 9 + h);
            for (bool with_prev : {true, false}) {
              const PlaneView pv = with_prev ? prev.view : PlaneView{};
              MotionSums want;
              std::vector<MotionBlock> want_blocks;
              ComputeMotionReference(cur.view, pv, nullptr, &want,
                                     &want_blocks);
              for (int64_t target : CompiledTargets()) {
                MotionSums got;
                std::vector<MotionBlock> got_blocks(3);  // stale content
                ComputeMotionOnTarget(target, cur.view, pv, nullptr, &got,
                                      &got_blocks);
                ASSERT_EQ(got, want)
                    << TargetName(target) << " depth " << depth << " pattern "
                    << pattern << " " << w << "x" << h << " pad " << pad
                    << " prev " << with_prev;
                ASSERT_EQ(got_blocks, want_blocks) << TargetName(target);
              }
              MotionSums dispatched;
              std::vector<MotionBlock> dispatched_blocks;
              ComputeMotion(cur.view, pv, nullptr, &dispatched,
                            &dispatched_blocks);
              ASSERT_EQ(dispatched, want);
              // In place: prev in a contiguous buffer that receives cur.
              for (int64_t target : CompiledTargets()) {
                if (w < 3 || h < 3) break;
                const size_t row =
                    static_cast<size_t>(w) * cur.view.bytes_per_sample();
                std::vector<uint8_t> buf(row * h);
                for (int y = 0; y < h; ++y) {
                  std::memcpy(buf.data() + row * y, prev.view.Row8(y), row);
                }
                PlaneView in_place = prev.view;
                in_place.data = buf.data();
                in_place.stride = static_cast<ptrdiff_t>(row);
                MotionSums got;
                std::vector<MotionBlock> got_blocks;
                ComputeMotionOnTarget(target, cur.view,
                                      with_prev ? in_place : PlaneView{},
                                      buf.data(), &got, &got_blocks);
                ASSERT_EQ(got, want) << "in place " << TargetName(target);
                ASSERT_EQ(got_blocks, want_blocks);
                for (int y = 0; y < h; ++y) {
                  ASSERT_EQ(
                      std::memcmp(buf.data() + row * y, cur.view.Row8(y), row),
                      0)
                      << "kept row " << y << " " << TargetName(target);
                }
              }
            }
          }
        }
      }
    }
  }
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

TEST(BlurPyramidKernelTest, AllTargetsMatchReference) {
  ASSERT_FALSE(CompiledTargets().empty());
  for (int depth : {8, 10, 12, 16}) {
    const uint32_t max = MaxValue(depth);
    for (int pattern = 0; pattern < 3; ++pattern) {
      const test::Fill fill = [max, pattern](int x, int y, std::mt19937& rng) {
        switch (pattern) {
          case 0:
            return static_cast<uint32_t>(rng() % (max + 1));
          case 1:
            return (rng() & 1) ? max : 0u;  // extremes: flush budgets
          default:
            return static_cast<uint32_t>((x * 7 + y * 3) % (max + 1));
        }
      };
      for (int w : {1, 2, 3, 34, 63, 97, 130, 1921}) {
        for (int h : {1, 3, 34, 70, 131}) {
          for (int pad : {0, 13}) {
            const OwnedPlane plane = MakePlane(w, h, depth, pad, fill, 7 + w);
            BlurPyramid want;
            std::vector<uint16_t> scratch;
            ComputeBlurPyramidReference(plane.view, &scratch, &want);
            for (int64_t target : CompiledTargets()) {
              BlurPyramid got;
              got.level[0].count = 99;  // stale content is overwritten
              std::vector<uint16_t> reused(5, 7);
              ComputeBlurPyramidOnTarget(target, plane.view, &reused, &got);
              ASSERT_EQ(got, want)
                  << TargetName(target) << " depth " << depth << " pattern "
                  << pattern << " " << w << "x" << h << " pad " << pad;
            }
            BlurPyramid dispatched;
            ComputeBlurPyramid(plane.view, &scratch, &dispatched);
            ASSERT_EQ(dispatched, want);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace acuity::kernels
