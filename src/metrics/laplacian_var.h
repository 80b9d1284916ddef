#ifndef ACUITY_METRICS_LAPLACIAN_VAR_H_
#define ACUITY_METRICS_LAPLACIAN_VAR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "acuity/metric.h"
#include "kernels/laplacian.h"

namespace acuity::metrics {

MetricEntry LaplacianVarEntry();

// laplacian_var itself is LaplacianVarFromMoments (metrics/moments.h).

// laplacian_var_nc before its noise is taken out: the variance of the
// Laplacian (neighbours at +-4 samples) of the plane of 8x8 box means
// taken every 4 samples, in full-range 8-bit units^2, from the 4x4 block
// sums of kernels::ComputeBlockSums4 (`cells_w` x `cells_h` cells).
// nullopt when there is no Laplacian sample (planes under 16x16).
// `boxes` is scratch space. Shared with tests.
std::optional<double> CoarseLaplacianVar(const std::vector<uint32_t>& cells,
                                         int cells_w, int cells_h,
                                         const LumaScale& scale,
                                         std::vector<uint32_t>* boxes);

// laplacian_var_nc from the coarse variance and noise_sigma: the noise part
// kCoarseNoiseGain * sigma^2 is removed, but never more than kMaxNoiseShare
// of the coarse variance (see metrics/noise.cc).
double LaplacianVarNc(double coarse, double noise_sigma);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_LAPLACIAN_VAR_H_
