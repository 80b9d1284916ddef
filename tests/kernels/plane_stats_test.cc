#include "kernels/plane_stats.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "acuity/plane.h"
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

TEST(PlaneSumTest, AllTargetsMatchReference) {
  const int widths[] = {1,  2,  3,  4,  7,  8,  9,   15,  16,  17,  31,  32,
                        33, 63, 64, 65, 66, 67, 127, 128, 129, 257, 1921};
  uint32_t seed = 1;
  for (int depth : {8, 10, 12, 16}) {
    const uint32_t max = MaxValue(depth);
    for (const Fill& fill :
         {RandomFill(max), ConstantFill(max), ConstantFill(0)}) {
      for (int w : widths) {
        for (int h : {1, 2, 3, 7}) {
          for (int pad : {0, 9}) {
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            const uint64_t want = NaiveSum(p.view);
            ASSERT_EQ(ComputePlaneSumReference(p.view), want);
            ASSERT_EQ(ComputePlaneSum(p.view), want);
            for (int64_t target : CompiledTargets()) {
              ASSERT_EQ(ComputePlaneSumOnTarget(target, p.view), want)
                  << TargetName(target) << " " << w << "x" << h << " depth "
                  << depth << " pad " << pad;
            }
          }
        }
      }
    }
  }
}

// All-max planes large enough to cross the uint32 flush budget of the
// 16-bit path on every target; the closed form is W * H * max.
TEST(PlaneSumTest, MaxValuesDoNotOverflow) {
  for (int depth : {8, 16}) {
    const uint32_t max = MaxValue(depth);
    const OwnedPlane p = MakePlane(4099, 410, depth, 5, ConstantFill(max), 2);
    const uint64_t want = uint64_t{4099} * 410 * max;
    EXPECT_EQ(ComputePlaneSumReference(p.view), want);
    for (int64_t target : CompiledTargets()) {
      EXPECT_EQ(ComputePlaneSumOnTarget(target, p.view), want)
          << TargetName(target) << " depth " << depth;
    }
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
  uint32_t seed = 1;
  for (int depth : {8, 9, 10, 12, 13, 16}) {
    const uint32_t max = MaxValue(depth);
    for (const Fill& fill :
         {RandomFill(max), RunsFill(max), ConstantFill(max), ConstantFill(0)}) {
      for (int w : {1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 1921}) {
        for (int h : {1, 2, 3, 7, 10}) {
          const OwnedPlane p = MakePlane(w, h, depth, 11, fill, seed++);
          for (int row_step : {1, 2, 3, 4, 7}) {
            std::vector<uint32_t> hist = {42, 43};  // must be overwritten
            ComputeHistogram(p.view, row_step, &hist);
            ASSERT_EQ(hist.size(), size_t{1} << depth);
            ASSERT_EQ(hist, NaiveHistogram(p.view, row_step))
                << w << "x" << h << " depth " << depth << " step " << row_step;
          }
        }
      }
    }
  }
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
}  // namespace acuity::kernels
