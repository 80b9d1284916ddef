// Candidate steps of effective_height's edge scan
// (metrics/effective_resolution.cc), one profile position at a time. The
// strips are profile-major (row i holds sample i of every profile); for
// profile sample i the caller passes the coarse rows gm = i - 1, g0 = i,
// g1 = i + 1, g2 = i + 2 and the fine rows f0 = i, f1 = i + 1. Column c in
// [c_begin, c_end) is a candidate when, in float arithmetic,
//   d = g1[c] - g0[c], a = |d|, s = +1 if d > 0 else -1,
//   dm = s * (g0[c] - gm[c]), dp = s * (g2[c] - g1[c]),
//   d1 = s * (f1[c] - f0[c]),
//   a >= thr (thr a double, compared exactly), a > dm, a >= dp, dm > 0,
//   dp > 0 and d1 > 0:
// a local maximum of the coarse difference, above the threshold, with the
// fine difference of the same sign. The candidates' columns are written to
// `out` in ascending order (room for c_end - c_begin) and counted. Only
// subtractions, negations and comparisons: every SIMD target equals the
// reference exactly.
#ifndef ACUITY_KERNELS_STEP_CANDIDATES_H_
#define ACUITY_KERNELS_STEP_CANDIDATES_H_

#include <cstdint>

namespace acuity::kernels {

struct StepRows {
  const float* gm;  // coarse, sample i - 1
  const float* g0;  // coarse, i
  const float* g1;  // coarse, i + 1
  const float* g2;  // coarse, i + 2
  const float* f0;  // fine, i
  const float* f1;  // fine, i + 1
};

// Runtime-dispatched SIMD (Highway) version.
int FindStepCandidates(const StepRows& rows, int c_begin, int c_end, double thr,
                       int32_t* out);
// Plain C++ reference twin: the definition, kept simple on purpose.
int FindStepCandidatesReference(const StepRows& rows, int c_begin, int c_end,
                                double thr, int32_t* out);
// One compiled target (tests, benchmarks); `target` must be an element of
// CompiledTargets() (kernels/targets.h), anything else aborts.
int FindStepCandidatesOnTarget(int64_t target, const StepRows& rows,
                               int c_begin, int c_end, double thr,
                               int32_t* out);

// The smallest float >= thr: for a float a, a >= thr exactly when
// a >= StepThresholdFloat(thr) (thr > 0, finite).
float StepThresholdFloat(double thr);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_STEP_CANDIDATES_H_
