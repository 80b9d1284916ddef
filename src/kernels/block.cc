// SIMD (Highway) block kernels; definitions and reference twins in
// block_reference.cc. All arithmetic is exact integer arithmetic, so every
// target returns the reference's sums.
//
// BlockSums4: four rows are loaded and adjacent samples summed in pairs
// into lanes twice as wide (And / ShiftRight on the bit pattern, no
// shuffles); pairs of those again give the sum of 4 columns x 4 rows, so
// one vector of n samples yields n/4 block sums in order, stored directly.
// 8-bit: u8 -> u16 -> u32 lanes; 9..16-bit: u16 -> u32 -> u64, truncated
// to u32 (a 4x4 sum is < 2^20).
//
// GridDiffSums, horizontal: min(|p(x+1) - p(x)|, clip) per column is added
// into u16 column sums, which are folded into the 16 phase totals before
// 65535 / clip rows have been added (every 4681 rows at blockiness's 8-bit
// clip of 14). Vertical: 8-bit rows are summed by SumsOf8 (psadbw on x86)
// into u64 lanes, deeper rows in u32 lanes; the row total goes to phase
// y mod 16.
//
// Planes narrower than one vector (plus one sample) use the reference.

#include "kernels/block.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/block.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// HWY_SCALAR has one-lane vectors, too narrow for the even/odd split and
// SumsOf8: there the plain reference is used.
#if HWY_TARGET != HWY_SCALAR

// |a - b| of unsigned lanes (Highway 1.0.3 has AbsDiff for floats only).
template <class V>
HWY_INLINE V AbsDiffU(V a, V b) {
  return hn::Or(hn::SaturatedSub(a, b), hn::SaturatedSub(b, a));
}

// One vector of 8-bit block sums: the 4x4 blocks of columns x .. x+n-1 of
// the four rows starting at r0 (stride `stride` bytes), stored at out.
HWY_INLINE void BlockSums4Step8(const uint8_t* HWY_RESTRICT r0,
                                ptrdiff_t stride, size_t x,
                                uint32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint16_t, decltype(d8)> du16;
  const hn::Repartition<uint32_t, decltype(d8)> du32;
  const auto lo8 = hn::Set(du16, 0x00FF);
  auto acc = hn::Zero(du16);
  for (int r = 0; r < 4; ++r) {
    const auto v = hn::BitCast(du16, hn::LoadU(d8, r0 + r * stride + x));
    acc = hn::Add(acc, hn::Add(hn::And(v, lo8), hn::ShiftRight<8>(v)));
  }
  const auto w = hn::BitCast(du32, acc);
  const auto s =
      hn::Add(hn::And(w, hn::Set(du32, 0xFFFFu)), hn::ShiftRight<16>(w));
  hn::StoreU(s, du32, out + x / 4);
}

// The same for 9..16-bit samples: u16 pairs summed into u32 lanes (<= 8 *
// 65535 over four rows), u32 pairs into u64 lanes (the 4x4 sums, < 2^20),
// truncated to u32 for the store.
HWY_INLINE void BlockSums4Step16(const uint8_t* HWY_RESTRICT r0,
                                 ptrdiff_t stride, size_t x,
                                 uint32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<uint16_t> d16;
  const hn::Repartition<uint32_t, decltype(d16)> du32;
  const hn::Repartition<uint64_t, decltype(d16)> du64;
  const hn::Rebind<uint32_t, decltype(du64)> dn32;
  const auto lo16 = hn::Set(du32, 0xFFFFu);
  auto acc = hn::Zero(du32);
  for (int r = 0; r < 4; ++r) {
    const auto* row = reinterpret_cast<const uint16_t*>(r0 + r * stride);
    const auto v = hn::BitCast(du32, hn::LoadU(d16, row + x));
    acc = hn::Add(acc, hn::Add(hn::And(v, lo16), hn::ShiftRight<16>(v)));
  }
  const auto w = hn::BitCast(du64, acc);
  const auto s =
      hn::Add(hn::And(w, hn::Set(du64, 0xFFFFFFFFull)), hn::ShiftRight<32>(w));
  hn::StoreU(hn::TruncateTo(dn32, s), dn32, out + x / 4);
}

template <typename T>
bool BlockSums4Simd(const PlaneView& plane, std::vector<uint32_t>* sums) {
  const hn::ScalableTag<T> d;
  const size_t n = hn::Lanes(d);
  const size_t bw = static_cast<size_t>(plane.width) / 4;
  const size_t bh = static_cast<size_t>(plane.height) / 4;
  const size_t cols = 4 * bw;  // columns covered by whole blocks
  if (n < 4 || cols < n) return false;
  sums->resize(bw * bh);
  const auto step = [&](const uint8_t* r0, size_t x, uint32_t* out) HWY_ATTR {
    if constexpr (sizeof(T) == 1) {
      BlockSums4Step8(r0, plane.stride, x, out);
    } else {
      BlockSums4Step16(r0, plane.stride, x, out);
    }
  };
  for (size_t j = 0; j < bh; ++j) {
    const uint8_t* r0 =
        plane.data + static_cast<ptrdiff_t>(4 * j) * plane.stride;
    uint32_t* out = sums->data() + j * bw;
    size_t x = 0;
    for (; x + n <= cols; x += n) step(r0, x, out);
    // The last vector overlaps the previous one: its blocks are written
    // twice with the same sums. cols and n are multiples of 4, so x_last is.
    if (x < cols) step(r0, cols - n, out);
  }
  return true;
}

// Sum of the lanes of a u32 vector, exact in u64.
template <class DU32>
HWY_INLINE uint64_t SumU32(DU32 du32, hn::VFromD<DU32> v) {
  const hn::Half<DU32> dh;
  const hn::Repartition<uint64_t, DU32> du64;
  const auto wide = hn::Add(hn::PromoteTo(du64, hn::LowerHalf(dh, v)),
                            hn::PromoteTo(du64, hn::UpperHalf(dh, v)));
  return hn::GetLane(hn::SumOfLanes(du64, wide));
}

template <typename T>
bool GridDiffSumsSimd(const PlaneView& plane, uint32_t clip,
                      std::vector<uint16_t>* scratch, GridDiffSums* g) {
  const hn::ScalableTag<T> d;
  const size_t n = hn::Lanes(d);
  const size_t w = static_cast<size_t>(plane.width);
  const int h = plane.height;
  if (n < 4 || w < n + 1) return false;
  // A difference of two samples is at most 2^depth - 1: a larger clip
  // changes nothing.
  const uint32_t max_diff = sizeof(T) == 1 ? 255u : 65535u;
  const uint32_t c = std::min(clip, max_diff);
  const auto vclip = hn::Set(d, static_cast<T>(c));
  const auto dabs = [c](uint32_t a, uint32_t b) {
    return std::min(a > b ? a - b : b - a, c);
  };
  const auto row_of = [&plane](int y) {
    return reinterpret_cast<const T*>(plane.data + y * plane.stride);
  };
  const size_t nd = w - 1;  // horizontal differences per row
  scratch->assign(nd, 0);
  uint16_t* HWY_RESTRICT col = scratch->data();
  const auto fold = [&]() {
    for (size_t x = 0; x < nd; ++x) {
      g->h[x % 16] += col[x];
      col[x] = 0;
    }
  };
  // Each row adds at most c to a u16 column sum: fold before 65535 / c
  // rows have been added.
  const int rows_per_fold = static_cast<int>(65535u / std::max(c, 1u));
  int rows_since_fold = 0;
  for (int y = 0; y < h; ++y) {
    const T* HWY_RESTRICT row = row_of(y);
    size_t x = 0;
    if constexpr (sizeof(T) == 1) {
      // u8 differences promoted to u16 halves.
      const hn::Half<decltype(d)> dh8;
      const hn::Rebind<uint16_t, decltype(dh8)> dw16;  // n/2 u16 lanes
      const size_t half = n / 2;
      for (; x + n <= nd; x += n) {
        const auto dv = hn::Min(
            AbsDiffU(hn::LoadU(d, row + x), hn::LoadU(d, row + x + 1)), vclip);
        hn::StoreU(hn::Add(hn::LoadU(dw16, col + x),
                           hn::PromoteTo(dw16, hn::LowerHalf(dh8, dv))),
                   dw16, col + x);
        hn::StoreU(hn::Add(hn::LoadU(dw16, col + x + half),
                           hn::PromoteTo(dw16, hn::UpperHalf(dh8, dv))),
                   dw16, col + x + half);
      }
    } else {
      for (; x + n <= nd; x += n) {
        const auto dv = hn::Min(
            AbsDiffU(hn::LoadU(d, row + x), hn::LoadU(d, row + x + 1)), vclip);
        hn::StoreU(hn::Add(hn::LoadU(d, col + x), dv), d, col + x);
      }
    }
    for (; x < nd; ++x) {
      col[x] = static_cast<uint16_t>(col[x] + dabs(row[x + 1], row[x]));
    }
    if (++rows_since_fold == rows_per_fold) {
      fold();
      rows_since_fold = 0;
    }
  }
  fold();
  for (int y = 0; y + 1 < h; ++y) {
    const T* HWY_RESTRICT a = row_of(y);
    const T* HWY_RESTRICT b = row_of(y + 1);
    uint64_t sum = 0;
    size_t x = 0;
    if constexpr (sizeof(T) == 1) {
      // SumsOf8 (psadbw): each u64 lane gains <= 8 * 255 per vector.
      const hn::Repartition<uint64_t, decltype(d)> du64;
      auto acc = hn::Zero(du64);
      for (; x + n <= w; x += n) {
        acc = hn::Add(
            acc,
            hn::SumsOf8(hn::Min(
                AbsDiffU(hn::LoadU(d, a + x), hn::LoadU(d, b + x)), vclip)));
      }
      sum = hn::GetLane(hn::SumOfLanes(du64, acc));
    } else {
      // u16 pairs into u32 lanes: each lane gains <= 2 * 65535 per vector,
      // so a row of up to 65536 samples cannot overflow it.
      const hn::Repartition<uint32_t, decltype(d)> du32;
      const auto lo16 = hn::Set(du32, 0xFFFFu);
      auto acc = hn::Zero(du32);
      for (; x + n <= w; x += n) {
        const auto dv = hn::BitCast(
            du32,
            hn::Min(AbsDiffU(hn::LoadU(d, a + x), hn::LoadU(d, b + x)), vclip));
        acc = hn::Add(acc, hn::Add(hn::And(dv, lo16), hn::ShiftRight<16>(dv)));
      }
      sum = SumU32(du32, acc);
    }
    for (; x < w; ++x) sum += dabs(b[x], a[x]);
    g->v[y % 16] += sum;
  }
  return true;
}

// CoarseLaplacianSums: the box sums of two cell rows by unaligned loads at
// i and i + 1 (u32 adds, < 2^22 each); then per interior box row L in int32
// lanes (four boxes < 2^24, 4 B < 2^24, so |L| < 2^24), its square by
// MulEven into 64-bit lanes (even lanes, then the odd ones moved down),
// summed per row in u64 lanes (a lane gains < 2^49 per vector and a row of
// <= 4094 boxes has <= 1024 vectors: < 2^59) and then into the 128-bit
// total; sum L in int64 lanes. Rows narrower than one vector of interior
// boxes use the reference.
bool CoarseLaplacianSimd(const uint32_t* HWY_RESTRICT cells, int cells_w,
                         int cells_h, std::vector<uint32_t>* boxes,
                         CoarseLaplacianSums* out) {
  const hn::ScalableTag<uint32_t> du32;
  const hn::RebindToSigned<decltype(du32)> di32;
  const hn::Repartition<int64_t, decltype(du32)> di64;
  const hn::Repartition<uint64_t, decltype(du32)> du64;
  const hn::Half<decltype(di32)> dh;
  const size_t n = hn::Lanes(du32);
  const int bw = cells_w - 1, bh = cells_h - 1;
  if (bw < 3 || bh < 3 || static_cast<size_t>(bw - 2) < n) return false;
  boxes->resize(static_cast<size_t>(bw) * bh);
  for (int j = 0; j < bh; ++j) {
    const uint32_t* HWY_RESTRICT c0 = cells + static_cast<size_t>(j) * cells_w;
    const uint32_t* HWY_RESTRICT c1 = c0 + cells_w;
    uint32_t* HWY_RESTRICT b = boxes->data() + static_cast<size_t>(j) * bw;
    size_t i = 0;
    for (; i + n <= static_cast<size_t>(bw); i += n) {
      hn::StoreU(
          hn::Add(
              hn::Add(hn::LoadU(du32, c0 + i), hn::LoadU(du32, c0 + i + 1)),
              hn::Add(hn::LoadU(du32, c1 + i), hn::LoadU(du32, c1 + i + 1))),
          du32, b + i);
    }
    for (; i < static_cast<size_t>(bw); ++i) {
      b[i] = c0[i] + c0[i + 1] + c1[i] + c1[i + 1];
    }
  }
  CoarseLaplacianSums r;
  for (int j = 1; j + 1 < bh; ++j) {
    const uint32_t* HWY_RESTRICT up =
        boxes->data() + static_cast<size_t>(j - 1) * bw;
    const uint32_t* HWY_RESTRICT mid = up + bw;
    const uint32_t* HWY_RESTRICT down = mid + bw;
    auto sq = hn::Zero(du64);
    auto sum = hn::Zero(di64);
    size_t i = 1;
    for (; i + n < static_cast<size_t>(bw); i += n) {
      const auto around = hn::Add(
          hn::Add(hn::LoadU(du32, up + i), hn::LoadU(du32, down + i)),
          hn::Add(hn::LoadU(du32, mid + i - 1), hn::LoadU(du32, mid + i + 1)));
      const auto l = hn::Sub(
          hn::BitCast(di32, around),
          hn::ShiftLeft<2>(hn::BitCast(di32, hn::LoadU(du32, mid + i))));
      sum = hn::Add(sum, hn::Add(hn::PromoteTo(di64, hn::LowerHalf(dh, l)),
                                 hn::PromoteTo(di64, hn::UpperHalf(dh, l))));
      const auto l_odd =
          hn::BitCast(di32, hn::ShiftRight<32>(hn::BitCast(du64, l)));
      sq = hn::Add(sq, hn::BitCast(du64, hn::Add(hn::MulEven(l, l),
                                                 hn::MulEven(l_odd, l_odd))));
    }
    uint64_t row_sq = hn::GetLane(hn::SumOfLanes(du64, sq));
    int64_t row_sum = hn::GetLane(hn::SumOfLanes(di64, sum));
    for (; i + 1 < static_cast<size_t>(bw); ++i) {
      const int64_t l = int64_t{up[i]} + down[i] + mid[i - 1] + mid[i + 1] -
                        4 * int64_t{mid[i]};
      row_sum += l;
      row_sq += static_cast<uint64_t>(l * l);
    }
    r.sum += row_sum;
    r.sum_sq += row_sq;
  }
  r.count = static_cast<int64_t>(bw - 2) * (bh - 2);
  *out = r;
  return true;
}

#endif  // HWY_TARGET != HWY_SCALAR

void BlockSums4Impl(const PlaneView& plane, std::vector<uint32_t>* sums) {
#if HWY_TARGET != HWY_SCALAR
  if (!plane.empty() &&
      (plane.bit_depth <= 8 ? BlockSums4Simd<uint8_t>(plane, sums)
                            : BlockSums4Simd<uint16_t>(plane, sums))) {
    return;
  }
#endif
  ComputeBlockSums4Reference(plane, sums);
}

GridDiffSums GridDiffSumsImpl(const PlaneView& plane, uint32_t clip,
                              std::vector<uint16_t>* scratch) {
  GridDiffSums g;
#if HWY_TARGET != HWY_SCALAR
  if (!plane.empty() &&
      (plane.bit_depth <= 8
           ? GridDiffSumsSimd<uint8_t>(plane, clip, scratch, &g)
           : GridDiffSumsSimd<uint16_t>(plane, clip, scratch, &g))) {
    return g;
  }
#else
  (void)scratch;
#endif
  return ComputeGridDiffSumsReference(plane, clip);
}

CoarseLaplacianSums CoarseLaplacianImpl(const uint32_t* cells, int cells_w,
                                        int cells_h,
                                        std::vector<uint32_t>* boxes) {
#if HWY_TARGET != HWY_SCALAR
  CoarseLaplacianSums r;
  if (CoarseLaplacianSimd(cells, cells_w, cells_h, boxes, &r)) return r;
#else
  (void)boxes;
#endif
  return ComputeCoarseLaplacianSumsReference(cells, cells_w, cells_h);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(BlockSums4Impl);
HWY_EXPORT(GridDiffSumsImpl);
HWY_EXPORT(CoarseLaplacianImpl);

CoarseLaplacianSums ComputeCoarseLaplacianSums(const uint32_t* cells,
                                               int cells_w, int cells_h,
                                               std::vector<uint32_t>* boxes) {
  return HWY_DYNAMIC_DISPATCH(CoarseLaplacianImpl)(cells, cells_w, cells_h,
                                                   boxes);
}

CoarseLaplacianSums ComputeCoarseLaplacianSumsOnTarget(
    int64_t target, const uint32_t* cells, int cells_w, int cells_h,
    std::vector<uint32_t>* boxes) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeCoarseLaplacianSumsOnTarget");
  const auto impl = HWY_DISPATCH_TABLE(CoarseLaplacianImpl)[index];
  return impl(cells, cells_w, cells_h, boxes);
}

void ComputeBlockSums4(const PlaneView& plane, std::vector<uint32_t>* sums) {
  HWY_DYNAMIC_DISPATCH(BlockSums4Impl)(plane, sums);
}

GridDiffSums ComputeGridDiffSums(const PlaneView& plane, uint32_t clip,
                                 std::vector<uint16_t>* scratch) {
  return HWY_DYNAMIC_DISPATCH(GridDiffSumsImpl)(plane, clip, scratch);
}

void ComputeBlockSums4OnTarget(int64_t target, const PlaneView& plane,
                               std::vector<uint32_t>* sums) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeBlockSums4OnTarget");
  HWY_DISPATCH_TABLE(BlockSums4Impl)[index](plane, sums);
}

GridDiffSums ComputeGridDiffSumsOnTarget(int64_t target, const PlaneView& plane,
                                         uint32_t clip,
                                         std::vector<uint16_t>* scratch) {
  const int index =
      CheckedDispatchTableIndex(target, "ComputeGridDiffSumsOnTarget");
  return HWY_DISPATCH_TABLE(GridDiffSumsImpl)[index](plane, clip, scratch);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
