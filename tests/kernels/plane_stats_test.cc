#include "kernels/plane_stats.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "acuity/plane.h"
#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_plane_stats_test {
namespace {

Fill RandomFill(uint32_t max) { return test::NamedPattern("random").make(max); }
Fill ConstantFill(uint32_t v) {
  return [v](int, int, std::mt19937&) { return v; };
}
// Runs of equal values, like a smooth image (the case sub-histograms are
// there for).
Fill RunsFill(uint32_t max) {
  return [max](int x, int y, std::mt19937&) {
    return static_cast<uint32_t>((x / 37 + 3 * y) % (max + 1));
  };
}

uint64_t NaiveSum(const PlaneView& v) {
  uint64_t sum = 0;
  for (int y = 0; y < v.height; ++y) {
    for (int x = 0; x < v.width; ++x) sum += v.At(x, y);
  }
  return sum;
}

// ------------------------------------------------------------- PlaneSum

// The harness's sweep; the reference itself against the naive sum.
TEST(PlaneSumTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.pads = {0, 9, 13};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const uint64_t want = NaiveSum(c.plane.view);
    ASSERT_EQ(ComputePlaneSumReference(c.plane.view), want) << c.what;
    test::ExpectTargetsAndDispatchEqual(
        c.what, want,
        [&](int64_t t) { return ComputePlaneSumOnTarget(t, c.plane.view); },
        [&] { return ComputePlaneSum(c.plane.view); });
  });
}

TEST(PlaneSumTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 7, {8, 10, 16}, ComputePlaneSumOnTarget);
}

// All-max planes large enough to cross the uint32 flush budget of the
// 16-bit path on every target; the closed form is W * H * max.
TEST(PlaneSumTest, MaxValuesDoNotOverflow) {
  for (int depth : {8, 16}) {
    const uint32_t max = MaxValue(depth);
    const OwnedPlane p = MakePlane(4099, 410, depth, 5, ConstantFill(max), 2);
    const uint64_t want = uint64_t{4099} * 410 * max;
    EXPECT_EQ(ComputePlaneSumReference(p.view), want);
    test::ExpectTargetsEqual(
        "max depth " + std::to_string(depth), want,
        [&](int64_t t) { return ComputePlaneSumOnTarget(t, p.view); });
  }
}

TEST(PlaneSumTest, EmptyPlaneIsZero) {
  EXPECT_EQ(ComputePlaneSum(PlaneView{}), 0u);
  EXPECT_EQ(ComputePlaneSumReference(PlaneView{}), 0u);
}

// ------------------------------------------------------------- Histogram

std::vector<uint32_t> NaiveHistogram(const PlaneView& v, int row_step) {
  std::vector<uint32_t> hist(size_t{1} << v.bit_depth, 0);
  for (int y = 0; y < v.height; y += row_step) {
    for (int x = 0; x < v.width; ++x) ++hist[v.At(x, y)];
  }
  return hist;
}

TEST(HistogramTest, MatchesNaiveCount) {
  test::Sweep sweep;
  sweep.depths = {8, 9, 10, 12, 13, 16};
  sweep.patterns = test::Patterns({"random", "max", "zero"});
  sweep.patterns.push_back(test::CustomPattern("runs", RunsFill));
  sweep.widths = {1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 1921};
  sweep.heights = {1, 2, 3, 7, 10};
  sweep.pads = {11};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    for (int row_step : {1, 2, 3, 4, 7}) {
      std::vector<uint32_t> hist = {42, 43};  // must be overwritten
      ComputeHistogram(c.plane.view, row_step, &hist);
      ASSERT_EQ(hist.size(), size_t{1} << c.depth);
      ASSERT_EQ(hist, NaiveHistogram(c.plane.view, row_step))
          << c.what << " step " << row_step;
    }
  });
}

TEST(HistogramTest, CountsEveryStepthRowAndAllColumns) {
  const OwnedPlane p = MakePlane(1920, 1080, 8, 32, RandomFill(255), 9);
  for (int row_step : {1, 2, 4}) {
    std::vector<uint32_t> hist;
    ComputeHistogram(p.view, row_step, &hist);
    uint64_t total = 0;
    for (uint32_t c : hist) total += c;
    EXPECT_EQ(total, uint64_t{1920} * ((1080 + row_step - 1) / row_step));
    EXPECT_EQ(hist, NaiveHistogram(p.view, row_step));
  }
}

TEST(HistogramTest, OutOfRangeSamplesGoToTopBin) {
  // A 10-bit plane whose samples break the declared depth must not write out
  // of bounds: they are clamped into the last bin.
  const OwnedPlane p = MakePlane(70, 3, 10, 0, ConstantFill(4000), 1);
  std::vector<uint32_t> hist;
  ComputeHistogram(p.view, 1, &hist);
  ASSERT_EQ(hist.size(), 1024u);
  EXPECT_EQ(hist[1023], 210u);
}

TEST(HistogramTest, EmptyPlaneAndBadStep) {
  std::vector<uint32_t> hist = {1, 2, 3};
  ComputeHistogram(PlaneView{}, 1, &hist);
  EXPECT_EQ(hist, std::vector<uint32_t>(256, 0));

  const OwnedPlane p = MakePlane(5, 4, 8, 0, ConstantFill(7), 1);
  ComputeHistogram(p.view, 0, &hist);  // treated as 1
  EXPECT_EQ(hist[7], 20u);
}

}  // namespace
}  // namespace kernels_plane_stats_test
}  // namespace acuity::kernels::test
