// SIMD (Highway) ComputeLumaMoments. The definition and the reference twin
// are in luma_moments_reference.cc; every target returns bit-identical
// results because all arithmetic is exact integer arithmetic.
//
// One step covers one vector of samples:
//  - 8-bit:      sum by SumsOf8 (psadbw) straight into u64 lanes; squares by
//                an even/odd split into i16 lanes and ReorderWidenMulAccumulate
//                (pmaddwd) into i32 lanes.
//  - 9..16-bit:  u16 samples split even/odd into u32 lanes; sum in u32 lanes,
//                squares (< 2^32) by MulEven straight into u64 lanes.
// The counts are CountTrue of a compare mask (movemask or kmov, then
// popcnt): scalar-port work that leaves the vector ports to the sums.
// Narrow lanes are flushed into 64-bit sums before they can overflow (the
// budgets below count steps, not rows, so any width is safe). The last
// vector of a row ends at the row end (never reads the stride padding); its
// lanes already counted are zeroed and left out of the count masks. Planes
// narrower than a full vector use a 128-bit vector, and narrower than that
// the reference.
//
// The counts use y <= low  <=>  SaturatedSub(y, low) == 0 and
// y >= high  <=>  SaturatedSub(high, y) == 0 (no unsigned compare needed).

#include "kernels/luma_moments.h"

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/luma_moments.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR (CPUs without SSSE3) has one-lane vectors, too narrow for the
// even/odd split: there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR

// 8-bit flush budget: an i32 square lane gains at most 2 * (2 * 255^2) per
// step (two ReorderWidenMulAccumulate calls, each adding up to two products
// to one lane on x86).
constexpr size_t kStepBudget8 = 8192;
static_assert(kStepBudget8 * 2 * 2 * 255 * 255 < (size_t{1} << 31), "i32");

// Sum of both halves of i32 lanes, as i64 lanes.
template <class DH32, class DI64, class V>
HWY_INLINE hn::VFromD<DI64> Widen(DH32 dh32, DI64 di64, V v) {
  return hn::Add(hn::PromoteTo(di64, hn::LowerHalf(dh32, v)),
                 hn::PromoteTo(di64, hn::UpperHalf(dh32, v)));
}

// 9..16-bit flush budget: a u32 sum lane gains at most 2 * 65535 per step.
constexpr size_t kStepBudget16 = 32767;
static_assert(kStepBudget16 * 2 * 65535 <= 0xFFFFFFFFull, "u32 sum lanes");

struct Levels {
  int32_t low;
  int32_t high;
};

// kLow / kHigh: whether count_low / count_high are measured at all (block
// sums of chroma planes need only the moments).
template <bool kLow, bool kHigh, class D8>
LumaMoments Moments8(D8 d8, const PlaneView& plane, Levels levels) {
  const hn::Repartition<uint16_t, D8> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, D8> di32;
  const hn::Repartition<int64_t, D8> di64;
  const hn::Repartition<uint64_t, D8> du64;
  const hn::Half<decltype(di32)> dh32;
  const size_t n = hn::Lanes(d8);
  const size_t w = static_cast<size_t>(plane.width);

  const auto zero8 = hn::Zero(d8);
  const auto lo8 = hn::Set(d8, static_cast<uint8_t>(HWY_MIN(levels.low, 255)));
  const auto hi8 = hn::Set(d8, static_cast<uint8_t>(HWY_MAX(levels.high, 0)));
  const auto low_byte = hn::Set(du16, 0x00FF);

  // Highway vectors may be sizeless: accumulators are locals.
  // Two declarations: one `auto` list must deduce one type (clang says so).
  auto sum64 = hn::Zero(du64);
  auto sq64 = hn::Zero(di64);
  auto sq0 = hn::Zero(di32), sq1 = hn::Zero(di32);
  uint64_t count_low = 0, count_high = 0;
  // One step: sums, squares and (by CountTrue: movemask/kmov + popcnt, on
  // the scalar ports) the counts; kMasked leaves the lanes not in `keep`
  // out of the counts (their samples are already zero for the sums).
  const auto step = [&](hn::VFromD<D8> y, auto masked,
                        hn::Mask<D8> keep) HWY_ATTR {
    constexpr bool kMasked = decltype(masked)::value;
    sum64 = hn::Add(sum64, hn::SumsOf8(y));
    const auto yw = hn::BitCast(du16, y);
    const auto ye = hn::BitCast(di16, hn::And(yw, low_byte));
    const auto yo = hn::BitCast(di16, hn::ShiftRight<8>(yw));
    sq0 = hn::ReorderWidenMulAccumulate(di32, ye, ye, sq0, sq1);
    sq0 = hn::ReorderWidenMulAccumulate(di32, yo, yo, sq0, sq1);
    if (kLow) {
      auto m = hn::Eq(hn::SaturatedSub(y, lo8), zero8);
      if (kMasked) m = hn::And(keep, m);
      count_low += hn::CountTrue(d8, m);
    }
    if (kHigh) {
      auto m = hn::Eq(hn::SaturatedSub(hi8, y), zero8);
      if (kMasked) m = hn::And(keep, m);
      count_high += hn::CountTrue(d8, m);
    }
  };
  const auto all = hn::FirstN(d8, n);
  const std::false_type whole;
  const std::true_type masked;
  size_t budget = kStepBudget8;
  for (int yy = 0; yy < plane.height; ++yy) {
    const uint8_t* HWY_RESTRICT row = plane.Row8(yy);
    size_t x = 0;
    while (x + n <= w) {
      const size_t steps = HWY_MIN((w - x) / n, budget);
      for (size_t i = 0; i < steps; ++i, x += n) {
        step(hn::LoadU(d8, row + x), whole, all);
      }
      budget -= steps;
      if (budget == 0) {
        sq64 = hn::Add(sq64,
                       hn::Add(Widen(dh32, di64, sq0), Widen(dh32, di64, sq1)));
        sq0 = hn::Zero(di32);
        sq1 = hn::Zero(di32);
        budget = kStepBudget8;
      }
    }
    if (x < w) {
      // Ends at the row end; the lanes already counted are zeroed (adding 0
      // to the sums) and left out of the counts.
      const size_t x_last = w - n;
      const auto keep = hn::Not(hn::FirstN(d8, x - x_last));
      step(hn::IfThenElseZero(keep, hn::LoadU(d8, row + x_last)), masked, keep);
      if (--budget == 0) {
        sq64 = hn::Add(sq64,
                       hn::Add(Widen(dh32, di64, sq0), Widen(dh32, di64, sq1)));
        sq0 = hn::Zero(di32);
        sq1 = hn::Zero(di32);
        budget = kStepBudget8;
      }
    }
  }
  sq64 = hn::Add(sq64, hn::Add(Widen(dh32, di64, sq0), Widen(dh32, di64, sq1)));

  LumaMoments m;
  m.count = static_cast<int64_t>(w) * plane.height;
  m.sum = hn::GetLane(hn::SumOfLanes(du64, sum64));
  m.sum_sq = static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(di64, sq64)));
  m.count_low = static_cast<int64_t>(count_low);
  m.count_high = static_cast<int64_t>(count_high);
  return m;
}

template <class D16>
LumaMoments Moments16(D16 d16, const PlaneView& plane, Levels levels) {
  const hn::Repartition<uint32_t, D16> du32;
  const hn::Repartition<uint64_t, D16> du64;
  const hn::Half<decltype(du32)> dh32;
  const size_t n = hn::Lanes(d16);
  const size_t w = static_cast<size_t>(plane.width);
  const int32_t max = (int32_t{1} << plane.bit_depth) - 1;

  const auto zero16 = hn::Zero(d16);
  const auto lo16 =
      hn::Set(d16, static_cast<uint16_t>(HWY_MIN(HWY_MAX(levels.low, 0), max)));
  const auto hi16 = hn::Set(
      d16, static_cast<uint16_t>(HWY_MIN(HWY_MAX(levels.high, 0), max)));
  const bool low_on = levels.low >= 0, high_on = levels.high <= max;
  const auto low_half = hn::Set(du32, 0xFFFF);

  auto sum32 = hn::Zero(du32);
  auto sum64 = hn::Zero(du64), sq64 = hn::Zero(du64);
  uint64_t count_low = 0, count_high = 0;
  size_t budget = kStepBudget16;
  // Squares of the even u32 lanes of v, and of the odd ones moved down.
  const auto squares = [&](hn::VFromD<decltype(du32)> v) HWY_ATTR {
    const auto odd =
        hn::BitCast(du32, hn::ShiftRight<32>(hn::BitCast(du64, v)));
    return hn::Add(hn::MulEven(v, v), hn::MulEven(odd, odd));
  };
  const auto step = [&](hn::VFromD<D16> y, hn::Mask<D16> keep) HWY_ATTR {
    const auto y32 = hn::BitCast(du32, y);
    const auto ye = hn::And(y32, low_half);
    const auto yo = hn::ShiftRight<16>(y32);
    sum32 = hn::Add(sum32, hn::Add(ye, yo));
    sq64 = hn::Add(sq64, hn::Add(squares(ye), squares(yo)));
    if (low_on) {
      const auto m = hn::Eq(hn::SaturatedSub(y, lo16), zero16);
      count_low += hn::CountTrue(d16, hn::And(keep, m));
    }
    if (high_on) {
      const auto m = hn::Eq(hn::SaturatedSub(hi16, y), zero16);
      count_high += hn::CountTrue(d16, hn::And(keep, m));
    }
    if (--budget == 0) {
      sum64 = hn::Add(sum64,
                      hn::Add(hn::PromoteTo(du64, hn::LowerHalf(dh32, sum32)),
                              hn::PromoteTo(du64, hn::UpperHalf(dh32, sum32))));
      sum32 = hn::Zero(du32);
      budget = kStepBudget16;
    }
  };
  const auto all = hn::FirstN(d16, n);
  for (int yy = 0; yy < plane.height; ++yy) {
    const uint16_t* HWY_RESTRICT row = plane.Row16(yy);
    size_t x = 0;
    for (; x + n <= w; x += n) step(hn::LoadU(d16, row + x), all);
    if (x < w) {
      const size_t x_last = w - n;
      const auto keep = hn::Not(hn::FirstN(d16, x - x_last));
      step(hn::IfThenElseZero(keep, hn::LoadU(d16, row + x_last)), keep);
    }
  }
  sum64 =
      hn::Add(sum64, hn::Add(hn::PromoteTo(du64, hn::LowerHalf(dh32, sum32)),
                             hn::PromoteTo(du64, hn::UpperHalf(dh32, sum32))));

  LumaMoments m;
  m.count = static_cast<int64_t>(w) * plane.height;
  m.sum = hn::GetLane(hn::SumOfLanes(du64, sum64));
  m.sum_sq = hn::GetLane(hn::SumOfLanes(du64, sq64));
  m.count_low = static_cast<int64_t>(count_low);
  m.count_high = static_cast<int64_t>(count_high);
  return m;
}

// The instantiation for the levels: a level outside 0 .. 255 counts nothing.
template <class D8>
LumaMoments Moments8Counting(D8 d8, const PlaneView& plane, Levels levels) {
  const bool low = levels.low >= 0, high = levels.high <= 255;
  if (low && high) return Moments8<true, true>(d8, plane, levels);
  if (low) return Moments8<true, false>(d8, plane, levels);
  if (high) return Moments8<false, true>(d8, plane, levels);
  return Moments8<false, false>(d8, plane, levels);
}

#endif  // HWY_TARGET != HWY_SCALAR

}  // namespace

LumaMoments ComputeLumaMomentsImpl(const PlaneView& plane, int32_t low,
                                   int32_t high) {
#if HWY_TARGET == HWY_SCALAR
  return ComputeLumaMomentsReference(plane, low, high);
#else
  if (plane.empty()) return {};
  const size_t w = static_cast<size_t>(plane.width);
  const Levels levels{low, high};
  if (plane.bit_depth <= 8) {
    const hn::ScalableTag<uint8_t> d8;
    const hn::CappedTag<uint8_t, 32> d8_256;
    const hn::CappedTag<uint8_t, 16> d8_128;
    // Rows of 1..2 full 512-bit vectors (the ~70-sample blocks of
    // pallid_share at 1080p) waste up to half a vector on the tail; 256-bit
    // vectors waste less and measure ~15% faster there.
    if (w >= 2 * hn::Lanes(d8)) return Moments8Counting(d8, plane, levels);
    if (w >= hn::Lanes(d8_256)) return Moments8Counting(d8_256, plane, levels);
    if (w >= hn::Lanes(d8_128)) {
      return Moments8Counting(d8_128, plane, levels);
    }
  } else {
    const hn::ScalableTag<uint16_t> d16;
    if (w >= hn::Lanes(d16)) return Moments16(d16, plane, levels);
    const hn::CappedTag<uint16_t, 8> d16_128;
    if (w >= hn::Lanes(d16_128)) return Moments16(d16_128, plane, levels);
  }
  return ComputeLumaMomentsReference(plane, low, high);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputeLumaMomentsImpl);

LumaMoments ComputeLumaMoments(const PlaneView& plane, int32_t low,
                               int32_t high) {
  return HWY_DYNAMIC_DISPATCH(ComputeLumaMomentsImpl)(plane, low, high);
}

LumaMoments ComputeLumaMomentsOnTarget(int64_t target, const PlaneView& plane,
                                       int32_t low, int32_t high) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeLumaMomentsOnTarget");
  return HWY_DISPATCH_TABLE(ComputeLumaMomentsImpl)[index](plane, low, high);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
