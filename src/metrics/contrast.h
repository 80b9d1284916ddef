#ifndef ACUITY_METRICS_CONTRAST_H_
#define ACUITY_METRICS_CONTRAST_H_

#include <cstdint>
#include <optional>

#include "acuity/metric.h"
#include "kernels/luma_moments.h"

namespace acuity::metrics {

MetricEntry ContrastEntry();

// The nominal black and white code values of a stream, the levels at or
// beyond which clipped_share counts a luma sample: limited range 16 and 235
// times 2^(depth-8); full range 0 and 2^depth - 1.
struct ClipLevels {
  int32_t black = 0;
  int32_t white = 255;
};
ClipLevels ClipLevelsFor(int bit_depth, ColorRange range);

// Population standard deviation of luma in full-range 8-bit units; nullopt
// only for an empty plane. Shared with tests.
std::optional<double> RmsContrast(const kernels::LumaMoments& m,
                                  const LumaScale& scale);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_CONTRAST_H_
