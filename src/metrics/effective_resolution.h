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
struct EdgeBlurWorkspace {
  std::vector<float> strip;    // the plane, 4 lines averaged, profile-major
  std::vector<float> fine;     // strip smoothed along the profile (scale 1)
  std::vector<float> coarse;   // strip smoothed along the profile (scale 2)
  std::vector<float> acc;      // one row of filter accumulation
  std::vector<float> sigmas2;  // per accepted edge: sigma^2
  std::vector<float> heights;  // ... and its step height (native units)
  std::vector<double> grid_heights;  // sharp steps on the block grid
  // The sparse pass's edges before the block-grid filter, its trimmed
  // range and group count (0: none), taken over by the full pass.
  std::vector<float> prior_sigmas2, prior_heights;
  std::vector<double> prior_grid_heights;
  int prior_first = 0, prior_last = 0, prior_cols = 0;
  std::vector<kernels::NoiseBlock> blocks;
  std::vector<uint64_t> keys;
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
  std::optional<double> height;      // effective_height, lines
  std::optional<double> width;       // effective_width, columns
  std::optional<double> ratio;       // effective_height / height
  std::optional<double> blur_sigma;  // blur_sigma_px
  EdgeBlur vertical, horizontal;
  std::optional<double> noise_sigma;
};

EffectiveResolution MeasureEffectiveResolution(const PlaneView& y,
                                               const LumaScale& scale,
                                               EdgeBlurWorkspace* ws);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_EFFECTIVE_RESOLUTION_H_
