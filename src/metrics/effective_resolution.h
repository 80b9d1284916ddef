// Effective resolution from edge blur: effective_height, effective_width,
// resolution_ratio and blur_sigma_px (one registry entry). Method,
// calibration and limits are in effective_resolution.cc and
// docs/metrics.md.
#ifndef ACUITY_METRICS_EFFECTIVE_RESOLUTION_H_
#define ACUITY_METRICS_EFFECTIVE_RESOLUTION_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "acuity/plane.h"
#include "kernels/line_activity.h"
#include "kernels/sobel.h"

namespace acuity::metrics {

MetricEntry EffectiveResolutionEntry();

// Edge-blur sigma (pixels) of a sharp native picture: a frame whose edges
// measure this sigma or less reads its full nominal resolution. The
// geometric mean of (source lines / 1080) * sigma over 24 known upscales of
// sharp renders, tilted edges corrected (see effective_resolution.cc and
// docs/metrics.md).
inline constexpr double kNativeSigma = 0.475;

// Buffers reused across frames (no allocation per frame once sized). One
// per metric instance; not thread-safe.
// Interpolation periodicity (Gallagher 2005; Kirchner 2008): an upscale by
// 1.5 or 3 (720 or 360 lines to 1080, 480 or 240 to 720) leaves the mean
// |second difference| of each line periodic with period 3 output lines.
// Which of the two: in a 3x upscale the odd phase of the period is a peak
// (the lines on the source samples carry the kinks), in a 1.5x upscale a
// dip. Per axis: z = the odd phase's deviation over its standard error,
// sign = +1 peak / -1 dip, modulation = deviation / mean level.
struct UpscaleAxis {
  double z = 0.0;
  int sign = 0;
  double modulation = 0.0;
};
// Upscales by 2 (540 lines to 1080) put the output lines at the phases 1/4
// and 3/4 of the source grid, so the mean |first difference| alternates
// between the lines that straddle a source sample and those between two.
// H.264's 4x4 transform grid makes a similar alternation; three more tests
// tell them apart (docs/metrics.md, upscaled_from_height): the eight phases
// of the period-8 grid fall into two flat groups (spread: the largest
// deviation inside a group over the even-odd difference), every quadrant of
// the frame that has structure shows the alternation (a frame half of which
// is upscaled is not called upscaled), and the spectrum is coherent with
// its mirror about a quarter of the sampling rate (an upscale by 2 makes
// Y(0.5 - f) a fixed filter of Y(f) for every f; coding blocks and native
// content do not), measured on 64-sample segments.
struct DoubleAxis {
  double z = 0.0;               // even-odd difference / its standard error
  double spread = 0.0;          // within-group deviation / |difference|
  double modulation = 0.0;      // |difference| / mean level
  double min_quadrant_z = 0.0;  // smallest z of a quadrant with structure,
                                // signed like z (computed when z passes)
  double coherence = 0.0;       // 0..1 (computed when the tests above pass)
  bool found = false;
};
struct UpscaleEvidence {
  UpscaleAxis rows, cols;  // rows: along the columns (vertical resampling)
  double factor = 1.0;     // 1 (none found), 1.5 or 3 (both axes)
  // Upscales by 2, per axis (rows: vertical), when no 1.5x / 3x is found.
  DoubleAxis rows2, cols2;
};
struct UpscaleWorkspace {
  std::vector<uint32_t> rows, cols;  // kernels::ComputeLineActivity's sums
  std::vector<double> lines;         // one axis's sums, for Period3
  kernels::FirstDifferenceLines first;  // for the 2x test
  std::vector<double> series, scratch;
};
UpscaleEvidence DetectUpscale(const PlaneView& y, UpscaleWorkspace* ws);

// Detection thresholds (docs/metrics.md, upscaled_from_height).
inline constexpr double kUpscaleMinScore = 10.0;  // |sign_r z_r + sign_c z_c|
inline constexpr double kUpscaleMinModulation = 0.05;  // on one axis at least
// Upscales by 2, per axis: |z| and every structured quadrant's signed z at
// least kDoubleMinZ, spread at most kDoubleMaxSpread, modulation at least
// kUpscaleMinModulation, coherence at least kDoubleMinCoherence over at
// least kDoubleMinSegments segments. A quadrant has structure when its mean
// |first difference| is at least kDoubleFlatLevel (8-bit code values).
// Pixel doubling (every step on one parity: nearest-neighbour 2x, or
// graphics drawn on a 2-pixel grid, which no test tells apart) reads a
// modulation near 4; above kDoubleMaxModulation no 2x upscale is named.
// kDoubleClip: the clip on the detrended series (times its median |e|).
inline constexpr double kDoubleMinZ = 10.0;
inline constexpr double kDoubleMaxModulation = 2.0;
inline constexpr double kDoubleClip = 6.0;
inline constexpr double kDoubleMaxSpread = 0.25;
inline constexpr double kDoubleMinCoherence = 0.55;
inline constexpr int kDoubleMinSegments = 64;
inline constexpr double kDoubleFlatLevel = 0.1;
// An upscale of a picture sharp at its own height reads this fraction of the
// source height or more on the edge estimate (bilinear and area kernels,
// the softest common ones, ~0.6-0.7; bicubic and lanczos higher).
inline constexpr double kUpscaleKernelShare = 0.60;

struct EdgeBlurWorkspace {
  std::vector<float> strip;    // the plane, 4 lines averaged, profile-major
  std::vector<float> fine;     // strip smoothed along the profile (scale 1)
  std::vector<float> coarse;   // strip smoothed along the profile (scale 2)
  std::vector<int> groups;     // line group of each strip column
  int stage_cols[3] = {0, 0, 0};  // columns of each pass (prefixes)
  int prior_cols = 0;  // columns [0, prior_cols) gave the prior_* edges
  int built_cols = 0;          // strip columns [0, built_cols) are filled
  int smoothed_cols = 0;       // ... and smoothed
  std::vector<float> sigmas2;  // per accepted edge: sigma^2
  std::vector<float> heights;  // ... and its step height (native units)
  std::vector<double> grid_heights;  // sharp steps on the block grid
  std::vector<int32_t> candidates;   // columns of one row's candidates
  // The previous (sparse or half) pass's edges before the block-grid filter
  // and its trimmed range (when prior_valid), taken over by the next pass.
  std::vector<float> prior_sigmas2, prior_heights;
  std::vector<double> prior_grid_heights;
  int prior_first = 0, prior_last = 0;
  bool prior_valid = false;
  std::vector<kernels::NoiseBlock> blocks;
  std::vector<uint64_t> keys;
  UpscaleWorkspace upscale;
};

// What one direction of one frame yields.
struct EdgeBlur {
  std::optional<double> sigma;  // pooled edge sigma (px), incl. the pixel's
  int edges = 0;                // accepted isolated edges
};

// The edge sigma of the profiles along y (vertical: horizontal edges, the
// vertical resolution) or along x. `noise_sigma` in full-range 8-bit units
// sets the edge-strength floor. Shared with tests and benches.
EdgeBlur MeasureEdgeBlur(const PlaneView& y, const LumaScale& scale,
                         bool vertical, double noise_sigma,
                         EdgeBlurWorkspace* ws);

struct EffectiveResolution {
  std::optional<double> upscaled_from;  // upscaled_from_height, lines
  std::optional<double> height;         // effective_height, lines
  std::optional<double> width;          // effective_width, columns
  std::optional<double> ratio;          // effective_height / height
  std::optional<double> blur_sigma;     // blur_sigma_px
  EdgeBlur vertical, horizontal;
  std::optional<double> noise_sigma;
};

EffectiveResolution MeasureEffectiveResolution(const PlaneView& y,
                                               const LumaScale& scale,
                                               EdgeBlurWorkspace* ws);
// The same with the frame's noise_sigma already estimated (FrameAnalysis's
// kNeedNoise: the estimator the overload above runs).
EffectiveResolution MeasureEffectiveResolution(
    const PlaneView& y, const LumaScale& scale,
    std::optional<double> noise_sigma, EdgeBlurWorkspace* ws);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_EFFECTIVE_RESOLUTION_H_
