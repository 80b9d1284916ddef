#ifndef ACUITY_METRICS_GRADIENT_H_
#define ACUITY_METRICS_GRADIENT_H_

#include <optional>

#include "acuity/metric.h"
#include "kernels/sobel.h"

namespace acuity::metrics {

// gradient_energy and si (one registry entry, two outputs).
MetricEntry GradientEnergyEntry();

struct GradientValues {
  std::optional<double> gradient_energy;  // 8-bit code values^2
  std::optional<double> si;               // 8-bit code values
};

// Both outputs in full-range 8-bit units from the kernel's exact sums, or
// nullopt when the interior is empty or too flat (luma standard deviation
// below kFlatLumaStd, as laplacian_var). Shared with tests.
GradientValues GradientFromMoments(const kernels::SobelMoments& m,
                                   int bit_depth, const LumaScale& scale);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_GRADIENT_H_
