// This implementation follows the CPBD MATLAB release closely, so its notice
// is kept here (and in docs/third-party.md), as the release asks:
//
// Copyright (c) 2009-2010 Arizona Board of Regents.  All Rights Reserved.
// Contact: Lina Karam (karam@asu.edu) and Niranjan Narvekar (nnarveka@asu.edu)
// Image, Video, and Usabilty (IVU) Lab, http://ivulab.asu.edu , Arizona State
// University This copyright statement may not be removed from any file
// containing it or from modifications to these files. This copyright notice
// must also be included in any file or product that is derived from the source
// files.
//
// Redistribution and use of this code in source and binary forms,  with or
// without modification, are permitted provided that the following conditions
// are met:
// - Redistribution's of source code must retain the above copyright notice,
// this list of conditions and the following disclaimer.
// - Redistribution's in binary form must reproduce the above copyright notice,
// this list of conditions and the following disclaimer in the documentation
// and/or other materials provided with the distribution.
// - The Image, Video, and Usability Laboratory (IVU Lab, http://ivulab.asu.edu)
// is acknowledged in any publication that reports research results using this
// code, copies of this code, or modifications of this code. The code and our
// papers are to be cited in the bibliography as:
//
// N. D. Narvekar and L. J. Karam, "CPBD Sharpness Metric Software",
// http://ivulab.asu.edu/Quality/CPBD
//
// N. D. Narvekar and L. J. Karam, "A No-Reference Image Blur Metric Based on
// the Cumulative Probability of Blur Detection (CPBD)," accepted and to appear
// in the IEEE Transactions on Image Processing,  2011.
//
// N. D. Narvekar and L. J. Karam, "An Improved No-Reference Sharpness Metric
// Based on the Probability of Blur Detection," International Workshop on Video
// Processing and Quality Metrics for Consumer Electronics (VPQM), January 2010,
// http://www.vpqm.org (pdf)
//
// N. D. Narvekar and L. J. Karam, "A No Reference Perceptual Quality Metric
// based on Cumulative Probability of Blur Detection," First International
// Workshop on the Quality of Multimedia Experience (QoMEX), pp. 87-91, July
// 2009.
//
// DISCLAIMER:
// This software is provided by the copyright holders and contributors "as is"
// and any express or implied warranties, including, but not limited to, the
// implied warranties of merchantability and fitness for a particular purpose
// are disclaimed. In no event shall the Arizona Board of Regents, Arizona State
// University, IVU Lab members, authors or contributors be liable for any
// direct, indirect, incidental, special, exemplary, or consequential damages
// (including, but not limited to, procurement of substitute goods or services;
// loss of use, data, or profits; or business interruption) however caused and
// on any theory of liability, whether in contract, strict liability, or tort
// (including negligence or otherwise) arising in any way out of the use of this
// software, even if advised of the possibility of such damage.

// cpbd: Cumulative Probability of Blur Detection. N. D. Narvekar and
// L. J. Karam, "A No-Reference Image Blur Metric Based on the Cumulative
// Probability of Blur Detection (CPBD)", IEEE Trans. Image Processing 20(9),
// 2011; computed as the authors' MATLAB release (CPBD_compute.m, IVU Lab,
// Arizona State University, http://ivulab.asu.edu/Quality/CPBD) computes it:
//
//   1. Edge blocks: MATLAB edge(I, 'canny') (sigma sqrt(2), automatic
//      thresholds); a whole 64x64 block (the right and bottom remainders are
//      not measured) is an edge block when more than 0.2% of its pixels
//      (i.e. >= 9) are Canny edges.
//   2. Edge pixels: MATLAB edge(I, 'sobel', 2, 'vertical') with thinning,
//      i.e. |horizontal Sobel| / 8 > 2 plus MATLAB's thinning rule. The
//      release passes the fixed threshold 2 (8-bit units); the conformance
//      maps agree with it pixel for pixel and not with the automatic one.
//   3. Widths: Marziliano et al. (ICIP 2002) along the row, at Sobel edge
//      pixels whose gradient angle (MATLAB gradient(), rounded to 45 deg) is
//      0 or 180 deg: walk both ways to the local extrema, at most 101 pixels
//      per side; width = sum of both sides (2..202).
//   4. Per edge block, w_JNB = 5 if the block's max - min <= 50 else 3;
//      P_blur = 1 - exp(-(w / w_JNB)^3.6) per width; CPBD = share of the
//      widths with round(100 P_blur) <= 63 (cum_hist(64) in MATLAB), over
//      every width in every edge block.
//
// Unit: probability. Range 0..1, higher is sharper.
// Input: luma converted to full-range 8-bit code values, rounded and clamped:
// round((v - black) * gain) (>8-bit divided first, through StreamInfo.scale).
// CPBD thresholds are absolute 8-bit levels (Sobel threshold 2 per pixel,
// w_JNB contrast 50), so this conversion is part of the definition; it is
// the only place acuity rescales pixels instead of a statistic.
// Border rule: MATLAB's (replicate padding for every filter; Canny
// non-maximum suppression and widths skip the outermost rows and columns).
// Null when the frame has no edge block, or its edge blocks hold no
// horizontal edge width (MATLAB returns 0 there).
#include "metrics/cpbd.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>
#include <vector>

#include "kernels/cpbd.h"
#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

constexpr int kBlock = 64;
// Replicate margin of the padded copy: the legacy 16-tap filter reaches 8
// pixels to one side.
constexpr int kPad = 8;
constexpr int kMaxTaps = 16;
// Edge block: more than 0.2% of 64 * 64 = 8.192 Canny pixels.
constexpr bool IsEdgeBlock(int canny_pixels) {
  return canny_pixels * 500 > kBlock * kBlock;
}
// Marziliano walk: k = 0..100 per side.
constexpr int kMaxWalk = 100;
constexpr int kMaxWidth = 2 * (kMaxWalk + 1);

// A 1-D filter in correlation form: out(i) = sum_k w[k] in(i + first + k).
struct Taps {
  std::array<float, kMaxTaps> w{};
  int n = 0;
  int first = 0;
};

// MATLAB smoothGradient(): a Gaussian and its derivative (gradient() of the
// Gaussian, positive and negative parts each normalised to sum 1), applied
// with imfilter(..., 'conv', 'replicate').
void MakeCannyTaps(CannyFilter filter, Taps* gauss, Taps* deriv) {
  const double sigma = std::sqrt(2.0);
  std::vector<double> x;
  if (filter == CannyFilter::kCurrent) {
    const int extent = static_cast<int>(std::ceil(4 * sigma));
    for (int t = -extent; t <= extent; ++t) x.push_back(t);
  } else {
    const int length = 8 * static_cast<int>(std::ceil(sigma));
    const double n = (length - 1) / 2.0;
    for (int k = 0; k < length; ++k) x.push_back(-n + k);
  }
  const int n = static_cast<int>(x.size());
  std::vector<double> g(n), d(n);
  double sum = 0;
  for (int k = 0; k < n; ++k) {
    g[k] = std::exp(-(x[k] * x[k]) / (2 * sigma * sigma)) /
           (std::sqrt(2 * std::numbers::pi) * sigma);
    sum += g[k];
  }
  for (double& v : g) v /= sum;
  d[0] = g[1] - g[0];
  d[n - 1] = g[n - 1] - g[n - 2];
  for (int k = 1; k < n - 1; ++k) d[k] = (g[k + 1] - g[k - 1]) / 2;
  double pos = 0, neg = 0;
  for (double v : d) {
    if (v > 0) pos += v;
    if (v < 0) neg -= v;
  }
  for (double& v : d) v = v > 0 ? v / pos : (v < 0 ? v / neg : 0.0);
  // imfilter's 'conv' flips the kernel; its centre is floor((n + 1) / 2)
  // (1-based), so out(i) = sum_k h[n-1-k] in(i + k - centre).
  const int centre = (n + 1) / 2 - 1;
  gauss->n = deriv->n = n;
  gauss->first = deriv->first = -centre;
  for (int k = 0; k < n; ++k) {
    gauss->w[k] = static_cast<float>(g[n - 1 - k]);
    deriv->w[k] = static_cast<float>(d[n - 1 - k]);
  }
}

// The filters of each CannyFilter, made once.
struct CannyTaps {
  Taps gauss, deriv;
};
const CannyTaps& TapsFor(CannyFilter filter) {
  static const std::array<CannyTaps, 2> kTaps = [] {
    std::array<CannyTaps, 2> t;
    MakeCannyTaps(CannyFilter::kCurrent, &t[0].gauss, &t[0].deriv);
    MakeCannyTaps(CannyFilter::kLegacy16, &t[1].gauss, &t[1].deriv);
    return t;
  }();
  return kTaps[filter == CannyFilter::kCurrent ? 0 : 1];
}

// round(100 * (1 - exp(-(w / w_jnb)^3.6))) <= 63, as MATLAB computes it.
struct SharpTable {
  std::array<bool, kMaxWidth + 1> jnb3{}, jnb5{};
  SharpTable() {
    for (int w = 0; w <= kMaxWidth; ++w) {
      const auto sharp = [w](double jnb) {
        const double p = 1.0 - std::exp(-std::pow(std::abs(w / jnb), 3.6));
        return std::round(p * 100.0) + 1.0 <= 64.0;
      };
      jnb3[w] = sharp(3.0);
      jnb5[w] = sharp(5.0);
    }
  }
};
const SharpTable& Sharp() {
  static const SharpTable table;
  return table;
}

// Which way the Marziliano width of a pixel is measured, from the doubled
// MATLAB gradient() components gx2 = 2 Gx, gy2 = 2 Gy.
//
// MATLAB: angle = atan2(Gy, Gx) in degrees when Gx ~= 0, else 0 (the
// release assigns 90 only when Gy == pi/2, which integer images never
// produce); widths are measured where 45 * round(angle / 45) is 0 (the
// intensity rises to the right) or +-180 (falls), i.e. where
// |Gy| < tan(22.5 deg) |Gx| or Gx = 0. With tan(22.5 deg) = sqrt(2) - 1,
// |Gy| < t |Gx|  <=>  (|Gy| + |Gx|)^2 < 2 Gx^2, exact in integers (no
// integer pair up to 510 lies within double rounding of the boundary).
enum class Slope { kNone, kRising, kFalling };
inline Slope SlopeOf(int gx2, int gy2) {
  if (gx2 == 0) return Slope::kRising;
  const int64_t ax = std::abs(gx2), ay = std::abs(gy2);
  if ((ay + ax) * (ay + ax) >= 2 * ax * ax) return Slope::kNone;
  return gx2 > 0 ? Slope::kRising : Slope::kFalling;
}

// Marziliano width at interior pixel `c` of `row` (width `w`), walked as
// CPBD_compute.m walks it: 0 when the angle is not horizontal.
inline int WidthAt(const uint8_t* row, int c, int w, int gx2, int gy2) {
  const Slope slope = SlopeOf(gx2, gy2);
  if (slope == Slope::kNone) return 0;
  int k, side1, side2;
  if (slope == Slope::kRising) {
    for (k = 0; k <= kMaxWalk; ++k) {  // right, while rising
      if (c + 2 + k > w - 1 || row[c + 2 + k] - row[c + 1 + k] <= 0) break;
    }
    side1 = std::min(k, kMaxWalk) + 1;
    for (k = 0; k <= kMaxWalk; ++k) {  // left, while falling
      if (c - 2 - k < 0 || row[c - 2 - k] - row[c - 1 - k] >= 0) break;
    }
    side2 = std::min(k, kMaxWalk) + 1;
  } else {
    for (k = 0; k <= kMaxWalk; ++k) {  // left, while rising
      if (c - 2 - k < 0 || row[c - 2 - k] - row[c - 1 - k] <= 0) break;
    }
    side1 = std::min(k, kMaxWalk) + 1;
    for (k = 0; k <= kMaxWalk; ++k) {  // right, while falling
      if (c + 2 + k > w - 1 || row[c + 2 + k] - row[c + 1 + k] >= 0) break;
    }
    side2 = std::min(k, kMaxWalk) + 1;
  }
  return side1 + side2;
}

// The same walks on step bits (kernels step_bits: bit x = the step from
// x to x + 1 rises / falls), without a branch per step. A walk that
// continues while step p, p + 1, ... (or p, p - 1, ...) goes one way lasts
// as many steps as there are consecutive set bits from p, at most
// kMaxWalk + 1, and the side is min(that, kMaxWalk) + 1 pixels.
inline int RunFrom(const uint64_t* bits, int p) {  // p, p + 1, ...
  int run = 0;
  while (run <= kMaxWalk) {
    const int q = p + run, word = q >> 6, shift = q & 63;
    uint64_t v = bits[word] >> shift;
    if (shift != 0) v |= bits[word + 1] << (64 - shift);
    const int ones = std::countr_one(v);
    run += ones;
    if (ones < 64) break;
  }
  return std::min(run, kMaxWalk);
}
inline int RunDownFrom(const uint64_t* bits, int p) {  // p, p - 1, ...
  int run = 0;
  while (run <= kMaxWalk && p - run >= 0) {
    const int q = p - run, word = q >> 6, shift = q & 63;
    uint64_t v = bits[word] << (63 - shift);
    if (shift != 63 && word > 0) v |= bits[word - 1] >> (shift + 1);
    // Below bit 0 the shifted-in zeros end the run, as the image edge does.
    const int ones = std::countl_one(v);
    run += ones;
    if (ones < 64) break;
  }
  return std::min(run, kMaxWalk);
}
// WidthAt from the step bits of the row: the steps right of c start at
// c + 1, those left of c at c - 2 (the walk compares c - 2 with c - 1).
inline int WidthFromSteps(const uint64_t* up, const uint64_t* down, int c,
                          Slope slope) {
  if (slope == Slope::kRising) {
    return 2 + RunFrom(up, c + 1) + RunDownFrom(up, c - 2);
  }
  return 2 + RunDownFrom(down, c - 2) + RunFrom(down, c + 1);
}

// How luma code values become full-range 8-bit: round((v - black) * gain),
// clamped. For the standard scales (LumaScale::For) black and gain are
// rationals, (v - black) * num / den, rounded half up exactly; any other
// scale is rounded in double through a table.
struct Conversion {
  enum Kind { kIdentity, kRational8, kTable } kind = kIdentity;
  int black = 0, num = 1, den = 1;  // kRational8
  std::vector<uint8_t> table;       // kTable: by code value
};

Conversion MakeConversion(const StreamInfo& info) {
  Conversion conv;
  const int depth = info.bit_depth;
  const LumaScale standard = LumaScale::For(depth, info.range);
  const bool is_standard =
      info.scale.black == standard.black && info.scale.gain == standard.gain;
  const bool full = info.range == ColorRange::kFull;
  const int64_t unit = int64_t{1} << (depth - 8);
  const int64_t black = full ? 0 : 16 * unit;
  const int64_t num = full ? 1 : 255;
  const int64_t den = (full ? 1 : 219) * unit;
  if (is_standard && depth == 8) {
    conv.kind = full ? Conversion::kIdentity : Conversion::kRational8;
    conv.black = static_cast<int>(black);
    conv.num = static_cast<int>(num);
    conv.den = static_cast<int>(den);
    return conv;
  }
  conv.kind = Conversion::kTable;
  conv.table.resize(size_t{1} << depth);
  for (size_t v = 0; v < conv.table.size(); ++v) {
    int64_t y;
    if (is_standard) {
      const int64_t d = std::max<int64_t>(static_cast<int64_t>(v) - black, 0);
      y = (2 * d * num + den) / (2 * den);
    } else {
      y = static_cast<int64_t>(std::round(
          std::clamp(info.scale.ToFull8(static_cast<double>(v)), -1.0, 256.0)));
    }
    conv.table[v] = static_cast<uint8_t>(std::clamp<int64_t>(y, 0, 255));
  }
  return conv;
}

}  // namespace

// All per-frame state; buffers grow to the frame size once and are reused.
class CpbdEngine {
 public:
  explicit CpbdEngine(
      const kernels::CpbdKernels& k = kernels::CpbdKernelsBest(),
      bool always_full_histogram = false)
      : k_(k), always_full_histogram_(always_full_histogram) {}

  // Converts `plane` to full-range 8-bit into the padded copy.
  void Load(const PlaneView& plane, const Conversion& conv);

  // Stage 1: Canny edges; fills canny_ (2 = edge) and the per-block counts.
  void Canny(CannyFilter filter);
  // Stage 2: Sobel vertical edges for rows [r0, r1) into sobel_.
  void Sobel(int r0, int r1);
  // Stages 3-4 for the edge blocks of block row `by`, from the block counts
  // and sobel_, with widths measured on the fly: adds to the count of
  // widths and of sharp ones (round(100 P_blur) <= 63).
  void PoolBand(int by, int64_t* total, int64_t* sharp);

  std::optional<double> Run(CannyFilter filter) {
    Canny(filter);
    // Widths are measured in edge blocks only, so Sobel edges are needed
    // in their bands alone; each band is pooled while its rows are hot.
    int64_t total = 0, sharp = 0;
    for (int by = 0; by < blocks_y_; ++by) {
      bool band = false;
      for (int bx = 0; bx < blocks_x_; ++bx) {
        band |= IsEdgeBlock(block_canny_[by * blocks_x_ + bx]);
      }
      if (!band) continue;
      Sobel(by * kBlock, (by + 1) * kBlock);
      PoolBand(by, &total, &sharp);
    }
    if (total == 0) return std::nullopt;
    return static_cast<double>(sharp) / static_cast<double>(total);
  }

  const uint8_t* Row(int r) const {
    return pad_.data() + static_cast<size_t>(r + kPad) * wp_ + kPad;
  }
  uint8_t CannyAt(int r, int c) const {
    return canny_[static_cast<size_t>(r) * w_ + c] == 2;
  }
  uint8_t SobelAt(int r, int c) const {
    return sobel_[static_cast<size_t>(r) * w_ + c];
  }

 private:
  void Resize(int w, int h);
  uint8_t* PadRow(int r) {
    return pad_.data() + static_cast<size_t>(r + kPad) * wp_ + kPad;
  }

  const kernels::CpbdKernels k_;
  const bool always_full_histogram_;  // tests: skip the fast threshold path
  int w_ = 0, h_ = 0, wp_ = 0;
  int blocks_x_ = 0, blocks_y_ = 0;
  std::vector<uint8_t> pad_;     // (h + 2 kPad) x (w + 2 kPad), replicate
  std::vector<float> mag_;       // w x h gradient magnitude (not normalised)
  std::vector<uint8_t> canny_;   // w x h: 1 local maximum / weak, 2 edge
  std::vector<uint8_t> sobel_;   // w x h: 1 Sobel edge
  std::vector<uint32_t> stack_;  // w x h: seeds, then the flood-fill stack
  std::vector<float> tv_, td_;   // one padded row each
  std::vector<float> gx_, gy_;   // two rows each
  std::vector<uint16_t> sx_;     // 4 rows of w + 2: 3 ring, 1 zero
  std::vector<int> block_canny_;
  std::vector<const bool*> band_tables_;  // per block of a band
  std::vector<uint64_t> up_, down_;       // step bits of one row
};

void CpbdEngine::Resize(int w, int h) {
  if (w == w_ && h == h_) return;
  w_ = w;
  h_ = h;
  wp_ = w + 2 * kPad;
  blocks_x_ = w / kBlock;
  blocks_y_ = h / kBlock;
  const size_t n = static_cast<size_t>(w) * h;
  pad_.assign(static_cast<size_t>(wp_) * (h + 2 * kPad), 0);
  mag_.assign(n, 0.0f);
  canny_.assign(n, 0);
  sobel_.assign(n, 0);
  stack_.assign(n, 0);
  tv_.assign(wp_, 0.0f);
  td_.assign(wp_, 0.0f);
  gx_.assign(2 * static_cast<size_t>(w), 0.0f);
  gy_.assign(2 * static_cast<size_t>(w), 0.0f);
  sx_.assign(4 * static_cast<size_t>(w + 2), 0);
  block_canny_.assign(static_cast<size_t>(blocks_x_) * blocks_y_, 0);
  band_tables_.assign(blocks_x_, nullptr);
  up_.assign(static_cast<size_t>(w + 63) / 64 + 1, 0);
  down_.assign(up_.size(), 0);
}

void CpbdEngine::Load(const PlaneView& plane, const Conversion& conv) {
  Resize(plane.width, plane.height);
  for (int r = 0; r < h_; ++r) {
    uint8_t* dst = PadRow(r);
    if (conv.kind == Conversion::kIdentity) {
      std::memcpy(dst, plane.Row8(r), w_);
    } else if (conv.kind == Conversion::kRational8) {
      k_.rescale8(plane.Row8(r), w_, conv.black, conv.num, conv.den, dst);
    } else if (plane.bit_depth > 8) {
      const uint16_t* src = plane.Row16(r);
      const uint8_t* table = conv.table.data();
      const size_t mask = conv.table.size() - 1;
      for (int c = 0; c < w_; ++c) dst[c] = table[src[c] & mask];
    } else {
      const uint8_t* src = plane.Row8(r);
      const uint8_t* table = conv.table.data();
      for (int c = 0; c < w_; ++c) dst[c] = table[src[c]];
    }
    std::memset(dst - kPad, dst[0], kPad);
    std::memset(dst + w_, dst[w_ - 1], kPad);
  }
  for (int r = -kPad; r < 0; ++r) {
    std::memcpy(PadRow(r) - kPad, PadRow(0) - kPad, wp_);
  }
  for (int r = h_; r < h_ + kPad; ++r) {
    std::memcpy(PadRow(r) - kPad, PadRow(h_ - 1) - kPad, wp_);
  }
}

void CpbdEngine::Canny(CannyFilter filter) {
  const Taps& g = TapsFor(filter).gauss;
  const Taps& d = TapsFor(filter).deriv;
  const int w = w_, h = h_;
  const size_t n = static_cast<size_t>(w) * h;
  std::memset(canny_.data(), 0, w);
  std::memset(canny_.data() + (n - w), 0, w);
  std::array<const uint8_t*, kMaxTaps> rows;
  std::array<const float*, kMaxTaps> taps;
  float mag_max = 0.0f;
  // Row r's gradient is computed, then row r-1 (whose neighbours are now
  // known) is tested for a local maximum along its gradient direction
  // (MATLAB cannyFindLocalMaxima, interior pixels only).
  for (int r = 0; r <= h; ++r) {
    if (r < h) {
      float* gx = gx_.data() + (r & 1) * w;
      float* gy = gy_.data() + (r & 1) * w;
      // MATLAB: GX = deriv_x(gauss_y(I)), GY = deriv_y(gauss_x(I)), each
      // pass on replicate-padded input. Separable filters commute, so GY =
      // gauss_x(deriv_y(I)) and both vertical passes share one read of the
      // rows; run over the padded columns, they yield the replicate padding
      // the horizontal passes need.
      for (int k = 0; k < g.n; ++k) rows[k] = PadRow(r + g.first + k) - kPad;
      k_.folded_fir2_u8(rows.data(), g.w.data(), d.w.data(), g.n, wp_,
                        tv_.data(), td_.data());
      for (int k = 0; k < d.n; ++k) taps[k] = tv_.data() + kPad + d.first + k;
      k_.folded_fir(taps.data(), d.w.data(), d.n, -1, w, gx);
      for (int k = 0; k < g.n; ++k) taps[k] = td_.data() + kPad + g.first + k;
      k_.folded_fir(taps.data(), g.w.data(), g.n, 1, w, gy);
      mag_max = std::max(
          mag_max,
          k_.magnitude(gx, gy, w, mag_.data() + static_cast<size_t>(r) * w));
    }
    const int rn = r - 1;  // row to thin
    if (rn < 1 || rn > h - 2) continue;
    const float* up = mag_.data() + static_cast<size_t>(rn - 1) * w;
    // No pixel at or below kFloor times the largest magnitude so far can
    // pass the final low threshold (>= 0.4 / 64 = 0.00625 of the final
    // largest, with margin for float rounding): those are not tested.
    constexpr float kFloor = 0.0062f;
    k_.non_max(gx_.data() + (rn & 1) * w, gy_.data() + (rn & 1) * w, up, up + w,
               up + 2 * w, w, kFloor * mag_max,
               canny_.data() + static_cast<size_t>(rn) * w);
  }
  // Thresholds: MATLAB normalises by the maximum, takes a 64-bin imhist
  // (bins centred on k/63) and puts the high threshold where the cumulative
  // count first exceeds 70% of the pixels (high = bin / 64); low = 0.4 high.
  // Weak = local maximum above low, strong = above high.
  const float scale = mag_max > 0 ? mag_max : 1.0f;
  const auto crosses = [n](uint64_t count) {
    return static_cast<double>(count) > 0.7 * static_cast<double>(n);
  };
  const auto low_of = [](int bin) {
    return static_cast<float>(0.4 * (bin / 64.0));
  };
  const auto high_of = [](int bin) { return static_cast<float>(bin / 64.0); };
  // Fast path: the high bin estimated from every 16th row, then one pass
  // that counts the exact cumulative histogram at the candidate bins around
  // the estimate and codes each local maximum's level against every
  // candidate's thresholds. If the crossing is outside the candidates, the
  // full histogram and classification decide instead; both paths compute
  // the same floats, so the result does not depend on the path.
  std::array<uint32_t, 64> hist{};
  uint64_t sampled = 0;
  for (int r = 0; r < h; r += 16) {
    k_.histogram64(mag_.data() + static_cast<size_t>(r) * w, w, scale,
                   hist.data());
    sampled += w;
  }
  int estimate = 64;
  uint64_t cum = 0;
  for (int k = 0; k < 64; ++k) {
    cum += hist[k];
    if (static_cast<double>(cum) > 0.7 * static_cast<double>(sampled)) {
      estimate = k + 1;
      break;
    }
  }
  // The sampled estimate is almost always within one bin of the crossing.
  constexpr int kCand = 3;
  std::array<int, kCand> cand;
  std::array<float, kCand> lows, highs;
  std::array<uint32_t, kCand> counts{};
  const int first = std::clamp(estimate - kCand / 2, 1, 64 - kCand + 1);
  for (int j = 0; j < kCand; ++j) {
    cand[j] = first + j;
    lows[j] = low_of(cand[j]);
    highs[j] = high_of(cand[j]);
  }
  k_.threshold_pass(mag_.data(), n, 63.0f / scale, 1.0f / scale, cand.data(),
                    lows.data(), highs.data(), kCand, canny_.data(),
                    counts.data());
  int hit = -1;
  for (int j = 0; j < kCand; ++j) {
    if (crosses(counts[j])) {
      // Known to be the first crossing only if the bin below is known not
      // to cross.
      if (j > 0 || cand[0] == 1) hit = j;
      break;
    }
  }
  size_t top;
  if (hit >= 0 && !always_full_histogram_) {
    top = k_.resolve(canny_.data(), n, hit, stack_.data());
  } else {
    hist.fill(0);
    k_.histogram64(mag_.data(), n, scale, hist.data());
    cum = 0;
    int high_bin = 64;
    for (int k = 0; k < 64; ++k) {
      cum += hist[k];
      if (crosses(cum)) {
        high_bin = k + 1;
        break;
      }
    }
    top = k_.classify(mag_.data(), n, scale, low_of(high_bin),
                      high_of(high_bin), canny_.data(), stack_.data());
  }
  // Hysteresis keeps the 8-connected weak components that hold a strong
  // pixel: MATLAB bwselect. Every edge pixel passes through the stack once,
  // where it is counted.
  std::fill(block_canny_.begin(), block_canny_.end(), 0);
  const int block_rows = blocks_y_ * kBlock, block_cols = blocks_x_ * kBlock;
  while (top > 0) {
    const uint32_t p = stack_[--top];
    const int pr = static_cast<int>(p / w), pc = static_cast<int>(p % w);
    if (pr < block_rows && pc < block_cols) {
      block_canny_[(pr / kBlock) * blocks_x_ + pc / kBlock]++;
    }
    for (int dr = -1; dr <= 1; ++dr) {
      const int qr = pr + dr;
      if (qr < 0 || qr >= h) continue;
      for (int dc = -1; dc <= 1; ++dc) {
        const int qc = pc + dc;
        if (qc < 0 || qc >= w) continue;
        uint8_t& q = canny_[static_cast<size_t>(qr) * w + qc];
        if (q == 1) {
          q = 2;
          stack_[top++] = static_cast<uint32_t>(qr * w + qc);
        }
      }
    }
  }
}

void CpbdEngine::Sobel(int r0, int r1) {
  const int w = w_;
  r1 = std::min(r1, h_);
  if (r0 >= r1) return;
  // Rows of |Sobel x| with a zero column on each side; slot 3 stays zero
  // and stands for the rows outside the image (whose comparisons pass).
  const auto slot = [&](int r) {
    return sx_.data() +
           static_cast<size_t>(r < 0 || r >= h_ ? 3 : r % 3) * (w + 2) + 1;
  };
  const auto sobel_x = [&](int r) {
    k_.sobel_x(PadRow(r - 1), PadRow(r), PadRow(r + 1), w, slot(r));
  };
  if (r0 > 0) sobel_x(r0 - 1);
  sobel_x(r0);
  for (int r = r0; r < r1; ++r) {
    if (r + 1 < h_) sobel_x(r + 1);
    k_.sobel_edges(slot(r - 1), slot(r), slot(r + 1), PadRow(r - 1),
                   PadRow(r + 1), w,
                   sobel_.data() + static_cast<size_t>(r) * w);
  }
}

void CpbdEngine::PoolBand(int by, int64_t* total, int64_t* sharp_count) {
  const SharpTable& sharp = Sharp();
  const int r0 = by * kBlock;
  // The P_blur table of each edge block of the band (by its contrast), or
  // none.
  for (int bx = 0; bx < blocks_x_; ++bx) {
    band_tables_[bx] = nullptr;
    if (!IsEdgeBlock(block_canny_[by * blocks_x_ + bx])) continue;
    uint8_t lo = 255, hi = 0;
    for (int r = r0; r < r0 + kBlock; ++r) {
      const uint8_t* row = Row(r) + bx * kBlock;
      for (int c = 0; c < kBlock; ++c) {
        lo = std::min(lo, row[c]);
        hi = std::max(hi, row[c]);
      }
    }
    band_tables_[bx] = hi - lo <= 50 ? sharp.jnb5.data() : sharp.jnb3.data();
  }
  // Widths at the Sobel edges of the edge blocks' interior pixels (not the
  // image's outermost rows and columns), found 8 flags (0/1 bytes) at a
  // time.
  static_assert(std::endian::native == std::endian::little,
                "flag bytes are read as little-endian words");
  for (int r = std::max(r0, 1); r < std::min(r0 + kBlock, h_ - 1); ++r) {
    const uint8_t* row = Row(r);
    const uint8_t* above = Row(r - 1);
    const uint8_t* below = Row(r + 1);
    k_.step_bits(row, w_, up_.data(), down_.data());
    for (int bx = 0; bx < blocks_x_; ++bx) {
      const bool* table = band_tables_[bx];
      if (table == nullptr) continue;
      const int c0 = bx * kBlock;
      const uint8_t* edges = sobel_.data() + static_cast<size_t>(r) * w_ + c0;
      for (int k = 0; k < kBlock / 8; ++k) {
        uint64_t word;
        std::memcpy(&word, edges + 8 * k, 8);
        if (k == 0 && c0 == 0) word &= ~uint64_t{0xFF};
        if (k == kBlock / 8 - 1 && c0 + kBlock == w_) {
          word &= ~(uint64_t{0xFF} << 56);
        }
        while (word != 0) {
          const int c = c0 + 8 * k + std::countr_zero(word) / 8;
          word &= word - 1;
          const Slope slope =
              SlopeOf(row[c + 1] - row[c - 1], below[c] - above[c]);
          if (slope == Slope::kNone) continue;
          ++*total;
          *sharp_count +=
              table[WidthFromSteps(up_.data(), down_.data(), c, slope)];
        }
      }
    }
  }
}

namespace {

PlaneView ViewOf(const cv::Mat& gray) {
  PlaneView v;
  v.data = gray.data;
  v.stride = static_cast<ptrdiff_t>(gray.step);
  v.width = gray.cols;
  v.height = gray.rows;
  v.bit_depth = 8;
  return v;
}

bool Usable(const cv::Mat& gray) {
  return gray.type() == CV_8UC1 && gray.cols >= 3 && gray.rows >= 3;
}

class Cpbd final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    if (info.bit_depth < 8 || info.bit_depth > 16) {
      return Unsupported("cpbd: bit depth " + std::to_string(info.bit_depth));
    }
    bit_depth_ = info.bit_depth;
    conv_ = MakeConversion(info);
    return Status::Ok();
  }
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& y = frame.y;
    if (y.empty() || y.width < 3 || y.height < 3) return;
    if (y.bit_depth != bit_depth_) return;
    engine_.Load(y, conv_);
    out.Set(0, engine_.Run(CannyFilter::kCurrent));
  }

 private:
  int bit_depth_ = 8;
  Conversion conv_;
  CpbdEngine engine_;
};

}  // namespace

cv::Mat MatlabCanny(const cv::Mat& gray, CannyFilter filter) {
  if (!Usable(gray)) return {};
  CpbdEngine e;
  e.Load(ViewOf(gray), Conversion());
  e.Canny(filter);
  cv::Mat out(gray.rows, gray.cols, CV_8UC1);
  for (int r = 0; r < gray.rows; ++r) {
    for (int c = 0; c < gray.cols; ++c) out.at<uint8_t>(r, c) = e.CannyAt(r, c);
  }
  return out;
}

cv::Mat MatlabSobelVertical(const cv::Mat& gray) {
  if (!Usable(gray)) return {};
  CpbdEngine e;
  e.Load(ViewOf(gray), Conversion());
  e.Sobel(0, gray.rows);
  cv::Mat out(gray.rows, gray.cols, CV_8UC1);
  for (int r = 0; r < gray.rows; ++r) {
    for (int c = 0; c < gray.cols; ++c) out.at<uint8_t>(r, c) = e.SobelAt(r, c);
  }
  return out;
}

cv::Mat MarzilianoWidths(const cv::Mat& gray, const cv::Mat& sobel_edges) {
  if (!Usable(gray) || sobel_edges.size() != gray.size() ||
      sobel_edges.type() != CV_8UC1) {
    return {};
  }
  cv::Mat out = cv::Mat::zeros(gray.rows, gray.cols, CV_8UC1);
  for (int r = 1; r < gray.rows - 1; ++r) {
    const uint8_t* row = gray.ptr<uint8_t>(r);
    for (int c = 1; c < gray.cols - 1; ++c) {
      if (!sobel_edges.at<uint8_t>(r, c)) continue;
      out.at<uint8_t>(r, c) = static_cast<uint8_t>(
          WidthAt(row, c, gray.cols, row[c + 1] - row[c - 1],
                  gray.at<uint8_t>(r + 1, c) - gray.at<uint8_t>(r - 1, c)));
    }
  }
  return out;
}

std::optional<double> CpbdFromMaps(const cv::Mat& gray, const cv::Mat& canny,
                                   const cv::Mat& widths) {
  if (!Usable(gray) || canny.size() != gray.size() ||
      widths.size() != gray.size() || canny.type() != CV_8UC1 ||
      widths.type() != CV_8UC1) {
    return std::nullopt;
  }
  const SharpTable& sharp = Sharp();
  int64_t total = 0, sharp_count = 0;
  for (int r0 = 0; r0 + kBlock <= gray.rows; r0 += kBlock) {
    for (int c0 = 0; c0 + kBlock <= gray.cols; c0 += kBlock) {
      const cv::Rect block(c0, r0, kBlock, kBlock);
      if (!IsEdgeBlock(cv::countNonZero(canny(block)))) continue;
      double lo = 0, hi = 0;
      cv::minMaxLoc(gray(block), &lo, &hi);
      const auto& table = hi - lo <= 50 ? sharp.jnb5 : sharp.jnb3;
      for (int r = r0; r < r0 + kBlock; ++r) {
        for (int c = c0; c < c0 + kBlock; ++c) {
          const int width = widths.at<uint8_t>(r, c);
          if (width == 0) continue;
          ++total;
          sharp_count += table[std::min(width, kMaxWidth)];
        }
      }
    }
  }
  if (total == 0) return std::nullopt;
  return static_cast<double>(sharp_count) / static_cast<double>(total);
}

std::optional<double> CpbdFromGray(const cv::Mat& gray) {
  return CpbdFromGray(gray, kernels::CpbdKernelsBest());
}

std::optional<double> CpbdFromGray(const cv::Mat& gray,
                                   const kernels::CpbdKernels& kernels) {
  return CpbdCalculator(kernels).FromGray(gray);
}

CpbdCalculator::CpbdCalculator(const kernels::CpbdKernels& kernels,
                               bool always_full_histogram)
    : engine_(std::make_unique<CpbdEngine>(kernels, always_full_histogram)) {}

CpbdCalculator::~CpbdCalculator() = default;

std::optional<double> CpbdCalculator::FromGray(const cv::Mat& gray) {
  if (!Usable(gray)) return std::nullopt;
  engine_->Load(ViewOf(gray), Conversion());
  return engine_->Run(CannyFilter::kCurrent);
}

MetricEntry CpbdEntry() {
  return {"cpbd",
          {{"cpbd", "probability", "0..1", Direction::kHigherIsSharper,
            "cumulative probability of blur detection (Narvekar & Karam "
            "2011, MATLAB release); null without edge blocks"}},
          false,
          [] { return std::unique_ptr<Metric>(new Cpbd()); }};
}

}  // namespace acuity::metrics
