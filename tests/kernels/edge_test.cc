// kernels/edge.h: every compiled target equals the reference twin exactly,
// and the reference follows the documented definition on hand-made planes.
#include "kernels/edge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "acuity/plane.h"
#include "kernels/kernel_harness.h"

namespace acuity::kernels::test {
namespace kernels_edge_test {
namespace {

std::string Describe(const SobelStats& s) {
  return "count=" + std::to_string(s.count) + " sum=" + std::to_string(s.sum) +
         " sum_sq=" + std::to_string(s.sum_sq) +
         " max=" + std::to_string(s.max);
}

// Codes and masks of all rows, each row followed by guard entries that must
// survive.
struct Codes {
  std::vector<uint8_t> codes;
  std::vector<uint64_t> masks;
  bool operator==(const Codes&) const = default;
};
constexpr uint8_t kGuard = 0xAB;
constexpr uint64_t kGuardMask = 0x5A5A5A5A5A5A5A5Aull;

Codes CodesOf(const PlaneView& v, int row_step, uint32_t threshold,
              int64_t target) {
  const int rows = EdgeCodeRows(v.height, row_step);
  const ptrdiff_t stride = v.width + 3;
  const ptrdiff_t mask_stride = EdgeMaskWords(v.width) + 1;
  Codes c;
  c.codes.assign(static_cast<size_t>(rows) * stride + 1, kGuard);
  c.masks.assign(static_cast<size_t>(rows) * mask_stride + 1, kGuardMask);
  if (target == kReference) {
    ComputeEdgeCodesReference(v, row_step, threshold, c.codes.data(), stride,
                              c.masks.data(), mask_stride);
  } else if (target == kDispatched) {
    ComputeEdgeCodes(v, row_step, threshold, c.codes.data(), stride,
                     c.masks.data(), mask_stride);
  } else {
    ComputeEdgeCodesOnTarget(target, v, row_step, threshold, c.codes.data(),
                             stride, c.masks.data(), mask_stride);
  }
  // Guards intact, masks equal to the codes.
  for (int j = 0; j < rows; ++j) {
    for (ptrdiff_t x = v.width; x < stride; ++x) {
      EXPECT_EQ(c.codes[j * stride + x], kGuard) << "row " << j;
    }
    EXPECT_EQ(c.masks[j * mask_stride + mask_stride - 1], kGuardMask);
    for (int x = 0; x < 64 * EdgeMaskWords(v.width); ++x) {
      const bool bit = (c.masks[j * mask_stride + x / 64] >> (x % 64)) & 1;
      const bool code = x < v.width && c.codes[j * stride + x] != kEdgeNone;
      if (bit != code) {
        ADD_FAILURE() << "mask bit " << x << " row " << j << " target "
                      << target;
        return c;
      }
    }
  }
  return c;
}

void ExpectAllTargetsMatch(const PlaneView& v, const std::string& what) {
  for (int row_step : {1, 2, 3, 4}) {
    test::ExpectTargetsAndDispatchEqual(
        what + " step " + std::to_string(row_step),
        ComputeSobelStatsReference(v, row_step),
        [&](int64_t t) { return ComputeSobelStatsOnTarget(t, v, row_step); },
        [&] { return ComputeSobelStats(v, row_step); }, Describe);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Thresholds: everything, a typical one, and one above any magnitude.
  const uint32_t scale = v.bit_depth > 8 ? 4 : 1;
  for (uint32_t threshold : {0u, 40u * scale, 40000u}) {
    for (int row_step : {1, 2, 3}) {
      ExpectEntryPointsAgree(
          what + " threshold " + std::to_string(threshold) + " step " +
              std::to_string(row_step),
          [&](int64_t t) { return CodesOf(v, row_step, threshold, t); },
          [](const Codes& c) {
            return std::to_string(c.codes.size()) + " codes, " +
                   std::to_string(c.masks.size()) + " mask words";
          });
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// Smooth random content: blobs of several sizes plus fine noise, so every
// direction and plenty of NMS ties occur.
Fill Smooth(uint32_t max) {
  return [max](int x, int y, std::mt19937& rng) {
    const double v = 0.5 + 0.25 * std::sin(x * 0.31 + y * 0.17) +
                     0.2 * std::sin(x * 0.05 - y * 0.11) +
                     0.05 * (static_cast<double>(rng() % 1000) / 1000.0);
    return static_cast<uint32_t>(std::lround(std::clamp(v, 0.0, 1.0) * max));
  };
}

// The harness's widths (and 6, 20, 36: the 2-pixel border around the
// vectors), depths and strides; heights around the 4-row border.
TEST(EdgeKernelTest, AllTargetsMatchReference) {
  test::Sweep sweep;
  sweep.widths = test::StandardWidths();
  sweep.widths.insert(sweep.widths.end(), {6, 20, 36});
  sweep.heights = {1, 3, 5, 6, 9};
  sweep.depths = {8, 10, 12, 13, 16};  // 13+: samples shifted to 12 bits
  sweep.pads = {0, 11};
  sweep.patterns = {
      test::CustomPattern("smooth", Smooth), test::NamedPattern("random"),
      test::CustomPattern("blocky",
                          [](uint32_t max) -> Fill {
                            return [max](int x, int y, std::mt19937&) {
                              return ((x / 3 + y / 2) & 1) ? max : 0u;
                            };
                          }),
      test::CustomPattern("seven", [](uint32_t) -> Fill {
        return [](int, int, std::mt19937&) { return 7u; };
      })};
  test::ForEachPlane(sweep, [](const test::PlaneCase& c) {
    ExpectAllTargetsMatch(c.plane.view, c.what);
  });
}

TEST(EdgeKernelTest, PaddingIsNeverRead) {
  test::ExpectPaddingIsNeverRead(1921, 9, {8, 10, 16},
                                 [](int64_t t, const PlaneView& v) {
                                   return ComputeSobelStatsOnTarget(t, v, 1);
                                 });
  test::ExpectPaddingIsNeverRead(
      1921, 9, {8, 10, 16}, [](int64_t t, const PlaneView& v) {
        return CodesOf(v, 1, v.bit_depth > 8 ? 160 : 40, t);
      });
}

TEST(EdgeKernelTest, LargePlanesMatchReference) {
  for (int depth : {8, 10}) {
    const OwnedPlane p =
        MakePlane(1921, 67, depth, 40, Smooth(MaxValue(depth)), 5);
    ExpectAllTargetsMatch(p.view, "1921x67 depth " + std::to_string(depth));
    // Not vacuous: the content has edges of every direction.
    const Codes c = CodesOf(p.view, 1, 40 * (depth > 8 ? 4 : 1), kReference);
    int count[5] = {0, 0, 0, 0, 0};
    for (uint8_t code : c.codes) {
      if (code <= kEdgeXnY) ++count[code];
    }
    for (uint8_t code : {kEdgeX, kEdgeXY, kEdgeY, kEdgeXnY}) {
      EXPECT_GT(count[code], 100) << "direction " << int{code};
    }
  }
}

// Worst case for the int32 stats accumulators: a 0/max pattern that makes
// every magnitude maximal, wide enough to cross every flush budget.
TEST(EdgeKernelTest, StatsDoNotOverflow) {
  for (int depth : {8, 10, 12, 16}) {
    const uint32_t max = MaxValue(depth);
    // Columns alternate 0, max in pairs and rows too: |gx| = |gy| = 4 max
    // at many pixels.
    const Fill fill = [max](int x, int y, std::mt19937&) {
      return (((x + 1) / 2 + (y + 1) / 2) & 1) ? max : 0u;
    };
    const OwnedPlane p = MakePlane(9000, 6, depth, 3, fill, 1);
    const SobelStats ref = ComputeSobelStatsReference(p.view, 1);
    EXPECT_GT(ref.sum, 0u);
    test::ExpectTargetsEqual(
        "depth " + std::to_string(depth), ref,
        [&](int64_t t) { return ComputeSobelStatsOnTarget(t, p.view, 1); },
        Describe);
  }
}

TEST(EdgeKernelTest, SampledRowsAreStratified) {
  for (int h : {1, 4, 5, 6, 7, 9, 100, 1080, 2160}) {
    for (int k : {1, 2, 3, 4, 8}) {
      const int rows = EdgeCodeRows(h, k);
      for (int j = 0; j < rows; ++j) {
        const int y = EdgeCodeRowY(j, k);
        EXPECT_GE(y, 2 + j * k);  // inside its block
        EXPECT_LT(y, 2 + (j + 1) * k);
        EXPECT_LE(y, h - 3);  // inside the edge-pixel border
      }
      if (k == 1) {
        EXPECT_EQ(rows, std::max(0, h - 4));
      }
    }
  }
  // Both parities are sampled at even steps (no aliasing with content on
  // even rows).
  int odd = 0;
  for (int j = 0; j < 100; ++j) odd += EdgeCodeRowY(j, 4) & 1;
  EXPECT_GT(odd, 30);
  EXPECT_LT(odd, 70);
}

// A sharp vertical step gives one edge pixel per row, on the dark side
// (the two Sobel maxima tie; the first wins), direction kEdgeX.
TEST(EdgeKernelTest, SharpStepHasOneEdgePixelPerRow) {
  const Fill fill = [](int x, int, std::mt19937&) {
    return x >= 10 ? 200u : 50u;
  };
  const OwnedPlane p = MakePlane(40, 12, 8, 0, fill, 1);
  const Codes codes = CodesOf(p.view, 1, 16, kReference);
  const ptrdiff_t stride = p.view.width + 3;
  for (int j = 0; j < EdgeCodeRows(12, 1); ++j) {
    for (int x = 0; x < 40; ++x) {
      EXPECT_EQ(codes.codes[j * stride + x], x == 9 ? kEdgeX : kEdgeNone)
          << "row " << j << " x " << x;
    }
  }
  test::ExpectTargetsEqual(
      "step", codes, [&](int64_t t) { return CodesOf(p.view, 1, 16, t); });
  // Sobel magnitude at the step: |gx| = 4 * 150 = 600. A threshold of 600
  // keeps the edge, 601 removes it.
  EXPECT_EQ(CodesOf(p.view, 1, 600, kReference).codes[stride + 9], kEdgeX);
  const Codes none = CodesOf(p.view, 1, 601, kReference);
  for (int j = 0; j < EdgeCodeRows(12, 1); ++j) {
    EXPECT_EQ(none.codes[j * stride + 9], kEdgeNone);
  }
}

TEST(EdgeKernelTest, DirectionsFollowTheGradient) {
  struct Case {
    int cx, cy;  // gradient direction (y down)
    uint8_t code;
  };
  for (const Case& c :
       {Case{1, 0, kEdgeX}, Case{0, 1, kEdgeY}, Case{1, 1, kEdgeXY},
        Case{1, -1, kEdgeXnY}, Case{-1, 0, kEdgeX}, Case{-1, 1, kEdgeXnY},
        Case{0, -1, kEdgeY}, Case{-1, -1, kEdgeXY}}) {
    // A step through the centre, perpendicular to (cx, cy).
    const Fill fill = [c](int x, int y, std::mt19937&) {
      return (x - 20) * c.cx + (y - 20) * c.cy >= 0 ? 180u : 60u;
    };
    const OwnedPlane p = MakePlane(41, 41, 8, 0, fill, 1);
    const std::vector<uint8_t> codes =
        CodesOf(p.view, 1, 100, kReference).codes;
    const ptrdiff_t stride = p.view.width + 3;
    int found = 0;
    for (int y = 5; y <= 35; ++y) {
      for (int x = 5; x <= 35; ++x) {
        const uint8_t code = codes[(y - 2) * stride + x];
        if (code == kEdgeNone) continue;
        ++found;
        EXPECT_EQ(code, c.code)
            << c.cx << "," << c.cy << " at " << x << "," << y;
      }
    }
    EXPECT_GE(found, 25) << c.cx << "," << c.cy;  // one per row or column
  }
}

}  // namespace
}  // namespace kernels_edge_test
}  // namespace acuity::kernels::test
