#ifndef ACUITY_METRICS_LAPLACIAN_VAR_H_
#define ACUITY_METRICS_LAPLACIAN_VAR_H_

#include <memory>
#include <optional>

#include "acuity/metric.h"
#include "kernels/laplacian.h"

namespace acuity::metrics {

// Luma standard deviation (full-range 8-bit units) below which a frame is
// too flat to judge: laplacian_var is null there.
inline constexpr double kFlatLumaStd = 1.0;

MetricEntry LaplacianVarEntry();

// Variance of the Laplacian in full-range 8-bit units from exact moments,
// or nullopt when the interior is empty or too flat. Shared with tests.
std::optional<double> LaplacianVarFromMoments(
    const kernels::LaplacianMoments& m, const LumaScale& scale);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_LAPLACIAN_VAR_H_
