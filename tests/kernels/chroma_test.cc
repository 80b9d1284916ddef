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
#include "kernels/owned_plane.h"
#include "kernels/targets.h"

namespace acuity::kernels {
namespace {

using test::Fill;
using test::MakePlane;
using test::MaxValue;
using test::OwnedPlane;

std::string Describe(const ChromaMoments& m) {
  return "count=" + std::to_string(m.count) +
         " sum_uv=" + std::to_string(m.sum_uv) +
         " sum_radius16=" + std::to_string(m.sum_radius16);
}

void ExpectAllTargetsMatchReference(const PlaneView& u, const PlaneView& v,
                                    const std::string& what) {
  const ChromaMoments ref = ComputeChromaMomentsReference(u, v);
  for (int64_t target : CompiledTargets()) {
    const ChromaMoments got = ComputeChromaMomentsOnTarget(target, u, v);
    ASSERT_EQ(got, ref) << what << " target=" << TargetName(target)
                        << "\n  got " << Describe(got) << "\n  ref "
                        << Describe(ref);
  }
  ASSERT_EQ(ComputeChromaMoments(u, v), ref) << what << " dispatched";
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

// Awkward widths around every vector size (and the 128-bit fallback for
// planes narrower than a full vector), strides > width (different for u
// and v), patterns that hit the extremes: du = dv = -mid gives the largest
// radius (2^15 at 8 bits, the clamp at 16 bits).
TEST(ColourChromaTest, AllTargetsMatchReference) {
  const int widths[] = {1,  2,  3,  7,  8,  9,  15,  16,  17,  31,  32,
                        33, 63, 64, 65, 68, 76, 127, 128, 129, 1921};
  const int heights[] = {1, 2, 5};
  const int depths[] = {8, 9, 10, 12, 14, 16};
  uint32_t seed = 1;
  for (int depth : depths) {
    const uint32_t max = MaxValue(depth);
    const uint32_t mid = 1u << (depth - 1);
    const std::vector<std::pair<const char*, Fill>> fills = {
        {"random",
         [max](int, int, std::mt19937& rng) { return rng() % (max + 1); }},
        {"extremes",
         [max](int, int, std::mt19937& rng) { return (rng() & 1) ? max : 0u; }},
        {"zero", [](int, int, std::mt19937&) { return 0u; }},
        {"neutral", [mid](int, int, std::mt19937&) { return mid; }},
        {"near_neutral",
         [mid](int, int, std::mt19937& rng) { return mid - 3 + rng() % 7; }},
    };
    for (const auto& [name, fill] : fills) {
      for (int w : widths) {
        for (int h : heights) {
          for (int pad : {0, 13}) {
            const OwnedPlane u = MakePlane(w, h, depth, pad, fill, seed++);
            const OwnedPlane v = MakePlane(w, h, depth, pad + 5, fill, seed++);
            ExpectAllTargetsMatchReference(
                u.view, v.view,
                std::string(name) + " " + std::to_string(w) + "x" +
                    std::to_string(h) + " depth " + std::to_string(depth) +
                    " pad " + std::to_string(pad));
          }
        }
      }
    }
  }
}

TEST(ColourChromaTest, PaddingIsNeverRead) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() % 256; };
  for (int depth : {8, 10}) {
    const OwnedPlane u = MakePlane(1921, 5, depth, 40, fill, 11);
    OwnedPlane u2 = MakePlane(1921, 5, depth, 40, fill, 12);
    const OwnedPlane v = MakePlane(1921, 5, depth, 40, fill, 13);
    for (int y = 0; y < 5; ++y) {
      for (int x = 0; x < 1921; ++x) u2.Set(x, y, u.view.At(x, y));
    }
    for (int64_t target : CompiledTargets()) {
      EXPECT_EQ(ComputeChromaMomentsOnTarget(target, u.view, v.view),
                ComputeChromaMomentsOnTarget(target, u2.view, v.view))
          << TargetName(target) << " depth " << depth;
    }
  }
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
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane u = MakePlane(960, 540, depth, 64, fill, 5);
    const OwnedPlane v = MakePlane(960, 540, depth, 32, fill, 6);
    ExpectAllTargetsMatchReference(u.view, v.view,
                                   "960x540 depth " + std::to_string(depth));
  }
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

TEST(ColourChromaTest, RadiusBinsAllTargetsMatchReference) {
  const int widths[] = {1,  2,  3,  7,  8,  9,  15,  16,  17,  31,  32,
                        33, 63, 64, 65, 68, 76, 127, 128, 129, 1921};
  uint32_t seed = 100;
  for (int depth : {8, 9, 10, 12, 16}) {
    const uint32_t max = MaxValue(depth);
    const std::vector<Fill> fills = {
        [max](int, int, std::mt19937& rng) { return rng() % (max + 1); },
        [max](int, int, std::mt19937& rng) { return (rng() & 1) ? max : 0u; },
        [depth](int, int, std::mt19937& rng) {
          return (1u << (depth - 1)) - 20 + rng() % 41;
        },
    };
    for (const Fill& fill : fills) {
      for (int w : widths) {
        const OwnedPlane u = MakePlane(w, 3, depth, 13, fill, seed++);
        const OwnedPlane v = MakePlane(w, 3, depth, 5, fill, seed++);
        for (int y = 0; y < 3; ++y) {
          // One guard element past the row: nothing may write there.
          std::vector<uint16_t> ref(w + 1, 7777);
          ComputeChromaRadiusBinsReference(u.view, v.view, y, ref.data());
          for (int64_t target : CompiledTargets()) {
            std::vector<uint16_t> got(w + 1, 7777);
            ComputeChromaRadiusBinsOnTarget(target, u.view, v.view, y,
                                            got.data());
            ASSERT_EQ(got, ref) << TargetName(target) << " width " << w
                                << " depth " << depth << " row " << y;
          }
          std::vector<uint16_t> got(w + 1, 7777);
          ComputeChromaRadiusBins(u.view, v.view, y, got.data());
          ASSERT_EQ(got, ref) << "dispatched width " << w;
        }
      }
    }
  }
}

TEST(ColourChromaTest, ConcurrentCallsAgree) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() % 1024; };
  const OwnedPlane u = MakePlane(1000, 200, 10, 8, fill, 21);
  const OwnedPlane v = MakePlane(1000, 200, 10, 8, fill, 22);
  const ChromaMoments want = ComputeChromaMomentsReference(u.view, v.view);
  std::vector<ChromaMoments> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back(
        [&, i] { got[i] = ComputeChromaMoments(u.view, v.view); });
  }
  for (std::thread& t : threads) t.join();
  for (const ChromaMoments& m : got) EXPECT_EQ(m, want);
}

}  // namespace
}  // namespace acuity::kernels
