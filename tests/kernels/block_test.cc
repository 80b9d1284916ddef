// Block kernels (kernels/block.h): every compiled SIMD target against the
// plain C++ reference over awkward widths, padded strides and bit depths,
// plus closed forms.
#include "kernels/block.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_block_test {
namespace {

Fill ConstantFill(uint32_t v) {
  return [v](int, int, std::mt19937&) { return v; };
}
// Flat 8x8 blocks with random levels: steps only on the block grid.
Fill BlocksFill(uint32_t max) {
  return [max](int x, int y, std::mt19937&) {
    return static_cast<uint32_t>(((x / 8) * 37 + (y / 8) * 91) % (max + 1));
  };
}

std::vector<uint32_t> BlockSums4(int64_t target, const PlaneView& v) {
  std::vector<uint32_t> sums(3, 12345);  // stale content must not survive
  if (target == kReference) {
    ComputeBlockSums4Reference(v, &sums);
  } else if (target == kDispatched) {
    ComputeBlockSums4(v, &sums);
  } else {
    ComputeBlockSums4OnTarget(target, v, &sums);
  }
  return sums;
}

// The harness's sweep, heights around the 4-row blocks.
TEST(BlockSums4Test, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns = test::Patterns({"random", "max", "checkerboard"});
  sweep.heights = {1, 3, 4, 9};
  sweep.pads = {0, 7, 13};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    ASSERT_EQ(BlockSums4(kReference, c.plane.view).size(),
              static_cast<size_t>(c.width / 4) * (c.height / 4));
    ExpectEntryPointsAgree(
        c.what, [&](int64_t t) { return BlockSums4(t, c.plane.view); });
  });
}

TEST(BlockSums4Test, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 9, {8, 10, 16}, BlockSums4);
}

TEST(BlockSums4Test, ConstantPlaneSumsSixteenSamples) {
  const OwnedPlane p = MakePlane(70, 13, 8, 3, ConstantFill(255), 5);
  std::vector<uint32_t> got;
  ComputeBlockSums4(p.view, &got);
  ASSERT_EQ(got.size(), 17u * 3u);
  for (uint32_t s : got) EXPECT_EQ(s, 16u * 255u);
}

// The sweep with flat 8x8 blocks too (all difference on the grid), every
// clip level from 0 (nothing counts) to max (nothing clipped).
TEST(GridDiffSumsTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns = test::Patterns({"random", "max", "checkerboard"});
  sweep.patterns.push_back(test::CustomPattern("blocks", BlocksFill));
  sweep.heights = {1, 2, 3, 17};
  sweep.pads = {0, 7, 13};
  sweep.seed = 100;
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    std::vector<uint16_t> scratch;
    for (uint32_t clip : {0u, 16u, 64u, MaxValue(c.depth)}) {
      test::ExpectTargetsAndDispatchEqual(
          c.what + " clip " + std::to_string(clip),
          ComputeGridDiffSumsReference(c.plane.view, clip),
          [&](int64_t t) {
            return ComputeGridDiffSumsOnTarget(t, c.plane.view, clip, &scratch);
          },
          [&] { return ComputeGridDiffSums(c.plane.view, clip, &scratch); });
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

TEST(GridDiffSumsTest, PaddingIsNeverRead) {
  std::vector<uint16_t> scratch;
  test::ExpectPaddingIsNeverRead(
      1921, 17, {8, 10, 16}, [&](int64_t t, const PlaneView& v) {
        return ComputeGridDiffSumsOnTarget(t, v, 64, &scratch);
      });
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
    test::ExpectTargetsEqual(
        "stripes depth " + std::to_string(depth), want, [&](int64_t t) {
          return ComputeGridDiffSumsOnTarget(t, p.view, max, &scratch);
        });
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

// CoarseLaplacianSums on cell arrays (not planes): every target against
// the reference over widths around every vector size, with random cells,
// the largest cells (2^20 - 1: 16-bit 4x4 sums) and 0/max alternating
// (the largest |L| and squares).
CoarseLaplacianSums CoarseSums(int64_t target, const std::vector<uint32_t>& c,
                               int w, int h) {
  std::vector<uint32_t> boxes(5, 99);  // stale scratch must not matter
  if (target == kReference) {
    return ComputeCoarseLaplacianSumsReference(c.data(), w, h);
  } else if (target == kDispatched) {
    return ComputeCoarseLaplacianSums(c.data(), w, h, &boxes);
  }
  return ComputeCoarseLaplacianSumsOnTarget(target, c.data(), w, h, &boxes);
}

TEST(CoarseLaplacianSumsTest, AllTargetsMatchReference) {
  constexpr uint32_t kMax = (1u << 20) - 1;
  std::mt19937 rng(3);
  for (int fill = 0; fill < 3; ++fill) {
    for (int w : {1,  2,  3,  4,  5,  6,  7,  9,  10,  11,  17,
                  18, 19, 20, 33, 34, 35, 66, 67, 480, 1025}) {
      for (int h : {1, 3, 4, 5, 9, 40}) {
        std::vector<uint32_t> c(static_cast<size_t>(w) * h);
        for (int j = 0; j < h; ++j) {
          for (int i = 0; i < w; ++i) {
            c[static_cast<size_t>(j) * w + i] = fill == 0 ? rng() % (kMax + 1)
                                                : fill == 1
                                                    ? kMax
                                                    : ((i + j) % 2 ? kMax : 0u);
          }
        }
        const CoarseLaplacianSums want = CoarseSums(kReference, c, w, h);
        if (w >= 4 && h >= 4) {
          ASSERT_EQ(want.count, int64_t{w - 3} * (h - 3));
        } else {
          ASSERT_EQ(want, CoarseLaplacianSums{});
        }
        ExpectEntryPointsAgree(
            "fill " + std::to_string(fill) + " " + std::to_string(w) + "x" +
                std::to_string(h),
            [&](int64_t t) { return CoarseSums(t, c, w, h); });
      }
    }
  }
}

// Closed form: constant cells give L = 0.
TEST(CoarseLaplacianSumsTest, ConstantCellsHaveNoLaplacian) {
  const std::vector<uint32_t> c(70 * 12, 4080);
  const CoarseLaplacianSums s = CoarseSums(kDispatched, c, 70, 12);
  EXPECT_EQ(s.count, 67 * 9);
  EXPECT_EQ(s.sum, 0);
  EXPECT_TRUE(s.sum_sq == 0);
}

}  // namespace
}  // namespace kernels_block_test
}  // namespace acuity::kernels::test
