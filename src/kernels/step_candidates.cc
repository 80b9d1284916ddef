// SIMD (Highway) FindStepCandidates. The definition and the reference twin
// are in step_candidates_reference.cc. One vector of columns at a time: the
// tests of the definition as lane masks (s * x is x or its negation, exact),
// then the set lanes' columns in ascending order; the tail is one vector
// ending at the range's end with its already tested lanes masked off (the
// reference only for ranges narrower than a vector). HWY_SCALAR uses the
// reference.
#include "kernels/step_candidates.h"

#include <algorithm>
#include <cstddef>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/step_candidates.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR
// The columns c + k (k ascending) of one vector that pass the definition's
// tests, among the lanes set in `keep`; returns how many were written.
template <class D, class M, class V>
int Candidates(D d, const StepRows& rows, int c, V tv, M keep, uint8_t* bits,
               int32_t* out) {
  const auto zero = hn::Zero(d);
  const auto g0 = hn::LoadU(d, rows.g0 + c);
  const auto g1 = hn::LoadU(d, rows.g1 + c);
  const auto diff = hn::Sub(g1, g0);
  const auto a = hn::Abs(diff);
  const auto big = hn::And(keep, hn::Ge(a, tv));
  if (hn::AllFalse(d, big)) return 0;
  const auto pos = hn::Gt(diff, zero);
  const auto flip = [&](auto v) { return hn::IfThenElse(pos, v, hn::Neg(v)); };
  const auto dm = flip(hn::Sub(g0, hn::LoadU(d, rows.gm + c)));
  const auto dp = flip(hn::Sub(hn::LoadU(d, rows.g2 + c), g1));
  const auto d1 =
      flip(hn::Sub(hn::LoadU(d, rows.f1 + c), hn::LoadU(d, rows.f0 + c)));
  const auto m = hn::And(
      hn::And(big, hn::And(hn::Gt(a, dm), hn::Ge(a, dp))),
      hn::And(hn::And(hn::Gt(dm, zero), hn::Gt(dp, zero)), hn::Gt(d1, zero)));
  if (hn::AllFalse(d, m)) return 0;
  hn::StoreMaskBits(d, m, bits);
  int n = 0;
  for (int k = 0; k < static_cast<int>(hn::Lanes(d)); ++k) {
    if ((bits[k >> 3] >> (k & 7)) & 1) out[n++] = c + k;
  }
  return n;
}
#endif

int FindStepCandidatesImpl(const StepRows& rows, int c_begin, int c_end,
                           double thr, int32_t* out) {
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  const auto tv = hn::Set(d, StepThresholdFloat(thr));
  uint8_t bits[(HWY_MAX_BYTES / sizeof(float) + 7) / 8 + 8];
  int n = 0;
  int c = c_begin;
  for (; c + lanes <= c_end; c += lanes) {
    n += Candidates(d, rows, c, tv, hn::FirstN(d, lanes), bits, out + n);
  }
  if (c < c_end && c_end - c_begin >= lanes) {
    // The tail: one vector ending at c_end, its lanes below c (tested
    // above) masked off, so each column is tested once, in order.
    const int start = c_end - lanes;
    const auto keep = hn::Not(hn::FirstN(d, c - start));
    n += Candidates(d, rows, start, tv, keep, bits, out + n);
    c = c_end;
  }
  return n + FindStepCandidatesReference(rows, c, c_end, thr, out + n);
#else
  return FindStepCandidatesReference(rows, c_begin, c_end, thr, out);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(FindStepCandidatesImpl);

int FindStepCandidates(const StepRows& rows, int c_begin, int c_end, double thr,
                       int32_t* out) {
  return HWY_DYNAMIC_DISPATCH(FindStepCandidatesImpl)(rows, c_begin, c_end, thr,
                                                      out);
}

int FindStepCandidatesOnTarget(int64_t target, const StepRows& rows,
                               int c_begin, int c_end, double thr,
                               int32_t* out) {
  const int index =
      CheckedDispatchTableIndex(target, "FindStepCandidatesOnTarget");
  return HWY_DISPATCH_TABLE(FindStepCandidatesImpl)[index](rows, c_begin, c_end,
                                                           thr, out);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
