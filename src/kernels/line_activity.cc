// SIMD (Highway) ComputeLineActivity. The definition and the reference twin
// are in line_activity_reference.cc; every target returns the reference's
// sums because all arithmetic is exact integer arithmetic.
//
// Rows (every 4th column of three rows): the samples are loaded as they lie
// and reinterpreted as int32 lanes (8-bit) or int64 lanes (9..16-bit); the
// low sample of each lane is the one at a column 4k from the row start, so
// masking the others leaves exactly the measured columns, no shuffles.
// |a - 2b + c| <= 2 * 65535 is formed in int32 lanes; a lane gains one term
// per vector and a row of <= 65536 samples has <= 8192 vectors (16-bit,
// 128-bit vectors), so a lane stays below 2^30; the row total is reduced
// through uint64.
// Columns (every column of every 4th row): samples promoted to int32 lanes,
// the absolute second difference added to the uint32 column sums in place
// (each below 2^32 by the header's precondition).
// Tails narrower than one vector are finished in scalar code.
//
// First differences (ComputeFirstDifferenceLines): row pairs through
// saturated |a - b| + SumsOf8 (8-bit) or int32 lanes (wider), columns of every
// 4th row as ColumnActivity's, all exact.

#include "kernels/line_activity.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/line_activity.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR has one-lane vectors, which cannot be reinterpreted as wider
// lanes: there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR

HWY_INLINE uint32_t SecondDiff(int64_t a, int64_t b, int64_t c) {
  return static_cast<uint32_t>(std::abs(a - 2 * b + c));
}

// The samples at columns 4k (from p) of one vector of T, in int32 lanes;
// the other int32 lanes are zero.
template <typename T, class DI32>
HWY_INLINE hn::VFromD<DI32> Every4th(DI32 di32, const T* HWY_RESTRICT p) {
  const hn::Repartition<T, DI32> dt;
  const auto v = hn::LoadU(dt, p);
  if constexpr (sizeof(T) == 1) {
    return hn::And(hn::BitCast(di32, v), hn::Set(di32, 0xFF));
  } else {
    const hn::Repartition<int64_t, DI32> di64;
    return hn::BitCast(
        di32, hn::And(hn::BitCast(di64, v), hn::Set(di64, int64_t{0xFFFF})));
  }
}

template <typename T>
void RowActivity(const PlaneView& plane, uint32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<int32_t> di32;
  const hn::Repartition<uint32_t, decltype(di32)> du32;
  const hn::Repartition<uint64_t, decltype(di32)> du64;
  const hn::Half<decltype(du32)> dh32;
  const size_t n = hn::Lanes(hn::Repartition<T, decltype(di32)>());
  const size_t w = static_cast<size_t>(plane.width);
  for (int y = 1; y + 1 < plane.height; ++y) {
    const T* HWY_RESTRICT a = RowOf<T>(plane, y - 1);
    const T* HWY_RESTRICT b = RowOf<T>(plane, y);
    const T* HWY_RESTRICT c = RowOf<T>(plane, y + 1);
    auto acc = hn::Zero(di32);
    size_t x = 0;  // stays a multiple of 4: n is
    for (; x + n <= w; x += n) {
      const auto vb = Every4th(di32, b + x);
      acc = hn::Add(
          acc,
          hn::Abs(hn::Sub(hn::Add(Every4th(di32, a + x), Every4th(di32, c + x)),
                          hn::Add(vb, vb))));
    }
    const auto u = hn::BitCast(du32, acc);
    uint64_t sum = hn::GetLane(hn::SumOfLanes(
        du64, hn::Add(hn::PromoteTo(du64, hn::LowerHalf(dh32, u)),
                      hn::PromoteTo(du64, hn::UpperHalf(dh32, u)))));
    for (; x < w; x += 4) sum += SecondDiff(a[x], b[x], c[x]);
    out[y - 1] = static_cast<uint32_t>(sum);
  }
}

template <typename T>
void ColumnActivity(const PlaneView& plane, uint32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<int32_t> di32;
  const hn::Repartition<uint32_t, decltype(di32)> du32;
  const hn::Rebind<T, decltype(di32)> dt;
  const size_t n = hn::Lanes(di32);
  const size_t nd = static_cast<size_t>(plane.width) - 2;  // outputs
  for (int y = 0; y < plane.height; y += 4) {
    const T* HWY_RESTRICT p = RowOf<T>(plane, y);
    size_t x = 0;  // output x holds plane column x + 1
    for (; x + n <= nd; x += n) {
      const auto l = hn::PromoteTo(di32, hn::LoadU(dt, p + x));
      const auto c = hn::PromoteTo(di32, hn::LoadU(dt, p + x + 1));
      const auto r = hn::PromoteTo(di32, hn::LoadU(dt, p + x + 2));
      const auto d = hn::Abs(hn::Sub(hn::Add(l, r), hn::Add(c, c)));
      hn::StoreU(hn::Add(hn::LoadU(du32, out + x), hn::BitCast(du32, d)), du32,
                 out + x);
    }
    for (; x < nd; ++x) out[x] += SecondDiff(p[x], p[x + 1], p[x + 2]);
  }
}

// |p(x, y+1) - p(x, y)| summed over x in [x0, x1) of one row pair.
// 8-bit: |a - b| from two saturated subtractions and SumsOf8 (eight samples
// into one uint64 lane); wider samples: promoted to int32 lanes, each lane
// gaining one term below 2^16 per vector, at most 32768 / 4 vectors, so below
// 2^31.
template <typename T>
HWY_INLINE uint32_t PairSum(const T* HWY_RESTRICT p, const T* HWY_RESTRICT q,
                            size_t x0, size_t x1) {
  uint64_t sum = 0;
  size_t x = x0;
  if constexpr (sizeof(T) == 1) {
    const hn::ScalableTag<uint8_t> d8;
    const hn::Repartition<uint64_t, decltype(d8)> d64;
    const size_t n = hn::Lanes(d8);
    auto acc = hn::Zero(d64);
    for (; x + n <= x1; x += n) {
      const auto a = hn::LoadU(d8, p + x);
      const auto b = hn::LoadU(d8, q + x);
      // |a - b| of unsigned bytes: one of the saturated differences is 0.
      acc = hn::Add(acc, hn::SumsOf8(hn::Or(hn::SaturatedSub(a, b),
                                            hn::SaturatedSub(b, a))));
    }
    sum = hn::GetLane(hn::SumOfLanes(d64, acc));
  } else {
    const hn::ScalableTag<int32_t> di32;
    const hn::Rebind<T, decltype(di32)> dt;
    const hn::Repartition<uint32_t, decltype(di32)> du32;
    const hn::Repartition<uint64_t, decltype(di32)> du64;
    const hn::Half<decltype(du32)> dh32;
    const size_t n = hn::Lanes(di32);
    auto acc = hn::Zero(di32);
    for (; x + n <= x1; x += n) {
      acc = hn::Add(
          acc, hn::Abs(hn::Sub(hn::PromoteTo(di32, hn::LoadU(dt, q + x)),
                               hn::PromoteTo(di32, hn::LoadU(dt, p + x)))));
    }
    const auto u = hn::BitCast(du32, acc);
    sum = hn::GetLane(hn::SumOfLanes(
        du64, hn::Add(hn::PromoteTo(du64, hn::LowerHalf(dh32, u)),
                      hn::PromoteTo(du64, hn::UpperHalf(dh32, u)))));
  }
  for (; x < x1; ++x) {
    sum += static_cast<uint32_t>(std::abs(int64_t{q[x]} - int64_t{p[x]}));
  }
  return static_cast<uint32_t>(sum);
}

template <typename T>
void FirstDifferences(const PlaneView& plane, FirstDifferenceLines* out) {
  const size_t w = static_cast<size_t>(plane.width);
  const int h = plane.height;
  for (int y = 0; y + 1 < h; ++y) {
    const T* HWY_RESTRICT p = RowOf<T>(plane, y);
    const T* HWY_RESTRICT q = RowOf<T>(plane, y + 1);
    out->rows_a[y] = PairSum(p, q, 0, w / 2);
    out->rows_b[y] = PairSum(p, q, w / 2, w);
  }
  const hn::ScalableTag<int32_t> di32;
  const hn::Repartition<uint32_t, decltype(di32)> du32;
  const hn::Rebind<T, decltype(di32)> dt;
  const size_t n = hn::Lanes(di32);
  const size_t nd = w - 1;  // outputs
  for (int y = 0; y < h; y += 4) {
    const T* HWY_RESTRICT p = RowOf<T>(plane, y);
    uint32_t* HWY_RESTRICT acc = (y < h / 2 ? out->cols_a : out->cols_b).data();
    size_t x = 0;
    for (; x + n <= nd; x += n) {
      const auto d =
          hn::Abs(hn::Sub(hn::PromoteTo(di32, hn::LoadU(dt, p + x + 1)),
                          hn::PromoteTo(di32, hn::LoadU(dt, p + x))));
      hn::StoreU(hn::Add(hn::LoadU(du32, acc + x), hn::BitCast(du32, d)), du32,
                 acc + x);
    }
    for (; x < nd; ++x) {
      acc[x] +=
          static_cast<uint32_t>(std::abs(int64_t{p[x + 1]} - int64_t{p[x]}));
    }
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

void FirstDifferenceLinesImpl(const PlaneView& plane,
                              FirstDifferenceLines* out) {
#if HWY_TARGET == HWY_SCALAR
  ComputeFirstDifferenceLinesReference(plane, out);
#else
  ResetFirstDifferenceLines(plane, out);
  if (plane.empty()) return;
  if (plane.bit_depth > 8) {
    FirstDifferences<uint16_t>(plane, out);
  } else {
    FirstDifferences<uint8_t>(plane, out);
  }
#endif
}

void LineActivityImpl(const PlaneView& plane, std::vector<uint32_t>* rows,
                      std::vector<uint32_t>* cols) {
#if HWY_TARGET == HWY_SCALAR
  ComputeLineActivityReference(plane, rows, cols);
#else
  const int w = plane.empty() ? 0 : plane.width;
  const int h = plane.empty() ? 0 : plane.height;
  rows->assign(std::max(0, h - 2), 0u);
  cols->assign(std::max(0, w - 2), 0u);
  if (w < 1 || h < 1) return;
  if (plane.bit_depth > 8) {
    RowActivity<uint16_t>(plane, rows->data());
    if (w >= 3) ColumnActivity<uint16_t>(plane, cols->data());
  } else {
    RowActivity<uint8_t>(plane, rows->data());
    if (w >= 3) ColumnActivity<uint8_t>(plane, cols->data());
  }
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(LineActivityImpl);
HWY_EXPORT(FirstDifferenceLinesImpl);

void ComputeFirstDifferenceLines(const PlaneView& plane,
                                 FirstDifferenceLines* out) {
  HWY_DYNAMIC_DISPATCH(FirstDifferenceLinesImpl)(plane, out);
}

void ComputeFirstDifferenceLinesOnTarget(int64_t target, const PlaneView& plane,
                                         FirstDifferenceLines* out) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeFirstDifferenceLinesOnTarget");
  HWY_DISPATCH_TABLE(FirstDifferenceLinesImpl)[index](plane, out);
}

void ComputeLineActivity(const PlaneView& plane, std::vector<uint32_t>* rows,
                         std::vector<uint32_t>* cols) {
  HWY_DYNAMIC_DISPATCH(LineActivityImpl)(plane, rows, cols);
}

void ComputeLineActivityOnTarget(int64_t target, const PlaneView& plane,
                                 std::vector<uint32_t>* rows,
                                 std::vector<uint32_t>* cols) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeLineActivityOnTarget");
  HWY_DISPATCH_TABLE(LineActivityImpl)[index](plane, rows, cols);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
