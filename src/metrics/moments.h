// Statistics several metrics share: exact variances from integer sums and
// the "too flat to judge" rule, so that metrics include this instead of
// each other's headers.
#ifndef ACUITY_METRICS_MOMENTS_H_
#define ACUITY_METRICS_MOMENTS_H_

#include <cmath>
#include <cstdint>
#include <optional>

#include "acuity/frame.h"
#include "kernels/laplacian.h"

namespace acuity::metrics {

// Luma standard deviation (full-range 8-bit units) below which a frame is
// too flat to judge: laplacian_var, gradient_energy, laplacian_var_540p
// and the face values are null there.
inline constexpr double kFlatLumaStd = 1.0;

// Population variance of integer samples from their sums, exactly:
// (n * sum_sq - sum^2) / n^2 with a 128-bit numerator (one rounding, in the
// final division).
inline double VarianceFromSums(int64_t n, __int128 sum,
                               unsigned __int128 sum_sq) {
  const __int128 num = static_cast<__int128>(sum_sq) * n - sum * sum;
  const double nn = static_cast<double>(n);
  return static_cast<double>(num) / (nn * nn);
}

// True when samples with these sums (raw code values) have a standard
// deviation below kFlatLumaStd in full-range 8-bit units.
inline bool TooFlat(int64_t n, __int128 sum, unsigned __int128 sum_sq,
                    const LumaScale& scale) {
  return std::sqrt(VarianceFromSums(n, sum, sum_sq)) * scale.gain <
         kFlatLumaStd;
}

// Variance of the Laplacian in full-range 8-bit units from exact moments,
// or nullopt when the interior is empty or too flat (laplacian_var; also
// read by the face metrics, laplacian_var_540p and the heatmap tiles).
inline std::optional<double> LaplacianVarFromMoments(
    const kernels::LaplacianMoments& m, const LumaScale& scale) {
  if (m.count <= 0) return std::nullopt;
  if (TooFlat(m.count, m.sum_px, m.sum_px_sq, scale)) return std::nullopt;
  return VarianceFromSums(m.count, m.sum, m.sum_sq) * scale.gain * scale.gain;
}

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_MOMENTS_H_
