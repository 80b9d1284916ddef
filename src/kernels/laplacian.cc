// SIMD (Highway) ComputeLaplacianMoments. The definition and the reference
// twin are in laplacian_reference.cc; every target here returns bit-identical
// sums because all arithmetic is exact integer arithmetic.
//
// Layout of the computation: for each interior row, unaligned loads of the
// row above, the row below and the row itself (shifted by -1 and +1, plus
// the centre where it cannot be recovered from those) give the four
// neighbours and the centre of N consecutive pixels; L is formed in
// registers and only its squares are kept, so the Laplacian image never
// exists. The order in which pixels are summed inside a vector does not
// matter for sums, so samples are widened by even/odd split (And + Shift,
// no cross-lane shuffles), and products are summed pairwise by
// ReorderWidenMulAccumulate (pmaddwd on x86).
//
// sum L needs no per-pixel work: it telescopes to the plane's border (see
// InteriorSumOfL), which is exact and cheaper than accumulating L.
//
// Three paths, chosen by bit depth:
//  - 8-bit:      u8 loads split into u16 lanes, L in i16, i32 accumulators
//                (on x86 pmaddubsw forms the horizontal part of L), sum c
//                by SumsOf8.
//  - 9..12-bit:  u16 loads are already i16-sized; same i16 core.
//  - 13..16-bit: |L| can reach 4 * 65535, which needs i32 lanes; squares go
//                straight to 64-bit lanes with MulEven.
// Planes narrower than one vector of interior pixels use the reference.
//
// Precondition: samples are < 2^bit_depth (the decoder layer normalises
// this). Out-of-range samples in a 9..12-bit plane would break the i16
// bounds below; 8-bit and 13..16-bit planes are safe for any sample value.

#include "kernels/laplacian.h"

#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/laplacian.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR (the fallback for CPUs without SSSE3; GCC < 12.3 has no usable
// EMU128) has one-lane vectors, which cannot hold the even/odd split below:
// there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR

// Flush budgets (the same on every target).
//
// In the i16 core, L = up + down + left + right - 4c with samples <= m =
// 2^bit_depth - 1, so |L| <= Lmax = 4m (1020 at 8 bits, 16380 at 12 bits),
// which fits int16. One ReorderWidenMulAccumulate(L, L) adds at most
// 2 * Lmax^2 to any int32 lane (x86 pmaddwd adds a pair of products to sum0;
// EMU128 adds one product to each of sum0 and sum1). The other int32
// accumulators gain at most 2m (sum of c, 9..12-bit only) and 2m^2 (sum of
// c^2) per call, both <= 2 * Lmax^2. So kMaxCalls = INT32_MAX /
// (2 * Lmax^2) calls can never overflow any int32 lane; after that many calls
// the int32 lanes are flushed (sign-extended) into int64 lanes. The int64
// lanes are partial sums of the final int64/uint64 results, so they cannot
// overflow unless the result itself would. The budget counts calls, not rows,
// so any width (16384, 2^20, ...) is safe.

constexpr int64_t MaxI16CoreCalls(int bit_depth) {
  const int64_t lmax = 4 * ((int64_t{1} << bit_depth) - 1);
  return std::numeric_limits<int32_t>::max() / (2 * lmax * lmax);
}
static_assert(MaxI16CoreCalls(8) == 1032, "8-bit: 2^31-1 / (2 * 1020^2)");
static_assert(MaxI16CoreCalls(10) == 64, "10-bit: 2^31-1 / (2 * 4092^2)");
static_assert(MaxI16CoreCalls(12) == 4, "12-bit: 2^31-1 / (2 * 16380^2)");
// Deepest input for the i16 core. At 13 bits |L| <= 32764 still fits int16,
// but the budget drops to one call per flush, slower than the i32 core.
constexpr int kMaxI16CoreDepth = 12;

// In the i32 core (13..16 bits) 0 <= c <= 65535, so one call adds at most
// 65535 to the int32 lane of sum c; the budget below allows even 4 * 65535
// per call (8192 * 262140 = 2147450880 <= 2^31-1), so it is safe with room
// to spare. Squares (< 2^37) are summed in int64 lanes directly.
constexpr int64_t kMaxI32CoreCalls =
    std::numeric_limits<int32_t>::max() / (4 * int64_t{65535});
static_assert(kMaxI32CoreCalls == 8192, "i32 core flush budget");

// Sum of the interior columns 1 .. w-2 of one row. At most 2^31 * 65535 <
// 2^47: exact in uint64.
template <typename T>
HWY_INLINE uint64_t InteriorRowSum(const T* HWY_RESTRICT row, size_t w) {
  if constexpr (sizeof(T) == 1) {
    // u8 -> u64 lane sums (psadbw on x86); each u64 lane gains <= 8 * 255
    // per vector. Precondition (as in Moments8): w - 2 >= Lanes(d8).
    const hn::ScalableTag<uint8_t> d8;
    const hn::Repartition<uint64_t, decltype(d8)> du64;
    const size_t n = hn::Lanes(d8);
    const size_t x_end = w - 1;
    auto acc = hn::Zero(du64);
    size_t x = 1;
    for (; x + n <= x_end; x += n) {
      acc = hn::Add(acc, hn::SumsOf8(hn::LoadU(d8, row + x)));
    }
    if (x < x_end) {
      const size_t x_last = x_end - n;
      const auto v = hn::LoadU(d8, row + x_last);
      acc = hn::Add(
          acc, hn::SumsOf8(hn::IfThenZeroElse(hn::FirstN(d8, x - x_last), v)));
    }
    return hn::GetLane(hn::SumOfLanes(du64, acc));
  } else {
    uint64_t sum = 0;
    for (size_t x = 1; x + 1 < w; ++x) sum += row[x];
    return sum;
  }
}

// sum L over the interior, read off the border. L splits into a horizontal
// and a vertical second difference, and each telescopes:
//   sum_{x=1}^{W-2} [p(x-1,y) - 2p(x,y) + p(x+1,y)]
//     = [p(0,y) - p(W-2,y)] + [p(W-1,y) - p(1,y)]      for each row y,
//   sum_{y=1}^{H-2} [p(x,y-1) - 2p(x,y) + p(x,y+1)]
//     = [p(x,0) - p(x,H-2)] + [p(x,H-1) - p(x,1)]      for each column x.
// Summing the second over x = 1 .. W-2 gives row sums S of the interior
// columns: S(0) - S(1) - S(H-2) + S(H-1). `horizontal` is the sum of the
// first over y = 1 .. H-2 (done by the caller while the row is hot). All
// terms are exact int64: |horizontal| <= 2^31 * 2 * 65535 and each S <
// 2^47.
template <typename T>
HWY_INLINE int64_t InteriorSumOfL(const PlaneView& plane, int64_t horizontal) {
  const size_t w = static_cast<size_t>(plane.width);
  const int h = plane.height;
  const auto s = [&](int y) HWY_ATTR {
    return static_cast<int64_t>(InteriorRowSum(RowOf<T>(plane, y), w));
  };
  return horizontal + s(0) - s(1) - s(h - 2) + s(h - 1);
}

// The horizontal term of InteriorSumOfL for one row.
template <typename T>
HWY_INLINE int64_t RowEnds(const T* HWY_RESTRICT row, size_t w) {
  return int64_t{row[0]} - row[1] - row[w - 2] + row[w - 1];
}

// The i16 core: squares of L and c for one vector of u16 lanes holding
// samples <= 4095 (see MaxI16CoreCalls for the bounds). The arithmetic is
// done modulo 2^16 in u16 lanes; since |L| <= 16380 the bit pattern read as
// int16 is exactly L, and c <= 4095 reads as itself.
template <class DU16, class V>
HWY_INLINE hn::VFromD<hn::RebindToSigned<DU16>> LaplacianI16(DU16 /*du16*/,
                                                             V up, V down,
                                                             V left, V right,
                                                             V c) {
  const hn::RebindToSigned<DU16> di16;
  const auto s = hn::Add(hn::Add(up, down), hn::Add(left, right));
  return hn::BitCast(di16, hn::Sub(s, hn::ShiftLeft<2>(c)));
}

// 8-bit: one step covers Lanes(d8) pixels starting at column x.
//
// Two loads serve as left neighbour, centre and right neighbour: a = row at
// x-1, b = row at x+1. For the even pixels x+2k, left = a[2k], centre =
// a[2k+1], right = b[2k]; for the odd pixels x+2k+1, left = a[2k+1] (the
// even centre), centre = b[2k], right = b[2k+1]. Splitting a and b into
// even/odd bytes therefore yields all three without loading the centre for
// L. The centre is still loaded once, as bytes, for sum c: SumsOf8 (psadbw)
// adds 8 bytes into each u64 lane in one instruction.
//
// With kMasked, pixels x .. x+skip-1 (already counted by the previous step)
// are removed by zeroing their L, c and centre bytes, so they contribute
// nothing.
template <bool kMasked, class D8, class VI32, class VU64>
HWY_INLINE void Step8(D8 d8, const uint8_t* HWY_RESTRICT above,
                      const uint8_t* HWY_RESTRICT row,
                      const uint8_t* HWY_RESTRICT below, size_t x, size_t skip,
                      VI32& sq0, VI32& sq1, VI32& pxsq0, VI32& pxsq1,
                      VU64& px64) {
  const hn::Repartition<uint16_t, D8> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, D8> di32;
  const auto up = hn::BitCast(du16, hn::LoadU(d8, above + x));
  const auto down = hn::BitCast(du16, hn::LoadU(d8, below + x));
  const auto a8 = hn::LoadU(d8, row + x - 1);
  const auto b8 = hn::LoadU(d8, row + x + 1);
  const auto a = hn::BitCast(du16, a8);
  const auto b = hn::BitCast(du16, b8);
  auto c8 = hn::LoadU(d8, row + x);
  const auto lo = hn::Set(du16, 0xFF);
  const auto up_e = hn::And(up, lo), up_o = hn::ShiftRight<8>(up);
  const auto down_e = hn::And(down, lo), down_o = hn::ShiftRight<8>(down);
  const auto a_o = hn::ShiftRight<8>(a);
  const auto b_e = hn::And(b, lo);
#ifdef ACUITY_HAVE_MADDUBS
  // The horizontal part in one instruction per parity: even pixels get
  // a_e - 4 a_o (= left - 4 centre), odd pixels -4 b_e + b_o (= -4 centre +
  // right), both in [-1020, 255], so pmaddubsw never saturates. Adding the
  // other three neighbours (<= 255 each) in u16 lanes gives L exactly, as in
  // LaplacianI16.
  const hn::Repartition<int8_t, D8> di8;
  const auto k_e = hn::BitCast(di8, hn::Set(du16, 0xFC01));  // bytes 1, -4
  const auto k_o = hn::BitCast(di8, hn::Set(du16, 0x01FC));  // bytes -4, 1
  auto l_e = hn::Add(MulAddPairsU8I8(a8, k_e),
                     hn::BitCast(di16, hn::Add(hn::Add(up_e, down_e), b_e)));
  auto l_o = hn::Add(MulAddPairsU8I8(b8, k_o),
                     hn::BitCast(di16, hn::Add(hn::Add(up_o, down_o), a_o)));
#else
  const auto a_e = hn::And(a, lo);
  const auto b_o = hn::ShiftRight<8>(b);
  auto l_e = LaplacianI16(du16, up_e, down_e, a_e, b_e, a_o);
  auto l_o = LaplacianI16(du16, up_o, down_o, a_o, b_o, b_e);
#endif
  auto c_e = hn::BitCast(di16, a_o);
  auto c_o = hn::BitCast(di16, b_e);
  if (kMasked) {
    // u16 lane k holds pixel x+2k (even) and x+2k+1 (odd).
    const auto drop_e = hn::FirstN(di16, (skip + 1) / 2);
    const auto drop_o = hn::FirstN(di16, skip / 2);
    l_e = hn::IfThenZeroElse(drop_e, l_e);
    c_e = hn::IfThenZeroElse(drop_e, c_e);
    l_o = hn::IfThenZeroElse(drop_o, l_o);
    c_o = hn::IfThenZeroElse(drop_o, c_o);
    c8 = hn::IfThenZeroElse(hn::FirstN(d8, skip), c8);
  }
  sq0 = hn::ReorderWidenMulAccumulate(di32, l_e, l_e, sq0, sq1);
  sq0 = hn::ReorderWidenMulAccumulate(di32, l_o, l_o, sq0, sq1);
  pxsq0 = hn::ReorderWidenMulAccumulate(di32, c_e, c_e, pxsq0, pxsq1);
  pxsq0 = hn::ReorderWidenMulAccumulate(di32, c_o, c_o, pxsq0, pxsq1);
  // u64 lanes: each step adds <= 8 * 255, no flush needed.
  px64 = hn::Add(px64, hn::SumsOf8(c8));
}

LaplacianMoments Moments8(const PlaneView& plane) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<int32_t, decltype(d8)> di32;
  const hn::Repartition<int64_t, decltype(d8)> di64;
  const hn::Repartition<uint64_t, decltype(d8)> du64;
  const size_t n = hn::Lanes(d8);
  const size_t w = static_cast<size_t>(plane.width);
  if (w - 2 < n) return ComputeLaplacianMomentsReference(plane);

  // Highway vectors may be sizeless, so the accumulators are locals rather
  // than members of a struct.
  auto sq0 = hn::Zero(di32), sq1 = hn::Zero(di32), pxsq0 = hn::Zero(di32),
       pxsq1 = hn::Zero(di32);
  auto sq64 = hn::Zero(di64), pxsq64 = hn::Zero(di64);
  auto px64 = hn::Zero(du64);
  int64_t horizontal = 0;
  const auto flush = [&]() HWY_ATTR {
    FlushI32(di32, sq0, sq1, sq64);
    FlushI32(di32, pxsq0, pxsq1, pxsq64);
  };
  // Two core calls (even and odd bytes) per step.
  constexpr size_t kStepBudget = MaxI16CoreCalls(8) / 2;
  size_t budget = kStepBudget;
  const size_t x_end = w - 1;  // exclusive end of interior columns
  for (int y = 1; y < plane.height - 1; ++y) {
    const uint8_t* above = plane.Row8(y - 1);
    const uint8_t* row = plane.Row8(y);
    const uint8_t* below = plane.Row8(y + 1);
    horizontal += RowEnds(row, w);
    size_t x = 1;
    while (x + n <= x_end) {
      const size_t steps = HWY_MIN((x_end - x) / n, budget);
      for (size_t i = 0; i < steps; ++i, x += n) {
        Step8<false>(d8, above, row, below, x, 0, sq0, sq1, pxsq0, pxsq1, px64);
      }
      budget -= steps;
      if (budget == 0) {
        flush();
        budget = kStepBudget;
      }
    }
    if (x < x_end) {
      // Last vector ends exactly at the last interior column (no read past
      // the row); lanes already counted are masked out.
      const size_t x_last = x_end - n;
      Step8<true>(d8, above, row, below, x_last, x - x_last, sq0, sq1, pxsq0,
                  pxsq1, px64);
      if (--budget == 0) {
        flush();
        budget = kStepBudget;
      }
    }
  }
  flush();

  LaplacianMoments m;
  m.count = static_cast<int64_t>(w - 2) * (plane.height - 2);
  m.sum = InteriorSumOfL<uint8_t>(plane, horizontal);
  m.sum_sq = static_cast<uint64_t>(SumI64(di64, sq64));
  m.sum_px = hn::GetLane(hn::SumOfLanes(du64, px64));
  m.sum_px_sq = static_cast<uint64_t>(SumI64(di64, pxsq64));
  return m;
}

// 9..12-bit: u16 samples feed the i16 core directly, one call per step.
// With kMasked, the lanes in `drop` (already counted) are zeroed.
template <bool kMasked, class DU16, class M, class VI32>
HWY_INLINE void Step16Narrow(DU16 du16, const uint16_t* HWY_RESTRICT above,
                             const uint16_t* HWY_RESTRICT row,
                             const uint16_t* HWY_RESTRICT below, size_t x,
                             M drop, VI32& sq0, VI32& sq1, VI32& px0, VI32& px1,
                             VI32& pxsq0, VI32& pxsq1) {
  const hn::RebindToSigned<DU16> di16;
  const hn::Repartition<int32_t, DU16> di32;
  auto up = hn::LoadU(du16, above + x);
  auto down = hn::LoadU(du16, below + x);
  auto left = hn::LoadU(du16, row + x - 1);
  auto right = hn::LoadU(du16, row + x + 1);
  auto c = hn::LoadU(du16, row + x);
  if (kMasked) {
    up = hn::IfThenZeroElse(drop, up);
    down = hn::IfThenZeroElse(drop, down);
    left = hn::IfThenZeroElse(drop, left);
    right = hn::IfThenZeroElse(drop, right);
    c = hn::IfThenZeroElse(drop, c);
  }
  const auto l = LaplacianI16(du16, up, down, left, right, c);
  const auto ci = hn::BitCast(di16, c);
  sq0 = hn::ReorderWidenMulAccumulate(di32, l, l, sq0, sq1);
  px0 = hn::ReorderWidenMulAccumulate(di32, ci, hn::Set(di16, 1), px0, px1);
  pxsq0 = hn::ReorderWidenMulAccumulate(di32, ci, ci, pxsq0, pxsq1);
}

LaplacianMoments Moments16Narrow(const PlaneView& plane) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Repartition<int64_t, decltype(du16)> di64;
  const size_t n = hn::Lanes(du16);
  const size_t w = static_cast<size_t>(plane.width);
  if (w - 2 < n) return ComputeLaplacianMomentsReference(plane);

  // Highway vectors may be sizeless, so the accumulators are locals rather
  // than members of a struct.
  auto sq0 = hn::Zero(di32), sq1 = hn::Zero(di32), px0 = hn::Zero(di32),
       px1 = hn::Zero(di32), pxsq0 = hn::Zero(di32), pxsq1 = hn::Zero(di32);
  auto sq64 = hn::Zero(di64), px64 = hn::Zero(di64), pxsq64 = hn::Zero(di64);
  int64_t horizontal = 0;
  const auto flush = [&]() HWY_ATTR {
    FlushI32(di32, sq0, sq1, sq64);
    FlushI32(di32, px0, px1, px64);
    FlushI32(di32, pxsq0, pxsq1, pxsq64);
  };
  const size_t step_budget =
      static_cast<size_t>(MaxI16CoreCalls(plane.bit_depth));
  size_t budget = step_budget;
  const auto no_mask = hn::FirstN(du16, 0);
  const size_t x_end = w - 1;
  for (int y = 1; y < plane.height - 1; ++y) {
    const uint16_t* above = plane.Row16(y - 1);
    const uint16_t* row = plane.Row16(y);
    const uint16_t* below = plane.Row16(y + 1);
    horizontal += RowEnds(row, w);
    size_t x = 1;
    while (x + n <= x_end) {
      const size_t steps = HWY_MIN((x_end - x) / n, budget);
      for (size_t i = 0; i < steps; ++i, x += n) {
        Step16Narrow<false>(du16, above, row, below, x, no_mask, sq0, sq1, px0,
                            px1, pxsq0, pxsq1);
      }
      budget -= steps;
      if (budget == 0) {
        flush();
        budget = step_budget;
      }
    }
    if (x < x_end) {
      const size_t x_last = x_end - n;
      Step16Narrow<true>(du16, above, row, below, x_last,
                         hn::FirstN(du16, x - x_last), sq0, sq1, px0, px1,
                         pxsq0, pxsq1);
      if (--budget == 0) {
        flush();
        budget = step_budget;
      }
    }
  }
  flush();

  LaplacianMoments m;
  m.count = static_cast<int64_t>(w - 2) * (plane.height - 2);
  m.sum = InteriorSumOfL<uint16_t>(plane, horizontal);
  m.sum_sq = static_cast<uint64_t>(SumI64(di64, sq64));
  m.sum_px = static_cast<uint64_t>(SumI64(di64, px64));
  m.sum_px_sq = static_cast<uint64_t>(SumI64(di64, pxsq64));
  return m;
}

// The i32 core (13..16 bits): u32 lanes holding samples <= 65535. L is exact
// in int32 (|L| <= 262140); L^2 and c^2 (< 2^37) are formed by MulEven in
// int64 lanes, even and odd int32 lanes separately.
template <class DU32, class V, class VI32, class VI64>
HWY_INLINE void AccumulateI32(DU32 /*du32*/, V up, V down, V left, V right, V c,
                              VI32& px32, VI64& sq64, VI64& pxsq64) {
  const hn::RebindToSigned<DU32> di32;
  const hn::Repartition<uint64_t, DU32> du64;
  const auto s = hn::Add(hn::Add(up, down), hn::Add(left, right));
  const auto l = hn::BitCast(di32, hn::Sub(s, hn::ShiftLeft<2>(c)));
  const auto ci = hn::BitCast(di32, c);
  px32 = hn::Add(px32, ci);
  // Odd int32 lanes moved into the even positions (MulEven reads only the
  // low int32 of each 64-bit lane, so the zeroed upper half is ignored).
  const auto l_odd =
      hn::BitCast(di32, hn::ShiftRight<32>(hn::BitCast(du64, l)));
  const auto c_odd =
      hn::BitCast(di32, hn::ShiftRight<32>(hn::BitCast(du64, ci)));
  sq64 = hn::Add(sq64, hn::Add(hn::MulEven(l, l), hn::MulEven(l_odd, l_odd)));
  pxsq64 =
      hn::Add(pxsq64, hn::Add(hn::MulEven(ci, ci), hn::MulEven(c_odd, c_odd)));
}

// 13..16-bit step: the same two-load scheme as Step8, with u16 samples split
// into even/odd u32 lanes.
template <bool kMasked, class DU16, class VI32, class VI64>
HWY_INLINE void Step16Wide(DU16 du16, const uint16_t* HWY_RESTRICT above,
                           const uint16_t* HWY_RESTRICT row,
                           const uint16_t* HWY_RESTRICT below, size_t x,
                           size_t skip, VI32& px32, VI64& sq64, VI64& pxsq64) {
  const hn::Repartition<uint32_t, DU16> du32;
  const auto up = hn::BitCast(du32, hn::LoadU(du16, above + x));
  const auto down = hn::BitCast(du32, hn::LoadU(du16, below + x));
  const auto a = hn::BitCast(du32, hn::LoadU(du16, row + x - 1));
  const auto b = hn::BitCast(du32, hn::LoadU(du16, row + x + 1));
  const auto lo = hn::Set(du32, 0xFFFF);
  const auto up_e = hn::And(up, lo), up_o = hn::ShiftRight<16>(up);
  const auto down_e = hn::And(down, lo), down_o = hn::ShiftRight<16>(down);
  const auto a_e = hn::And(a, lo), a_o = hn::ShiftRight<16>(a);
  const auto b_e = hn::And(b, lo), b_o = hn::ShiftRight<16>(b);
  if (kMasked) {
    const auto drop_e = hn::FirstN(du32, (skip + 1) / 2);
    const auto drop_o = hn::FirstN(du32, skip / 2);
    AccumulateI32(du32, hn::IfThenZeroElse(drop_e, up_e),
                  hn::IfThenZeroElse(drop_e, down_e),
                  hn::IfThenZeroElse(drop_e, a_e),
                  hn::IfThenZeroElse(drop_e, b_e),
                  hn::IfThenZeroElse(drop_e, a_o), px32, sq64, pxsq64);
    AccumulateI32(du32, hn::IfThenZeroElse(drop_o, up_o),
                  hn::IfThenZeroElse(drop_o, down_o),
                  hn::IfThenZeroElse(drop_o, a_o),
                  hn::IfThenZeroElse(drop_o, b_o),
                  hn::IfThenZeroElse(drop_o, b_e), px32, sq64, pxsq64);
    return;
  }
  AccumulateI32(du32, up_e, down_e, a_e, b_e, a_o, px32, sq64, pxsq64);
  AccumulateI32(du32, up_o, down_o, a_o, b_o, b_e, px32, sq64, pxsq64);
}

LaplacianMoments Moments16Wide(const PlaneView& plane) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Repartition<int64_t, decltype(du16)> di64;
  const size_t n = hn::Lanes(du16);
  const size_t w = static_cast<size_t>(plane.width);
  if (w - 2 < n) return ComputeLaplacianMomentsReference(plane);

  auto px32 = hn::Zero(di32), zero32 = hn::Zero(di32);
  auto px64 = hn::Zero(di64), sq64 = hn::Zero(di64), pxsq64 = hn::Zero(di64);
  // Two core calls (even and odd u16 lanes) per step.
  constexpr size_t kStepBudget = kMaxI32CoreCalls / 2;
  size_t budget = kStepBudget;
  int64_t horizontal = 0;
  const auto flush = [&]() HWY_ATTR { FlushI32(di32, px32, zero32, px64); };
  const size_t x_end = w - 1;
  for (int y = 1; y < plane.height - 1; ++y) {
    const uint16_t* above = plane.Row16(y - 1);
    const uint16_t* row = plane.Row16(y);
    const uint16_t* below = plane.Row16(y + 1);
    horizontal += RowEnds(row, w);
    size_t x = 1;
    while (x + n <= x_end) {
      const size_t steps = HWY_MIN((x_end - x) / n, budget);
      for (size_t i = 0; i < steps; ++i, x += n) {
        Step16Wide<false>(du16, above, row, below, x, 0, px32, sq64, pxsq64);
      }
      budget -= steps;
      if (budget == 0) {
        flush();
        budget = kStepBudget;
      }
    }
    if (x < x_end) {
      const size_t x_last = x_end - n;
      Step16Wide<true>(du16, above, row, below, x_last, x - x_last, px32, sq64,
                       pxsq64);
      if (--budget == 0) {
        flush();
        budget = kStepBudget;
      }
    }
  }
  flush();

  LaplacianMoments m;
  m.count = static_cast<int64_t>(w - 2) * (plane.height - 2);
  m.sum = InteriorSumOfL<uint16_t>(plane, horizontal);
  m.sum_sq = static_cast<uint64_t>(SumI64(di64, sq64));
  m.sum_px = static_cast<uint64_t>(SumI64(di64, px64));
  m.sum_px_sq = static_cast<uint64_t>(SumI64(di64, pxsq64));
  return m;
}

#endif  // HWY_TARGET != HWY_SCALAR

LaplacianMoments ComputeLaplacianMomentsImpl(const PlaneView& plane) {
#if HWY_TARGET == HWY_SCALAR
  return ComputeLaplacianMomentsReference(plane);
#else
  if (plane.empty() || plane.width < 3 || plane.height < 3) return {};
  if (plane.bit_depth <= 8) return Moments8(plane);
  if (plane.bit_depth <= kMaxI16CoreDepth) {
    return Moments16Narrow(plane);
  }
  return Moments16Wide(plane);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputeLaplacianMomentsImpl);

LaplacianMoments ComputeLaplacianMoments(const PlaneView& plane) {
  return HWY_DYNAMIC_DISPATCH(ComputeLaplacianMomentsImpl)(plane);
}

LaplacianMoments ComputeLaplacianMomentsOnTarget(int64_t target,
                                                 const PlaneView& plane) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeLaplacianMomentsOnTarget");
  return HWY_DISPATCH_TABLE(ComputeLaplacianMomentsImpl)[index](plane);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
