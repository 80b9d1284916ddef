// Plain C++ reference twin of SmoothProfiles: the definition, kept simple on
// purpose. The SIMD targets in profile_smooth.cc must match it exactly.
#include <algorithm>
#include <cstddef>

#include "kernels/profile_smooth.h"

namespace acuity::kernels {

void SmoothProfilesReference(const float* in, int len, int cols, int c_begin,
                             int c_end, const float* taps, int n_taps,
                             float* out) {
  const int r = (n_taps - 1) / 2;
  for (int i = 0; i < len; ++i) {
    for (int c = c_begin; c < c_end; ++c) {
      float acc = 0.0f;
      for (int t = 0; t < n_taps; ++t) {
        const int j = std::clamp(i + t - r, 0, len - 1);
        const float product = taps[t] * in[static_cast<size_t>(j) * cols + c];
        acc = acc + product;
      }
      out[static_cast<size_t>(i) * cols + c] = acc;
    }
  }
}

}  // namespace acuity::kernels
