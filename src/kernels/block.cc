// SIMD (Highway) block kernels; definitions and reference twins in
// block_reference.cc. All arithmetic is exact integer arithmetic, so every
// target returns the reference's sums.
//
// 8-bit planes take the SIMD paths below. Deeper planes (10..16 bits) use
// the reference: they are rare in the material acuity scores and the two
// kernels together cost well under the decode of such a frame.
//
// BlockSums4: four rows are loaded as bytes and split into even and odd
// bytes of u16 lanes (And / ShiftRight, no shuffles); their sum holds, in
// u16 lane m, pixels 2m and 2m+1 of the four rows (<= 8 * 255). Read as u32
// lanes, low half + high half is the sum of 4 columns x 4 rows (<= 4080):
// one vector of n bytes yields n/4 block sums in order, stored directly.
//
// GridDiffSums, horizontal: min(|p(x+1) - p(x)|, clip) per column is added into
// u16 column sums (u8 AbsDiff promoted to u16), which are folded into the 16
// phase totals every 257 rows (257 * 255 = 65535 fits u16). Vertical: the
// row's |p(x, y+1) - p(x, y)| are summed by SumsOf8 (psadbw on x86) into
// u64 lanes and the row total goes to phase y mod 16.

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

// |a - b| of u8 lanes (Highway 1.0.3 has AbsDiff for floats only).
template <class V>
HWY_INLINE V AbsDiffU8(V a, V b) {
  return hn::Or(hn::SaturatedSub(a, b), hn::SaturatedSub(b, a));
}

// One vector of block sums: the 4x4 blocks of columns x .. x+n-1 of the
// four rows starting at r0 (stride `stride` bytes), stored at out.
HWY_INLINE void BlockSums4Step(const uint8_t* HWY_RESTRICT r0, ptrdiff_t stride,
                               size_t x, uint32_t* HWY_RESTRICT out) {
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

bool BlockSums4Simd8(const PlaneView& plane, std::vector<uint32_t>* sums) {
  const hn::ScalableTag<uint8_t> d8;
  const size_t n = hn::Lanes(d8);
  const size_t bw = static_cast<size_t>(plane.width) / 4;
  const size_t bh = static_cast<size_t>(plane.height) / 4;
  const size_t cols = 4 * bw;  // columns covered by whole blocks
  if (n < 4 || cols < n) return false;
  sums->resize(bw * bh);
  for (size_t j = 0; j < bh; ++j) {
    const uint8_t* r0 = plane.Row8(static_cast<int>(4 * j));
    uint32_t* out = sums->data() + j * bw;
    size_t x = 0;
    for (; x + n <= cols; x += n) BlockSums4Step(r0, plane.stride, x, out);
    // The last vector overlaps the previous one: its blocks are written
    // twice with the same sums. cols and n are multiples of 4, so x_last is.
    if (x < cols) BlockSums4Step(r0, plane.stride, cols - n, out);
  }
  return true;
}

bool GridDiffSumsSimd8(const PlaneView& plane, uint32_t clip,
                       std::vector<uint16_t>* scratch, GridDiffSums* g) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Half<decltype(d8)> dh8;
  const hn::Rebind<uint16_t, decltype(dh8)> dw16;  // n/2 u16 lanes
  const hn::Repartition<uint64_t, decltype(d8)> du64;
  const size_t n = hn::Lanes(d8);
  const size_t w = static_cast<size_t>(plane.width);
  const int h = plane.height;
  if (n < 2 || w < n + 1) return false;
  // Differences of 8-bit samples are <= 255: a larger clip changes nothing.
  const int c = static_cast<int>(std::min<uint32_t>(clip, 255));
  const auto vclip = hn::Set(d8, static_cast<uint8_t>(c));
  const auto dabs = [c](int a, int b) { return std::min(std::abs(a - b), c); };
  const size_t nd = w - 1;  // horizontal differences per row
  scratch->assign(nd, 0);
  uint16_t* HWY_RESTRICT col = scratch->data();
  const auto fold = [&]() {
    for (size_t x = 0; x < nd; ++x) {
      g->h[x % 16] += col[x];
      col[x] = 0;
    }
  };
  // 257 rows of |d| <= 255 sum to at most 65535: no u16 column overflows.
  constexpr int kRowsPerFold = 257;
  int rows_since_fold = 0;
  for (int y = 0; y < h; ++y) {
    const uint8_t* HWY_RESTRICT row = plane.Row8(y);
    size_t x = 0;
    for (; x + n <= nd; x += n) {
      const auto d = hn::Min(
          AbsDiffU8(hn::LoadU(d8, row + x), hn::LoadU(d8, row + x + 1)), vclip);
      const size_t half = n / 2;
      hn::StoreU(hn::Add(hn::LoadU(dw16, col + x),
                         hn::PromoteTo(dw16, hn::LowerHalf(dh8, d))),
                 dw16, col + x);
      hn::StoreU(hn::Add(hn::LoadU(dw16, col + x + half),
                         hn::PromoteTo(dw16, hn::UpperHalf(dh8, d))),
                 dw16, col + x + half);
    }
    for (; x < nd; ++x) {
      col[x] = static_cast<uint16_t>(col[x] + dabs(row[x + 1], row[x]));
    }
    if (++rows_since_fold == kRowsPerFold) {
      fold();
      rows_since_fold = 0;
    }
  }
  fold();
  for (int y = 0; y + 1 < h; ++y) {
    const uint8_t* HWY_RESTRICT a = plane.Row8(y);
    const uint8_t* HWY_RESTRICT b = plane.Row8(y + 1);
    // Each u64 lane gains <= 8 * 255 per vector: no overflow.
    auto acc = hn::Zero(du64);
    size_t x = 0;
    for (; x + n <= w; x += n) {
      acc = hn::Add(
          acc,
          hn::SumsOf8(hn::Min(
              AbsDiffU8(hn::LoadU(d8, a + x), hn::LoadU(d8, b + x)), vclip)));
    }
    uint64_t sum = hn::GetLane(hn::SumOfLanes(du64, acc));
    for (; x < w; ++x) sum += static_cast<uint64_t>(dabs(b[x], a[x]));
    g->v[y % 16] += sum;
  }
  return true;
}

#endif  // HWY_TARGET != HWY_SCALAR

void BlockSums4Impl(const PlaneView& plane, std::vector<uint32_t>* sums) {
#if HWY_TARGET != HWY_SCALAR
  if (!plane.empty() && plane.bit_depth <= 8 && BlockSums4Simd8(plane, sums)) {
    return;
  }
#endif
  ComputeBlockSums4Reference(plane, sums);
}

GridDiffSums GridDiffSumsImpl(const PlaneView& plane, uint32_t clip,
                              std::vector<uint16_t>* scratch) {
  GridDiffSums g;
#if HWY_TARGET != HWY_SCALAR
  if (!plane.empty() && plane.bit_depth <= 8 &&
      GridDiffSumsSimd8(plane, clip, scratch, &g)) {
    return g;
  }
#else
  (void)scratch;
#endif
  return ComputeGridDiffSumsReference(plane, clip);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(BlockSums4Impl);
HWY_EXPORT(GridDiffSumsImpl);

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
