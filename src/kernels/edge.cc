// SIMD (Highway) Sobel statistics and edge codes; the definition is in
// kernels/edge.h and the reference twin in edge_reference.cc. Every target
// returns exactly the reference's integers.
//
// Everything runs in int16 lanes: samples are at most 12 bits (edge.h
// shifts deeper input), so |gx|, |gy| <= 4 * 4095 and m = |gx| + |gy| <=
// 32760 fit int16, and the direction test (|g| * 27146) >> 16 is one
// MulHigh (pmulhw) on non-negative lanes, the same floor as the reference.
//
// ComputeEdgeCodes needs gradients on the centre rows only (edge.h), so a
// row step of k costs about 1/k of a full pass. Row tails are done by one
// more vector ending exactly at the last pixel: it recomputes a few pixels,
// which is harmless because codes are stored, not summed. The statistics
// instead mask the recomputed lanes out.
//
// Precondition: samples < 2^bit_depth (the decoder layer guarantees it);
// larger values in a 9..12-bit plane would overflow int16 lanes.
#include "kernels/edge.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/edge.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR (CPUs without SSSE3) has one-lane vectors; the reference is used.
#if HWY_TARGET != HWY_SCALAR

using DI16 = hn::ScalableTag<int16_t>;
using VI16 = hn::VFromD<DI16>;

// Loads Lanes(DI16) samples from `p` as int16 lanes (after the depth shift).
HWY_INLINE VI16 LoadSamples(DI16 d, const uint8_t* HWY_RESTRICT p, int) {
  const hn::Rebind<uint8_t, DI16> d8;
  return hn::PromoteTo(d, hn::LoadU(d8, p));
}
HWY_INLINE VI16 LoadSamples(DI16 d, const uint16_t* HWY_RESTRICT p, int shift) {
  const hn::RebindToUnsigned<DI16> du16;
  return hn::BitCast(d, hn::ShiftRightSame(hn::LoadU(du16, p), shift));
}

// Sobel gx, gy of the Lanes(d) pixels starting at column x of row `row`.
template <typename T>
HWY_INLINE void Sobel(DI16 d, const T* HWY_RESTRICT above,
                      const T* HWY_RESTRICT row, const T* HWY_RESTRICT below,
                      size_t x, int shift, VI16& gx, VI16& gy) {
  const VI16 a0 = LoadSamples(d, above + x - 1, shift);
  const VI16 a1 = LoadSamples(d, above + x, shift);
  const VI16 a2 = LoadSamples(d, above + x + 1, shift);
  const VI16 b0 = LoadSamples(d, row + x - 1, shift);
  const VI16 b2 = LoadSamples(d, row + x + 1, shift);
  const VI16 c0 = LoadSamples(d, below + x - 1, shift);
  const VI16 c1 = LoadSamples(d, below + x, shift);
  const VI16 c2 = LoadSamples(d, below + x + 1, shift);
  const VI16 d0 = hn::Sub(c0, a0);
  const VI16 d2 = hn::Sub(c2, a2);
  gx = hn::Add(hn::Add(hn::Sub(a2, a0), hn::Sub(c2, c0)),
               hn::ShiftLeft<1>(hn::Sub(b2, b0)));
  gy = hn::Add(hn::Add(d0, d2), hn::ShiftLeft<1>(hn::Sub(c1, a1)));
}

// ------------------------------------------------------------------ stats

// Flush budget: one ReorderWidenMulAccumulate(m, m) adds at most 2 * mmax^2
// to an int32 lane (x86 pmaddwd adds a pair of products; EMU128 one product
// to each of two accumulators), with mmax = 8 * (2^min(depth, 12) - 1)
// (2040 at 8 bits, 32760 at 12+ bits: 2 * 32760^2 = 2146435200 <
// 2^31 - 1, so at least one call always fits). The sum of m adds at most
// 2 * mmax per call, far less. After `budget` calls the int32 lanes are
// flushed into int64 lanes, which hold partial sums of the exact result.
inline int64_t StatsBudget(int bit_depth) {
  const int bits = bit_depth > 12 ? 12 : bit_depth;
  const int64_t mmax = 8 * ((int64_t{1} << bits) - 1);
  return std::numeric_limits<int32_t>::max() / (2 * mmax * mmax);
}

template <typename T>
SobelStats Stats(const PlaneView& plane, int row_step) {
  const DI16 d;
  const hn::Repartition<int32_t, DI16> di32;
  const hn::Repartition<int64_t, DI16> di64;
  const size_t n = hn::Lanes(d);
  const size_t w = static_cast<size_t>(plane.width);
  const int shift = EdgeSampleShift(plane.bit_depth);
  auto sq0 = hn::Zero(di32), sq1 = hn::Zero(di32), s0 = hn::Zero(di32),
       s1 = hn::Zero(di32);
  auto sq64 = hn::Zero(di64), s64 = hn::Zero(di64);
  const VI16 one = hn::Set(d, 1);
  VI16 max = hn::Zero(d);
  const int64_t full_budget = StatsBudget(plane.bit_depth);
  int64_t budget = full_budget;
  const auto accumulate = [&](VI16 m) HWY_ATTR {
    max = hn::Max(max, m);
    sq0 = hn::ReorderWidenMulAccumulate(di32, m, m, sq0, sq1);
    s0 = hn::ReorderWidenMulAccumulate(di32, m, one, s0, s1);
    if (--budget == 0) {
      FlushI32(di32, sq0, sq1, sq64);
      FlushI32(di32, s0, s1, s64);
      budget = full_budget;
    }
  };
  const size_t x_end = w - 1;  // gradient columns 1 .. w-2
  SobelStats st;
  for (int y = 1; y < plane.height - 1; y += row_step) {
    const T* above = RowOf<T>(plane, y - 1);
    const T* row = RowOf<T>(plane, y);
    const T* below = RowOf<T>(plane, y + 1);
    VI16 gx, gy;
    size_t x = 1;
    for (; x + n <= x_end; x += n) {
      Sobel(d, above, row, below, x, shift, gx, gy);
      accumulate(hn::Add(hn::Abs(gx), hn::Abs(gy)));
    }
    if (x < x_end) {
      const size_t x_last = x_end - n;
      Sobel(d, above, row, below, x_last, shift, gx, gy);
      const VI16 m = hn::Add(hn::Abs(gx), hn::Abs(gy));
      accumulate(hn::IfThenZeroElse(hn::FirstN(d, x - x_last), m));
    }
    st.count += static_cast<int64_t>(w - 2);
  }
  FlushI32(di32, sq0, sq1, sq64);
  FlushI32(di32, s0, s1, s64);
  st.sum = static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(di64, s64)));
  st.sum_sq = static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(di64, sq64)));
  st.max = static_cast<uint32_t>(hn::GetLane(hn::MaxOfLanes(d, max)));
  return st;
}

// ------------------------------------------------------------------ codes

// Edge codes of centre row y (columns 2 .. w-3; the two columns at each end
// are set to kEdgeNone). Precondition: w - 4 >= Lanes(d), 2 <= y < h-2.
//
// Most vectors hold no pixel above the threshold (flat areas, texture below
// 2 RMS): those skip the suppression entirely.
template <typename T>
void CodesRow(const PlaneView& plane, int y, int16_t threshold,
              uint8_t* HWY_RESTRICT out, uint64_t* HWY_RESTRICT mask) {
  const DI16 d;
  const hn::Rebind<uint8_t, DI16> d8;
  const size_t n = hn::Lanes(d);
  const size_t w = static_cast<size_t>(plane.width);
  const int shift = EdgeSampleShift(plane.bit_depth);
  const T* r0 = RowOf<T>(plane, y - 2);
  const T* r1 = RowOf<T>(plane, y - 1);
  const T* r2 = RowOf<T>(plane, y);
  const T* r3 = RowOf<T>(plane, y + 1);
  const T* r4 = RowOf<T>(plane, y + 2);
  const VI16 t = hn::Set(d, threshold);
  const VI16 tan_22_5 = hn::Set(d, 27146);
  const VI16 code_x = hn::Set(d, kEdgeX), code_y = hn::Set(d, kEdgeY);
  const VI16 code_xy = hn::Set(d, kEdgeXY), code_xny = hn::Set(d, kEdgeXnY);
  const auto step = [&](size_t x) HWY_ATTR {
    VI16 gx, gy;
    Sobel(d, r1, r2, r3, x, shift, gx, gy);
    const VI16 ax = hn::Abs(gx), ay = hn::Abs(gy);
    const auto strong = hn::Not(hn::Lt(hn::Add(ax, ay), t));
    if (hn::AllFalse(d, strong)) {
      hn::StoreU(hn::Zero(d8), d8, out + x);
      return;
    }
    // Highway 1.0.3 has no integer Le/Ge: the tests are written with Gt/Lt.
    const auto not_x = hn::Gt(ay, hn::MulHigh(ax, tan_22_5));
    const auto not_y = hn::Gt(ax, hn::MulHigh(ay, tan_22_5));
    const auto opposite = hn::Lt(hn::Xor(gx, gy), hn::Zero(d));
    const auto is_x = hn::Not(not_x);
    const auto is_y = hn::AndNot(is_x, hn::Not(not_y));
    const VI16 diag = hn::IfThenElse(opposite, code_xny, code_xy);
    const VI16 code =
        hn::IfThenElse(not_x, hn::IfThenElse(not_y, diag, code_y), code_x);
    // Samples ahead of and behind the three points x - d, x, x + d of each
    // direction's line; D = |ahead - behind|.
    const auto s = [&](const T* row, ptrdiff_t dx)
                       HWY_ATTR { return LoadSamples(d, row + x + dx, shift); };
    const VI16 c = s(r2, 0);
    // kEdgeX: centre D from r2[x-1], r2[x+1]; D before = |c - r2[x-2]|,
    // after = |r2[x+2] - c|.
    const VI16 x_here = hn::Abs(hn::Sub(s(r2, 1), s(r2, -1)));
    const VI16 x_before = hn::Abs(hn::Sub(c, s(r2, -2)));
    const VI16 x_after = hn::Abs(hn::Sub(s(r2, 2), c));
    // kEdgeY.
    const VI16 y_here = hn::Abs(hn::Sub(s(r3, 0), s(r1, 0)));
    const VI16 y_before = hn::Abs(hn::Sub(c, s(r0, 0)));
    const VI16 y_after = hn::Abs(hn::Sub(s(r4, 0), c));
    // kEdgeXY (1, 1).
    const VI16 xy_here = hn::Abs(hn::Sub(s(r3, 1), s(r1, -1)));
    const VI16 xy_before = hn::Abs(hn::Sub(c, s(r0, -2)));
    const VI16 xy_after = hn::Abs(hn::Sub(s(r4, 2), c));
    // kEdgeXnY (1, -1): before is (x-1, y+1), after is (x+1, y-1).
    const VI16 xny_here = hn::Abs(hn::Sub(s(r1, 1), s(r3, -1)));
    const VI16 xny_before = hn::Abs(hn::Sub(c, s(r4, -2)));
    const VI16 xny_after = hn::Abs(hn::Sub(s(r0, 2), c));
    const auto pick = [&](VI16 vx, VI16 vy, VI16 vxy, VI16 vxny) HWY_ATTR {
      return hn::IfThenElse(
          is_x, vx,
          hn::IfThenElse(is_y, vy, hn::IfThenElse(opposite, vxny, vxy)));
    };
    const VI16 here = pick(x_here, y_here, xy_here, xny_here);
    const VI16 before = pick(x_before, y_before, xy_before, xny_before);
    const VI16 after = pick(x_after, y_after, xy_after, xny_after);
    // strong && here > before && here >= after.
    const auto keep =
        hn::And(strong, hn::AndNot(hn::Lt(here, after), hn::Gt(here, before)));
    hn::StoreU(hn::DemoteTo(d8, hn::IfThenElseZero(keep, code)), d8, out + x);
    // Lanes n <= 32, so the bits fit one uint64 and straddle at most two
    // mask words. ORing is idempotent, so the overlapping tail vector may
    // set bits that are already set.
    uint8_t bytes[8] = {0};
    hn::StoreMaskBits(d, keep, bytes);
    uint64_t bits;
    std::memcpy(&bits, bytes, 8);
    if (bits == 0) return;
    const size_t word = x / 64, bit = x % 64;
    mask[word] |= bits << bit;
    if (bit + n > 64) mask[word + 1] |= bits >> (64 - bit);
  };
  std::memset(mask, 0, ((w + 63) / 64) * sizeof(uint64_t));
  const size_t x_end = w - 2;  // edge columns 2 .. w-3
  size_t x = 2;
  for (; x + n <= x_end; x += n) step(x);
  if (x < x_end) step(x_end - n);
  out[0] = out[1] = out[w - 2] = out[w - 1] = kEdgeNone;
}

template <typename T>
void Codes(const PlaneView& plane, int row_step, uint32_t threshold,
           uint8_t* codes, ptrdiff_t codes_stride, uint64_t* masks,
           ptrdiff_t mask_stride) {
  // m <= 32760, so any threshold above it keeps nothing, as in the reference.
  const int16_t t =
      static_cast<int16_t>(threshold > 32761u ? 32761u : threshold);
  const int rows = EdgeCodeRows(plane.height, row_step);
  for (int j = 0; j < rows; ++j) {
    CodesRow<T>(plane, EdgeCodeRowY(j, row_step), t, codes + j * codes_stride,
                masks + j * mask_stride);
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

SobelStats ComputeSobelStatsImpl(const PlaneView& plane, int row_step) {
#if HWY_TARGET != HWY_SCALAR
  if (!plane.empty() && row_step >= 1 && plane.height >= 3 &&
      plane.width >= 2 + static_cast<int>(hn::Lanes(DI16()))) {
    return plane.bit_depth <= 8 ? Stats<uint8_t>(plane, row_step)
                                : Stats<uint16_t>(plane, row_step);
  }
#endif
  return ComputeSobelStatsReference(plane, row_step);
}

void ComputeEdgeCodesImpl(const PlaneView& plane, int row_step,
                          uint32_t threshold, uint8_t* codes,
                          ptrdiff_t codes_stride, uint64_t* masks,
                          ptrdiff_t mask_stride) {
#if HWY_TARGET != HWY_SCALAR
  if (!plane.empty() && row_step >= 1 &&
      plane.width >= 4 + static_cast<int>(hn::Lanes(DI16()))) {
    if (plane.bit_depth <= 8) {
      Codes<uint8_t>(plane, row_step, threshold, codes, codes_stride, masks,
                     mask_stride);
    } else {
      Codes<uint16_t>(plane, row_step, threshold, codes, codes_stride, masks,
                      mask_stride);
    }
    return;
  }
#endif
  ComputeEdgeCodesReference(plane, row_step, threshold, codes, codes_stride,
                            masks, mask_stride);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputeSobelStatsImpl);
HWY_EXPORT(ComputeEdgeCodesImpl);

SobelStats ComputeSobelStats(const PlaneView& plane, int row_step) {
  return HWY_DYNAMIC_DISPATCH(ComputeSobelStatsImpl)(plane, row_step);
}

SobelStats ComputeSobelStatsOnTarget(int64_t target, const PlaneView& plane,
                                     int row_step) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeSobelStatsOnTarget");
  return HWY_DISPATCH_TABLE(ComputeSobelStatsImpl)[index](plane, row_step);
}

void ComputeEdgeCodes(const PlaneView& plane, int row_step, uint32_t threshold,
                      uint8_t* codes, ptrdiff_t codes_stride, uint64_t* masks,
                      ptrdiff_t mask_stride) {
  HWY_DYNAMIC_DISPATCH(ComputeEdgeCodesImpl)
  (plane, row_step, threshold, codes, codes_stride, masks, mask_stride);
}

void ComputeEdgeCodesOnTarget(int64_t target, const PlaneView& plane,
                              int row_step, uint32_t threshold, uint8_t* codes,
                              ptrdiff_t codes_stride, uint64_t* masks,
                              ptrdiff_t mask_stride) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeEdgeCodesOnTarget");
  HWY_DISPATCH_TABLE(ComputeEdgeCodesImpl)
  [index](plane, row_step, threshold, codes, codes_stride, masks, mask_stride);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
