#ifndef ACUITY_METRICS_LUMA_STATS_H_
#define ACUITY_METRICS_LUMA_STATS_H_

#include <cstdint>
#include <vector>

#include "acuity/metric.h"

namespace acuity::metrics {

// Rows sampled by luma_contrast's histogram: every kContrastRowStep-th row.
inline constexpr int kContrastRowStep = 8;

MetricEntry LumaMeanEntry();
MetricEntry LumaContrastEntry();

// Smallest code value v whose cumulative count reaches q * total
// (nearest-rank percentile of a histogram). Shared with tests.
int HistogramPercentile(const std::vector<uint32_t>& hist, uint64_t total,
                        double q);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_LUMA_STATS_H_
