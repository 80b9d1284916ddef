// SIMD (Highway) cpbd kernels. The definitions and the reference twins are
// in cpbd_reference.cc; every target returns bit-identical results (see
// cpbd.h): the float kernels do the reference's operations in the
// reference's order, one lane per pixel, and contraction into fused
// multiply-add is switched off below (GCC would otherwise fuse Mul + Add on
// targets that have FMA, and those targets would round differently).
//
// Most kernels process whole vectors and finish a row with one more vector
// that ends at the last pixel (overlapping pixels already written, with the
// same values); rows narrower than a vector use the reference. The kernels
// that count or append (histogram64, threshold_pass, resolve, classify,
// step_bits) finish with the reference's scalar code instead.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "kernels/cpbd.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpbd.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR has one-lane vectors and no u8 -> i32 promotion worth having:
// there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR

using DF = hn::ScalableTag<float>;
using DI32 = hn::Rebind<int32_t, DF>;
using DU8F = hn::Rebind<uint8_t, DF>;  // one byte per float lane

// Runs step(x) over [begin, end) in whole vectors of n lanes, the last one
// ending at `end`. Precondition: end - begin >= n.
template <class Step>
HWY_INLINE void ForEachVector(size_t begin, size_t end, size_t n,
                              const Step& step) {
  size_t x = begin;
  for (; x + n <= end; x += n) step(x);
  if (x < end) step(end - n);
}

// Appends base + j for every lane j set in `m`, in ascending order.
template <class D>
HWY_INLINE void AppendLanes(D d, hn::Mask<D> m, size_t base, uint32_t* out,
                            size_t& count) {
  static_assert(hn::MaxLanes(D()) <= 64, "one 64-bit word of mask bits");
  uint8_t bytes[8] = {};
  hn::StoreMaskBits(d, m, bytes);
  uint64_t bits;
  std::memcpy(&bits, bytes, 8);
  while (bits != 0) {
    out[count++] = static_cast<uint32_t>(
        base + static_cast<size_t>(__builtin_ctzll(bits)));
    bits &= bits - 1;
  }
}

// 1 / 0 bytes from a float mask.
HWY_INLINE void StoreMaskBytes(DF df, hn::Mask<DF> m, uint8_t* out) {
  const DI32 di;
  const DU8F du8;
  const auto bits =
      hn::And(hn::BitCast(di, hn::VecFromMask(df, m)), hn::Set(di, 1));
  hn::StoreU(hn::DemoteTo(du8, bits), du8, out);
}

// One output vector of folded_fir at x. kN > 0 fixes the tap count at
// compile time (the loops unroll); w and rows are copies the caller made on
// its stack, so stores to the output cannot alias them.
template <int kSign, int kN>
HWY_INLINE hn::Vec<DF> FoldAt(const float* const* rows, const float* w, int n,
                              size_t x) {
  const DF d;
  const int taps = kN > 0 ? kN : n;
  const int half = taps / 2;
  const auto pair = [&](int k) HWY_ATTR {
    const auto a = hn::LoadU(d, rows[k] + x);
    const auto b = hn::LoadU(d, rows[taps - 1 - k] + x);
    return kSign > 0 ? hn::Add(a, b) : hn::Sub(a, b);
  };
  auto acc = hn::Mul(hn::Set(d, w[0]), pair(0));
  for (int k = 1; k < half; ++k) {
    acc = hn::Add(acc, hn::Mul(hn::Set(d, w[k]), pair(k)));
  }
  if (kSign > 0 && (taps & 1) != 0) {
    acc = hn::Add(acc,
                  hn::Mul(hn::Set(d, w[half]), hn::LoadU(d, rows[half] + x)));
  }
  return acc;
}

constexpr int kMaxTaps = 32;

template <int kSign, int kN>
void FoldedFirT(const float* const* rows_in, const float* w_in, int n,
                size_t width, float* out) {
  const DF d;
  const float* rows[kMaxTaps];
  float w[kMaxTaps];
  for (int k = 0; k < n; ++k) {
    rows[k] = rows_in[k];
    w[k] = w_in[k];
  }
  ForEachVector(0, width, hn::Lanes(d), [&](size_t x) HWY_ATTR {
    hn::StoreU(FoldAt<kSign, kN>(rows, w, n, x), d, out + x);
  });
}

template <int kSign>
void FoldedFirSign(const float* const* rows, const float* w, int n,
                   size_t width, float* out) {
  if (n == 13) return FoldedFirT<kSign, 13>(rows, w, n, width, out);
  if (n == 16) return FoldedFirT<kSign, 16>(rows, w, n, width, out);
  FoldedFirT<kSign, 0>(rows, w, n, width, out);
}

void FoldedFir(const float* const* rows, const float* w, int n, int sign,
               size_t width, float* out) {
  if (width < hn::Lanes(DF()) || n < 2 || n > kMaxTaps) {
    return CpbdKernelsReference().folded_fir(rows, w, n, sign, width, out);
  }
  if (sign > 0) {
    FoldedFirSign<1>(rows, w, n, width, out);
  } else {
    FoldedFirSign<-1>(rows, w, n, width, out);
  }
}

template <int kN>
void FoldedFir2U8T(const uint8_t* const* rows_in, const float* ws_in,
                   const float* wa_in, int n, size_t width, float* sym,
                   float* anti) {
  const DF df;
  const DI32 di;
  const DU8F du8;
  const int taps = kN > 0 ? kN : n;
  const int half = taps / 2;
  const uint8_t* rows[kMaxTaps];
  float ws[kMaxTaps], wa[kMaxTaps];
  for (int k = 0; k < taps; ++k) {
    rows[k] = rows_in[k];
    ws[k] = ws_in[k];
    wa[k] = wa_in[k];
  }
  ForEachVector(0, width, hn::Lanes(df), [&](size_t x) HWY_ATTR {
    const auto pair = [&](int k, hn::Vec<DF>& s, hn::Vec<DF>& t) HWY_ATTR {
      const auto a = hn::PromoteTo(di, hn::LoadU(du8, rows[k] + x));
      const auto b = hn::PromoteTo(di, hn::LoadU(du8, rows[taps - 1 - k] + x));
      s = hn::ConvertTo(df, hn::Add(a, b));
      t = hn::ConvertTo(df, hn::Sub(a, b));
    };
    hn::Vec<DF> s, t;
    pair(0, s, t);
    auto acc_s = hn::Mul(hn::Set(df, ws[0]), s);
    auto acc_a = hn::Mul(hn::Set(df, wa[0]), t);
    for (int k = 1; k < half; ++k) {
      pair(k, s, t);
      acc_s = hn::Add(acc_s, hn::Mul(hn::Set(df, ws[k]), s));
      acc_a = hn::Add(acc_a, hn::Mul(hn::Set(df, wa[k]), t));
    }
    if ((taps & 1) != 0) {
      const auto m =
          hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(du8, rows[half] + x)));
      acc_s = hn::Add(acc_s, hn::Mul(hn::Set(df, ws[half]), m));
    }
    hn::StoreU(acc_s, df, sym + x);
    hn::StoreU(acc_a, df, anti + x);
  });
}

void FoldedFir2U8(const uint8_t* const* rows, const float* ws, const float* wa,
                  int n, size_t width, float* sym, float* anti) {
  if (width < hn::Lanes(DF()) || n < 2 || n > kMaxTaps) {
    return CpbdKernelsReference().folded_fir2_u8(rows, ws, wa, n, width, sym,
                                                 anti);
  }
  if (n == 13) return FoldedFir2U8T<13>(rows, ws, wa, n, width, sym, anti);
  if (n == 16) return FoldedFir2U8T<16>(rows, ws, wa, n, width, sym, anti);
  FoldedFir2U8T<0>(rows, ws, wa, n, width, sym, anti);
}

// floor(N / D) with N = 2 (v - black) num + den < 2^17 and D = 2 den <= 510,
// without a division: t = (N + 0.5) * float(1 / D). N + 0.5 is exact in
// float; the two roundings (of 1 / D and of the product) err by at most
// 2^-23 relative, i.e. < 256 * 2^-23 = 3.1e-5 absolute, while (N + 0.5) / D
// is at least 0.5 / D >= 9.8e-4 away from the next integer above (and at or
// above floor(N / D) + 0.5 / D): truncating t yields floor(N / D) exactly.
void Rescale8(const uint8_t* in, size_t width, int black, int num, int den,
              uint8_t* out) {
  const DF df;
  const DI32 di;
  const DU8F du8;
  if (width < hn::Lanes(df)) {
    return CpbdKernelsReference().rescale8(in, width, black, num, den, out);
  }
  const auto vblack = hn::Set(di, black);
  const auto vnum2 = hn::Set(df, static_cast<float>(2 * num));
  const auto vden = hn::Set(df, static_cast<float>(den) + 0.5f);
  const auto vrecip = hn::Set(df, 1.0f / static_cast<float>(2 * den));
  const auto zero = hn::Zero(di);
  const auto max = hn::Set(di, 255);
  ForEachVector(0, width, hn::Lanes(df), [&](size_t x) HWY_ATTR {
    const auto v = hn::Max(
        hn::Sub(hn::PromoteTo(di, hn::LoadU(du8, in + x)), vblack), zero);
    const auto t =
        hn::Mul(hn::Add(hn::Mul(hn::ConvertTo(df, v), vnum2), vden), vrecip);
    hn::StoreU(hn::DemoteTo(du8, hn::Min(hn::ConvertTo(di, t), max)), du8,
               out + x);
  });
}

float Magnitude(const float* gx, const float* gy, size_t width, float* mag) {
  const DF d;
  if (width < hn::Lanes(d)) {
    return CpbdKernelsReference().magnitude(gx, gy, width, mag);
  }
  auto vmax = hn::Zero(d);
  ForEachVector(0, width, hn::Lanes(d), [&](size_t x) HWY_ATTR {
    const auto a = hn::LoadU(d, gx + x);
    const auto b = hn::LoadU(d, gy + x);
    const auto m = hn::Sqrt(hn::Add(hn::Mul(a, a), hn::Mul(b, b)));
    hn::StoreU(m, d, mag + x);
    vmax = hn::Max(vmax, m);
  });
  return hn::GetLane(hn::MaxOfLanes(d, vmax));
}

void NonMax(const float* gx, const float* gy, const float* up, const float* mid,
            const float* dn, size_t width, float floor, uint8_t* out) {
  const DF d;
  if (width < hn::Lanes(d) + 2) {
    return CpbdKernelsReference().non_max(gx, gy, up, mid, dn, width, floor,
                                          out);
  }
  out[0] = 0;
  out[width - 1] = 0;
  const auto vfloor = hn::Set(d, floor);
  const auto zero = hn::Zero(d);
  ForEachVector(1, width - 1, hn::Lanes(d), [&](size_t x) HWY_ATTR {
    const auto mid_c = hn::LoadU(d, mid + x);
    const auto above_floor = hn::Gt(mid_c, vfloor);
    if (hn::AllFalse(d, above_floor)) {
      StoreMaskBytes(d, above_floor, out + x);
      return;
    }
    const auto ix = hn::LoadU(d, gx + x);
    const auto iy = hn::LoadU(d, gy + x);
    const auto ax = hn::Abs(ix);
    const auto ay = hn::Abs(iy);
    const auto anti = hn::Or(hn::And(hn::Gt(ix, zero), hn::Lt(iy, zero)),
                             hn::And(hn::Lt(ix, zero), hn::Gt(iy, zero)));
    const auto horiz =
        hn::Or(hn::Gt(ax, ay),
               hn::And(hn::Eq(ax, ay), hn::AndNot(anti, hn::Ne(ix, zero))));
    const auto num = hn::IfThenElse(horiz, ay, ax);
    const auto den = hn::IfThenElse(horiz, ax, ay);
    const auto nonzero = hn::Ne(den, zero);
    const auto up_l = hn::LoadU(d, up + x - 1);
    const auto up_c = hn::LoadU(d, up + x);
    const auto up_r = hn::LoadU(d, up + x + 1);
    const auto mid_l = hn::LoadU(d, mid + x - 1);
    const auto mid_r = hn::LoadU(d, mid + x + 1);
    const auto dn_l = hn::LoadU(d, dn + x - 1);
    const auto dn_c = hn::LoadU(d, dn + x);
    const auto dn_r = hn::LoadU(d, dn + x + 1);
    const auto a_axis = hn::IfThenElse(horiz, mid_r, up_c);
    const auto b_axis = hn::IfThenElse(horiz, mid_l, dn_c);
    const auto a_diag =
        hn::IfThenElse(anti, up_r, hn::IfThenElse(horiz, dn_r, up_l));
    const auto b_diag =
        hn::IfThenElse(anti, dn_l, hn::IfThenElse(horiz, up_l, dn_r));
    const auto t = hn::Sub(den, num);
    const auto g1 = hn::Add(hn::Mul(a_axis, t), hn::Mul(a_diag, num));
    const auto g2 = hn::Add(hn::Mul(b_axis, t), hn::Mul(b_diag, num));
    const auto m = hn::Mul(mid_c, den);
    const auto on = hn::And(hn::And(above_floor, nonzero),
                            hn::And(hn::Ge(m, g1), hn::Ge(m, g2)));
    StoreMaskBytes(d, on, out + x);
  });
}

void Histogram64(const float* mag, size_t n, float scale, uint32_t* hist) {
  const DF df;
  const DI32 di;
  const DU8F du8;
  const size_t lanes = hn::Lanes(df);
  // Bins of a chunk by SIMD, then counted; eight sub-histograms hide the
  // store-to-load latency of repeated bins (most pixels share a few).
  constexpr size_t kChunk = 1024;
  HWY_ALIGN uint8_t bins[kChunk];
  uint32_t sub[8][64] = {};
  const auto k63 = hn::Set(df, 63.0f / scale);
  const auto half = hn::Set(df, 0.5f);
  const auto max_bin = hn::Set(di, 63);
  size_t i = 0;
  while (i + lanes <= n) {
    const size_t len = HWY_MIN(kChunk, (n - i) / lanes * lanes);
    for (size_t j = 0; j < len; j += lanes) {
      const auto t = hn::Add(hn::Mul(hn::LoadU(df, mag + i + j), k63), half);
      const auto b = hn::Min(hn::ConvertTo(di, t), max_bin);
      hn::StoreU(hn::DemoteTo(du8, b), du8, bins + j);
    }
    size_t j = 0;
    for (; j + 8 <= len; j += 8) {
      for (size_t s = 0; s < 8; ++s) sub[s][bins[j + s]]++;
    }
    for (; j < len; ++j) sub[0][bins[j]]++;
    i += len;
  }
  for (int b = 0; b < 64; ++b) {
    for (size_t s = 0; s < 8; ++s) hist[b] += sub[s][b];
  }
  if (i < n) CpbdKernelsReference().histogram64(mag + i, n - i, scale, hist);
}

size_t Classify(const float* mag, size_t n, float scale, float low, float high,
                uint8_t* flags, uint32_t* seeds) {
  const DF df;
  const DI32 di;
  const DU8F du8;
  const size_t lanes = hn::Lanes(df);
  const auto vinv = hn::Set(df, 1.0f / scale);
  const auto vlow = hn::Set(df, low);
  const auto vhigh = hn::Set(df, high);
  const auto one = hn::Set(di, 1);
  size_t count = 0;
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const auto f = hn::PromoteTo(di, hn::LoadU(du8, flags + i));
    const auto candidate = hn::RebindMask(df, hn::Ne(f, hn::Zero(di)));
    if (hn::AllFalse(df, candidate)) continue;
    const auto v = hn::Mul(hn::LoadU(df, mag + i), vinv);
    const auto weak = hn::And(candidate, hn::Gt(v, vlow));
    const auto strong = hn::And(weak, hn::Gt(v, vhigh));
    const auto flag =
        hn::Add(hn::IfThenElseZero(hn::RebindMask(di, weak), one),
                hn::IfThenElseZero(hn::RebindMask(di, strong), one));
    hn::StoreU(hn::DemoteTo(du8, flag), du8, flags + i);
    AppendLanes(df, strong, i, seeds, count);
  }
  if (i < n) {
    const size_t tail = CpbdKernelsReference().classify(
        mag + i, n - i, scale, low, high, flags + i, seeds + count);
    for (size_t j = count; j < count + tail; ++j) {
      seeds[j] += static_cast<uint32_t>(i);
    }
    count += tail;
  }
  return count;
}

// kM candidates, fixed at compile time so that the counters and thresholds
// stay in registers.
template <int kM>
void ThresholdPassT(const float* mag, size_t n, float k63, float inv,
                    const int* cand, const float* low, const float* high,
                    uint8_t* flags, uint32_t* counts) {
  const DF df;
  const DI32 di;
  const DU8F du8;
  const size_t lanes = hn::Lanes(df);
  // min(63, int(t)) <= c - 1  <=>  t < c for c <= 63 (t >= 0), always for
  // c = 64.
  hn::Vec<DF> bound[kM], vlow[kM], vhigh[kM];
  // Lane counts: each lane gains at most 1 per vector, so int32 holds any
  // frame of fewer than 2^31 pixels.
  hn::Vec<DI32> cnt[kM];
  for (int j = 0; j < kM; ++j) {
    bound[j] =
        hn::Set(df, cand[j] >= 64 ? HUGE_VALF : static_cast<float>(cand[j]));
    vlow[j] = hn::Set(df, low[j]);
    vhigh[j] = hn::Set(df, high[j]);
    cnt[j] = hn::Zero(di);
  }
  const auto vk63 = hn::Set(df, k63);
  const auto vinv = hn::Set(df, inv);
  const auto half = hn::Set(df, 0.5f);
  const auto one = hn::Set(di, 1);
  const auto sixteen = hn::Set(di, 16);
  const auto marker = hn::Set(di, 0x80);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    const auto v = hn::LoadU(df, mag + x);
    const auto t = hn::Add(hn::Mul(v, vk63), half);
    for (int j = 0; j < kM; ++j) {
      cnt[j] = hn::Sub(
          cnt[j], hn::BitCast(di, hn::VecFromMask(df, hn::Lt(t, bound[j]))));
    }
    const auto f = hn::PromoteTo(di, hn::LoadU(du8, flags + x));
    const auto candidate = hn::Ne(f, hn::Zero(di));
    if (hn::AllFalse(di, candidate)) continue;
    const auto u = hn::Mul(v, vinv);
    auto code = marker;
    for (int j = 0; j < kM; ++j) {
      code = hn::Add(code, hn::IfThenElseZero(
                               hn::RebindMask(di, hn::Gt(u, vlow[j])), one));
      code = hn::Add(
          code,
          hn::IfThenElseZero(hn::RebindMask(di, hn::Gt(u, vhigh[j])), sixteen));
    }
    hn::StoreU(hn::DemoteTo(du8, hn::IfThenElseZero(candidate, code)), du8,
               flags + x);
  }
  for (int j = 0; j < kM; ++j) {
    counts[j] += static_cast<uint32_t>(hn::GetLane(hn::SumOfLanes(di, cnt[j])));
  }
  if (x < n) {
    CpbdKernelsReference().threshold_pass(mag + x, n - x, k63, inv, cand, low,
                                          high, kM, flags + x, counts);
  }
}

void ThresholdPass(const float* mag, size_t n, float k63, float inv,
                   const int* cand, const float* low, const float* high, int m,
                   uint8_t* flags, uint32_t* counts) {
  switch (m) {
    case 1:
      return ThresholdPassT<1>(mag, n, k63, inv, cand, low, high, flags,
                               counts);
    case 2:
      return ThresholdPassT<2>(mag, n, k63, inv, cand, low, high, flags,
                               counts);
    case 3:
      return ThresholdPassT<3>(mag, n, k63, inv, cand, low, high, flags,
                               counts);
    case 5:
      return ThresholdPassT<5>(mag, n, k63, inv, cand, low, high, flags,
                               counts);
    case 7:
      return ThresholdPassT<7>(mag, n, k63, inv, cand, low, high, flags,
                               counts);
    default:
      return CpbdKernelsReference().threshold_pass(mag, n, k63, inv, cand, low,
                                                   high, m, flags, counts);
  }
}

size_t Resolve(uint8_t* flags, size_t n, int i, uint32_t* seeds) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::RebindToSigned<decltype(d8)> di8;
  const size_t lanes = hn::Lanes(d8);
  const auto vi = hn::Set(di8, static_cast<int8_t>(i));
  const auto k15 = hn::Set(d8, 15);
  const auto k7 = hn::Set(d8, 7);
  const auto k80 = hn::Set(d8, 0x80);
  const auto one = hn::Set(d8, 1);
  size_t count = 0;
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    const auto f = hn::LoadU(d8, flags + x);
    const auto marked = hn::RebindMask(di8, hn::Eq(hn::And(f, k80), k80));
    if (hn::AllFalse(di8, marked)) {
      hn::StoreU(hn::Zero(d8), d8, flags + x);
      continue;
    }
    // The codes are <= 15 and i < 8: signed compares are exact.
    const auto lo = hn::BitCast(di8, hn::And(f, k15));
    const auto hi = hn::BitCast(di8, hn::And(hn::ShiftRight<4>(f), k7));
    const auto strong = hn::And(marked, hn::Gt(hi, vi));
    const auto weak = hn::And(marked, hn::Gt(lo, vi));
    const auto out = hn::Add(hn::IfThenElseZero(weak, hn::BitCast(di8, one)),
                             hn::IfThenElseZero(strong, hn::BitCast(di8, one)));
    hn::StoreU(hn::BitCast(d8, out), d8, flags + x);
    AppendLanes(di8, strong, x, seeds, count);
  }
  if (x < n) {
    const size_t tail =
        CpbdKernelsReference().resolve(flags + x, n - x, i, seeds + count);
    for (size_t j = count; j < count + tail; ++j) {
      seeds[j] += static_cast<uint32_t>(x);
    }
    count += tail;
  }
  return count;
}

void StepBits(const uint8_t* row, size_t width, uint64_t* up, uint64_t* down) {
  const hn::ScalableTag<uint8_t> d8;
  const size_t lanes = hn::Lanes(d8);  // a multiple of 8: whole mask bytes
  const size_t words = (width + 63) / 64 + 1;
  std::memset(up, 0, words * 8);
  std::memset(down, 0, words * 8);
  uint8_t* up_bytes = reinterpret_cast<uint8_t*>(up);
  uint8_t* down_bytes = reinterpret_cast<uint8_t*>(down);
  size_t x = 0;
  // Whole vectors of steps x .. x + lanes - 1 read row[x .. x + lanes].
  for (; x + lanes + 1 <= width; x += lanes) {
    const auto a = hn::LoadU(d8, row + x);
    const auto b = hn::LoadU(d8, row + x + 1);
    hn::StoreMaskBits(d8, hn::Gt(b, a), up_bytes + x / 8);
    hn::StoreMaskBits(d8, hn::Lt(b, a), down_bytes + x / 8);
  }
  for (; x + 1 < width; ++x) {
    const uint64_t bit = uint64_t{1} << (x % 64);
    if (row[x + 1] > row[x]) up[x / 64] |= bit;
    if (row[x + 1] < row[x]) down[x / 64] |= bit;
  }
}

using DI16 = hn::ScalableTag<int16_t>;
using DU8H = hn::Rebind<uint8_t, DI16>;  // one byte per int16 lane

HWY_INLINE hn::Vec<DI16> LoadBytes(const uint8_t* p) {
  return hn::PromoteTo(DI16(), hn::LoadU(DU8H(), p));
}

// a[x] + 2 b[x] + c[x] for the lanes at x (<= 1020: fits int16).
HWY_INLINE hn::Vec<DI16> ColumnSums(const uint8_t* a, const uint8_t* b,
                                    const uint8_t* c, ptrdiff_t x) {
  return hn::Add(hn::Add(LoadBytes(a + x), LoadBytes(c + x)),
                 hn::ShiftLeft<1>(LoadBytes(b + x)));
}

void SobelX(const uint8_t* above, const uint8_t* row, const uint8_t* below,
            size_t width, uint16_t* out) {
  const DI16 d;
  const hn::RebindToUnsigned<DI16> du;
  if (width < hn::Lanes(d)) {
    return CpbdKernelsReference().sobel_x(above, row, below, width, out);
  }
  ForEachVector(0, width, hn::Lanes(d), [&](size_t i) HWY_ATTR {
    const ptrdiff_t x = static_cast<ptrdiff_t>(i);
    const auto diff = hn::Sub(ColumnSums(above, row, below, x - 1),
                              ColumnSums(above, row, below, x + 1));
    hn::StoreU(hn::BitCast(du, hn::Abs(diff)), du, out + i);
  });
}

void SobelEdges(const uint16_t* up, const uint16_t* s, const uint16_t* dn,
                const uint8_t* above, const uint8_t* below, size_t width,
                uint8_t* out) {
  const DI16 d;
  const DU8H du8;
  if (width < hn::Lanes(d)) {
    return CpbdKernelsReference().sobel_edges(up, s, dn, above, below, width,
                                              out);
  }
  // |Sobel| <= 1020: uint16 values read as int16 unchanged.
  const auto load = [&](const uint16_t* p) HWY_ATTR {
    return hn::LoadU(d, reinterpret_cast<const int16_t*>(p));
  };
  const auto threshold = hn::Set(d, 16);
  const auto one = hn::Set(d, 1);
  ForEachVector(0, width, hn::Lanes(d), [&](size_t i) HWY_ATTR {
    const ptrdiff_t x = static_cast<ptrdiff_t>(i);
    const auto v = load(s + x);
    const auto top =
        hn::Add(hn::Add(LoadBytes(above + x - 1), LoadBytes(above + x + 1)),
                hn::ShiftLeft<1>(LoadBytes(above + x)));
    const auto bottom =
        hn::Add(hn::Add(LoadBytes(below + x - 1), LoadBytes(below + x + 1)),
                hn::ShiftLeft<1>(LoadBytes(below + x)));
    const auto sy = hn::Abs(hn::Sub(top, bottom));
    // Integer lanes have no <= in this Highway: a <= b is !(a > b).
    const auto hmax =
        hn::AndNot(hn::Gt(load(s + x - 1), v), hn::Gt(v, load(s + x + 1)));
    const auto vmax =
        hn::AndNot(hn::Gt(load(up + x), v), hn::Gt(v, load(dn + x)));
    const auto on = hn::And(hn::Gt(v, threshold),
                            hn::Or(hn::AndNot(hn::Gt(sy, v), hmax), vmax));
    hn::StoreU(hn::DemoteTo(du8, hn::IfThenElseZero(on, one)), du8, out + i);
  });
}

#endif  // HWY_TARGET != HWY_SCALAR

CpbdKernels GetKernelsImpl() {
#if HWY_TARGET == HWY_SCALAR
  return CpbdKernelsReference();
#else
  return {FoldedFir,     FoldedFir2U8, Rescale8, Magnitude, NonMax, Histogram64,
          ThresholdPass, Resolve,      Classify, StepBits,  SobelX, SobelEdges};
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(GetKernelsImpl);

const CpbdKernels& CpbdKernelsBest() {
  static const CpbdKernels kBest = HWY_DYNAMIC_DISPATCH(GetKernelsImpl)();
  return kBest;
}

CpbdKernels CpbdKernelsOnTarget(int64_t target) {
  const int index = CheckedDispatchTableIndex(target, "CpbdKernelsOnTarget");
  return HWY_DISPATCH_TABLE(GetKernelsImpl)[index]();
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
