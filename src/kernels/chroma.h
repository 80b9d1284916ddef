// Chroma moments: the per-sample chroma radius and the Cb*Cr cross moment
// of a pair of chroma planes, in one pass.
//
// For each sample, du = u - mid and dv = v - mid with mid = 2^(bit_depth-1)
// (the neutral chroma value), both clamped to >= -32767 so that
// du^2 + dv^2 < 2^31 at 16 bits (a no-op below 16 bits, where |du| <= mid
// <= 16384). The radius is quantised per sample as
//   q = round_half_even(16 * sqrtf((float)(du^2 + dv^2)))
// (IEEE single-precision conversion and square root, both correctly
// rounded, so every SIMD target computes the same q), and the kernel sums
// the integers q and du*dv. Sums of u, v, u^2 and v^2 come from
// kernels/luma_moments.h (metrics/colour.cc measures them per block).
// Every sample is measured (no border rule); results are exact integers, so
// every SIMD target and the reference return identical results.
//
// ComputeChromaRadiusBins maps each sample of one row to a histogram bin of
// s = du^2 + dv^2 in 8-bit-equivalent units (s >> 2(bit_depth-8), at most
// 2^15): bin = min(s, 224 + s/8) (integer division), i.e. one bin per value
// of s below 256 (radius < 16) and one per 8 values above (radius steps
// <= 0.25), kRadiusBins in all. The histogram itself (a scatter) is the
// caller's.
//
// Precondition: u and v have the same width, height and bit depth (the
// decoder's chroma planes always do).
#ifndef ACUITY_KERNELS_CHROMA_H_
#define ACUITY_KERNELS_CHROMA_H_

#include <cstdint>

#include "acuity/plane.h"

namespace acuity::kernels {

struct ChromaMoments {
  int64_t count = 0;          // width * height
  int64_t sum_uv = 0;         // sum of du * dv
  uint64_t sum_radius16 = 0;  // sum of q = round(16 * radius), native units
  bool operator==(const ChromaMoments&) const = default;
};

inline constexpr int kRadiusBins = 224 + (2 * 128 * 128) / 8 + 1;

// Runtime-dispatched SIMD (Highway) version.
ChromaMoments ComputeChromaMoments(const PlaneView& u, const PlaneView& v);
// Plain C++ reference twin: the definition, kept simple on purpose.
ChromaMoments ComputeChromaMomentsReference(const PlaneView& u,
                                            const PlaneView& v);
// One compiled target (kernels/targets.h: CompiledTargets()); aborts on a
// target that is not compiled in or not supported by this CPU.
ChromaMoments ComputeChromaMomentsOnTarget(int64_t target, const PlaneView& u,
                                           const PlaneView& v);

// Writes the bins of row `y`'s u.width samples, in order, to bins[0 ..
// u.width). SIMD, runtime-dispatched; reference twin; one target.
void ComputeChromaRadiusBins(const PlaneView& u, const PlaneView& v, int y,
                             uint16_t* bins);
void ComputeChromaRadiusBinsReference(const PlaneView& u, const PlaneView& v,
                                      int y, uint16_t* bins);
void ComputeChromaRadiusBinsOnTarget(int64_t target, const PlaneView& u,
                                     const PlaneView& v, int y, uint16_t* bins);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_CHROMA_H_
