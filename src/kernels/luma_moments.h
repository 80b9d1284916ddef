// Luma moments: count, sum and sum of squares of every sample of a plane,
// and how many samples lie at or beyond two levels, in one pass.
//
// Behind luma_rms_contrast / clipped_share (metrics/contrast.h), and, over
// blocks of the chroma planes, behind pallid_share (metrics/colour.h): the
// kernel reads any plane, luma or not. Every sample of the view is measured
// (no border rule). Sums are exact integers for 8..16-bit input, so every
// SIMD target and the reference return identical results.
#ifndef ACUITY_KERNELS_LUMA_MOMENTS_H_
#define ACUITY_KERNELS_LUMA_MOMENTS_H_

#include <cstdint>

#include "acuity/plane.h"

namespace acuity::kernels {

struct LumaMoments {
  int64_t count = 0;       // width * height
  uint64_t sum = 0;        // sum of samples
  uint64_t sum_sq = 0;     // sum of squared samples (< 2^32 each: exact for
                           // up to 2^32 samples at 16 bits)
  int64_t count_low = 0;   // samples <= low
  int64_t count_high = 0;  // samples >= high
  bool operator==(const LumaMoments&) const = default;
};

// `low` < 0 counts nothing at the low end; `high` > 2^bit_depth - 1 counts
// nothing at the high end. Runtime-dispatched SIMD (Highway) version.
LumaMoments ComputeLumaMoments(const PlaneView& plane, int32_t low,
                               int32_t high);
// Plain C++ reference twin: the definition, kept simple on purpose.
LumaMoments ComputeLumaMomentsReference(const PlaneView& plane, int32_t low,
                                        int32_t high);
// One compiled target (kernels/targets.h: CompiledTargets()); aborts on a
// target that is not compiled in or not supported by this CPU.
LumaMoments ComputeLumaMomentsOnTarget(int64_t target, const PlaneView& plane,
                                       int32_t low, int32_t high);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_LUMA_MOMENTS_H_
