#ifndef ACUITY_METRICS_NOISE_H_
#define ACUITY_METRICS_NOISE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "acuity/metric.h"
#include "kernels/sobel.h"

namespace acuity::metrics {

// The estimate is taken from the flattest kNoiseFlattestPercent % of the
// usable blocks (by their Sobel gradient sum), rounded up.
inline constexpr int kNoiseFlattestPercent = 10;
// Block rows measured per frame: every NoiseRowStep()-th, with step
// max(1, block rows / kNoiseMinBlockRows), so that at least 22 are measured:
// all below 706 lines (576p, 480p), every 2nd at 720p, every 3rd at 1080p,
// every 6th at 2160p.
inline constexpr int kNoiseMinBlockRows = 22;
// White noise of standard deviation s adds kLaplacianNoiseGain * s^2 to the
// variance of the [0 1 0; 1 -4 1; 0 1 0] Laplacian (1 + 1 + 1 + 1 + 16).
inline constexpr double kLaplacianNoiseGain = 20.0;

// White noise of standard deviation s adds kCoarseNoiseGain * s^2 to the
// variance of laplacian_var_nc's coarse Laplacian (of 8x8 box means at
// stride 4). In units of 4x4 cells the operator's weights are
// [0 1 1 0; 1 -2 -2 1; 1 -2 -2 1; 0 1 1 0] (each cell 16 samples), so the
// gain is 16 * (8 * 1 + 4 * 4) / 64^2 = 24 / 256.
inline constexpr double kCoarseNoiseGain = 24.0 / 256.0;

// laplacian_var_nc removes at most this share of the coarse variance as
// noise. Where noise_sigma would explain more, it is likely reading fine
// texture as noise (frames without flat areas: binary patterns, foliage),
// and removing it all would call sharp texture flat.
inline constexpr double kMaxNoiseShare = 2.0 / 3.0;

int NoiseRowStep(const PlaneView& plane);

// Noise standard deviation in full-range 8-bit units from the blocks that
// ComputeNoiseBlocks(plane, row_step, &blocks) gave, or nullopt when there
// is no block. The plane is read again only when every block touches black
// or white (see noise.cc). `keys` is scratch space, reused to avoid
// allocation per frame. Shared with tests.
std::optional<double> NoiseSigmaFromBlocks(
    const PlaneView& plane, int row_step,
    const std::vector<kernels::NoiseBlock>& blocks, const LumaScale& scale,
    std::vector<uint64_t>* keys);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_NOISE_H_
