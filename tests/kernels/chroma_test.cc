#include "kernels/chroma.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "acuity/plane.h"
#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_chroma_test {
namespace {

std::string Describe(const ChromaMoments& m) {
  return "count=" + std::to_string(m.count) +
         " sum_uv=" + std::to_string(m.sum_uv) +
         " sum_radius16=" + std::to_string(m.sum_radius16);
}

void ExpectAllTargetsMatchReference(const PlaneView& u, const PlaneView& v,
                                    const std::string& what) {
  test::ExpectTargetsAndDispatchEqual(
      what, ComputeChromaMomentsReference(u, v),
      [&](int64_t t) { return ComputeChromaMomentsOnTarget(t, u, v); },
      [&] { return ComputeChromaMoments(u, v); }, Describe);
}

// The sweep's patterns for chroma: the extremes, and values around the
// neutral mid-level (du = dv = 0) where the radius is small.
std::vector<test::Pattern> ChromaPatterns() {
  std::vector<test::Pattern> p = test::Patterns({"random", "extremes", "zero"});
  p.push_back(test::CustomPattern("neutral", [](uint32_t max) -> Fill {
    const uint32_t mid = (max + 1) / 2;
    return [mid](int, int, std::mt19937&) { return mid; };
  }));
  p.push_back(test::CustomPattern("near_neutral", [](uint32_t max) -> Fill {
    const uint32_t mid = (max + 1) / 2;
    return [mid](int, int, std::mt19937& rng) { return mid - 3 + rng() % 7; };
  }));
  // Radii across the first bins' boundary (s = 256: one bin per 8 above).
  p.push_back(test::CustomPattern("around_neutral", [](uint32_t max) -> Fill {
    const uint32_t mid = (max + 1) / 2;
    return [mid](int, int, std::mt19937& rng) { return mid - 20 + rng() % 41; };
  }));
  return p;
}

// The second plane (v) of a case: same size and fill, another seed and
// another stride.
OwnedPlane SecondPlane(const test::PlaneCase& c) {
  return MakePlane(c.width, c.height, c.depth, c.pad + 5, c.fill,
                   c.seed + 1000003);
}

TEST(ColourChromaTest, HandComputedExample) {
  // (du, dv) = (3, 4): radius 5; (-5, 12): 13; (0, 0): 0; (1, 1): sqrt(2).
  const int d[4][2] = {{3, 4}, {-5, 12}, {0, 0}, {1, 1}};
  for (int depth : {8, 10, 16}) {
    const int mid = 1 << (depth - 1);
    const OwnedPlane u = MakePlane(
        2, 2, depth, 3,
        [&](int x, int y, std::mt19937&) { return mid + d[y * 2 + x][0]; }, 1);
    const OwnedPlane v = MakePlane(
        2, 2, depth, 7,
        [&](int x, int y, std::mt19937&) { return mid + d[y * 2 + x][1]; }, 2);
    const ChromaMoments m = ComputeChromaMomentsReference(u.view, v.view);
    EXPECT_EQ(m.count, 4);
    EXPECT_EQ(m.sum_uv, 12 - 60 + 0 + 1);
    // 16 * sqrt(2) = 22.63 -> 23.
    EXPECT_EQ(m.sum_radius16, 80u + 208u + 0u + 23u);
    ExpectAllTargetsMatchReference(u.view, v.view, "hand");
  }
}

TEST(ColourChromaTest, EmptyPlanes) {
  EXPECT_EQ(ComputeChromaMoments(PlaneView{}, PlaneView{}), ChromaMoments{});
}

// The radius is within 1/32 of a native code value of hypot(du, dv) at 8
// and 10 bits (float sqrt is exact to 2^-24 relative there).
TEST(ColourChromaTest, RadiusQuantisationIsWithinHalfAStep) {
  for (int depth : {8, 10}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane u = MakePlane(300, 40, depth, 0, fill, 31);
    const OwnedPlane v = MakePlane(300, 40, depth, 0, fill, 32);
    const double mid = 1 << (depth - 1);
    double exact = 0.0;
    for (int y = 0; y < 40; ++y) {
      for (int x = 0; x < 300; ++x) {
        exact += std::hypot(u.view.At(x, y) - mid, v.view.At(x, y) - mid);
      }
    }
    const ChromaMoments m = ComputeChromaMoments(u.view, v.view);
    const double mean = static_cast<double>(m.sum_radius16) / 16.0 / m.count;
    EXPECT_NEAR(mean, exact / m.count, 1.0 / 32.0) << depth;
  }
}

// The harness's sweep (u and v with different strides); patterns that hit
// the extremes: du = dv = -mid gives the largest radius (2^15 at 8 bits,
// the clamp at 16 bits).
TEST(ColourChromaTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns = ChromaPatterns();
  sweep.heights = {1, 2, 5};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const OwnedPlane v = SecondPlane(c);
    ExpectAllTargetsMatchReference(c.plane.view, v.view, c.what);
  });
}

TEST(ColourChromaTest, PaddingIsNeverRead) {
  ExpectPaddingIsNeverReadInEither(1921, 5, {8, 10, 16},
                                   ComputeChromaMomentsOnTarget);
}

// Every sample at the largest radius, on planes large enough to cross every
// flush budget (8-bit: 32767 steps of up to 64 samples; 9..16-bit: 1024
// steps), checked against the closed form.
TEST(ColourChromaTest, WorstCaseDoesNotOverflow) {
  for (int depth : {8, 10, 16}) {
    const Fill zero = [](int, int, std::mt19937&) { return 0u; };
    const int w = depth == 8 ? 4099 : 1500, h = depth == 8 ? 560 : 300;
    const OwnedPlane u = MakePlane(w, h, depth, 3, zero, 3);
    const OwnedPlane v = MakePlane(w, h, depth, 9, zero, 4);
    const int64_t d = std::min(1 << (depth - 1), 32767);
    const int64_t n = int64_t{w} * h;
    const ChromaMoments ref = ComputeChromaMomentsReference(u.view, v.view);
    EXPECT_EQ(ref.sum_uv, n * d * d);
    const auto q = static_cast<uint64_t>(
        std::nearbyint(16.0f * std::sqrt(static_cast<float>(2 * d * d))));
    EXPECT_EQ(ref.sum_radius16, static_cast<uint64_t>(n) * q);
    ExpectAllTargetsMatchReference(u.view, v.view,
                                   "worst case depth " + std::to_string(depth));
  }
}

TEST(ColourChromaTest, LargeRandomPlanesMatchReference) {
  test::ForEachLargePlane({8, 10, 16}, [](const test::PlaneCase& c) {
    const OwnedPlane v = SecondPlane(c);
    ExpectAllTargetsMatchReference(c.plane.view, v.view, c.what);
  });
}

// Bins: one per s below 256, then one per 8 values of s; 8-bit-equivalent
// s at every depth.
TEST(ColourChromaTest, RadiusBinsHandComputed) {
  // (du, dv) -> s: (0,0) 0, (15,7) 274 -> 224 + 34 = 258, (11,11) 242,
  // (-128,-128) 32768 -> 4320, (16,0) 256 -> 256, (-5,12) 169.
  const int d[6][2] = {{0, 0},       {15, 7}, {11, 11},
                       {-128, -128}, {16, 0}, {-5, 12}};
  const uint16_t want[6] = {0, 258, 242, 4320, 256, 169};
  for (int depth : {8, 10, 16}) {
    const int k = 1 << (depth - 8), mid = 1 << (depth - 1);
    const auto at = [&](int i, int c) {
      return static_cast<uint32_t>(mid + d[i][c] * k);  // >= 0
    };
    const OwnedPlane u = MakePlane(
        6, 1, depth, 2, [&](int x, int, std::mt19937&) { return at(x, 0); }, 1);
    const OwnedPlane v = MakePlane(
        6, 1, depth, 2, [&](int x, int, std::mt19937&) { return at(x, 1); }, 2);
    std::vector<uint16_t> bins(6, 9999);
    ComputeChromaRadiusBinsReference(u.view, v.view, 0, bins.data());
    for (int i = 0; i < 6; ++i) {
      // At 16 bits du = -32768 is clamped to -32767: s8 = 32765 -> 4319.
      const uint16_t w = (depth == 16 && i == 3) ? 4319 : want[i];
      EXPECT_EQ(bins[i], w) << "depth " << depth << " sample " << i;
      EXPECT_LT(bins[i], kRadiusBins);
    }
  }
}

// One row at a time into a buffer with a guard element past the row that
// nothing may write.
std::vector<uint16_t> RadiusBins(int64_t target, const PlaneView& u,
                                 const PlaneView& v, int y) {
  std::vector<uint16_t> bins(u.width + 1, 7777);
  if (target == kReference) {
    ComputeChromaRadiusBinsReference(u, v, y, bins.data());
  } else if (target == kDispatched) {
    ComputeChromaRadiusBins(u, v, y, bins.data());
  } else {
    ComputeChromaRadiusBinsOnTarget(target, u, v, y, bins.data());
  }
  return bins;
}

TEST(ColourChromaTest, RadiusBinsAllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.patterns = ChromaPatterns();
  sweep.heights = {3};
  sweep.seed = 100;
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    const OwnedPlane v = SecondPlane(c);
    for (int y = 0; y < c.height; ++y) {
      const PlaneView& u = c.plane.view;
      ExpectEntryPointsAgree(
          c.what + " row " + std::to_string(y),
          [&](int64_t t) { return RadiusBins(t, u, v.view, y); });
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

TEST(ColourChromaTest, RadiusBinsPaddingIsNeverRead) {
  ExpectPaddingIsNeverReadInEither(
      1921, 3, {8, 10, 16},
      [](int64_t t, const PlaneView& u, const PlaneView& v) {
        return RadiusBins(t, u, v, 2);
      });
}

TEST(ColourChromaTest, ConcurrentCallsAgree) {
  const Fill fill = test::NamedPattern("random").make(1023);
  const OwnedPlane u = MakePlane(1000, 200, 10, 8, fill, 21);
  const OwnedPlane v = MakePlane(1000, 200, 10, 8, fill, 22);
  test::ExpectConcurrentCallsAgree(
      ComputeChromaMomentsReference(u.view, v.view),
      [&] { return ComputeChromaMoments(u.view, v.view); });
}

}  // namespace
}  // namespace kernels_chroma_test
}  // namespace acuity::kernels::test
