// edge_width_px and its outputs (edge_width_p90, edge_acutance,
// halo_overshoot, halo_share): the registry entry. The analysis itself is
// metrics/edge_analysis.h.
#ifndef ACUITY_METRICS_EDGES_H_
#define ACUITY_METRICS_EDGES_H_

#include "acuity/metric.h"
#include "metrics/edge_analysis.h"

namespace acuity::metrics {

MetricEntry EdgeWidthEntry();

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_EDGES_H_
