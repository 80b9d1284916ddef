#ifndef ACUITY_METRICS_BLOCKINESS_H_
#define ACUITY_METRICS_BLOCKINESS_H_

#include <optional>

#include "acuity/metric.h"
#include "kernels/block.h"

namespace acuity::metrics {

// Mean absolute neighbour difference (full-range 8-bit units) below which a
// frame is too flat to judge: blockiness is null there.
inline constexpr double kBlockinessFlatMeanDiff = 0.1;
// Added to the off-grid mean difference (8-bit units) before dividing, so
// that frames with almost no detail do not turn a faint step into a huge
// ratio.
inline constexpr double kBlockinessFloor = 1.0;

// Neighbour differences are limited to this many full-range 8-bit code
// values before they are averaged, so that a few strong content edges that
// happen to lie on the grid do not outweigh faint steps across many block
// edges.
inline constexpr double kBlockinessClip = 16.0;

MetricEntry BlockinessEntry();

// blockiness from the kernel's per-phase sums of a W x H plane, or nullopt
// when the plane is under 16x16 or too flat. Shared with tests.
std::optional<double> BlockinessFromSums(const kernels::GridDiffSums& g,
                                         int width, int height,
                                         const LumaScale& scale);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_BLOCKINESS_H_
