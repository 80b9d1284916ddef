#ifndef ACUITY_METRICS_COLOUR_H_
#define ACUITY_METRICS_COLOUR_H_

#include <optional>
#include <vector>

#include "acuity/metric.h"
#include "kernels/chroma.h"
#include "kernels/luma_moments.h"

namespace acuity::metrics {

// Chroma rows sampled by saturation_p90's histogram: every
// kSaturationRowStep-th row of the chroma planes.
inline constexpr int kSaturationRowStep = 8;

// S-Pallid's spread threshold: a block is pallid when the standard deviation
// of Cb or Cr is below 3 limited-range 8-bit code values (NTIA), i.e.
// 3 * 255/224 full-range 8-bit units.
inline constexpr double kPallidStdLimited8 = 3.0;

// The outputs of the colour entry, in slot order.
enum ColourSlot {
  kSaturationMean = 0,
  kSaturationP90 = 1,
  kColorfulness = 2,
  kPallidShare = 3,
};

MetricEntry ColourEntry();

// Block boundaries of NTIA's divide_100_blocks(rows, cols, 0): about 100
// near-square blocks tiling the plane. `x` holds num_horiz + 1 column
// boundaries (0 .. cols), `y` num_vert + 1 row boundaries (0 .. rows); the
// last block of a row/column takes the remainder.
struct BlockGrid {
  std::vector<int> x;
  std::vector<int> y;
};
BlockGrid NtiaBlocks(int rows, int cols);

// Whole-frame chroma statistics, exact integers; what Colorfulness() and
// SaturationMean() need. sum_u etc. are raw (not centred) code values.
struct ChromaSums {
  int64_t count = 0;
  uint64_t sum_u = 0, sum_v = 0, sum_uu = 0, sum_vv = 0;
  kernels::ChromaMoments centred;  // sum of du*dv and of round(16 r)
};

// Hasler & Suesstrunk's M from the chroma sums (see colour.cc), in
// full-range 8-bit RGB units; nullopt when count is 0.
std::optional<double> Colorfulness(const ChromaSums& s, const LumaScale& scale,
                                   ColorMatrix matrix);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_COLOUR_H_
