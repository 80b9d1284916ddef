// Tile moments (kernels/tile_moments.h): every compiled SIMD target against
// the reference twin (the separate reference kernels tile by tile) over the
// harness's planes and several grids, and the sums over the tiles against
// the whole-plane kernels.
#include "kernels/tile_moments.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_tile_moments_test {
namespace {

using Result = std::pair<std::vector<TileMoments>, MagnitudeSums>;

Result Tiles(int64_t target, const PlaneView& v, int cols, int rows) {
  // Stale content must not survive.
  Result r{std::vector<TileMoments>(3, TileMoments{1, 2, 3, 4, 5, 6}),
           MagnitudeSums{7, 8, 9}};
  if (target == kReference) {
    ComputeTileMomentsReference(v, cols, rows, &r.first, &r.second);
  } else if (target == kDispatched) {
    ComputeTileMoments(v, cols, rows, &r.first, &r.second);
  } else {
    ComputeTileMomentsOnTarget(target, v, cols, rows, &r.first, &r.second);
  }
  return r;
}

// The grids: one tile, columns only, a small grid, and detail_scale_px's
// (16 columns, rows for a 16:9-ish aspect, at most one per 8 samples).
std::vector<std::pair<int, int>> Grids(int w, int h) {
  const int cols = std::min(16, std::max(1, w / 8));
  const int rows = std::max(1, std::min(cols * h / std::max(1, w), h / 8));
  return {{1, 1}, {2, 1}, {3, 2}, {cols, rows}};
}

void ExpectAgree(const PlaneCase& c) {
  for (const auto& grid : Grids(c.width, c.height)) {
    // Plain locals: lambdas below capture them (clang 14 cannot capture
    // structured bindings).
    const int cols = grid.first;
    const int rows = grid.second;
    const std::string what =
        c.what + " grid " + std::to_string(cols) + "x" + std::to_string(rows);
    const Result want = Tiles(kReference, c.plane.view, cols, rows);
    ASSERT_EQ(want.first.size(), static_cast<size_t>(cols) * rows) << what;
    // The tiles partition the interior: their sums are the whole plane's.
    ASSERT_TRUE(LaplacianFromTiles(want.first) ==
                ComputeLaplacianMomentsReference(c.plane.view))
        << what;
    ASSERT_TRUE(SobelFromTiles(want.first, want.second) ==
                ComputeSobelMomentsReference(c.plane.view))
        << what;
    ExpectTargetsAndDispatchEqual(
        what, want,
        [&](int64_t t) { return Tiles(t, c.plane.view, cols, rows); },
        [&] { return Tiles(kDispatched, c.plane.view, cols, rows); });
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// The harness's widths; heights past a band of rows (32) and across tile
// rows; 8-bit (the fused path) and two deeper depths (composed).
TEST(TileMomentsTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.depths = {8, 10, 16};
  sweep.heights = {1, 3, 7, 40};
  sweep.widths.push_back(1100);
  test::ForEachPlane(sweep, ExpectAgree);
}

// 1080p at 8 and 10 bits with detail_scale_px's 16 x 9 grid: production's
// case, every loop's steady state.
TEST(TileMomentsTest, LargePlanesMatchReference) {
  test::ForEachLargePlane({8, 10}, ExpectAgree);
}

TEST(TileMomentsTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(
      1921, 40, {8, 10},
      [](int64_t t, const PlaneView& v) { return Tiles(t, v, 16, 4); });
}

TEST(TileMomentsTest, EmptyPlaneGivesZeroSums) {
  const Result r = Tiles(kDispatched, PlaneView{}, 2, 2);
  EXPECT_EQ(r.first, std::vector<TileMoments>(4));
  EXPECT_EQ(r.second, MagnitudeSums{});
}

TEST(TileMomentsTest, ConcurrentCallsAgree) {
  const OwnedPlane p =
      MakePlane(1921, 67, 8, 5, NamedPattern("random").make(255), 3);
  ExpectConcurrentCallsAgree(Tiles(kReference, p.view, 16, 4),
                             [&] { return Tiles(kDispatched, p.view, 16, 4); });
}

}  // namespace
}  // namespace kernels_tile_moments_test
}  // namespace acuity::kernels::test
