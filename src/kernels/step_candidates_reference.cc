// Plain C++ reference twin of FindStepCandidates: the definition, kept
// simple on purpose (it is the scan's test as it was written inline in
// metrics/effective_resolution.cc). The SIMD targets in step_candidates.cc
// must match it exactly.
#include <cmath>

#include "kernels/step_candidates.h"

namespace acuity::kernels {

float StepThresholdFloat(double thr) {
  float t = static_cast<float>(thr);
  if (static_cast<double>(t) < thr) t = std::nextafter(t, INFINITY);
  return t;
}

int FindStepCandidatesReference(const StepRows& rows, int c_begin, int c_end,
                                double thr, int32_t* out) {
  int n = 0;
  for (int c = c_begin; c < c_end; ++c) {
    const float d = rows.g1[c] - rows.g0[c];
    const float a = std::fabs(d);
    if (a < thr) continue;
    const float s = d > 0 ? 1.0f : -1.0f;
    const float dm = s * (rows.g0[c] - rows.gm[c]);
    const float dp = s * (rows.g2[c] - rows.g1[c]);
    if (!(a > dm && a >= dp) || dm <= 0.0f || dp <= 0.0f) continue;
    const float d1 = s * (rows.f1[c] - rows.f0[c]);
    if (d1 <= 0.0f) continue;
    out[n++] = c;
  }
  return n;
}

}  // namespace acuity::kernels
