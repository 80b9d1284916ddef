// The edge analysis behind edge_width_px and its outputs (width, acutance,
// halos): EdgeAnalyzer, shared by the edge_width_px entry (edges.h) and the
// face metrics, which run it on face crops.
#ifndef ACUITY_METRICS_EDGE_ANALYSIS_H_
#define ACUITY_METRICS_EDGE_ANALYSIS_H_

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
// Shoulder test (edge widths): how far the profile falls back within
// kShoulderWindow steps beyond an extremum, before it stays for
// kShoulderPlateau samples; an edge whose profile falls back by more than
// kShoulderRatio * h (h: extremum-to-extremum step) is dropped as the
// shoulder of a stronger edge (e.g. the rim of a sharpened edge).
inline constexpr int kShoulderWindow = 8;
inline constexpr int kShoulderPlateau = 2;
inline constexpr double kShoulderRatio = 2.0;
// Halos (halo_overshoot, halo_share) are measured on isolated step edges
// only: beyond each extremum the profile must settle on a plateau (stay
// for kHaloPlateau samples) within kHaloReach steps (12 px axial, 17 px
// diagonal: the rims of a 13x13 unsharp mask lie within ~6 px, and a
// window that shrank with the edge width would hide them).
inline constexpr int kHaloReach = 12;
inline constexpr int kHaloPlateau = 3;
// Noise allowed on a plateau: kHaloPlateauNoise full-range 8-bit code
// values, or 1/kHaloPlateauNoiseDivisor of the edge's extremum-to-extremum
// step h if that is more (JPEG, camera and sharpened noise on plateaus
// beside strong edges).
inline constexpr double kHaloPlateauNoise = 2.0;
inline constexpr int32_t kHaloPlateauNoiseDivisor = 4;
// A rim still falls while a sample drops by more than max(kHaloPlateauNoise,
// h / kHaloFallDivisor) below the lowest level so far.
inline constexpr int32_t kHaloFallDivisor = 8;
// The plateau-to-plateau step S must be at least kMinStepHeight and each
// rim at most kHaloMaxRimRatio * S (a line or a bar returns to the other
// side's level: S ~ 0; an unsharp rim of amount 3 is ~1.2 S).
inline constexpr double kHaloMaxRimRatio = 2.0;
// A halo is visible when its rim exceeds both (relative to the plateau
// step, and absolute in full-range 8-bit units).
inline constexpr double kHaloVisibleRatio = 0.05;
inline constexpr double kHaloVisibleExcess = 2.0;
// Fewer step edges than this: halo_overshoot and halo_share are null.
inline constexpr int64_t kMinStepEdges = 16;

// One frame's edge analysis, shared by all outputs of edge_width_px.
struct EdgeFrameResult {
  uint32_t threshold = 0;  // Sobel L1 threshold used (kernel units)
  int row_step = 0;        // one row in row_step analysed
  int64_t candidates = 0;  // edge pixels from the kernel in those rows
  int64_t walked = 0;      // edge pixels walked (all, or a hashed subset)
  int64_t edges = 0;       // valid edges (walk succeeded, step high enough)
  int64_t step_edges = 0;  // valid edges that are isolated steps (halos)
  int64_t halos = 0;       // step edges with a visible halo
  // Null when edges < kMinEdges.
  std::optional<double> width_mean;  // px
  std::optional<double> width_p90;   // px
  std::optional<double> acutance;    // 8-bit code values / px^2, 0..255
  // Null when step_edges < kMinStepEdges.
  std::optional<double> overshoot;   // percent of the plateau step, 0..200
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

#endif  // ACUITY_METRICS_EDGE_ANALYSIS_H_
