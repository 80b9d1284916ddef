// Block kernels (kernels/block.h): every compiled SIMD target against the
// plain C++ reference over awkward widths, padded strides and bit depths,
// plus closed forms.
#include "kernels/block.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "kernels/owned_plane.h"
#include "kernels/targets.h"

namespace acuity::kernels {
namespace {

using test::Fill;
using test::MakePlane;
using test::MaxValue;
using test::OwnedPlane;

Fill RandomFill(uint32_t max) {
  return [max](int, int, std::mt19937& rng) { return rng() % (max + 1); };
}
Fill ConstantFill(uint32_t v) {
  return [v](int, int, std::mt19937&) { return v; };
}
// Flat 8x8 blocks with random levels: steps only on the block grid.
Fill BlocksFill(uint32_t max) {
  return [max](int x, int y, std::mt19937&) {
    return static_cast<uint32_t>(((x / 8) * 37 + (y / 8) * 91) % (max + 1));
  };
}

constexpr int kWidths[] = {1,  2,  3,  4,  5,  15, 16,  17,  31,  32,
                           33, 63, 64, 65, 66, 67, 127, 129, 257, 1921};

TEST(BlockSums4Test, AllTargetsMatchReference) {
  uint32_t seed = 1;
  for (int depth : {8, 10}) {
    const uint32_t max = MaxValue(depth);
    for (const Fill& fill : {RandomFill(max), ConstantFill(max)}) {
      for (int w : kWidths) {
        for (int h : {1, 3, 4, 9}) {
          for (int pad : {0, 7}) {
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            std::vector<uint32_t> want, got;
            ComputeBlockSums4Reference(p.view, &want);
            ASSERT_EQ(want.size(), static_cast<size_t>(w / 4) * (h / 4));
            ComputeBlockSums4(p.view, &got);
            ASSERT_EQ(got, want) << w << "x" << h << " depth " << depth;
            for (int64_t target : CompiledTargets()) {
              got.assign(3, 12345);  // stale content must not survive
              ComputeBlockSums4OnTarget(target, p.view, &got);
              ASSERT_EQ(got, want) << TargetName(target) << " " << w << "x" << h
                                   << " depth " << depth << " pad " << pad;
            }
          }
        }
      }
    }
  }
}

TEST(BlockSums4Test, ConstantPlaneSumsSixteenSamples) {
  const OwnedPlane p = MakePlane(70, 13, 8, 3, ConstantFill(255), 5);
  std::vector<uint32_t> got;
  ComputeBlockSums4(p.view, &got);
  ASSERT_EQ(got.size(), 17u * 3u);
  for (uint32_t s : got) EXPECT_EQ(s, 16u * 255u);
}

TEST(GridDiffSumsTest, AllTargetsMatchReference) {
  uint32_t seed = 100;
  std::vector<uint16_t> scratch;
  for (int depth : {8, 10}) {
    const uint32_t max = MaxValue(depth);
    for (const Fill& fill : {RandomFill(max), BlocksFill(max)}) {
      for (int w : kWidths) {
        for (int h : {1, 2, 3, 17}) {
          for (int pad : {0, 7}) {
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            for (uint32_t clip : {0u, 16u, 64u, max}) {
              const GridDiffSums want =
                  ComputeGridDiffSumsReference(p.view, clip);
              ASSERT_EQ(ComputeGridDiffSums(p.view, clip, &scratch), want);
              for (int64_t target : CompiledTargets()) {
                ASSERT_EQ(
                    ComputeGridDiffSumsOnTarget(target, p.view, clip, &scratch),
                    want)
                    << TargetName(target) << " " << w << "x" << h << " depth "
                    << depth << " pad " << pad << " clip " << clip;
              }
            }
          }
        }
      }
    }
  }
}

// Tall planes cross the u16 column-sum fold of the SIMD path (every 65535 /
// clip rows): steps of the full range in every column, so a missed fold
// would overflow. 8 and 10 bits.
TEST(GridDiffSumsTest, TallPlaneDoesNotOverflowColumnSums) {
  for (int depth : {8, 10}) {
    const uint32_t max = MaxValue(depth);
    const Fill stripes = [max](int x, int, std::mt19937&) {
      return x % 2 == 0 ? 0u : max;
    };
    const OwnedPlane p = MakePlane(97, 1000, depth, 5, stripes, 9);
    std::vector<uint16_t> scratch;
    const GridDiffSums want = ComputeGridDiffSumsReference(p.view, max);
    // Closed form: every horizontal difference is max, vertical ones 0.
    uint64_t h_total = 0, v_total = 0;
    for (int k = 0; k < 16; ++k) {
      h_total += want.h[k];
      v_total += want.v[k];
    }
    EXPECT_EQ(h_total, uint64_t{96} * 1000 * max);
    EXPECT_EQ(v_total, 0u);
    for (int64_t target : CompiledTargets()) {
      EXPECT_EQ(ComputeGridDiffSumsOnTarget(target, p.view, max, &scratch),
                want)
          << TargetName(target) << " depth " << depth;
    }
  }
}

// Flat 8x8 blocks: all difference lies on phases 7 and 15.
TEST(GridDiffSumsTest, BlockStepsLandOnGridPhases) {
  const OwnedPlane p = MakePlane(64, 48, 8, 0, BlocksFill(255), 3);
  const GridDiffSums g = ComputeGridDiffSumsReference(p.view, 255);
  for (int k = 0; k < 16; ++k) {
    if (k == 7 || k == 15) {
      EXPECT_GT(g.h[k], 0u) << k;
      EXPECT_GT(g.v[k], 0u) << k;
    } else {
      EXPECT_EQ(g.h[k], 0u) << k;
      EXPECT_EQ(g.v[k], 0u) << k;
    }
  }
}

}  // namespace
}  // namespace acuity::kernels
