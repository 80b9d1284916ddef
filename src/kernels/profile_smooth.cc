// SIMD (Highway) SmoothProfiles. The definition and the reference twin are
// in profile_smooth_reference.cc. Each output row is accumulated in
// registers over the taps, four vectors of columns at a time, then one
// vector, then one vector ending at the range's end (overlapping the last
// one: the shared columns are written again with the same values); single
// columns only when the range is narrower than a vector. The per-element
// order of operations is the
// reference's (Mul then Add, never MulAdd), so every target is bit-exact.
// HWY_SCALAR and kernels wider than kMaxProfileTaps use the reference.
#include "kernels/profile_smooth.h"

#include <algorithm>
#include <cstddef>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/profile_smooth.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void SmoothProfilesImpl(const float* in, int len, int cols, int c_begin,
                        int c_end, const float* taps, int n_taps, float* out) {
#if HWY_TARGET != HWY_SCALAR
  if (n_taps <= kMaxProfileTaps) {
    const hn::ScalableTag<float> d;
    const int n = static_cast<int>(hn::Lanes(d));
    const int r = (n_taps - 1) / 2;
    const float* rows[kMaxProfileTaps];
    for (int i = 0; i < len; ++i) {
      for (int t = 0; t < n_taps; ++t) {
        const int j = std::clamp(i + t - r, 0, len - 1);
        rows[t] = in + static_cast<size_t>(j) * cols;
      }
      float* dst = out + static_cast<size_t>(i) * cols;
      int c = c_begin;
      for (; c + 4 * n <= c_end; c += 4 * n) {
        auto a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d),
             a3 = hn::Zero(d);
        for (int t = 0; t < n_taps; ++t) {
          const auto w = hn::Set(d, taps[t]);
          const float* src = rows[t] + c;
          a0 = hn::Add(a0, hn::Mul(w, hn::LoadU(d, src)));
          a1 = hn::Add(a1, hn::Mul(w, hn::LoadU(d, src + n)));
          a2 = hn::Add(a2, hn::Mul(w, hn::LoadU(d, src + 2 * n)));
          a3 = hn::Add(a3, hn::Mul(w, hn::LoadU(d, src + 3 * n)));
        }
        hn::StoreU(a0, d, dst + c);
        hn::StoreU(a1, d, dst + c + n);
        hn::StoreU(a2, d, dst + c + 2 * n);
        hn::StoreU(a3, d, dst + c + 3 * n);
      }
      for (; c + n <= c_end; c += n) {
        auto a = hn::Zero(d);
        for (int t = 0; t < n_taps; ++t) {
          a = hn::Add(a,
                      hn::Mul(hn::Set(d, taps[t]), hn::LoadU(d, rows[t] + c)));
        }
        hn::StoreU(a, d, dst + c);
      }
      if (c < c_end && c_end - c_begin >= n) {
        // The tail: one vector ending at c_end. Columns it shares with the
        // last full vector get the same values again (same arithmetic).
        c = c_end - n;
        auto a = hn::Zero(d);
        for (int t = 0; t < n_taps; ++t) {
          a = hn::Add(a,
                      hn::Mul(hn::Set(d, taps[t]), hn::LoadU(d, rows[t] + c)));
        }
        hn::StoreU(a, d, dst + c);
        c = c_end;
      }
      for (; c < c_end; ++c) {
        float acc = 0.0f;
        for (int t = 0; t < n_taps; ++t) {
          const float product = taps[t] * rows[t][c];
          acc = acc + product;
        }
        dst[c] = acc;
      }
    }
    return;
  }
#endif
  SmoothProfilesReference(in, len, cols, c_begin, c_end, taps, n_taps, out);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(SmoothProfilesImpl);

void SmoothProfiles(const float* in, int len, int cols, int c_begin, int c_end,
                    const float* taps, int n_taps, float* out) {
  HWY_DYNAMIC_DISPATCH(SmoothProfilesImpl)
  (in, len, cols, c_begin, c_end, taps, n_taps, out);
}

void SmoothProfilesOnTarget(int64_t target, const float* in, int len, int cols,
                            int c_begin, int c_end, const float* taps,
                            int n_taps, float* out) {
  const int index = CheckedDispatchTableIndex(target, "SmoothProfilesOnTarget");
  HWY_DISPATCH_TABLE(SmoothProfilesImpl)
  [index](in, len, cols, c_begin, c_end, taps, n_taps, out);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
