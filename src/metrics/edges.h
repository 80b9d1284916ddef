#ifndef ACUITY_METRICS_EDGES_H_
#define ACUITY_METRICS_EDGES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "acuity/metric.h"
#include "kernels/edge.h"

namespace acuity::metrics {

// Edge pixels come from one row in every k, k = EdgeRowStep(height) (rows
// chosen by kernels::EdgeCodeRowY; about 256 rows whatever the resolution:
// k = 4 at 1080p, 2 at 720p, 1 up to 511 rows, at most 8). Tests check
// that k = 1 agrees.
inline int EdgeRowStep(int height) {
  const int k = height / 256;
  return k < 1 ? 1 : (k > 8 ? 8 : k);
}
// At most this many edges are walked per frame (on average; between half
// and all of it): when the kernel finds more, 1 in 2^L edge pixels is
// walked, the smallest such L, chosen by a hash of the pixel's position
// (deterministic, no aliasing with periodic content).
inline constexpr int64_t kMaxWalks = 2048;
// The relative gradient threshold comes from every kEdgeStatsRowStep-th row.
inline constexpr int kEdgeStatsRowStep = 8;
// Fewer valid edges than this in the walked rows: every output is null.
inline constexpr int64_t kMinEdges = 32;
// Smallest step between the two extrema, full-range 8-bit code values.
inline constexpr double kMinStepHeight = 10.0;
// A profile "still rises" while each step rises by at least this much
// (full-range 8-bit units; one native code value at 8 bits).
inline constexpr double kMinRise = 0.5;
// Sobel L1 threshold for edge pixels:
//   max(floor, min(kGradientRmsFactor * RMS, kGradientMaxShare * max))
// of the Sobel L1 magnitude m over the frame (MATLAB's edge(I, 'sobel')
// rule, 2 RMS, capped at half the strongest gradient so that frames whose
// edges are all alike -- a grating, a page of text -- keep them); floor in
// full-range 8-bit units, so that noise on flat frames is not edges.
inline constexpr double kGradientFloor = 16.0;
inline constexpr double kGradientRmsFactor = 2.0;
inline constexpr double kGradientMaxShare = 0.5;
// Longest walk from the edge pixel to either extremum, in steps.
inline constexpr int kMaxHalfWidth = 32;
// Halo search window beyond each extremum, in steps (8 px axial, 11 px
// diagonal). Fixed rather than proportional to the edge width: sharpening
// narrows edges, and a window that shrank with them would hide the very
// rims sharpening adds.
inline constexpr int kHaloWindow = 8;
// After a rim the profile must stay on its plateau for this many samples.
inline constexpr int kHaloPlateau = 2;
// A rim may fall back by at most this share of the extremum-to-extremum
// step h; an edge whose profile falls back by more than kShoulderRatio * h
// beyond an extremum is dropped (the shoulder of a stronger edge).
inline constexpr double kRimMaxShare = 1.0 / 3.0;
inline constexpr double kShoulderRatio = 2.0;
// A rim is visible when it exceeds both (relative to the plateau step, and
// absolute in full-range 8-bit units).
inline constexpr double kHaloVisibleRatio = 0.05;
inline constexpr double kHaloVisibleExcess = 2.0;

MetricEntry EdgeWidthEntry();

// One frame's edge analysis, shared by all outputs of edge_width_px.
struct EdgeFrameResult {
  uint32_t threshold = 0;  // Sobel L1 threshold used (kernel units)
  int row_step = 0;        // one row in row_step analysed
  int64_t candidates = 0;  // edge pixels from the kernel in those rows
  int64_t walked = 0;      // edge pixels walked (all, or a hashed subset)
  int64_t edges = 0;       // valid edges (walk succeeded, step high enough)
  int64_t halos = 0;       // edges with a visible rim
  // Null when edges < kMinEdges.
  std::optional<double> width_mean;  // px
  std::optional<double> width_p90;   // px
  std::optional<double> acutance;    // 8-bit code values / px^2, 0..255
  std::optional<double> overshoot;   // percent of the plateau step
  std::optional<double> halo_share;  // 0..1
};

// How much of the frame is analysed; the defaults are production's.
struct EdgeSampling {
  int row_step = 0;               // 0: EdgeRowStep(height)
  int64_t max_walks = kMaxWalks;  // 0: walk every edge pixel
};

// The analysis with its reusable buffers; one per video (not thread-safe).
class EdgeAnalyzer {
 public:
  EdgeFrameResult Analyse(const PlaneView& luma, const LumaScale& scale,
                          const EdgeSampling& sampling = {});

 private:
  std::vector<uint8_t> codes_;
  std::vector<uint64_t> masks_;  // one bit per code
  // Width histogram: [diagonal][steps], steps 1 .. 2 * kMaxHalfWidth.
  std::array<std::array<int64_t, 2 * kMaxHalfWidth + 1>, 2> width_hist_{};
};

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_EDGES_H_
