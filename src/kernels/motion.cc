// SIMD (Highway) ComputeMotion. The definition and the reference twin are in
// motion_reference.cc; every target returns bit-identical sums because all
// arithmetic is exact integer arithmetic.
//
// Samples of 8..12-bit planes are widened to u16 lanes (8-bit by PromoteTo),
// so one code path serves every depth up to 12 bits. Sobel gradients are
// formed modulo 2^16 and read as int16 (|G| <= 4m <= 16380 at 12 bits);
// squares and products are summed pairwise into int32 lanes by
// ReorderWidenMulAccumulate (pmaddwd on x86) and flushed into int64 lanes in
// time (see the budgets below).
//
// Blocks are 32 interior columns wide and start at x = 1; every target's
// u16 vector (8, 16 or 32 lanes) divides 32, so block loads never need a
// tail mask, and the loads at x - 1 and x + 1 stay inside the row (the last
// block ends at x <= W - 2). The whole-frame difference pass has a scalar
// tail; at 8 bits it works on u8 lanes (SumsOf8 / psadbw), and it also
// stores the plane into `keep`.

#include "kernels/motion.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/motion.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR

// Columns after the last whole vector of a row: the same sums in scalar
// code, and the copy into `k` (when given) for the next frame. No restrict:
// in place, `k` is `p` (each sample is read before it is overwritten).
struct DiffTailSums {
  int64_t abs = 0, sum = 0, sq = 0;
};
template <typename T>
HWY_INLINE void DiffTail(const T* c, const T* p, T* k, size_t x, size_t w,
                         DiffTailSums& tail) {
  for (; x < w; ++x) {
    const int64_t d = static_cast<int64_t>(c[x]) - p[x];
    if (k != nullptr) k[x] = c[x];
    tail.abs += d < 0 ? -d : d;
    tail.sum += d;
    tail.sq += d * d;
  }
}

// Flush budgets. One ReorderWidenMulAccumulate(a, b) adds at most 2 |a b|
// to any int32 lane (pmaddwd adds a pair of products to sum0; EMU128 adds
// one product to each of sum0 and sum1).
//  - Sobel: |Gx|, |Gy| <= 4m, so a call adds at most 2 (4m)^2 to the Gx^2,
//    Gy^2 and GxGy accumulators; after INT32_MAX / (2 (4m)^2) calls (1032 at
//    8 bits, 64 at 10, 4 at 12) they are flushed to int64 lanes.
//  - |d| per block: a call adds <= 2m; a block has 1024 pixels, so a lane
//    gains at most 1024 * 2 * 4095 < 2^23 per block: never flushed.
//  - differences: |d| <= m, a call adds at most 2 m^2 to the d^2 lanes
//    (and 2m to the d and |d| lanes); flushed after INT32_MAX / (2 m^2)
//    calls.
constexpr int64_t SobelBudget(int bit_depth) {
  const int64_t g = 4 * ((int64_t{1} << bit_depth) - 1);
  return std::numeric_limits<int32_t>::max() / (2 * g * g);
}
static_assert(SobelBudget(8) == 1032 && SobelBudget(12) == 4, "budgets");
constexpr int64_t DiffBudget(int bit_depth) {
  const int64_t m = (int64_t{1} << bit_depth) - 1;
  return std::numeric_limits<int32_t>::max() / (2 * m * m);
}
static_assert(DiffBudget(12) == 64, "12-bit difference budget");

// Lanes(du16) samples from p, widened to u16.
template <typename T, class DU16>
HWY_INLINE hn::VFromD<DU16> Load16(DU16 du16, const T* HWY_RESTRICT p) {
  if constexpr (sizeof(T) == 1) {
    const hn::Rebind<uint8_t, DU16> d8;
    return hn::PromoteTo(du16, hn::LoadU(d8, p));
  } else {
    return hn::LoadU(du16, p);
  }
}

// Row y of the `keep` buffer (contiguous rows of w samples).
template <typename T>
HWY_INLINE T* KeepRow(uint8_t* keep, size_t w, int y) {
  return reinterpret_cast<T*>(keep + w * sizeof(T) * static_cast<size_t>(y));
}

// 8-bit differences in u8 lanes: |d| = (c -sat p) | (p -sat c); sum |d|,
// sum c and sum p by SumsOf8 into u64 lanes (<= 8 * 255 per vector: never
// flushed); d^2 from |d| split into even/odd u16 lanes, two pmaddwd per
// vector, each adding <= 2 * 255^2 to an int32 lane (DiffBudget(8) calls).
// Loads of prev precede the store of cur at the same place, so `keep` may
// alias prev.
void DiffSums8(const PlaneView& cur, const PlaneView& prev, uint8_t* keep,
               MotionSums* sums) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint16_t, decltype(d8)> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, decltype(d8)> di32;
  const hn::Repartition<int64_t, decltype(d8)> di64;
  const hn::Repartition<uint64_t, decltype(d8)> du64;
  const size_t n = hn::Lanes(d8);
  const size_t w = static_cast<size_t>(cur.width);
  auto q0 = hn::Zero(di32), q1 = hn::Zero(di32);
  auto q64 = hn::Zero(di64);
  auto abs64 = hn::Zero(du64), c64 = hn::Zero(du64), p64 = hn::Zero(du64);
  const auto lo = hn::Set(du16, 0xFF);
  const int64_t budget = DiffBudget(8) / 2;  // two calls per vector
  int64_t steps = 0;
  DiffTailSums tail;
  for (int y = 0; y < cur.height; ++y) {
    const uint8_t* c = cur.Row8(y);
    const uint8_t* p = prev.Row8(y);
    uint8_t* k = keep != nullptr ? KeepRow<uint8_t>(keep, w, y) : nullptr;
    size_t x = 0;
    for (; x + n <= w; x += n) {
      const auto vc = hn::LoadU(d8, c + x);
      const auto vp = hn::LoadU(d8, p + x);
      if (k != nullptr) hn::StoreU(vc, d8, k + x);
      const auto ad =
          hn::Or(hn::SaturatedSub(vc, vp), hn::SaturatedSub(vp, vc));
      abs64 = hn::Add(abs64, hn::SumsOf8(ad));
      c64 = hn::Add(c64, hn::SumsOf8(vc));
      p64 = hn::Add(p64, hn::SumsOf8(vp));
      const auto ad16 = hn::BitCast(du16, ad);
      const auto e = hn::BitCast(di16, hn::And(ad16, lo));
      const auto o = hn::BitCast(di16, hn::ShiftRight<8>(ad16));
      q0 = hn::ReorderWidenMulAccumulate(di32, e, e, q0, q1);
      q0 = hn::ReorderWidenMulAccumulate(di32, o, o, q0, q1);
      if (++steps == budget) {
        FlushI32(di32, q0, q1, q64);
        steps = 0;
      }
    }
    DiffTail(c, p, k, x, w, tail);
  }
  FlushI32(di32, q0, q1, q64);
  sums->diff_count = static_cast<int64_t>(w) * cur.height;
  sums->sum_abs_diff = hn::GetLane(hn::SumOfLanes(du64, abs64)) +
                       static_cast<uint64_t>(tail.abs);
  sums->sum_diff =
      static_cast<int64_t>(hn::GetLane(hn::SumOfLanes(du64, c64))) -
      static_cast<int64_t>(hn::GetLane(hn::SumOfLanes(du64, p64))) + tail.sum;
  sums->sum_diff_sq = static_cast<uint64_t>(SumI64(di64, q64) + tail.sq);
}

// 9..12-bit differences in u16 lanes (d and |d| fit int16).
void DiffSums16(const PlaneView& cur, const PlaneView& prev, uint8_t* keep,
                MotionSums* sums) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Repartition<int64_t, decltype(du16)> di64;
  const size_t n = hn::Lanes(du16);
  const size_t w = static_cast<size_t>(cur.width);
  const auto ones = hn::Set(di16, 1);
  auto s0 = hn::Zero(di32), s1 = hn::Zero(di32), a0 = hn::Zero(di32),
       a1 = hn::Zero(di32), q0 = hn::Zero(di32), q1 = hn::Zero(di32);
  auto s64 = hn::Zero(di64), a64 = hn::Zero(di64), q64 = hn::Zero(di64);
  const int64_t budget = DiffBudget(cur.bit_depth);
  int64_t calls = 0;
  DiffTailSums tail;
  for (int y = 0; y < cur.height; ++y) {
    const uint16_t* c = cur.Row16(y);
    const uint16_t* p = prev.Row16(y);
    uint16_t* k = keep != nullptr ? KeepRow<uint16_t>(keep, w, y) : nullptr;
    size_t x = 0;
    for (; x + n <= w; x += n) {
      const auto vc = hn::LoadU(du16, c + x);
      const auto vp = hn::LoadU(du16, p + x);
      if (k != nullptr) hn::StoreU(vc, du16, k + x);
      const auto d = hn::BitCast(di16, hn::Sub(vc, vp));
      const auto ad =
          hn::BitCast(di16, hn::Sub(hn::Max(vc, vp), hn::Min(vc, vp)));
      s0 = hn::ReorderWidenMulAccumulate(di32, d, ones, s0, s1);
      a0 = hn::ReorderWidenMulAccumulate(di32, ad, ones, a0, a1);
      q0 = hn::ReorderWidenMulAccumulate(di32, d, d, q0, q1);
      if (++calls == budget) {
        FlushI32(di32, s0, s1, s64);
        FlushI32(di32, a0, a1, a64);
        FlushI32(di32, q0, q1, q64);
        calls = 0;
      }
    }
    DiffTail(c, p, k, x, w, tail);
  }
  FlushI32(di32, s0, s1, s64);
  FlushI32(di32, a0, a1, a64);
  FlushI32(di32, q0, q1, q64);
  sums->diff_count = static_cast<int64_t>(w) * cur.height;
  sums->sum_diff = SumI64(di64, s64) + tail.sum;
  sums->sum_abs_diff = static_cast<uint64_t>(SumI64(di64, a64) + tail.abs);
  sums->sum_diff_sq = static_cast<uint64_t>(SumI64(di64, q64) + tail.sq);
}

template <typename T, bool kDiff>
void Blocks(const PlaneView& cur, const PlaneView& prev, MotionSums* sums,
            std::vector<MotionBlock>* blocks) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Repartition<int64_t, decltype(du16)> di64;
  const size_t n = hn::Lanes(du16);
  const int nbx = MotionBlockCols(cur), nby = MotionBlockRows(cur);
  const auto ones = hn::Set(di16, 1);
  const int64_t budget = SobelBudget(cur.bit_depth);
  int64_t sxx = 0, syy = 0, sxy = 0;
  for (int by = 0; by < nby; ++by) {
    for (int bx = 0; bx < nbx; ++bx) {
      auto xx0 = hn::Zero(di32), xx1 = hn::Zero(di32), yy0 = hn::Zero(di32),
           yy1 = hn::Zero(di32), xy0 = hn::Zero(di32), xy1 = hn::Zero(di32),
           ad0 = hn::Zero(di32), ad1 = hn::Zero(di32);
      auto xx64 = hn::Zero(di64), yy64 = hn::Zero(di64), xy64 = hn::Zero(di64),
           ad64 = hn::Zero(di64);
      int64_t calls = 0;
      const size_t x0 = 1 + static_cast<size_t>(bx) * kMotionBlock;
      const int y0 = 1 + by * kMotionBlock;
      for (int y = y0; y < y0 + kMotionBlock; ++y) {
        const T* up = RowOf<T>(cur, y - 1);
        const T* mid = RowOf<T>(cur, y);
        const T* down = RowOf<T>(cur, y + 1);
        for (size_t x = x0; x < x0 + kMotionBlock; x += n) {
          const auto tl = Load16(du16, up + x - 1);
          const auto tc = Load16(du16, up + x);
          const auto tr = Load16(du16, up + x + 1);
          const auto ml = Load16(du16, mid + x - 1);
          const auto mr = Load16(du16, mid + x + 1);
          const auto bl = Load16(du16, down + x - 1);
          const auto bc = Load16(du16, down + x);
          const auto br = Load16(du16, down + x + 1);
          const auto right = hn::Add(hn::Add(tr, br), hn::Add(mr, mr));
          const auto left = hn::Add(hn::Add(tl, bl), hn::Add(ml, ml));
          const auto bottom = hn::Add(hn::Add(bl, br), hn::Add(bc, bc));
          const auto top = hn::Add(hn::Add(tl, tr), hn::Add(tc, tc));
          const auto gx = hn::BitCast(di16, hn::Sub(right, left));
          const auto gy = hn::BitCast(di16, hn::Sub(bottom, top));
          xx0 = hn::ReorderWidenMulAccumulate(di32, gx, gx, xx0, xx1);
          yy0 = hn::ReorderWidenMulAccumulate(di32, gy, gy, yy0, yy1);
          xy0 = hn::ReorderWidenMulAccumulate(di32, gx, gy, xy0, xy1);
          if constexpr (kDiff) {
            const auto vc = Load16(du16, mid + x);
            const auto vp = Load16(du16, RowOf<T>(prev, y) + x);
            const auto ad =
                hn::BitCast(di16, hn::Sub(hn::Max(vc, vp), hn::Min(vc, vp)));
            ad0 = hn::ReorderWidenMulAccumulate(di32, ad, ones, ad0, ad1);
          }
          if (++calls == budget) {
            FlushI32(di32, xx0, xx1, xx64);
            FlushI32(di32, yy0, yy1, yy64);
            FlushI32(di32, xy0, xy1, xy64);
            calls = 0;
          }
        }
      }
      FlushI32(di32, xx0, xx1, xx64);
      FlushI32(di32, yy0, yy1, yy64);
      FlushI32(di32, xy0, xy1, xy64);
      const int64_t bxx = SumI64(di64, xx64), byy = SumI64(di64, yy64);
      MotionBlock& b = (*blocks)[static_cast<size_t>(by) * nbx + bx];
      b.energy = static_cast<uint64_t>(bxx + byy);
      if constexpr (kDiff) {
        FlushI32(di32, ad0, ad1, ad64);
        b.sum_abs_diff = static_cast<uint32_t>(SumI64(di64, ad64));
      }
      sxx += bxx;
      syy += byy;
      sxy += SumI64(di64, xy64);
    }
  }
  sums->tensor_count = int64_t{nbx} * nby * kMotionBlock * kMotionBlock;
  sums->sxx = static_cast<uint64_t>(sxx);
  sums->syy = static_cast<uint64_t>(syy);
  sums->sxy = sxy;
}

// Blocks first: they read prev, which the difference pass may overwrite
// (keep aliasing prev).
template <typename T>
void Motion(const PlaneView& cur, const PlaneView& prev, uint8_t* keep,
            MotionSums* sums, std::vector<MotionBlock>* blocks) {
  if (!prev.empty()) {
    Blocks<T, true>(cur, prev, sums, blocks);
    if constexpr (sizeof(T) == 1) {
      DiffSums8(cur, prev, keep, sums);
    } else {
      DiffSums16(cur, prev, keep, sums);
    }
  } else {
    Blocks<T, false>(cur, prev, sums, blocks);
    if (keep != nullptr) {
      const size_t row_bytes = static_cast<size_t>(cur.width) * sizeof(T);
      for (int y = 0; y < cur.height; ++y) {
        std::memcpy(keep + row_bytes * y, cur.Row8(y), row_bytes);
      }
    }
  }
}

// ------------------------------------------------------------ blur pyramid

// One level down: out(x, y) = (a + b + c + d + 2) >> 2 over the 2x2 block
// at (2x, 2y) of the source rows r0 = row 2y, r1 = row 2y + 1 (already
// offset to the region's first column); nw output samples.
//  - 8-bit source: 2n bytes read as n u16 lanes; the even (low) and odd
//    (high) bytes of each lane are the pair; sums <= 4 * 255 + 2.
//  - u16 source (<= 12 bits): 2n samples read as n u32 lanes, likewise;
//    sums <= 4 * 4095 + 2, demoted to u16 exactly.
// Tails in scalar code, the same formula.
void DownRow8(const uint8_t* HWY_RESTRICT r0, const uint8_t* HWY_RESTRICT r1,
              uint16_t* HWY_RESTRICT out, size_t nw) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint16_t, decltype(d8)> du16;
  const size_t n = hn::Lanes(du16);
  const auto lo = hn::Set(du16, 0xFF);
  const auto two = hn::Set(du16, 2);
  size_t x = 0;
  for (; x + n <= nw; x += n) {
    const auto a = hn::BitCast(du16, hn::LoadU(d8, r0 + 2 * x));
    const auto b = hn::BitCast(du16, hn::LoadU(d8, r1 + 2 * x));
    const auto sum = hn::Add(hn::Add(hn::And(a, lo), hn::ShiftRight<8>(a)),
                             hn::Add(hn::And(b, lo), hn::ShiftRight<8>(b)));
    hn::StoreU(hn::ShiftRight<2>(hn::Add(sum, two)), du16, out + x);
  }
  for (; x < nw; ++x) {
    out[x] = static_cast<uint16_t>(
        (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
  }
}

void DownRow16(const uint16_t* HWY_RESTRICT r0, const uint16_t* HWY_RESTRICT r1,
               uint16_t* HWY_RESTRICT out, size_t nw) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::Repartition<uint32_t, decltype(du16)> du32;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Rebind<uint16_t, decltype(di32)> dh16;
  const size_t n = hn::Lanes(du32);  // outputs per vector
  const auto lo = hn::Set(du32, 0xFFFF);
  const auto two = hn::Set(du32, 2);
  size_t x = 0;
  for (; x + n <= nw; x += n) {
    const auto a = hn::BitCast(du32, hn::LoadU(du16, r0 + 2 * x));
    const auto b = hn::BitCast(du32, hn::LoadU(du16, r1 + 2 * x));
    const auto sum = hn::Add(hn::Add(hn::And(a, lo), hn::ShiftRight<16>(a)),
                             hn::Add(hn::And(b, lo), hn::ShiftRight<16>(b)));
    const auto mean = hn::BitCast(di32, hn::ShiftRight<2>(hn::Add(sum, two)));
    hn::StoreU(hn::DemoteTo(dh16, mean), dh16, out + x);
  }
  for (; x < nw; ++x) {
    out[x] = static_cast<uint16_t>(
        (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
  }
}

// Sobel tensor sums over the interior of a u16 level (w x h, contiguous),
// samples <= 4095: int16 lanes as in Blocks(), SobelBudget(bits) calls per
// flush. The last vector of a row ends at column w - 2 and masks the lanes
// the previous vector already summed. Precondition: w - 2 >= Lanes.
BlurTensor LevelTensor(const uint16_t* level, size_t w, int h, int bits) {
  const hn::ScalableTag<uint16_t> du16;
  const hn::RebindToSigned<decltype(du16)> di16;
  const hn::Repartition<int32_t, decltype(du16)> di32;
  const hn::Repartition<int64_t, decltype(du16)> di64;
  const size_t n = hn::Lanes(du16);
  const int64_t budget = SobelBudget(bits);
  auto xx0 = hn::Zero(di32), xx1 = hn::Zero(di32), yy0 = hn::Zero(di32),
       yy1 = hn::Zero(di32), xy0 = hn::Zero(di32), xy1 = hn::Zero(di32);
  auto xx64 = hn::Zero(di64), yy64 = hn::Zero(di64), xy64 = hn::Zero(di64);
  int64_t calls = 0;
  const auto sobel = [&](const uint16_t* up, const uint16_t* mid,
                         const uint16_t* down, size_t x, size_t skip) HWY_ATTR {
    const auto tl = hn::LoadU(du16, up + x - 1);
    const auto tc = hn::LoadU(du16, up + x);
    const auto tr = hn::LoadU(du16, up + x + 1);
    const auto ml = hn::LoadU(du16, mid + x - 1);
    const auto mr = hn::LoadU(du16, mid + x + 1);
    const auto bl = hn::LoadU(du16, down + x - 1);
    const auto bc = hn::LoadU(du16, down + x);
    const auto br = hn::LoadU(du16, down + x + 1);
    const auto right = hn::Add(hn::Add(tr, br), hn::Add(mr, mr));
    const auto left = hn::Add(hn::Add(tl, bl), hn::Add(ml, ml));
    const auto bottom = hn::Add(hn::Add(bl, br), hn::Add(bc, bc));
    const auto top = hn::Add(hn::Add(tl, tr), hn::Add(tc, tc));
    auto gx = hn::BitCast(di16, hn::Sub(right, left));
    auto gy = hn::BitCast(di16, hn::Sub(bottom, top));
    if (skip > 0) {
      const auto done = hn::FirstN(di16, skip);
      gx = hn::IfThenZeroElse(done, gx);
      gy = hn::IfThenZeroElse(done, gy);
    }
    xx0 = hn::ReorderWidenMulAccumulate(di32, gx, gx, xx0, xx1);
    yy0 = hn::ReorderWidenMulAccumulate(di32, gy, gy, yy0, yy1);
    xy0 = hn::ReorderWidenMulAccumulate(di32, gx, gy, xy0, xy1);
    if (++calls == budget) {
      FlushI32(di32, xx0, xx1, xx64);
      FlushI32(di32, yy0, yy1, yy64);
      FlushI32(di32, xy0, xy1, xy64);
      calls = 0;
    }
  };
  const size_t x_end = w - 1;  // interior columns 1 .. w-2
  for (int y = 1; y + 1 < h; ++y) {
    const uint16_t* up = level + (y - 1) * w;
    const uint16_t* mid = level + y * w;
    const uint16_t* down = level + (y + 1) * w;
    size_t x = 1;
    for (; x + n <= x_end; x += n) sobel(up, mid, down, x, 0);
    if (x < x_end) sobel(up, mid, down, x_end - n, x - (x_end - n));
  }
  FlushI32(di32, xx0, xx1, xx64);
  FlushI32(di32, yy0, yy1, yy64);
  FlushI32(di32, xy0, xy1, xy64);
  BlurTensor t;
  t.count = static_cast<int64_t>(w - 2) * (h - 2);
  t.sxx = static_cast<uint64_t>(SumI64(di64, xx64));
  t.syy = static_cast<uint64_t>(SumI64(di64, yy64));
  t.sxy = SumI64(di64, xy64);
  return t;
}

template <typename T>
void Pyramid(const PlaneView& plane, std::vector<uint16_t>* scratch,
             BlurPyramid* out) {
  const hn::ScalableTag<uint16_t> du16;
  const size_t lanes = hn::Lanes(du16);
  size_t w = static_cast<size_t>(MotionBlockCols(plane)) * kMotionBlock;
  int h = MotionBlockRows(plane) * kMotionBlock;
  // Levels 1..kBlurLevels back to back: at most w h / 3 samples.
  scratch->resize(w * static_cast<size_t>(h) / 3 + 1);
  uint16_t* level = scratch->data();
  const uint16_t* prev = nullptr;
  const int bits = plane.bit_depth;
  for (int k = 0; k < kBlurLevels; ++k) {
    const size_t nw = w / 2;
    const int nh = h / 2;
    for (int y = 0; y < nh; ++y) {
      uint16_t* o = level + static_cast<size_t>(y) * nw;
      if (k == 0) {
        const T* r0 = RowOf<T>(plane, 1 + 2 * y) + 1;
        const T* r1 = RowOf<T>(plane, 2 + 2 * y) + 1;
        if constexpr (sizeof(T) == 1) {
          DownRow8(r0, r1, o, nw);
        } else {
          DownRow16(r0, r1, o, nw);
        }
      } else {
        DownRow16(prev + 2 * static_cast<size_t>(y) * w,
                  prev + (2 * static_cast<size_t>(y) + 1) * w, o, nw);
      }
    }
    w = nw;
    h = nh;
    if (w < 3 || h < 3) break;
    out->level[k] = w - 2 >= lanes ? LevelTensor(level, w, h, bits)
                                   : LevelTensorReference(level, w, h);
    prev = level;
    level += w * static_cast<size_t>(h);
  }
}

void ComputeBlurPyramidImpl(const PlaneView& plane,
                            std::vector<uint16_t>* scratch, BlurPyramid* out) {
  if (plane.empty() || plane.bit_depth > 12) {
    ComputeBlurPyramidReference(plane, scratch, out);
    return;
  }
  *out = {};
  if (plane.bit_depth <= 8) {
    Pyramid<uint8_t>(plane, scratch, out);
  } else {
    Pyramid<uint16_t>(plane, scratch, out);
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

void ComputeMotionImpl(const PlaneView& cur, const PlaneView& prev,
                       uint8_t* keep, MotionSums* sums,
                       std::vector<MotionBlock>* blocks) {
#if HWY_TARGET == HWY_SCALAR
  ComputeMotionReference(cur, prev, keep, sums, blocks);
#else
  if (cur.empty() || cur.bit_depth > 12) {
    ComputeMotionReference(cur, prev, keep, sums, blocks);
    return;
  }
  *sums = {};
  blocks->assign(
      static_cast<size_t>(MotionBlockCols(cur)) * MotionBlockRows(cur),
      MotionBlock{});
  if (cur.bit_depth <= 8) {
    Motion<uint8_t>(cur, prev, keep, sums, blocks);
  } else {
    Motion<uint16_t>(cur, prev, keep, sums, blocks);
  }
#endif
}

#if HWY_TARGET == HWY_SCALAR
void ComputeBlurPyramidImpl(const PlaneView& plane,
                            std::vector<uint16_t>* scratch, BlurPyramid* out) {
  ComputeBlurPyramidReference(plane, scratch, out);
}
#endif

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(ComputeMotionImpl);
HWY_EXPORT(ComputeBlurPyramidImpl);

void ComputeBlurPyramid(const PlaneView& plane, std::vector<uint16_t>* scratch,
                        BlurPyramid* out) {
  HWY_DYNAMIC_DISPATCH(ComputeBlurPyramidImpl)(plane, scratch, out);
}

void ComputeBlurPyramidOnTarget(int64_t target, const PlaneView& plane,
                                std::vector<uint16_t>* scratch,
                                BlurPyramid* out) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeBlurPyramidOnTarget");
  HWY_DISPATCH_TABLE(ComputeBlurPyramidImpl)[index](plane, scratch, out);
}

void ComputeMotion(const PlaneView& cur, const PlaneView& prev, uint8_t* keep,
                   MotionSums* sums, std::vector<MotionBlock>* blocks) {
  HWY_DYNAMIC_DISPATCH(ComputeMotionImpl)(cur, prev, keep, sums, blocks);
}

void ComputeMotionOnTarget(int64_t target, const PlaneView& cur,
                           const PlaneView& prev, uint8_t* keep,
                           MotionSums* sums, std::vector<MotionBlock>* blocks) {
  const int index = CheckedDispatchTableIndex(target, "ComputeMotionOnTarget");
  HWY_DISPATCH_TABLE(ComputeMotionImpl)[index](cur, prev, keep, sums, blocks);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
