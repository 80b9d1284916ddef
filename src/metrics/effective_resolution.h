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
#include "kernels/sobel.h"

namespace acuity::metrics {

MetricEntry EffectiveResolutionEntry();

// Edge-blur sigma (pixels) of a sharp native picture: a frame whose edges
// measure this sigma or less reads its full nominal resolution. The
// geometric mean of (source lines / 1080) * sigma over 36 known upscales
// (see effective_resolution.cc and docs/validation.md).
inline constexpr double kNativeSigma = 0.50;

// Buffers reused across frames (no allocation per frame once sized). One
// per metric instance; not thread-safe.
// Interpolation periodicity (Gallagher 2005; Kirchner 2008): an upscale by
// 1.5 or 3 (720 or 360 lines to 1080, 480 or 240 to 720) leaves the mean
// |second difference| of each line periodic with period 3 output lines.
// Upscales by 2 are not detected: their period-2 signal in the first
// difference is also made by H.264's 4x4 transform grid and by 4:2:0
// chroma siting (tried and rejected, docs/metrics.md).
// Which of the two: in a 3x upscale the odd phase of the period is a peak
// (the lines on the source samples carry the kinks), in a 1.5x upscale a
// dip. Per axis: z = the odd phase's deviation over its standard error,
// sign = +1 peak / -1 dip, modulation = deviation / mean level.
struct UpscaleAxis {
  double z = 0.0;
  int sign = 0;
  double modulation = 0.0;
};
struct UpscaleEvidence {
  UpscaleAxis rows, cols;  // rows: along the columns (vertical resampling)
  double factor = 1.0;     // 1 (none found), 1.5 or 3
};
struct UpscaleWorkspace {
  std::vector<uint32_t> rows, cols;  // kernels::ComputeLineActivity's sums
  std::vector<double> lines;         // one axis's sums, for Period3
};
UpscaleEvidence DetectUpscale(const PlaneView& y, UpscaleWorkspace* ws);

// Detection thresholds (docs/metrics.md, upscaled_from_height).
inline constexpr double kUpscaleMinScore = 10.0;  // |sign_r z_r + sign_c z_c|
inline constexpr double kUpscaleMinModulation = 0.05;  // on one axis at least
// An upscale of a picture sharp at its own height reads this fraction of the
// source height or more on the edge estimate (bilinear and area kernels,
// the softest common ones, ~0.6-0.7; bicubic and lanczos higher).
inline constexpr double kUpscaleKernelShare = 0.60;

struct EdgeBlurWorkspace {
  std::vector<float> strip;    // the plane, 4 lines averaged, profile-major
  std::vector<float> fine;     // strip smoothed along the profile (scale 1)
  std::vector<float> coarse;   // strip smoothed along the profile (scale 2)
  std::vector<int> groups;     // line group of each strip column
  int sparse_cols = 0;         // columns of the sparse pass (a prefix)
  int built_cols = 0;          // strip columns [0, built_cols) are filled
  int smoothed_cols = 0;       // ... and smoothed
  std::vector<float> sigmas2;  // per accepted edge: sigma^2
  std::vector<float> heights;  // ... and its step height (native units)
  std::vector<double> grid_heights;  // sharp steps on the block grid
  std::vector<int32_t> candidates;   // columns of one row's candidates
  // The sparse pass's edges before the block-grid filter and its trimmed
  // range (when prior_valid), taken over by the full pass.
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
