// SIMD (Highway) ComputeSobelMoments, ComputeNoiseBlocks and the fused
// ComputeTileMoments (kernels/tile_moments.h, which adds the Laplacian to
// the Sobel strips). The definitions and the reference twins are in
// sobel_reference.cc and tile_moments_reference.cc; every target here
// returns bit-identical results because all arithmetic is exact integer
// arithmetic, except the magnitude's square root, which is one correctly
// rounded IEEE operation on the same float input on every target.
//
// Layout of the computation: the 3x3 operators are separable, so each row
// is reduced once to horizontal terms
//   d = p(x+1) - p(x-1),  s = p(x-1) + 2 p(x) + p(x+1),
//   h = p(x-1) - 2 p(x) + p(x+1),
// and then Gx = d(y-1) + 2 d(y) + d(y+1), Gy = s(y+1) - s(y-1),
// N = h(y-1) - 2 h(y) + h(y+1). The plane is walked in bands of rows; in a
// band, one vector-wide column strip at a time is walked down the rows,
// keeping the horizontal terms of the two rows above in registers, so each
// row is loaded and reduced once per strip (plus two halo rows per band).
// A band's rows stay in L1/L2 while its strips are walked.
//
// 8-bit samples are widened by the even/odd split of laplacian.cc: a = the
// row at x-1 and b = the row at x+1, read as u16 pairs, give for the even
// pixels x+2k left a_e, centre a_o, right b_e, and for the odd pixels
// x+2k+1 left a_o, centre b_e, right b_o. 9..12-bit samples are loaded as
// u16 at x-1, x and x+1. Either way all responses fit int16 (see sobel.h).
//
// Planes narrower than one vector of interior pixels (or of complete
// noise blocks) and 13..16-bit planes use the reference.
//
// Precondition: samples are < 2^bit_depth (the decoder layer normalises
// this). Out-of-range samples in a 9..12-bit plane would break the int16
// bounds; 8-bit planes are safe for any sample value.

#include "kernels/sobel.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/targets.h"
#include "kernels/tile_moments.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/sobel.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR has one-lane vectors, which cannot hold the even/odd split:
// there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR
namespace {

// The hot loops are lambdas over a strip's rows; GCC must inline them, or
// it passes their vector arguments through memory.
#ifndef ACUITY_SOBEL_INLINE
#define ACUITY_SOBEL_INLINE HWY_ATTR __attribute__((always_inline))
#endif

// Rows per band of the moments kernel: 2 halo rows per 32 cost ~6% extra
// horizontal work; 34 rows of a 1080p plane (65 KB) stay in L2, and each
// strip prefetches its rows of the next strip into L1.
constexpr int kBandRows = 32;
// Deepest input for the SIMD paths (int16 responses, int32 |G|^2).
constexpr int kMaxSimdDepth = 12;

// out[m] = a[2m] * b[2m] + a[2m+1] * b[2m+1] in int32 lanes: the lane
// layout matters (the magnitude needs Gx^2 + Gy^2 of one pixel in one
// lane), so this is spelled out rather than left to
// ReorderWidenMulAccumulate, whose order is unspecified. On x86 it is one
// pmaddwd.
template <class DI32, class VI16>
HWY_INLINE hn::VFromD<DI32> MulAddPairs(DI32 di32, VI16 a, VI16 b) {
#if HWY_ARCH_X86 && HWY_TARGET != HWY_EMU128 && HWY_TARGET != HWY_SCALAR
  (void)di32;
  if constexpr (sizeof(a.raw) == 16) {
    return hn::VFromD<DI32>{_mm_madd_epi16(a.raw, b.raw)};
#if HWY_TARGET <= HWY_AVX2
  } else if constexpr (sizeof(a.raw) == 32) {
    return hn::VFromD<DI32>{_mm256_madd_epi16(a.raw, b.raw)};
#endif
#if HWY_TARGET <= HWY_AVX3
  } else if constexpr (sizeof(a.raw) == 64) {
    return hn::VFromD<DI32>{_mm512_madd_epi16(a.raw, b.raw)};
#endif
  }
#else
  // Sign-extend the even and odd int16 halves of each int32 lane.
  const auto a32 = hn::BitCast(di32, a), b32 = hn::BitCast(di32, b);
  const auto a_e = hn::ShiftRight<16>(hn::ShiftLeft<16>(a32));
  const auto b_e = hn::ShiftRight<16>(hn::ShiftLeft<16>(b32));
  return hn::Add(hn::Mul(a_e, b_e),
                 hn::Mul(hn::ShiftRight<16>(a32), hn::ShiftRight<16>(b32)));
#endif
}

// round-half-to-even float -> int32 for values known to fit (|v| < 2^31):
// on x86 one cvtps2dq, without NearestInt's overflow fix-up.
template <class VF>
HWY_INLINE auto RoundToInt(VF v) {
#if HWY_ARCH_X86 && HWY_TARGET != HWY_EMU128 && HWY_TARGET != HWY_SCALAR
  const hn::RebindToSigned<hn::DFromV<VF>> di32;
  if constexpr (sizeof(v.raw) == 16) {
    return hn::VFromD<decltype(di32)>{_mm_cvtps_epi32(v.raw)};
#if HWY_TARGET <= HWY_AVX2
  } else if constexpr (sizeof(v.raw) == 32) {
    return hn::VFromD<decltype(di32)>{_mm256_cvtps_epi32(v.raw)};
#endif
#if HWY_TARGET <= HWY_AVX3
  } else {
    return hn::VFromD<decltype(di32)>{_mm512_cvtps_epi32(v.raw)};
#endif
  }
#else
  return hn::NearestInt(v);
#endif
}

// Adds the int32 lanes of `a` (sign-extended) to the int64 lanes of `acc`
// and clears `a`.
template <class DI32, class VI32, class VI64>
HWY_INLINE void FlushI32(DI32 di32, VI32& a, VI64& acc) {
  const hn::Repartition<int64_t, DI32> di64;
  const hn::Half<DI32> dh;
  acc = hn::Add(acc, hn::Add(hn::PromoteTo(di64, hn::LowerHalf(dh, a)),
                             hn::PromoteTo(di64, hn::UpperHalf(dh, a))));
  a = hn::Zero(di32);
}

template <class DI64>
HWY_INLINE uint64_t SumU64(DI64 di64, hn::VFromD<DI64> v) {
  return static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(di64, v)));
}

// Magnitude sums of one vector of |G|^2 in int32 lanes (lanes off the
// lattice hold 0 and add 0): q = round(sqrt(float(g2)) * scale) <= 23170,
// added to `mag32`; q^2 < 2^30 is formed by one pmaddwd (q and 0 as the
// int16 pair of its lane) and added to `magsq32`, which therefore takes at
// most kMagSqSteps = 4 vectors (4 * 23170^2 <= INT32_MAX) before a flush.
constexpr int64_t kMagSqSteps = 4;
static_assert(kMagSqSteps * 23170 * 23170 <=
                  std::numeric_limits<int32_t>::max(),
              "q^2 flush budget");
template <class DI32, class VI32, class VF>
HWY_INLINE void AccumulateMagnitude(DI32 di32, VI32 g2, VF scale, VI32& mag32,
                                    VI32& magsq32) {
  const hn::Repartition<float, DI32> df32;
  const hn::Repartition<int16_t, DI32> di16;
  const auto q = RoundToInt(hn::Mul(hn::Sqrt(hn::ConvertTo(df32, g2)), scale));
  mag32 = hn::Add(mag32, q);
  const auto q16 = hn::BitCast(di16, q);
  magsq32 = hn::Add(magsq32, MulAddPairs(di32, q16, q16));
}

// Number of lattice pixels among interior columns 1 .. w-2 of interior row y.
int64_t LatticeCount(size_t w, int y) {
  const int64_t interior = static_cast<int64_t>(w) - 2;
  const int64_t phase = kMagnitudePhase[(y - 1) % 4];
  return interior > phase ? (interior - phase + 3) / 4 : 0;
}

// ---------------------------------------------------------------------------
// ComputeSobelMoments, 8-bit.

// Flush budget of the 8-bit int32 accumulators, in steps (one step = one
// output row of one strip). Per step and int32 lane: |G|^2 gains at most
// 4 pairs * 2 * 1020^2 = 8323200 (Gx and Gy, even and odd pixels); sum c
// 2 * 510; sum c^2 4 * 255^2; sum q 23170. The first dominates:
// INT32_MAX / 8323200 = 258 steps never overflow any int32 lane. Sums of
// q^2 have their own budget, kMagSqSteps.
constexpr int64_t kSobel8StepBudget =
    std::numeric_limits<int32_t>::max() / (4 * 2 * 1020 * 1020);
static_assert(kSobel8StepBudget == 258, "8-bit flush budget");

// The 8-bit walk, for ComputeSobelMoments (one tile, kLaplacian false) and
// ComputeTileMoments (kernels/tile_moments.h; kLaplacian true), which also
// forms the Laplacian from the same horizontal terms: L = left + right + up +
// down - 4c = s(y) + c(y-1) + c(y+1) - 6 c(y) (s = left + 2c + right), exact
// modulo 2^16 and |L| <= 1020, so it reads back as int16. A tile's strips end
// exactly at its last column (the last one overlaps, as SobelMoments8's last
// strip of a row, or reaches into the tile to its left, whose lanes are
// dropped); at the end of a tile its sums are flushed, reduced and handed to
// on_tile(index, sums). The magnitude lattice is the plane's (x0 and y are
// plane coordinates). Tiles are walked in bands of `band_rows` rows.
//
// Flush budget per step and int32 lane: |G|^2 8323200 (above); L^2
// 2 * 2 * 1020^2 (even and odd pixels); sum L 2 * 2040; sum c, c^2 as
// above. kSobel8StepBudget holds for all.
//
// Returns false (nothing handed over) when the first tile is narrower than
// one vector plus one sample: its last strip would start left of the plane.
template <bool kLaplacian, class OnTile>
bool Moments3x3_8(const PlaneView& plane, int cols, int rows, int band_rows,
                  const OnTile& on_tile, MagnitudeSums* mag_out) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint16_t, decltype(d8)> du16;
  const hn::Repartition<int16_t, decltype(d8)> di16;
  const hn::Repartition<int32_t, decltype(d8)> di32;
  const hn::Repartition<uint32_t, decltype(d8)> du32;
  const hn::Repartition<int64_t, decltype(d8)> di64;
  const hn::Repartition<float, decltype(d8)> df32;
  using VU16 = hn::VFromD<decltype(du16)>;
  const size_t n = hn::Lanes(d8);
  const int64_t w = plane.width, h = plane.height;
  const auto x_begin = [&](int c) {
    return static_cast<size_t>(std::max<int64_t>(1, c * w / cols));
  };
  const auto x_end = [&](int c) {
    return static_cast<size_t>(std::min<int64_t>(w - 1, (c + 1) * w / cols));
  };
  const auto y_begin = [&](int r) {
    return static_cast<int>(std::max<int64_t>(1, r * h / rows));
  };
  const auto y_end = [&](int r) {
    return static_cast<int>(std::min<int64_t>(h - 1, (r + 1) * h / rows));
  };
  if (w < 3 || h < 3 || x_end(0) < n + 1) return false;

  auto g2_32 = hn::Zero(di32), px32 = hn::Zero(di32), pxsq32 = hn::Zero(di32),
       l32 = hn::Zero(di32), lsq32 = hn::Zero(di32), mag32 = hn::Zero(di32),
       magsq32 = hn::Zero(di32);
  auto g2_64 = hn::Zero(di64), px64 = hn::Zero(di64), pxsq64 = hn::Zero(di64),
       l64 = hn::Zero(di64), lsq64 = hn::Zero(di64), mag64 = hn::Zero(di64),
       magsq64 = hn::Zero(di64);
  int64_t budget = kSobel8StepBudget;
  int64_t magsq_budget = kMagSqSteps;

  const auto lo = hn::Set(du16, 0xFF);
  const auto ones = hn::Set(di16, 1);
  const auto scale = hn::Set(df32, 1 << kMagnitudeFracBits);
#ifdef ACUITY_HAVE_MADDUBS
  const hn::Repartition<int8_t, decltype(d8)> di8;
  const auto k12 = hn::BitCast(di8, hn::Set(du16, 0x0201));  // bytes 1, 2
  const auto k21 = hn::BitCast(di8, hn::Set(du16, 0x0102));  // bytes 2, 1
#endif

  // The int32 accumulators into the int64 ones (magnitude squares have
  // their own budget), before kSobel8StepBudget steps and at a tile's end.
  const auto flush = [&]() ACUITY_SOBEL_INLINE {
    FlushI32(di32, g2_32, g2_64);
    FlushI32(di32, px32, px64);
    FlushI32(di32, pxsq32, pxsq64);
    if constexpr (kLaplacian) {
      FlushI32(di32, l32, l64);
      FlushI32(di32, lsq32, lsq64);
    }
    FlushI32(di32, mag32, mag64);
    budget = kSobel8StepBudget;
  };

  // Horizontal terms of one row for the strip at x0.
  const auto horizontal = [&](const uint8_t* HWY_RESTRICT row, size_t x0,
                              VU16& d_e, VU16& d_o, VU16& s_e, VU16& s_o,
                              VU16& c_e, VU16& c_o) ACUITY_SOBEL_INLINE {
    hwy::Prefetch(row + x0 + 2 * n);  // this row of the next strip
    const auto a8 = hn::LoadU(d8, row + x0 - 1);
    const auto b8 = hn::LoadU(d8, row + x0 + 1);
    const auto a = hn::BitCast(du16, a8), b = hn::BitCast(du16, b8);
    const auto a_e = hn::And(a, lo), a_o = hn::ShiftRight<8>(a);
    const auto b_e = hn::And(b, lo), b_o = hn::ShiftRight<8>(b);
    d_e = hn::Sub(b_e, a_e);
    d_o = hn::Sub(b_o, a_o);
#ifdef ACUITY_HAVE_MADDUBS
    s_e = hn::Add(hn::BitCast(du16, MulAddPairsU8I8(a8, k12)), b_e);
    s_o = hn::Add(hn::BitCast(du16, MulAddPairsU8I8(b8, k21)), a_o);
#else
    s_e = hn::Add(hn::Add(a_e, b_e), hn::Add(a_o, a_o));
    s_o = hn::Add(hn::Add(a_o, b_o), hn::Add(b_e, b_e));
#endif
    c_e = a_o;
    c_o = b_e;
  };

  const auto strip = [&](size_t x0, size_t skip, int y0,
                         int y1) ACUITY_SOBEL_INLINE {
    const auto drop_e = hn::FirstN(di16, (skip + 1) / 2);
    const auto drop_o = hn::FirstN(di16, skip / 2);
    // Output row y from the rows above (t), at (m) and below (b); the step
    // computes b.
    const auto step = [&](int y, VU16& dt_e, VU16& dt_o, VU16& st_e, VU16& st_o,
                          VU16& ct_e, VU16& ct_o, VU16& dm_e, VU16& dm_o,
                          VU16& sm_e, VU16& sm_o, VU16& cm_e, VU16& cm_o,
                          VU16& db_e, VU16& db_o, VU16& sb_e, VU16& sb_o,
                          VU16& cb_e, VU16& cb_o) ACUITY_SOBEL_INLINE {
      horizontal(plane.Row8(y + 1), x0, db_e, db_o, sb_e, sb_o, cb_e, cb_o);
      auto gx_e =
          hn::BitCast(di16, hn::Add(hn::Add(dt_e, db_e), hn::Add(dm_e, dm_e)));
      auto gx_o =
          hn::BitCast(di16, hn::Add(hn::Add(dt_o, db_o), hn::Add(dm_o, dm_o)));
      auto gy_e = hn::BitCast(di16, hn::Sub(sb_e, st_e));
      auto gy_o = hn::BitCast(di16, hn::Sub(sb_o, st_o));
      auto c_e = hn::BitCast(di16, cm_e);
      auto c_o = hn::BitCast(di16, cm_o);
      if (skip != 0) {
        gx_e = hn::IfThenZeroElse(drop_e, gx_e);
        gy_e = hn::IfThenZeroElse(drop_e, gy_e);
        c_e = hn::IfThenZeroElse(drop_e, c_e);
        gx_o = hn::IfThenZeroElse(drop_o, gx_o);
        gy_o = hn::IfThenZeroElse(drop_o, gy_o);
        c_o = hn::IfThenZeroElse(drop_o, c_o);
      }
      if constexpr (kLaplacian) {
        // Exact modulo 2^16; |L| <= 1020 reads back as int16.
        const auto six_e = hn::Add(hn::ShiftLeft<2>(cm_e), hn::Add(cm_e, cm_e));
        const auto six_o = hn::Add(hn::ShiftLeft<2>(cm_o), hn::Add(cm_o, cm_o));
        auto l_e = hn::BitCast(
            di16, hn::Sub(hn::Add(hn::Add(sm_e, ct_e), cb_e), six_e));
        auto l_o = hn::BitCast(
            di16, hn::Sub(hn::Add(hn::Add(sm_o, ct_o), cb_o), six_o));
        if (skip != 0) {
          l_e = hn::IfThenZeroElse(drop_e, l_e);
          l_o = hn::IfThenZeroElse(drop_o, l_o);
        }
        lsq32 = hn::Add(lsq32, hn::Add(MulAddPairs(di32, l_e, l_e),
                                       MulAddPairs(di32, l_o, l_o)));
        l32 = hn::Add(l32, MulAddPairs(di32, hn::Add(l_e, l_o), ones));
      } else {
        (void)ct_e, (void)ct_o, (void)sm_e, (void)sm_o;
      }
      g2_32 = hn::Add(g2_32, hn::Add(hn::Add(MulAddPairs(di32, gx_e, gx_e),
                                             MulAddPairs(di32, gy_e, gy_e)),
                                     hn::Add(MulAddPairs(di32, gx_o, gx_o),
                                             MulAddPairs(di32, gy_o, gy_o))));
      px32 = hn::Add(px32, MulAddPairs(di32, hn::Add(c_e, c_o), ones));
      pxsq32 = hn::Add(pxsq32, hn::Add(MulAddPairs(di32, c_e, c_e),
                                       MulAddPairs(di32, c_o, c_o)));

      // The lattice pixels of this row: column offset `sel` mod 4 from x0,
      // i.e. parity sel & 1, and within that parity vector the low or high
      // int16 of each int32 lane. That int16 of Gx and the same of Gy are
      // moved into one int32 lane as a pair, so one pmaddwd gives
      // Gx^2 + Gy^2 of the lattice pixel.
      const size_t sel = (static_cast<size_t>(kMagnitudePhase[(y - 1) % 4]) +
                          4 - (x0 - 1) % 4) %
                         4;
      const auto gx = (sel & 1) ? gx_o : gx_e;
      const auto gy = (sel & 1) ? gy_o : gy_e;
      const auto pair =
          (sel >> 1)
              ? hn::OddEven(gy, hn::BitCast(di16, hn::ShiftRight<16>(
                                                      hn::BitCast(du32, gx))))
              : hn::OddEven(
                    hn::BitCast(di16, hn::ShiftLeft<16>(hn::BitCast(du32, gy))),
                    gx);
      AccumulateMagnitude(di32, MulAddPairs(di32, pair, pair), scale, mag32,
                          magsq32);

      if (--magsq_budget == 0) {
        FlushI32(di32, magsq32, magsq64);
        magsq_budget = kMagSqSteps;
      }
      if (--budget == 0) flush();
    };
    // (Zero-initialised only to keep -Wmaybe-uninitialized quiet.)
    const VU16 z = hn::Zero(du16);
    VU16 d0_e = z, d0_o = z, s0_e = z, s0_o = z, c0_e = z, c0_o = z;
    VU16 d1_e = z, d1_o = z, s1_e = z, s1_o = z, c1_e = z, c1_o = z;
    VU16 d2_e = z, d2_o = z, s2_e = z, s2_o = z, c2_e = z, c2_o = z;
    horizontal(plane.Row8(y0 - 1), x0, d0_e, d0_o, s0_e, s0_o, c0_e, c0_o);
    horizontal(plane.Row8(y0), x0, d1_e, d1_o, s1_e, s1_o, c1_e, c1_o);
#define ACUITY_ROW(k) d##k##_e, d##k##_o, s##k##_e, s##k##_o, c##k##_e, c##k##_o
    int y = y0;
    for (; y + 3 <= y1; y += 3) {
      step(y, ACUITY_ROW(0), ACUITY_ROW(1), ACUITY_ROW(2));
      step(y + 1, ACUITY_ROW(1), ACUITY_ROW(2), ACUITY_ROW(0));
      step(y + 2, ACUITY_ROW(2), ACUITY_ROW(0), ACUITY_ROW(1));
    }
    if (y < y1) step(y++, ACUITY_ROW(0), ACUITY_ROW(1), ACUITY_ROW(2));
    if (y < y1) step(y, ACUITY_ROW(1), ACUITY_ROW(2), ACUITY_ROW(0));
#undef ACUITY_ROW
  };

  for (int r = 0; r < rows; ++r) {
    const int ty0 = y_begin(r), ty1 = y_end(r);
    for (int c = 0; c < cols; ++c) {
      const size_t tx0 = x_begin(c), tx1 = x_end(c);
      if (ty1 <= ty0 || tx1 <= tx0) continue;
      for (int y0 = ty0; y0 < ty1; y0 += band_rows) {
        const int y1 = std::min(y0 + band_rows, ty1);
        size_t x = tx0;
        for (; x + n <= tx1; x += n) strip(x, 0, y0, y1);
        if (x < tx1) strip(tx1 - n, x - (tx1 - n), y0, y1);
      }
      flush();
      TileMoments t;
      t.count = static_cast<int64_t>(tx1 - tx0) * (ty1 - ty0);
      t.sum_l = static_cast<int64_t>(SumU64(di64, l64));
      t.sum_l2 = SumU64(di64, lsq64);
      t.sum_px = SumU64(di64, px64);
      t.sum_px_sq = SumU64(di64, pxsq64);
      t.sum_g2 = SumU64(di64, g2_64);
      g2_64 = l64 = lsq64 = px64 = pxsq64 = hn::Zero(di64);
      on_tile(static_cast<size_t>(r) * cols + c, t);
    }
  }
  FlushI32(di32, mag32, mag64);
  FlushI32(di32, magsq32, magsq64);
  MagnitudeSums m;
  for (int y = 1; y < h - 1; ++y) {
    m.mag_count += LatticeCount(static_cast<size_t>(w), y);
  }
  m.sum_mag = SumU64(di64, mag64);
  m.sum_mag_sq = SumU64(di64, magsq64);
  *mag_out = m;
  return true;
}

SobelMoments SobelMoments8(const PlaneView& plane) {
  SobelMoments m;
  MagnitudeSums mag;
  const auto whole = [&m](size_t, const TileMoments& t) {
    m.count = t.count;
    m.sum_g2 = t.sum_g2;
    m.sum_px = t.sum_px;
    m.sum_px_sq = t.sum_px_sq;
  };
  if (!Moments3x3_8<false>(plane, 1, 1, kBandRows, whole, &mag)) {
    return ComputeSobelMomentsReference(plane);
  }
  m.mag_count = mag.mag_count;
  m.sum_mag = mag.sum_mag;
  m.sum_mag_sq = mag.sum_mag_sq;
  return m;
}

// Rows per band within a tile: a 1080p tile (120 x 120) is one band, whose
// rows (122 x 128 bytes) stay in L1 while its two strips walk down them;
// taller tiles are cut into bands as above, for the same reason.
constexpr int kTileBandRows = 128;

bool TileMoments8(const PlaneView& plane, int cols, int rows,
                  std::vector<TileMoments>* tiles, MagnitudeSums* mag) {
  tiles->assign(static_cast<size_t>(cols) * rows, {});
  return Moments3x3_8<true>(
      plane, cols, rows, kTileBandRows,
      [tiles](size_t i, const TileMoments& t) { (*tiles)[i] = t; }, mag);
}

// ---------------------------------------------------------------------------
// ComputeSobelMoments, 9..12-bit: u16 samples loaded at x-1, x, x+1, lane k
// is pixel x0+k.

SobelMoments SobelMoments16(const PlaneView& plane) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Repartition<int64_t, decltype(du16)> di64;
  const hn::Repartition<float, decltype(du16)> df32;
  using VU16 = hn::VFromD<decltype(du16)>;
  const size_t n = hn::Lanes(du16);
  const size_t w = static_cast<size_t>(plane.width);
  const int h = plane.height;
  if (w - 2 < n) return ComputeSobelMomentsReference(plane);

  // Flush budget in steps. Per step and int32 lane: |G|^2 gains at most
  // 2 pairs * 2 * (4m)^2 (m = 2^depth - 1); sum c 2m; sum c^2 2m^2; sum q
  // 23170. The first dominates for every depth 9..12 (12 bits: 2 steps).
  const int64_t gmax = 4 * ((int64_t{1} << plane.bit_depth) - 1);
  const int64_t step_budget =
      std::numeric_limits<int32_t>::max() / (4 * gmax * gmax);

  auto g2_32 = hn::Zero(di32), px32 = hn::Zero(di32), pxsq32 = hn::Zero(di32),
       mag32 = hn::Zero(di32), magsq32 = hn::Zero(di32);
  auto g2_64 = hn::Zero(di64), px64 = hn::Zero(di64), pxsq64 = hn::Zero(di64),
       mag64 = hn::Zero(di64), magsq64 = hn::Zero(di64);
  int64_t budget = step_budget;
  int64_t magsq_budget = kMagSqSteps;

  const auto ones = hn::Set(di16, 1);
  const auto scale = hn::Set(
      df32, static_cast<float>(1 << (kMagnitudeFracBits + 8)) /
                static_cast<float>(1 << plane.bit_depth));  // exact: 2^k
  const auto lane_mod4 = hn::And(hn::Iota(du16, 0), hn::Set(du16, 3));

  const auto horizontal = [&](const uint16_t* HWY_RESTRICT row, size_t x0,
                              VU16& d, VU16& s, VU16& c) ACUITY_SOBEL_INLINE {
    hwy::Prefetch(row + x0 + 2 * n);  // this row of the next strip
    const auto l = hn::LoadU(du16, row + x0 - 1);
    const auto r = hn::LoadU(du16, row + x0 + 1);
    c = hn::LoadU(du16, row + x0);
    d = hn::Sub(r, l);
    s = hn::Add(hn::Add(l, r), hn::Add(c, c));
  };

  const auto strip = [&](size_t x0, size_t skip, int y0,
                         int y1) ACUITY_SOBEL_INLINE {
    const auto drop = hn::FirstN(di16, skip);
    const auto step = [&](int y, VU16& dt, VU16& st, VU16& dm, VU16& cm,
                          VU16& db, VU16& sb, VU16& cb) ACUITY_SOBEL_INLINE {
      horizontal(plane.Row16(y + 1), x0, db, sb, cb);
      // |Gx|, |Gy| <= 4 * 4095 = 16380 read back as int16.
      auto gx = hn::BitCast(di16, hn::Add(hn::Add(dt, db), hn::Add(dm, dm)));
      auto gy = hn::BitCast(di16, hn::Sub(sb, st));
      auto c = hn::BitCast(di16, cm);
      if (skip != 0) {
        gx = hn::IfThenZeroElse(drop, gx);
        gy = hn::IfThenZeroElse(drop, gy);
        c = hn::IfThenZeroElse(drop, c);
      }
      g2_32 = hn::Add(
          g2_32, hn::Add(MulAddPairs(di32, gx, gx), MulAddPairs(di32, gy, gy)));
      px32 = hn::Add(px32, MulAddPairs(di32, c, ones));
      pxsq32 = hn::Add(pxsq32, MulAddPairs(di32, c, c));

      const size_t sel = (static_cast<size_t>(kMagnitudePhase[(y - 1) % 4]) +
                          4 - (x0 - 1) % 4) %
                         4;
      const auto keep = hn::RebindMask(
          di16, hn::Eq(lane_mod4, hn::Set(du16, static_cast<uint16_t>(sel))));
      const auto gxk = hn::IfThenElseZero(keep, gx);
      const auto gyk = hn::IfThenElseZero(keep, gy);
      // Half of the int32 lanes hold a lattice pixel, the rest 0.
      AccumulateMagnitude(
          di32,
          hn::Add(MulAddPairs(di32, gxk, gxk), MulAddPairs(di32, gyk, gyk)),
          scale, mag32, magsq32);

      if (--magsq_budget == 0) {
        FlushI32(di32, magsq32, magsq64);
        magsq_budget = kMagSqSteps;
      }
      if (--budget == 0) {
        FlushI32(di32, g2_32, g2_64);
        FlushI32(di32, px32, px64);
        FlushI32(di32, pxsq32, pxsq64);
        FlushI32(di32, mag32, mag64);
        budget = step_budget;
      }
    };
    // (Zero-initialised only to keep -Wmaybe-uninitialized quiet.)
    VU16 d0 = hn::Zero(du16), s0 = d0, c0 = d0, d1 = d0, s1 = d0, c1 = d0,
         d2 = d0, s2 = d0, c2 = d0;
    horizontal(plane.Row16(y0 - 1), x0, d0, s0, c0);
    horizontal(plane.Row16(y0), x0, d1, s1, c1);
    int y = y0;
    for (; y + 3 <= y1; y += 3) {
      step(y, d0, s0, d1, c1, d2, s2, c2);
      step(y + 1, d1, s1, d2, c2, d0, s0, c0);
      step(y + 2, d2, s2, d0, c0, d1, s1, c1);
    }
    if (y < y1) step(y++, d0, s0, d1, c1, d2, s2, c2);
    if (y < y1) step(y, d1, s1, d2, c2, d0, s0, c0);
  };

  const size_t x_end = w - 1;
  for (int y0 = 1; y0 < h - 1; y0 += kBandRows) {
    const int y1 = std::min(y0 + kBandRows, h - 1);
    size_t x = 1;
    for (; x + n <= x_end; x += n) strip(x, 0, y0, y1);
    if (x < x_end) strip(x_end - n, x - (x_end - n), y0, y1);
  }
  FlushI32(di32, g2_32, g2_64);
  FlushI32(di32, px32, px64);
  FlushI32(di32, pxsq32, pxsq64);
  FlushI32(di32, mag32, mag64);
  FlushI32(di32, magsq32, magsq64);

  SobelMoments m;
  m.count = static_cast<int64_t>(w - 2) * (h - 2);
  m.sum_g2 = SumU64(di64, g2_64);
  m.sum_px = SumU64(di64, px64);
  m.sum_px_sq = SumU64(di64, pxsq64);
  for (int y = 1; y < h - 1; ++y) m.mag_count += LatticeCount(w, y);
  m.sum_mag = SumU64(di64, mag64);
  m.sum_mag_sq = SumU64(di64, magsq64);
  return m;
}

// ---------------------------------------------------------------------------
// ComputeNoiseBlocks. One band = one block row; its measured rows are
// y0, y0 + 2, ..., y0 + 14 (see sobel.h), so each strip needs the
// horizontal terms of rows y0 - 1 .. y0 + 15, and the row below one
// measured row is the row above the next. Strips are aligned to blocks
// (strip widths are multiples of 16 pixels, or divide 16), so a strip's
// lanes map to whole blocks or parts of one block. At the end of a band
// each strip's per-lane sums are reduced into its blocks.

// 8-bit: per measured row, A = |N| and T = |Gx| + |Gy| are both <= 2040;
// the even and odd pixel of each u16 lane pair are added (<= 4080) and
// summed over the band's 8 measured rows in u16 lanes: <= 32640, which
// still fits int16.
void NoiseBlocks8(const PlaneView& plane, int row_step,
                  std::vector<NoiseBlock>* blocks) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint16_t, decltype(d8)> du16;
  const hn::Repartition<int16_t, decltype(d8)> di16;
  using VU16 = hn::VFromD<decltype(du16)>;
  const size_t n = hn::Lanes(d8);
  const int cols = NoiseBlockCols(plane);
  const int rows = NoiseBlockRows(plane, row_step);
  const size_t w_blk = static_cast<size_t>(cols) * kNoiseBlockSize;
  if (w_blk < n) return ComputeNoiseBlocksReference(plane, row_step, blocks);
  blocks->resize(static_cast<size_t>(cols) * rows);

  const hn::Repartition<int32_t, decltype(d8)> di32;
  const auto lo = hn::Set(du16, 0xFF);
  const auto ones = hn::Set(di16, 1);
  HWY_ALIGN int32_t buf_a[HWY_MAX_BYTES / 4];
  HWY_ALIGN int32_t buf_t[HWY_MAX_BYTES / 4];
  HWY_ALIGN uint8_t buf_min[HWY_MAX_BYTES];
  HWY_ALIGN uint8_t buf_max[HWY_MAX_BYTES];

  // d and h of one row; s only when `with_s` (rows above and below a
  // measured row; Gy does not use the measured row itself).
  const auto horizontal = [&](const uint8_t* HWY_RESTRICT row, size_t x0,
                              bool with_s, VU16& d_e, VU16& d_o, VU16& s_e,
                              VU16& s_o, VU16& h_e,
                              VU16& h_o) ACUITY_SOBEL_INLINE {
    hwy::Prefetch(row + x0 + 2 * n);  // this row of the next strip
    const auto a = hn::BitCast(du16, hn::LoadU(d8, row + x0 - 1));
    const auto b = hn::BitCast(du16, hn::LoadU(d8, row + x0 + 1));
    const auto a_e = hn::And(a, lo), a_o = hn::ShiftRight<8>(a);
    const auto b_e = hn::And(b, lo), b_o = hn::ShiftRight<8>(b);
    d_e = hn::Sub(b_e, a_e);
    d_o = hn::Sub(b_o, a_o);
    const auto t_e = hn::Add(a_e, b_e), u_e = hn::Add(a_o, a_o);
    const auto t_o = hn::Add(a_o, b_o), u_o = hn::Add(b_e, b_e);
    h_e = hn::Sub(t_e, u_e);
    h_o = hn::Sub(t_o, u_o);
    if (with_s) {
      s_e = hn::Add(t_e, u_e);
      s_o = hn::Add(t_o, u_o);
    }
  };

  // Strip at x0 over the band starting at output row y0; blocks before
  // `first_block` (relative to the strip) were done by the previous strip.
  const auto strip = [&](size_t x0, size_t first_block, int y0,
                         NoiseBlock* out_row) ACUITY_SOBEL_INLINE {
    VU16 d0_e, d0_o, s0_e, s0_o, h0_e, h0_o;
    horizontal(plane.Row8(y0 - 1), x0, true, d0_e, d0_o, s0_e, s0_o, h0_e,
               h0_o);
    auto acc_a = hn::Zero(du16), acc_t = hn::Zero(du16);
    auto mn = hn::Set(d8, 0xFF), mx = hn::Zero(d8);
    for (int y = y0; y < y0 + kNoiseBlockSize; y += 2) {
      VU16 d1_e, d1_o, s1_e, s1_o, h1_e, h1_o;
      VU16 d2_e, d2_o, s2_e, s2_o, h2_e, h2_o;
      horizontal(plane.Row8(y), x0, false, d1_e, d1_o, s1_e, s1_o, h1_e, h1_o);
      horizontal(plane.Row8(y + 1), x0, true, d2_e, d2_o, s2_e, s2_o, h2_e,
                 h2_o);
      const auto gx_e =
          hn::BitCast(di16, hn::Add(hn::Add(d0_e, d2_e), hn::Add(d1_e, d1_e)));
      const auto gx_o =
          hn::BitCast(di16, hn::Add(hn::Add(d0_o, d2_o), hn::Add(d1_o, d1_o)));
      const auto gy_e = hn::BitCast(di16, hn::Sub(s2_e, s0_e));
      const auto gy_o = hn::BitCast(di16, hn::Sub(s2_o, s0_o));
      const auto n_e =
          hn::BitCast(di16, hn::Sub(hn::Add(h0_e, h2_e), hn::Add(h1_e, h1_e)));
      const auto n_o =
          hn::BitCast(di16, hn::Sub(hn::Add(h0_o, h2_o), hn::Add(h1_o, h1_o)));
      const auto t_e = hn::Add(hn::Abs(gx_e), hn::Abs(gy_e));
      const auto t_o = hn::Add(hn::Abs(gx_o), hn::Abs(gy_o));
      acc_a = hn::Add(acc_a,
                      hn::BitCast(du16, hn::Add(hn::Abs(n_e), hn::Abs(n_o))));
      acc_t = hn::Add(acc_t, hn::BitCast(du16, hn::Add(t_e, t_o)));
      const auto c8 = hn::LoadU(d8, plane.Row8(y) + x0);
      mn = hn::Min(mn, c8);
      mx = hn::Max(mx, c8);
      d0_e = d2_e, d0_o = d2_o, s0_e = s2_e, s0_o = s2_o, h0_e = h2_e,
      h0_o = h2_o;
    }
    // Per-block reduction inside each 128-bit part of the vectors, which is
    // one block: 8 u16 lanes (16 pixels) of the sums, 16 bytes of min/max.
    // The u16 sums are <= 32640, so pmaddwd by 1 adds pairs exactly.
    auto sa = MulAddPairs(di32, hn::BitCast(di16, acc_a), ones);
    auto st = MulAddPairs(di32, hn::BitCast(di16, acc_t), ones);
    sa = hn::Add(sa, hn::Shuffle2301(sa));
    st = hn::Add(st, hn::Shuffle2301(st));
    sa = hn::Add(sa, hn::Shuffle1032(sa));
    st = hn::Add(st, hn::Shuffle1032(st));
    mn = hn::Min(mn, hn::ShiftRightBytes<8>(d8, mn));
    mx = hn::Max(mx, hn::ShiftRightBytes<8>(d8, mx));
    mn = hn::Min(mn, hn::ShiftRightBytes<4>(d8, mn));
    mx = hn::Max(mx, hn::ShiftRightBytes<4>(d8, mx));
    mn = hn::Min(mn, hn::ShiftRightBytes<2>(d8, mn));
    mx = hn::Max(mx, hn::ShiftRightBytes<2>(d8, mx));
    mn = hn::Min(mn, hn::ShiftRightBytes<1>(d8, mn));
    mx = hn::Max(mx, hn::ShiftRightBytes<1>(d8, mx));
    hn::Store(sa, di32, buf_a);
    hn::Store(st, di32, buf_t);
    hn::Store(mn, d8, buf_min);
    hn::Store(mx, d8, buf_max);
    for (size_t b = first_block; b < n / kNoiseBlockSize; ++b) {
      NoiseBlock& out = out_row[(x0 - 1) / kNoiseBlockSize + b];
      out.sum_abs_n = static_cast<uint32_t>(buf_a[4 * b]);
      out.sum_grad = static_cast<uint32_t>(buf_t[4 * b]);
      out.min = buf_min[kNoiseBlockSize * b];
      out.max = buf_max[kNoiseBlockSize * b];
    }
  };

  for (int r = 0; r < rows; ++r) {
    const int y0 = 1 + r * row_step * kNoiseBlockSize;
    NoiseBlock* out_row = blocks->data() + static_cast<size_t>(r) * cols;
    size_t x = 1;
    for (; x - 1 + n <= w_blk; x += n) strip(x, 0, y0, out_row);
    if (x - 1 < w_blk) {
      // Last strip ends at the last complete block; w_blk and n are both
      // multiples of 16, so it stays block-aligned.
      const size_t x_last = 1 + w_blk - n;
      strip(x_last, (x - x_last) / kNoiseBlockSize, y0, out_row);
    }
  }
}

// 9..12-bit: lane k is pixel x0+k. A and T are <= 8m per measured row
// (m = 2^depth - 1); they are summed in u16 lanes for `rows_u16` = 65535 /
// 8m measured rows (8 at 9 bits, 2 at 12) and then widened into u32 lanes.
void NoiseBlocks16(const PlaneView& plane, int row_step,
                   std::vector<NoiseBlock>* blocks) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<uint32_t, decltype(du16)> du32;
  const hn::Half<decltype(du16)> dh16;
  using VU16 = hn::VFromD<decltype(du16)>;
  const size_t n = hn::Lanes(du16);
  const int cols = NoiseBlockCols(plane);
  const int rows = NoiseBlockRows(plane, row_step);
  const size_t w_blk = static_cast<size_t>(cols) * kNoiseBlockSize;
  if (w_blk < n || (n < kNoiseBlockSize && kNoiseBlockSize % n != 0) ||
      (n >= kNoiseBlockSize && n % kNoiseBlockSize != 0)) {
    return ComputeNoiseBlocksReference(plane, row_step, blocks);
  }
  blocks->resize(static_cast<size_t>(cols) * rows);
  const int rows_u16 =
      static_cast<int>(65535 / (8 * ((int64_t{1} << plane.bit_depth) - 1)));

  HWY_ALIGN uint32_t buf_a[HWY_MAX_BYTES / 2];
  HWY_ALIGN uint32_t buf_t[HWY_MAX_BYTES / 2];
  HWY_ALIGN uint16_t buf_min[HWY_MAX_BYTES / 2];
  HWY_ALIGN uint16_t buf_max[HWY_MAX_BYTES / 2];

  const auto horizontal = [&](const uint16_t* HWY_RESTRICT row, size_t x0,
                              VU16& d, VU16& s, VU16& hh) ACUITY_SOBEL_INLINE {
    hwy::Prefetch(row + x0 + 2 * n);  // this row of the next strip
    const auto l = hn::LoadU(du16, row + x0 - 1);
    const auto c = hn::LoadU(du16, row + x0);
    const auto r = hn::LoadU(du16, row + x0 + 1);
    d = hn::Sub(r, l);
    const auto t = hn::Add(l, r), u = hn::Add(c, c);
    s = hn::Add(t, u);
    hh = hn::Sub(t, u);
  };

  const auto strip = [&](size_t x0, size_t first_px, int y0,
                         NoiseBlock* out_row) ACUITY_SOBEL_INLINE {
    VU16 d0, s0, h0;
    horizontal(plane.Row16(y0 - 1), x0, d0, s0, h0);
    auto a16 = hn::Zero(du16), t16 = hn::Zero(du16);
    auto a_lo = hn::Zero(du32), a_hi = hn::Zero(du32);
    auto t_lo = hn::Zero(du32), t_hi = hn::Zero(du32);
    auto mn = hn::Set(du16, 0xFFFF), mx = hn::Zero(du16);
    const auto widen = [&]() ACUITY_SOBEL_INLINE {
      a_lo = hn::Add(a_lo, hn::PromoteTo(du32, hn::LowerHalf(dh16, a16)));
      a_hi = hn::Add(a_hi, hn::PromoteTo(du32, hn::UpperHalf(dh16, a16)));
      t_lo = hn::Add(t_lo, hn::PromoteTo(du32, hn::LowerHalf(dh16, t16)));
      t_hi = hn::Add(t_hi, hn::PromoteTo(du32, hn::UpperHalf(dh16, t16)));
      a16 = hn::Zero(du16);
      t16 = hn::Zero(du16);
    };
    int pending = 0;
    for (int y = y0; y < y0 + kNoiseBlockSize; y += 2) {
      VU16 d1, s1, h1, d2, s2, h2;
      horizontal(plane.Row16(y), x0, d1, s1, h1);
      horizontal(plane.Row16(y + 1), x0, d2, s2, h2);
      const auto gx =
          hn::BitCast(di16, hn::Add(hn::Add(d0, d2), hn::Add(d1, d1)));
      const auto gy = hn::BitCast(di16, hn::Sub(s2, s0));
      // |N| <= 8 * 4095 = 32760 read back as int16.
      const auto nn =
          hn::BitCast(di16, hn::Sub(hn::Add(h0, h2), hn::Add(h1, h1)));
      a16 = hn::Add(a16, hn::BitCast(du16, hn::Abs(nn)));
      t16 = hn::Add(t16, hn::Add(hn::BitCast(du16, hn::Abs(gx)),
                                 hn::BitCast(du16, hn::Abs(gy))));
      const auto c = hn::LoadU(du16, plane.Row16(y) + x0);
      mn = hn::Min(mn, c);
      mx = hn::Max(mx, c);
      if (++pending == rows_u16) {
        widen();
        pending = 0;
      }
      d0 = d2, s0 = s2, h0 = h2;
    }
    widen();
    const size_t half = n / 2;
    hn::Store(a_lo, du32, buf_a);
    hn::Store(a_hi, du32, buf_a + half);
    hn::Store(t_lo, du32, buf_t);
    hn::Store(t_hi, du32, buf_t + half);
    hn::Store(mn, du16, buf_min);
    hn::Store(mx, du16, buf_max);
    for (size_t k = first_px; k < n; ++k) {
      NoiseBlock& out = out_row[(x0 - 1 + k) / kNoiseBlockSize];
      out.sum_abs_n += buf_a[k];
      out.sum_grad += buf_t[k];
      out.min = std::min(out.min, buf_min[k]);
      out.max = std::max(out.max, buf_max[k]);
    }
  };

  for (int r = 0; r < rows; ++r) {
    const int y0 = 1 + r * row_step * kNoiseBlockSize;
    NoiseBlock* out_row = blocks->data() + static_cast<size_t>(r) * cols;
    for (int bx = 0; bx < cols; ++bx) out_row[bx] = NoiseBlock{0, 0, 0xFFFF, 0};
    size_t x = 1;
    for (; x - 1 + n <= w_blk; x += n) strip(x, 0, y0, out_row);
    if (x - 1 < w_blk) {
      const size_t x_last = 1 + w_blk - n;
      strip(x_last, x - x_last, y0, out_row);
    }
  }
}

}  // namespace
#endif  // HWY_TARGET != HWY_SCALAR

SobelMoments ComputeSobelMomentsImpl(const PlaneView& plane) {
#if HWY_TARGET == HWY_SCALAR
  return ComputeSobelMomentsReference(plane);
#else
  if (plane.empty() || plane.width < 3 || plane.height < 3) return {};
  if (plane.bit_depth <= 8) return SobelMoments8(plane);
  if (plane.bit_depth <= kMaxSimdDepth) return SobelMoments16(plane);
  return ComputeSobelMomentsReference(plane);
#endif
}

void ComputeTileMomentsImpl(const PlaneView& plane, int cols, int rows,
                            std::vector<TileMoments>* tiles,
                            MagnitudeSums* mag) {
#if HWY_TARGET == HWY_SCALAR
  ComputeTileMomentsReference(plane, cols, rows, tiles, mag);
#else
  if (!plane.empty() && plane.bit_depth <= 8 &&
      TileMoments8(plane, cols, rows, tiles, mag)) {
    return;
  }
  // Deeper or narrow planes: the separate kernels, tile by tile (the
  // definition itself), on this target's Sobel.
  ComposeTileMoments(plane, cols, rows, ComputeLaplacianMoments,
                     ComputeSobelMomentsImpl, tiles, mag);
#endif
}

void ComputeNoiseBlocksImpl(const PlaneView& plane, int row_step,
                            std::vector<NoiseBlock>* blocks) {
#if HWY_TARGET == HWY_SCALAR
  ComputeNoiseBlocksReference(plane, row_step, blocks);
#else
  if (NoiseBlockCols(plane) == 0 || NoiseBlockRows(plane, row_step) == 0) {
    blocks->clear();
    return;
  }
  if (plane.bit_depth <= 8) return NoiseBlocks8(plane, row_step, blocks);
  if (plane.bit_depth <= kMaxSimdDepth) {
    return NoiseBlocks16(plane, row_step, blocks);
  }
  ComputeNoiseBlocksReference(plane, row_step, blocks);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputeSobelMomentsImpl);
HWY_EXPORT(ComputeNoiseBlocksImpl);
HWY_EXPORT(ComputeTileMomentsImpl);

void ComputeTileMoments(const PlaneView& plane, int cols, int rows,
                        std::vector<TileMoments>* tiles, MagnitudeSums* mag) {
  HWY_DYNAMIC_DISPATCH(ComputeTileMomentsImpl)(plane, cols, rows, tiles, mag);
}

void ComputeTileMomentsOnTarget(int64_t target, const PlaneView& plane,
                                int cols, int rows,
                                std::vector<TileMoments>* tiles,
                                MagnitudeSums* mag) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeTileMomentsOnTarget");
  const auto impl = HWY_DISPATCH_TABLE(ComputeTileMomentsImpl)[index];
  impl(plane, cols, rows, tiles, mag);
}

SobelMoments ComputeSobelMoments(const PlaneView& plane) {
  return HWY_DYNAMIC_DISPATCH(ComputeSobelMomentsImpl)(plane);
}

SobelMoments ComputeSobelMomentsOnTarget(int64_t target,
                                         const PlaneView& plane) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeSobelMomentsOnTarget");
  return HWY_DISPATCH_TABLE(ComputeSobelMomentsImpl)[index](plane);
}

void ComputeNoiseBlocks(const PlaneView& plane, int row_step,
                        std::vector<NoiseBlock>* blocks) {
  HWY_DYNAMIC_DISPATCH(ComputeNoiseBlocksImpl)(plane, row_step, blocks);
}

void ComputeNoiseBlocksOnTarget(int64_t target, const PlaneView& plane,
                                int row_step, std::vector<NoiseBlock>* blocks) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeNoiseBlocksOnTarget");
  HWY_DISPATCH_TABLE(ComputeNoiseBlocksImpl)[index](plane, row_step, blocks);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
