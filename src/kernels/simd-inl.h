// Highway helpers shared by the kernels, compiled once per SIMD target
// (Highway's "-inl.h" convention: include it after <hwy/highway.h> in a
// foreach_target file, outside any namespace).
//
// Per-target include guard: foreach_target.h toggles HWY_TARGET_TOGGLE
// before each target's pass, so this body is compiled once per target.
#if defined(ACUITY_KERNELS_SIMD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACUITY_KERNELS_SIMD_INL_H_
#undef ACUITY_KERNELS_SIMD_INL_H_
#else
#define ACUITY_KERNELS_SIMD_INL_H_
#endif

#include <hwy/highway.h>

#include <cstdint>

#include "acuity/plane.h"

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Row `y` of a plane as 8- or 16-bit samples.
template <typename T>
HWY_INLINE const T* RowOf(const PlaneView& plane, int y) {
  if constexpr (sizeof(T) == 1) {
    return plane.Row8(y);
  } else {
    return plane.Row16(y);
  }
}

// Sum of the int64 lanes of `v`.
template <class DI64>
HWY_INLINE int64_t SumI64(DI64 di64, hn::VFromD<DI64> v) {
  return hn::GetLane(hn::SumOfLanes(di64, v));
}

#if HWY_TARGET != HWY_SCALAR
// Adds both halves of int32 lanes `a` and `b` (the sum0/sum1 pair of
// ReorderWidenMulAccumulate) to int64 lanes `acc`, and clears them.
template <class DI32, class VI32, class VI64>
HWY_INLINE void FlushI32(DI32 di32, VI32& a, VI32& b, VI64& acc) {
  const hn::Repartition<int64_t, DI32> di64;
  const hn::Half<DI32> dh;
  acc = hn::Add(acc, hn::Add(hn::PromoteTo(di64, hn::LowerHalf(dh, a)),
                             hn::PromoteTo(di64, hn::UpperHalf(dh, a))));
  acc = hn::Add(acc, hn::Add(hn::PromoteTo(di64, hn::LowerHalf(dh, b)),
                             hn::PromoteTo(di64, hn::UpperHalf(dh, b))));
  a = hn::Zero(di32);
  b = hn::Zero(di32);
}
#endif  // HWY_TARGET != HWY_SCALAR

// x86 (SSSE3 and up): pmaddubsw, u8 x i8 products summed in pairs into i16
// lanes, i.e. for u16 lane k: v[2k] * k[2k] + v[2k+1] * k[2k+1]. Highway
// 1.0.3 has no op for it. It saturates at int16: callers keep their sums
// within int16. ACUITY_HAVE_MADDUBS says whether this target has it.
#undef ACUITY_HAVE_MADDUBS
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_SSSE3
#define ACUITY_HAVE_MADDUBS 1
HWY_INLINE hn::Vec128<int16_t> MulAddPairsU8I8(hn::Vec128<uint8_t> v,
                                               hn::Vec128<int8_t> k) {
  return hn::Vec128<int16_t>{_mm_maddubs_epi16(v.raw, k.raw)};
}
#if HWY_TARGET <= HWY_AVX2
HWY_INLINE hn::Vec256<int16_t> MulAddPairsU8I8(hn::Vec256<uint8_t> v,
                                               hn::Vec256<int8_t> k) {
  return hn::Vec256<int16_t>{_mm256_maddubs_epi16(v.raw, k.raw)};
}
#endif
#if HWY_TARGET <= HWY_AVX3
HWY_INLINE hn::Vec512<int16_t> MulAddPairsU8I8(hn::Vec512<uint8_t> v,
                                               hn::Vec512<int8_t> k) {
  return hn::Vec512<int16_t>{_mm512_maddubs_epi16(v.raw, k.raw)};
}
#endif
#endif  // HWY_ARCH_X86 && HWY_TARGET <= HWY_SSSE3

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
