// Gaussian smoothing along profiles, behind effective_height's edge-blur
// estimate (metrics/effective_resolution.cc): a strip of float profiles,
// profile-major (in[i * cols + c] is sample i of profile c), is smoothed
// along each profile with a sampled kernel of `n_taps` (odd) taps:
//   out[i * cols + c] = sum_t taps[t] * in[clamp(i + t - r, 0, len - 1) *
//                                          cols + c],   r = (n_taps - 1) / 2
// for 0 <= i < len and c_begin <= c < c_end; other columns are left alone.
// Arithmetic: per element, acc = 0 and then acc = acc + taps[t] * x for t
// ascending, the product and the sum each rounded to float (no fused
// multiply-add: this file and its twin are compiled with -ffp-contract=off).
// Every SIMD target therefore equals the reference bit for bit, whatever
// its vector width.
#ifndef ACUITY_KERNELS_PROFILE_SMOOTH_H_
#define ACUITY_KERNELS_PROFILE_SMOOTH_H_

#include <cstdint>

namespace acuity::kernels {

constexpr int kMaxProfileTaps = 49;  // n_taps above this: reference path

// Runtime-dispatched SIMD (Highway) version.
void SmoothProfiles(const float* in, int len, int cols, int c_begin, int c_end,
                    const float* taps, int n_taps, float* out);
// Plain C++ reference twin: the definition, kept simple on purpose.
void SmoothProfilesReference(const float* in, int len, int cols, int c_begin,
                             int c_end, const float* taps, int n_taps,
                             float* out);
// One compiled target (tests, benchmarks); `target` must be an element of
// CompiledTargets() (kernels/targets.h), anything else aborts.
void SmoothProfilesOnTarget(int64_t target, const float* in, int len, int cols,
                            int c_begin, int c_end, const float* taps,
                            int n_taps, float* out);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_PROFILE_SMOOTH_H_
