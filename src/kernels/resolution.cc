// SIMD (Highway) BinomialSmooth3x3. The definition and the reference twin
// are in resolution_reference.cc; every target returns bit-identical output
// because all arithmetic is exact integer arithmetic.
//
// 8-bit planes: a row pipeline. Each input row (the plane's own row widened
// to u16, or for HalveAndSmooth8 the rounded 2x2 box average of two source
// rows, formed from the even and odd bytes of one u8 load) is made once
// into a ring of three u16 rows m0..m2; the vertical pass
// t = m0 + 2 m1 + m2 (<= 1020) goes to a row buffer and the horizontal pass
// t[x-1] + 2 t[x] + t[x+1] (<= 4080) is stored. All of it fits u16 lanes.
// Rows up to kMaxRow (4096) samples use stack buffers; wider planes
// take the direct path below.
// 9..16-bit and very wide planes: the direct path, unaligned loads of the
// three source rows at x-1, x, x+1 widened to i32 lanes (sums <= 16 * 65535
// < 2^20), then (sum + 8) >> 4 <= 65535 narrowed back to u16.
// Columns left over after the last full vector are done by scalar code of
// the same arithmetic. HWY_SCALAR uses the reference.
#include "kernels/resolution.h"

#include "kernels/targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/resolution.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace acuity::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR

constexpr int kMaxRow = 4096;  // samples per row of the stack buffers

inline uint16_t* OutRow(uint16_t* out, ptrdiff_t out_stride, int row) {
  return reinterpret_cast<uint16_t*>(reinterpret_cast<uint8_t*>(out) +
                                     row * out_stride);
}

// The pipeline's last two passes: rows m0, m1, m2 (u16, `w` samples) ->
// w - 2 output samples.
void SmoothRows(const uint16_t* m0, const uint16_t* m1, const uint16_t* m2,
                int w, uint16_t* t, uint16_t* o) {
  const hn::ScalableTag<uint16_t> d;
  const int n = static_cast<int>(hn::Lanes(d));
  int x = 0;
  for (; x + n <= w; x += n) {
    const auto v = hn::Add(hn::Add(hn::LoadU(d, m0 + x), hn::LoadU(d, m2 + x)),
                           hn::ShiftLeft<1>(hn::LoadU(d, m1 + x)));
    hn::StoreU(v, d, t + x);
  }
  for (; x < w; ++x) t[x] = static_cast<uint16_t>(m0[x] + 2 * m1[x] + m2[x]);
  x = 1;
  for (; x + n <= w - 1; x += n) {
    const auto v =
        hn::Add(hn::Add(hn::LoadU(d, t + x - 1), hn::LoadU(d, t + x + 1)),
                hn::ShiftLeft<1>(hn::LoadU(d, t + x)));
    hn::StoreU(v, d, o + x - 1);
  }
  for (; x < w - 1; ++x) {
    o[x - 1] = static_cast<uint16_t>(t[x - 1] + 2 * t[x] + t[x + 1]);
  }
}

// One 8-bit row widened to u16.
void WidenRow(const uint8_t* src, int w, uint16_t* m) {
  const hn::ScalableTag<uint16_t> d16;
  const hn::Rebind<uint8_t, decltype(d16)> d8;
  const int n = static_cast<int>(hn::Lanes(d16));
  int x = 0;
  for (; x + n <= w; x += n) {
    hn::StoreU(hn::PromoteTo(d16, hn::LoadU(d8, src + x)), d16, m + x);
  }
  for (; x < w; ++x) m[x] = src[x];
}

// The rounded 2x2 box average of two 8-bit rows: `w` output samples. Each
// u16 lane of a u8 load holds an even (low) and an odd (high) byte.
void HalveRows(const uint8_t* a, const uint8_t* b, int w, uint16_t* m) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint16_t, decltype(d8)> d16;
  const int n = static_cast<int>(hn::Lanes(d16));  // outputs per vector
  const auto low = hn::Set(d16, 0xFF);
  const auto two = hn::Set(d16, 2);
  int x = 0;
  for (; x + n <= w; x += n) {
    const auto va = hn::BitCast(d16, hn::LoadU(d8, a + 2 * x));
    const auto vb = hn::BitCast(d16, hn::LoadU(d8, b + 2 * x));
    const auto sum = hn::Add(hn::Add(hn::And(va, low), hn::ShiftRight<8>(va)),
                             hn::Add(hn::And(vb, low), hn::ShiftRight<8>(vb)));
    hn::StoreU(hn::ShiftRight<2>(hn::Add(sum, two)), d16, m + x);
  }
  for (; x < w; ++x) {
    m[x] = static_cast<uint16_t>(
        (a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
  }
}

template <class MakeRow>
void Pipeline(int w, int h, uint16_t* out, ptrdiff_t out_stride,
              const MakeRow& make_row) {
  HWY_ALIGN uint16_t ring[3][kMaxRow];
  HWY_ALIGN uint16_t t[kMaxRow];
  make_row(0, ring[0]);
  make_row(1, ring[1]);
  for (int y = 2; y < h; ++y) {
    make_row(y, ring[y % 3]);
    SmoothRows(ring[(y - 2) % 3], ring[(y - 1) % 3], ring[y % 3], w, t,
               OutRow(out, out_stride, y - 2));
  }
}

template <typename T>
inline uint32_t ScalarSum(const T* r0, const T* r1, const T* r2, int x) {
  const auto h = [x](const T* r) {
    return uint32_t{r[x - 1]} + 2 * uint32_t{r[x]} + uint32_t{r[x + 1]};
  };
  return h(r0) + 2 * h(r1) + h(r2);
}

// Direct path: 9..16-bit input (and 8-bit rows wider than kMaxRow).
template <typename T>
void SmoothDirect(const PlaneView& in, uint16_t* out, ptrdiff_t out_stride) {
  const hn::ScalableTag<int32_t> d32;
  const hn::Rebind<T, decltype(d32)> dt;
  const hn::Rebind<uint16_t, decltype(d32)> d16;
  const int n = static_cast<int>(hn::Lanes(d32));
  const int w = in.width;
  const bool narrow = in.bit_depth <= 8;
  const auto round = hn::Set(d32, narrow ? 0 : 8);
  const auto row = [&in](int y) {
    return reinterpret_cast<const T*>(in.data + y * in.stride);
  };
  for (int y = 1; y < in.height - 1; ++y) {
    const T* r0 = row(y - 1);
    const T* r1 = row(y);
    const T* r2 = row(y + 1);
    uint16_t* o = OutRow(out, out_stride, y - 1);
    int x = 1;
    // A vector reads columns x-1 .. x+n, all < w while x + n <= w - 1.
    for (; x + n <= w - 1; x += n) {
      const auto h = [&](const T* r) {
        const auto a = hn::PromoteTo(d32, hn::LoadU(dt, r + x - 1));
        const auto b = hn::PromoteTo(d32, hn::LoadU(dt, r + x));
        const auto c = hn::PromoteTo(d32, hn::LoadU(dt, r + x + 1));
        return hn::Add(hn::Add(a, c), hn::ShiftLeft<1>(b));
      };
      auto v = hn::Add(hn::Add(h(r0), h(r2)), hn::ShiftLeft<1>(h(r1)));
      if (!narrow) v = hn::ShiftRight<4>(hn::Add(v, round));
      hn::StoreU(hn::DemoteTo(d16, v), d16, o + x - 1);
    }
    for (; x < w - 1; ++x) {
      const uint32_t sum = ScalarSum(r0, r1, r2, x);
      o[x - 1] = static_cast<uint16_t>(narrow ? sum : (sum + 8) >> 4);
    }
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

void BinomialSmooth3x3Impl(const PlaneView& in, uint16_t* out,
                           ptrdiff_t out_stride) {
#if HWY_TARGET == HWY_SCALAR
  BinomialSmooth3x3Reference(in, out, out_stride);
#else
  if (in.empty() || in.width < 3 || in.height < 3) return;
  if (in.bit_depth > 8) {
    SmoothDirect<uint16_t>(in, out, out_stride);
  } else if (in.width > kMaxRow) {
    SmoothDirect<uint8_t>(in, out, out_stride);
  } else {
    Pipeline(in.width, in.height, out, out_stride,
             [&in](int y, uint16_t* m) { WidenRow(in.Row8(y), in.width, m); });
  }
#endif
}

void HalveAndSmooth8Impl(const PlaneView& in, uint16_t* out,
                         ptrdiff_t out_stride) {
#if HWY_TARGET != HWY_SCALAR
  const int w = in.width / 2, h = in.height / 2;
  if (!in.empty() && in.bit_depth <= 8 && w >= 3 && h >= 3 && w <= kMaxRow) {
    Pipeline(w, h, out, out_stride, [&in, w](int y, uint16_t* m) {
      HalveRows(in.Row8(2 * y), in.Row8(2 * y + 1), w, m);
    });
    return;
  }
#endif
  HalveAndSmooth8Reference(in, out, out_stride);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace acuity::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace acuity::kernels {

HWY_EXPORT(BinomialSmooth3x3Impl);
HWY_EXPORT(HalveAndSmooth8Impl);

void BinomialSmooth3x3(const PlaneView& in, uint16_t* out,
                       ptrdiff_t out_stride) {
  HWY_DYNAMIC_DISPATCH(BinomialSmooth3x3Impl)(in, out, out_stride);
}

void BinomialSmooth3x3OnTarget(int64_t target, const PlaneView& in,
                               uint16_t* out, ptrdiff_t out_stride) {
  const int index =
      CheckedDispatchTableIndex(target, "BinomialSmooth3x3OnTarget");
  HWY_DISPATCH_TABLE(BinomialSmooth3x3Impl)[index](in, out, out_stride);
}

void HalveAndSmooth8(const PlaneView& in, uint16_t* out, ptrdiff_t out_stride) {
  HWY_DYNAMIC_DISPATCH(HalveAndSmooth8Impl)(in, out, out_stride);
}

void HalveAndSmooth8OnTarget(int64_t target, const PlaneView& in, uint16_t* out,
                             ptrdiff_t out_stride) {
  const int index =
      CheckedDispatchTableIndex(target, "HalveAndSmooth8OnTarget");
  HWY_DISPATCH_TABLE(HalveAndSmooth8Impl)[index](in, out, out_stride);
}

}  // namespace acuity::kernels
#endif  // HWY_ONCE
