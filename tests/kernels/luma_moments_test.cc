#include "kernels/luma_moments.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
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

constexpr int32_t kNone = std::numeric_limits<int32_t>::max();

std::string Describe(const LumaMoments& m) {
  return "count=" + std::to_string(m.count) + " sum=" + std::to_string(m.sum) +
         " sum_sq=" + std::to_string(m.sum_sq) +
         " low=" + std::to_string(m.count_low) +
         " high=" + std::to_string(m.count_high);
}

void ExpectAllTargetsMatchReference(const PlaneView& view, int32_t low,
                                    int32_t high, const std::string& what) {
  const LumaMoments ref = ComputeLumaMomentsReference(view, low, high);
  for (int64_t target : CompiledTargets()) {
    const LumaMoments got = ComputeLumaMomentsOnTarget(target, view, low, high);
    ASSERT_EQ(got, ref) << what << " target=" << TargetName(target)
                        << "\n  got " << Describe(got) << "\n  ref "
                        << Describe(ref);
  }
  ASSERT_EQ(ComputeLumaMoments(view, low, high), ref) << what << " dispatched";
}

TEST(ContrastLumaMomentsTest, HandComputedExample) {
  // 3x2: 0 16 17 / 235 236 255 at 8 bits, times 4 at 10 bits.
  const uint32_t v[2][3] = {{0, 16, 17}, {235, 236, 255}};
  for (int depth : {8, 10, 16}) {
    const uint32_t k = 1u << (depth - 8);
    const Fill fill = [&](int x, int y, std::mt19937&) { return v[y][x] * k; };
    const OwnedPlane p = MakePlane(3, 2, depth, 5, fill, 1);
    const LumaMoments m = ComputeLumaMomentsReference(p.view, 16 * k, 235 * k);
    EXPECT_EQ(m.count, 6);
    EXPECT_EQ(m.sum, (0 + 16 + 17 + 235 + 236 + 255) * uint64_t{k});
    EXPECT_EQ(m.sum_sq,
              (0 + 256 + 289 + 55225 + 55696 + 65025) * uint64_t{k} * k);
    EXPECT_EQ(m.count_low, 2);   // 0, 16
    EXPECT_EQ(m.count_high, 3);  // 235, 236, 255
    const LumaMoments none = ComputeLumaMomentsReference(p.view, -1, kNone);
    EXPECT_EQ(none.count_low, 0);
    EXPECT_EQ(none.count_high, 0);
    ExpectAllTargetsMatchReference(p.view, 16 * k, 235 * k, "hand");
    ExpectAllTargetsMatchReference(p.view, -1, kNone, "hand, no counts");
  }
}

TEST(ContrastLumaMomentsTest, EmptyPlane) {
  EXPECT_EQ(ComputeLumaMoments(PlaneView{}, 16, 235), LumaMoments{});
  for (int64_t target : CompiledTargets()) {
    EXPECT_EQ(ComputeLumaMomentsOnTarget(target, PlaneView{}, 16, 235),
              LumaMoments{});
  }
}

// Awkward widths around every vector size (16/32/64 bytes; 8/16/32 u16
// lanes, and the 128-bit fallback for narrow planes), strides > width,
// levels at the extremes (0, max, disabled) and in between.
TEST(ContrastLumaMomentsTest, AllTargetsMatchReference) {
  const int widths[] = {1,  2,  3,  7,  8,  9,  15,  16,  17,  31,  32,
                        33, 63, 64, 65, 68, 76, 127, 128, 129, 1921};
  const int heights[] = {1, 2, 5};
  const int depths[] = {8, 9, 10, 12, 16};
  uint32_t seed = 1;
  for (int depth : depths) {
    const uint32_t max = MaxValue(depth);
    const int32_t m = static_cast<int32_t>(max);
    const std::vector<Fill> fills = {
        [max](int, int, std::mt19937& rng) { return rng() % (max + 1); },
        [max](int, int, std::mt19937& rng) { return (rng() & 1) ? max : 0u; },
        [max](int x, int y, std::mt19937&) {
          return static_cast<uint32_t>((x * 7 + y * 3) % (max + 1));
        },
    };
    const int32_t levels[][2] = {{16 << (depth - 8), 235 << (depth - 8)},
                                 {0, m},
                                 {-1, kNone},
                                 {m, 0},
                                 {m / 2, m / 2 + 1}};
    for (const Fill& fill : fills) {
      for (int w : widths) {
        for (int h : heights) {
          for (int pad : {0, 13}) {
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, seed++);
            for (const auto& lv : levels) {
              ExpectAllTargetsMatchReference(
                  p.view, lv[0], lv[1],
                  std::to_string(w) + "x" + std::to_string(h) + " depth " +
                      std::to_string(depth) + " pad " + std::to_string(pad) +
                      " levels " + std::to_string(lv[0]) + "," +
                      std::to_string(lv[1]));
            }
          }
        }
      }
    }
  }
}

TEST(ContrastLumaMomentsTest, PaddingIsNeverRead) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() % 256; };
  for (int depth : {8, 10}) {
    const OwnedPlane a = MakePlane(1921, 5, depth, 40, fill, 11);
    OwnedPlane b = MakePlane(1921, 5, depth, 40, fill, 12);
    for (int y = 0; y < 5; ++y) {
      for (int x = 0; x < 1921; ++x) b.Set(x, y, a.view.At(x, y));
    }
    for (int64_t target : CompiledTargets()) {
      EXPECT_EQ(ComputeLumaMomentsOnTarget(target, a.view, 16, 235),
                ComputeLumaMomentsOnTarget(target, b.view, 16, 235))
          << TargetName(target) << " depth " << depth;
    }
  }
}

// All-max planes large enough to cross every flush budget (8-bit: 255
// steps; 16-bit: 32767 steps of up to 32 lanes), checked against the closed
// form.
TEST(ContrastLumaMomentsTest, WorstCaseDoesNotOverflow) {
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937&) { return max; };
    const OwnedPlane p = MakePlane(4099, 300, depth, 3, fill, 3);
    const uint64_t n = 4099ull * 300;
    const LumaMoments ref =
        ComputeLumaMomentsReference(p.view, 0, static_cast<int32_t>(max));
    EXPECT_EQ(ref.sum, n * max);
    EXPECT_EQ(ref.sum_sq, n * max * max);
    EXPECT_EQ(ref.count_high, static_cast<int64_t>(n));
    EXPECT_EQ(ref.count_low, 0);
    ExpectAllTargetsMatchReference(p.view, 0, static_cast<int32_t>(max),
                                   "max depth " + std::to_string(depth));
  }
}

TEST(ContrastLumaMomentsTest, LargeRandomPlanesMatchReference) {
  for (int depth : {8, 10, 16}) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane p = MakePlane(1920, 1080, depth, 64, fill, 5);
    ExpectAllTargetsMatchReference(p.view, 16 << (depth - 8),
                                   235 << (depth - 8),
                                   "1080p depth " + std::to_string(depth));
  }
}

TEST(ContrastLumaMomentsTest, ConcurrentCallsAgree) {
  const Fill fill = [](int, int, std::mt19937& rng) { return rng() % 1024; };
  const OwnedPlane p = MakePlane(1000, 200, 10, 8, fill, 21);
  const LumaMoments want = ComputeLumaMomentsReference(p.view, 64, 940);
  std::vector<LumaMoments> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back(
        [&p, &got, i] { got[i] = ComputeLumaMoments(p.view, 64, 940); });
  }
  for (std::thread& t : threads) t.join();
  for (const LumaMoments& m : got) EXPECT_EQ(m, want);
}

}  // namespace
}  // namespace acuity::kernels
