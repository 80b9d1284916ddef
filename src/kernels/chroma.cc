// SIMD (Highway) ComputeChromaMoments. The definition and the reference twin
// are in chroma_reference.cc; every target returns bit-identical results:
// the integer sums are exact, and the only floating-point steps (int32 ->
// float conversion, square root, scaling by 16, round-half-even to int32)
// are correctly rounded IEEE operations on every target.
//
// One step covers one vector of samples of both planes:
//  - 8-bit:     bytes split even/odd into u16 lanes and centred, so du, dv
//               are i16 in [-128, 127]; du*dv summed by
//               ReorderWidenMulAccumulate (pmaddwd) into i32 lanes;
//               du^2 + dv^2 <= 32768 formed in u16 lanes (mullo), then
//               widened to i32 for the float square root.
//  - 9..16-bit: u16 samples split even/odd into i32 lanes; du^2 + dv^2 in
//               i32 (< 2^31 thanks to the clamp in chroma.h); du*dv by
//               MulEven straight into i64 lanes.
// i32 accumulators are flushed into i64 lanes before they can overflow
// (budgets count steps, not rows). The last vector of a row ends at the row
// end; lanes already counted get du = dv = 0, which adds 0 to both sums.
// Planes narrower than a full vector use a 128-bit vector, and narrower
// than that the reference.
//
// ComputeChromaRadiusBins keeps samples in order (halves promoted rather
// than an even/odd split) so bins can be stored as they are; its last
// vector ends at the row end and rewrites a few bins with the same values.

#include "kernels/chroma.h"

#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/chroma.cc"
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

// 8-bit: |du*dv| <= 128^2; one ReorderWidenMulAccumulate adds at most two
// products to an i32 lane (x86 pmaddwd), two calls per step: 65536 per
// step. q <= round(16 * sqrt(32768)) = 2896, four per lane per step.
constexpr int64_t kMaxQ8 = 2896;
constexpr size_t kStepBudget8 = std::numeric_limits<int32_t>::max() / 65536;
static_assert(kStepBudget8 == 32767, "8-bit flush budget");
static_assert(kStepBudget8 * 4 * kMaxQ8 < (int64_t{1} << 31), "q lanes");

// 9..16-bit: q <= round(16 * sqrt(2 * 32767^2)) = 741455, two per lane per
// step: 1024 steps add at most 1.52e9 < 2^31. du*dv goes to i64 directly.
constexpr int64_t kMaxQ16 = 741455;
constexpr size_t kStepBudget16 = 1024;
static_assert(kStepBudget16 * 2 * kMaxQ16 < (int64_t{1} << 31), "q lanes");

// round(16 * sqrt(s)) for i32 lanes s in [0, 2^31).
template <class DI32>
HWY_INLINE hn::VFromD<DI32> Radius16(DI32 /*di32*/, hn::VFromD<DI32> s) {
  const hn::Rebind<float, DI32> df;
  const auto r = hn::Sqrt(hn::ConvertTo(df, s));
  return hn::NearestInt(hn::Mul(r, hn::Set(df, 16.0f)));
}

template <class DI32>
HWY_INLINE hn::VFromD<hn::Repartition<int64_t, DI32>> Widen(
    DI32 /*di32*/, hn::VFromD<DI32> v) {
  const hn::Repartition<int64_t, DI32> di64;
  const hn::Half<DI32> dh;
  return hn::Add(hn::PromoteTo(di64, hn::LowerHalf(dh, v)),
                 hn::PromoteTo(di64, hn::UpperHalf(dh, v)));
}

template <class D8>
ChromaMoments Chroma8(D8 d8, const PlaneView& pu, const PlaneView& pv) {
  const hn::Repartition<uint16_t, D8> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, D8> di32;
  const hn::Repartition<uint32_t, D8> du32;
  const hn::Repartition<int64_t, D8> di64;
  const size_t n = hn::Lanes(d8);
  const size_t w = static_cast<size_t>(pu.width);
  const auto low_byte = hn::Set(du16, 0x00FF);
  const auto mid = hn::Set(du16, 128);
  const auto low_half = hn::Set(du32, 0xFFFF);

  auto uv0 = hn::Zero(di32), uv1 = hn::Zero(di32), q32 = hn::Zero(di32);
  auto uv64 = hn::Zero(di64), q64 = hn::Zero(di64);
  size_t budget = kStepBudget8;
  const auto flush = [&]() HWY_ATTR {
    uv64 = hn::Add(uv64, hn::Add(Widen(di32, uv0), Widen(di32, uv1)));
    q64 = hn::Add(q64, Widen(di32, q32));
    uv0 = hn::Zero(di32);
    uv1 = hn::Zero(di32);
    q32 = hn::Zero(di32);
    budget = kStepBudget8;
  };
  // Radii of the u16 lanes s (<= 32768), summed pairwise into i32 lanes.
  const auto radii = [&](hn::VFromD<decltype(du16)> s) HWY_ATTR {
    const auto s32 = hn::BitCast(du32, s);
    return hn::Add(Radius16(di32, hn::BitCast(di32, hn::And(s32, low_half))),
                   Radius16(di32, hn::BitCast(di32, hn::ShiftRight<16>(s32))));
  };
  const auto square = [&](hn::VFromD<decltype(di16)> d) HWY_ATTR {
    return hn::BitCast(du16, hn::Mul(d, d));  // <= 16384
  };
  // `skip` leading samples (already counted) are given du = dv = 0.
  const auto step = [&](const uint8_t* u, const uint8_t* v,
                        size_t skip) HWY_ATTR {
    const auto uw = hn::BitCast(du16, hn::LoadU(d8, u));
    const auto vw = hn::BitCast(du16, hn::LoadU(d8, v));
    auto du_e = hn::BitCast(di16, hn::Sub(hn::And(uw, low_byte), mid));
    auto du_o = hn::BitCast(di16, hn::Sub(hn::ShiftRight<8>(uw), mid));
    auto dv_e = hn::BitCast(di16, hn::Sub(hn::And(vw, low_byte), mid));
    auto dv_o = hn::BitCast(di16, hn::Sub(hn::ShiftRight<8>(vw), mid));
    if (skip != 0) {
      // u16 lane k holds samples 2k (even) and 2k+1 (odd).
      const auto drop_e = hn::FirstN(di16, (skip + 1) / 2);
      const auto drop_o = hn::FirstN(di16, skip / 2);
      du_e = hn::IfThenZeroElse(drop_e, du_e);
      dv_e = hn::IfThenZeroElse(drop_e, dv_e);
      du_o = hn::IfThenZeroElse(drop_o, du_o);
      dv_o = hn::IfThenZeroElse(drop_o, dv_o);
    }
    uv0 = hn::ReorderWidenMulAccumulate(di32, du_e, dv_e, uv0, uv1);
    uv0 = hn::ReorderWidenMulAccumulate(di32, du_o, dv_o, uv0, uv1);
    // u16 addition: 16384 + 16384 = 32768 does not fit i16.
    const auto s_e = hn::Add(square(du_e), square(dv_e));
    const auto s_o = hn::Add(square(du_o), square(dv_o));
    q32 = hn::Add(q32, hn::Add(radii(s_e), radii(s_o)));
    if (--budget == 0) flush();
  };
  for (int y = 0; y < pu.height; ++y) {
    const uint8_t* HWY_RESTRICT u = pu.Row8(y);
    const uint8_t* HWY_RESTRICT v = pv.Row8(y);
    size_t x = 0;
    for (; x + n <= w; x += n) step(u + x, v + x, 0);
    if (x < w) {
      const size_t x_last = w - n;
      step(u + x_last, v + x_last, x - x_last);
    }
  }
  flush();

  ChromaMoments m;
  m.count = static_cast<int64_t>(w) * pu.height;
  m.sum_uv = hn::GetLane(hn::SumOfLanes(di64, uv64));
  m.sum_radius16 =
      static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(di64, q64)));
  return m;
}

template <class D16>
ChromaMoments Chroma16(D16 d16, const PlaneView& pu, const PlaneView& pv) {
  const hn::Repartition<int32_t, D16> di32;
  const hn::Repartition<uint32_t, D16> du32;
  const hn::Repartition<int64_t, D16> di64;
  const hn::Repartition<uint64_t, D16> du64;
  const size_t n = hn::Lanes(d16);
  const size_t w = static_cast<size_t>(pu.width);
  const auto low_half = hn::Set(du32, 0xFFFF);
  const auto mid = hn::Set(di32, int32_t{1} << (pu.bit_depth - 1));
  const auto floor = hn::Set(di32, -32767);

  auto q32 = hn::Zero(di32);
  auto q64 = hn::Zero(di64), uv64 = hn::Zero(di64);
  size_t budget = kStepBudget16;
  const auto flush = [&]() HWY_ATTR {
    q64 = hn::Add(q64, Widen(di32, q32));
    q32 = hn::Zero(di32);
    budget = kStepBudget16;
  };
  const auto centre = [&](hn::VFromD<decltype(du32)> x) HWY_ATTR {
    return hn::Max(hn::Sub(hn::BitCast(di32, x), mid), floor);
  };
  // Odd i32 lanes moved into the even positions (MulEven reads only the low
  // i32 of each 64-bit lane).
  const auto odd = [&](hn::VFromD<decltype(di32)> x) HWY_ATTR {
    return hn::BitCast(di32, hn::ShiftRight<32>(hn::BitCast(du64, x)));
  };
  const auto cross = [&](hn::VFromD<decltype(di32)> a,
                         hn::VFromD<decltype(di32)> b) HWY_ATTR {
    return hn::Add(hn::MulEven(a, b), hn::MulEven(odd(a), odd(b)));
  };
  const auto radii = [&](hn::VFromD<decltype(di32)> a,
                         hn::VFromD<decltype(di32)> b) HWY_ATTR {
    return Radius16(di32, hn::Add(hn::Mul(a, a), hn::Mul(b, b)));
  };
  const auto step = [&](const uint16_t* u, const uint16_t* v,
                        size_t skip) HWY_ATTR {
    const auto uw = hn::BitCast(du32, hn::LoadU(d16, u));
    const auto vw = hn::BitCast(du32, hn::LoadU(d16, v));
    auto du_e = centre(hn::And(uw, low_half));
    auto du_o = centre(hn::ShiftRight<16>(uw));
    auto dv_e = centre(hn::And(vw, low_half));
    auto dv_o = centre(hn::ShiftRight<16>(vw));
    if (skip != 0) {
      // i32 lane k holds samples 2k (even) and 2k+1 (odd).
      const auto drop_e = hn::FirstN(di32, (skip + 1) / 2);
      const auto drop_o = hn::FirstN(di32, skip / 2);
      du_e = hn::IfThenZeroElse(drop_e, du_e);
      dv_e = hn::IfThenZeroElse(drop_e, dv_e);
      du_o = hn::IfThenZeroElse(drop_o, du_o);
      dv_o = hn::IfThenZeroElse(drop_o, dv_o);
    }
    uv64 = hn::Add(uv64, hn::Add(cross(du_e, dv_e), cross(du_o, dv_o)));
    q32 = hn::Add(q32, hn::Add(radii(du_e, dv_e), radii(du_o, dv_o)));
    if (--budget == 0) flush();
  };
  for (int y = 0; y < pu.height; ++y) {
    const uint16_t* HWY_RESTRICT u = pu.Row16(y);
    const uint16_t* HWY_RESTRICT v = pv.Row16(y);
    size_t x = 0;
    for (; x + n <= w; x += n) step(u + x, v + x, 0);
    if (x < w) {
      const size_t x_last = w - n;
      step(u + x_last, v + x_last, x - x_last);
    }
  }
  flush();

  ChromaMoments m;
  m.count = static_cast<int64_t>(w) * pu.height;
  m.sum_uv = hn::GetLane(hn::SumOfLanes(di64, uv64));
  m.sum_radius16 =
      static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(di64, q64)));
  return m;
}

// Radius bins of one row, in sample order: u8 halves promoted to u16 lanes
// (du^2 + dv^2 <= 32768 fits u16), bin = min(s, 224 + s/8).
template <class D8>
void Bins8(D8 d8, const PlaneView& pu, const PlaneView& pv, int y,
           uint16_t* HWY_RESTRICT bins) {
  const hn::Half<D8> dh8;
  const hn::Rebind<uint16_t, decltype(dh8)> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const size_t n = hn::Lanes(d8), half = hn::Lanes(du16);
  const size_t w = static_cast<size_t>(pu.width);
  const uint8_t* HWY_RESTRICT u = pu.Row8(y);
  const uint8_t* HWY_RESTRICT v = pv.Row8(y);
  const auto mid = hn::Set(du16, 128);
  const auto base = hn::Set(du16, 224);
  const auto bin = [&](hn::VFromD<decltype(dh8)> a,
                       hn::VFromD<decltype(dh8)> b) HWY_ATTR {
    const auto da = hn::BitCast(di16, hn::Sub(hn::PromoteTo(du16, a), mid));
    const auto db = hn::BitCast(di16, hn::Sub(hn::PromoteTo(du16, b), mid));
    const auto s = hn::Add(hn::BitCast(du16, hn::Mul(da, da)),
                           hn::BitCast(du16, hn::Mul(db, db)));
    return hn::Min(s, hn::Add(hn::ShiftRight<3>(s), base));
  };
  // The last vector ends at the row end and rewrites a few bins already
  // written, with the same values.
  for (size_t x = 0;; x += n) {
    if (x + n > w) x = w - n;
    const auto a = hn::LoadU(d8, u + x);
    const auto b = hn::LoadU(d8, v + x);
    hn::StoreU(bin(hn::LowerHalf(dh8, a), hn::LowerHalf(dh8, b)), du16,
               bins + x);
    hn::StoreU(bin(hn::UpperHalf(dh8, a), hn::UpperHalf(dh8, b)), du16,
               bins + x + half);
    if (x + n >= w) break;
  }
}

// 9..16-bit: u16 halves promoted to i32 lanes, the same clamp as the
// moments, s shifted to 8-bit-equivalent units, bins demoted to u16.
template <class D16>
void Bins16(D16 d16, const PlaneView& pu, const PlaneView& pv, int y,
            uint16_t* HWY_RESTRICT bins) {
  const hn::Half<D16> dh16;
  const hn::Rebind<int32_t, decltype(dh16)> di32;
  const size_t n = hn::Lanes(d16), half = hn::Lanes(dh16);
  const size_t w = static_cast<size_t>(pu.width);
  const uint16_t* HWY_RESTRICT u = pu.Row16(y);
  const uint16_t* HWY_RESTRICT v = pv.Row16(y);
  const auto mid = hn::Set(di32, int32_t{1} << (pu.bit_depth - 1));
  const auto floor = hn::Set(di32, -32767);
  const auto base = hn::Set(di32, 224);
  const int shift = 2 * (pu.bit_depth - 8);
  const auto bin = [&](hn::VFromD<decltype(dh16)> a,
                       hn::VFromD<decltype(dh16)> b) HWY_ATTR {
    const auto da = hn::Max(hn::Sub(hn::PromoteTo(di32, a), mid), floor);
    const auto db = hn::Max(hn::Sub(hn::PromoteTo(di32, b), mid), floor);
    const auto s =
        hn::ShiftRightSame(hn::Add(hn::Mul(da, da), hn::Mul(db, db)), shift);
    return hn::DemoteTo(dh16, hn::Min(s, hn::Add(hn::ShiftRight<3>(s), base)));
  };
  for (size_t x = 0;; x += n) {
    if (x + n > w) x = w - n;
    const auto a = hn::LoadU(d16, u + x);
    const auto b = hn::LoadU(d16, v + x);
    hn::StoreU(bin(hn::LowerHalf(dh16, a), hn::LowerHalf(dh16, b)), dh16,
               bins + x);
    hn::StoreU(bin(hn::UpperHalf(dh16, a), hn::UpperHalf(dh16, b)), dh16,
               bins + x + half);
    if (x + n >= w) break;
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

}  // namespace

void ComputeChromaRadiusBinsImpl(const PlaneView& u, const PlaneView& v, int y,
                                 uint16_t* bins) {
#if HWY_TARGET == HWY_SCALAR
  ComputeChromaRadiusBinsReference(u, v, y, bins);
#else
  if (u.empty() || v.empty()) return;
  const size_t w = static_cast<size_t>(u.width);
  if (u.bit_depth <= 8) {
    const hn::ScalableTag<uint8_t> d8;
    if (w >= hn::Lanes(d8)) return Bins8(d8, u, v, y, bins);
    const hn::CappedTag<uint8_t, 16> d8_128;
    if (w >= hn::Lanes(d8_128)) return Bins8(d8_128, u, v, y, bins);
  } else {
    const hn::ScalableTag<uint16_t> d16;
    if (w >= hn::Lanes(d16)) return Bins16(d16, u, v, y, bins);
    const hn::CappedTag<uint16_t, 8> d16_128;
    if (w >= hn::Lanes(d16_128)) return Bins16(d16_128, u, v, y, bins);
  }
  ComputeChromaRadiusBinsReference(u, v, y, bins);
#endif
}

ChromaMoments ComputeChromaMomentsImpl(const PlaneView& u, const PlaneView& v) {
#if HWY_TARGET == HWY_SCALAR
  return ComputeChromaMomentsReference(u, v);
#else
  if (u.empty() || v.empty()) return {};
  const size_t w = static_cast<size_t>(u.width);
  if (u.bit_depth <= 8) {
    const hn::ScalableTag<uint8_t> d8;
    if (w >= hn::Lanes(d8)) return Chroma8(d8, u, v);
    const hn::CappedTag<uint8_t, 16> d8_128;
    if (w >= hn::Lanes(d8_128)) return Chroma8(d8_128, u, v);
  } else {
    const hn::ScalableTag<uint16_t> d16;
    if (w >= hn::Lanes(d16)) return Chroma16(d16, u, v);
    const hn::CappedTag<uint16_t, 8> d16_128;
    if (w >= hn::Lanes(d16_128)) return Chroma16(d16_128, u, v);
  }
  return ComputeChromaMomentsReference(u, v);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputeChromaMomentsImpl);
HWY_EXPORT(ComputeChromaRadiusBinsImpl);

ChromaMoments ComputeChromaMoments(const PlaneView& u, const PlaneView& v) {
  return HWY_DYNAMIC_DISPATCH(ComputeChromaMomentsImpl)(u, v);
}

ChromaMoments ComputeChromaMomentsOnTarget(int64_t target, const PlaneView& u,
                                           const PlaneView& v) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeChromaMomentsOnTarget");
  return HWY_DISPATCH_TABLE(ComputeChromaMomentsImpl)[index](u, v);
}

void ComputeChromaRadiusBins(const PlaneView& u, const PlaneView& v, int y,
                             uint16_t* bins) {
  HWY_DYNAMIC_DISPATCH(ComputeChromaRadiusBinsImpl)(u, v, y, bins);
}

void ComputeChromaRadiusBinsOnTarget(int64_t target, const PlaneView& u,
                                     const PlaneView& v, int y,
                                     uint16_t* bins) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeChromaRadiusBinsOnTarget");
  HWY_DISPATCH_TABLE(ComputeChromaRadiusBinsImpl)[index](u, v, y, bins);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
