// edge_width_px and its companions: one edge analysis of the luma plane per
// frame, five outputs (metrics/edges.h has the constants named here).
//
// Edges (kernels/edge.h): Sobel L1 magnitude m = |gx| + |gy| on the
// unfiltered luma, direction quantised to 0/45/90/135 degrees, non-maximum
// suppression of the central difference along it, threshold
//   T = max(16, min(2 RMS(m), max(m) / 2))
// (16 in full-range 8-bit units: flat noisy frames have no edges; 2 RMS is
// MATLAB's edge(I, 'sobel') default; max/2 keeps the edges of frames whose
// edges are all alike, e.g. a grating or a page of text). RMS and max come
// from every kEdgeStatsRowStep-th row. Edge pixels come from one row in
// EdgeRowStep(height) (stratified, kernels::EdgeCodeRowY); when there are
// more than kMaxWalks of them, 1 in 2^L is walked, chosen by a hash of its
// position (SampleBits).
//
// Walks (Marziliano, Dufaux, Winkler, Ebrahimi, "A no-reference perceptual
// blur metric", ICIP 2002), from each edge pixel along its quantised
// direction (diagonal steps are sqrt(2) px), on the native samples p(t),
// t = 0 at the edge pixel, s = sign(p(1) - p(-1)): step outwards while
// s * (p(t+1) - p(t)) >= kMinRise (half a full-range 8-bit code value: one
// code value at 8 bits, two at 10 bits), i.e. up to where the profile stops
// rising (upwards) / falling (downwards). Those two extrema t1 >= 0 >= t0
// bound the transition, strictly monotonic by construction. An edge is
// valid when neither walk reaches the plane border or kMaxHalfWidth steps,
// the step height h = s * (p(t1) - p(t0)) is at least kMinStepHeight (10
// full-range 8-bit code values), and it is not the shoulder of a stronger
// opposite edge (the profile beyond an extremum falls back by more than
// kShoulderRatio * h: e.g. the rim of a sharpened edge).
//
// Per valid edge:
//   width     = (t1 - t0) steps * (1 or sqrt 2) px.
//   acutance  = 255 * mean over the n = t1 - t0 steps of (d_i / L)^2 / h^2,
//               d_i = s * (p(i+1) - p(i)), L = step length in px: the
//               Higgins-Jones acutance (mean squared gradient over the
//               transition / step height) of the edge rescaled to a
//               full-scale 255 step, so it depends on neither contrast,
//               range nor bit depth. 8-bit code values / px^2; a perfectly
//               sharp axis-aligned step gives 255, a linear ramp of width
//               w px 255 / w^2.
//   halos     only on isolated step edges (METRICS.md: a plateau on both
//             sides, so that outlines, lines and texture are not rims).
//             Beyond each extremum (HaloBeyond) the profile may fall back
//             (the rim: a drop by more than max(2, h / 8) below the lowest
//             level so far) and must then settle on a plateau: kHaloPlateau
//             (3) samples in a row within [low - max(2, h / 8), low +
//             noise], noise = max(2, h / 4) (full-range code values), all
//             within kHaloReach (12) steps; its level is their median. A
//             rise beyond noise first (texture, the next feature) or no
//             plateau in reach (a ramp): not a step edge. The rim r =
//             extremum - plateau level (>= 0); the plateau step S = h - r_hi
//             - r_lo must be >= kMinStepHeight and each rim <= 2 S (a line
//             or bar returns to the other side's level, S ~ 0). The edge's
//             halo is the symmetric part of its two rims, e = max(0,
//             2 min(r_hi, r_lo) - max(r_hi, r_lo)): a sharpening filter
//             pushes both sides of a step out alike, an outline, shadow or
//             texture bump on one side is not a halo. A side whose extremum
//             is clipped (code 0 or maximum, or within one full-range code
//             value of black or white) cannot show its rim: e = the other
//             side's rim; clipped on both sides: not a step edge.
//             overshoot = e / S (0..2).
//
// Outputs (pooled over the valid edges of the frame):
//   edge_width_px   mean width, px. Higher is blurrier.
//   edge_width_p90  nearest-rank 90th percentile width, px. Blurrier.
//   edge_acutance   mean acutance, 0..255. Higher is sharper.
//   halo_overshoot  mean overshoot over the step edges, % of the plateau
//                   step, 0..200 (0 for step edges without a halo).
//                   Neutral: higher = stronger halos.
//   halo_share      share of the step edges whose halo is >=
//                   kHaloVisibleRatio (5 %) of S and >= kHaloVisibleExcess
//                   (2 full-range code values). Neutral: higher = more edges
//                   with visible halos.
// Every output is null on a frame with fewer than kMinEdges valid edges;
// the halo outputs also with fewer than kMinStepEdges (16) step edges
// (texture everywhere, e.g. fur or foliage: no isolated step to judge).
//
// Border rule: edge pixels lie 2+ samples inside the plane (kernel); a walk
// that would leave the plane makes the edge invalid; a halo window is cut
// at the border.
//
// Determinism: edge codes and the walked subset are exact integer functions
// of the plane (the same on every SIMD target); walks and pooling are scalar
// in raster order; widths are integer step counts.
#include "metrics/edges.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

constexpr double kSqrt2 = 1.41421356237309504880;

// Thresholds of one frame in native code values.
struct WalkParams {
  int32_t min_rise = 1;
  int32_t min_step = 10;
  int32_t plateau_noise = 2;
  int bit_depth = 8;
  // Native code values within 1 full-range 8-bit unit of black / white.
  int32_t black_lo = 0, black_hi = 0, white_lo = 255, white_hi = 255;
  double gain = 1.0;
};

struct EdgeSample {
  int steps = 0;
  bool diagonal = false;
  double acutance = 0.0;
  bool step_edge = false;  // isolated step: qualifies for the halo outputs
  double overshoot = 0.0;  // fraction of the plateau step (step edges)
  bool visible_halo = false;
};

// u(t) is the profile oriented so that the edge rises towards the extremum
// at t = 0 and a rim, if any, falls after it; u(1) .. u(limit) exist.
// Returns how far the profile falls back after the extremum: it follows
// the fall to its lowest level `low` within kShoulderWindow samples, and
// stops at a rise beyond max(min_rise, fall / 2) or once it has stayed
// near `low` for kShoulderPlateau samples.
template <class U>
int32_t FallBeyond(const U& u, int limit, int32_t min_rise) {
  const int last = std::min(kShoulderWindow, limit);
  const int32_t peak = u(0);
  int32_t low = peak;
  int flat = 0;
  for (int t = 1; t <= last; ++t) {
    const int32_t val = u(t);
    if (val < low) {
      low = val;
      flat = 0;
      continue;
    }
    if (val - low > std::max(min_rise, (peak - low) / 2)) break;
    if (++flat == kShoulderPlateau) break;
  }
  return peak - low;
}

// What lies beyond an extremum, for the halo outputs.
struct Plateau {
  bool found = false;  // the profile settles on a plateau within reach
  int32_t rim = 0;     // extremum minus plateau level (>= 0)
};

// u as in FallBeyond. Follows the profile for up to kHaloReach samples:
// it may fall (a rim returning towards the plateau: a sample more than
// `fall` below the lowest level so far restarts the plateau) and must then
// stay within [low - fall, low + noise] for kHaloPlateau samples in a row:
// the plateau, whose level is their median. A rise beyond that before
// (texture, the next feature) or no plateau within reach (a slow ramp)
// leaves the side without a plateau: the edge is not an isolated step. A
// plain edge settles at once (rim ~0).
template <class U>
Plateau HaloBeyond(const U& u, int limit, int32_t fall, int32_t noise) {
  const int last = std::min(kHaloReach, limit);
  const int32_t peak = u(0);
  int32_t low = peak;
  int flat = 0;
  std::array<int32_t, kHaloPlateau> run{};
  Plateau r;
  for (int t = 1; t <= last; ++t) {
    const int32_t val = u(t);
    if (val < low - fall) {
      low = val;
      flat = 0;
      continue;
    }
    if (val - low > noise) return r;
    low = std::min(low, val);
    run[flat] = val;
    if (++flat == kHaloPlateau) {
      r.found = true;
      // The median: neither the last sample of a rim's flank nor a noise
      // spike moves it.
      std::nth_element(run.begin(), run.begin() + kHaloPlateau / 2, run.end());
      r.rim = std::max(0, peak - run[kHaloPlateau / 2]);
      return r;
    }
  }
  return r;
}

// Measures the edge at `center` along `step_bytes`; `lim_pos` / `lim_neg`
// are the steps available inside the plane on each side (>= 2).
template <typename T>
bool MeasureEdge(const uint8_t* center, ptrdiff_t step_bytes, bool diagonal,
                 int lim_pos, int lim_neg, const WalkParams& p,
                 EdgeSample* out) {
  const auto v = [center, step_bytes](int t) -> int32_t {
    return *reinterpret_cast<const T*>(center + t * step_bytes);
  };
  const int32_t diff = v(1) - v(-1);
  if (diff == 0) return false;
  const int32_t s = diff > 0 ? 1 : -1;
  int64_t sum_sq = 0;

  // Upwards to the upper extremum t1.
  int t1 = 0;
  int32_t hi = v(0);
  const int up_limit = std::min(lim_pos, kMaxHalfWidth);
  for (;;) {
    if (t1 == up_limit) return false;
    const int32_t next = v(t1 + 1);
    const int32_t d = s * (next - hi);
    if (d < p.min_rise) break;
    sum_sq += int64_t{d} * d;
    hi = next;
    ++t1;
  }
  // Downwards to the lower extremum t0 = -k0.
  int k0 = 0;
  int32_t lo = v(0);
  const int down_limit = std::min(lim_neg, kMaxHalfWidth);
  for (;;) {
    if (k0 == down_limit) return false;
    const int32_t next = v(-k0 - 1);
    const int32_t d = s * (lo - next);
    if (d < p.min_rise) break;
    sum_sq += int64_t{d} * d;
    lo = next;
    ++k0;
  }
  const int32_t h = s * (hi - lo);
  if (h < p.min_step) return false;
  const int n = t1 + k0;  // >= 1 since h > 0

  out->steps = n;
  out->diagonal = diagonal;
  const double len_sq = diagonal ? 2.0 : 1.0;
  const double hd = static_cast<double>(h);
  out->acutance = 255.0 * static_cast<double>(sum_sq) / (n * len_sq * hd * hd);

  const auto u_hi = [&](int t) { return s * v(t1 + t); };
  const auto u_lo = [&](int t) { return -s * v(-k0 - t); };
  // A profile that falls back by more than kShoulderRatio * h right after
  // an extremum makes this edge the shoulder of a stronger, opposite one
  // (e.g. the rim of a sharpened edge): not an edge of its own.
  if (FallBeyond(u_hi, lim_pos - t1, p.min_rise) > kShoulderRatio * h ||
      FallBeyond(u_lo, lim_neg - k0, p.min_rise) > kShoulderRatio * h) {
    return false;
  }
  // Halos (HaloBeyond): only isolated step edges qualify, i.e. edges
  // with a plateau on both sides within kHaloReach steps.
  const int32_t noise = std::max(p.plateau_noise, h / kHaloPlateauNoiseDivisor);
  const int32_t fall = std::max(p.plateau_noise, h / kHaloFallDivisor);
  const Plateau hi_side = HaloBeyond(u_hi, lim_pos - t1, fall, noise);
  const Plateau lo_side = HaloBeyond(u_lo, lim_neg - k0, fall, noise);
  if (!hi_side.found || !lo_side.found) return true;
  const int32_t step = h - hi_side.rim - lo_side.rim;
  if (step < p.min_step ||
      std::max(hi_side.rim, lo_side.rim) > kHaloMaxRimRatio * step) {
    return true;  // a line, a bar or an outline darker than the step
  }
  // A side whose extremum sits on a limit cannot show its rim (clipped):
  // the code range's floor or ceiling, or exactly black or white (full-range
  // 8-bit within 1 of 0 or 255 after range normalisation: sharpened in full
  // range, clipped there, then converted to limited range). An extremum
  // beyond black or white (limited range with its headroom) is a rim shown.
  const int32_t top = (int32_t{1} << p.bit_depth) - 1;
  const auto clipped = [&](int32_t value) {
    return value == 0 || value == top ||
           (value >= p.black_lo && value <= p.black_hi) ||
           (value >= p.white_lo && value <= p.white_hi);
  };
  const bool clip_hi = clipped(v(t1));
  const bool clip_lo = clipped(v(-k0));
  // The rims of a sharpening filter are symmetric (a linear filter with a
  // symmetric kernel pushes both sides of a step out by the same amount);
  // an outline, a shadow or blurred texture beside the edge is not. The
  // halo is the symmetric part: 2 min - max (0 below max = 2 min). A
  // clipped side cannot show its rim: the other side speaks alone; an edge
  // clipped on both sides (black to white) cannot be judged and does not
  // count.
  const int32_t lo_rim = std::min(hi_side.rim, lo_side.rim);
  const int32_t hi_rim = std::max(hi_side.rim, lo_side.rim);
  if (clip_hi && clip_lo) return true;
  const int32_t rim = clip_hi   ? lo_side.rim
                      : clip_lo ? hi_side.rim
                                : std::max(0, 2 * lo_rim - hi_rim);
  out->step_edge = true;
  out->overshoot = static_cast<double>(rim) / step;
  out->visible_halo = out->overshoot >= kHaloVisibleRatio &&
                      rim * p.gain >= kHaloVisibleExcess - 1e-9;
  return true;
}

// Set bits of v (the baseline x86-64 the library targets has no popcnt;
// __builtin_popcountll would be a libgcc call).
int64_t PopCount(uint64_t v) {
  v = v - ((v >> 1) & 0x5555555555555555ull);
  v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
  v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int64_t>((v * 0x0101010101010101ull) >> 56);
}

uint64_t SplitMix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Pixels x = 64 * word + i (bit i) of row y kept when walking 1 in 2^level
// edge pixels: each bit is the AND of `level` pseudo-random bits drawn from
// the position (SplitMix64, then xorshift64 steps), so it is set with
// probability 2^-level, independently of the content.
uint64_t SampleBits(int y, int word, int level) {
  uint64_t z = SplitMix64((static_cast<uint64_t>(y) << 32) |
                          static_cast<uint64_t>(word));
  uint64_t bits = z;
  for (int i = 1; i < level; ++i) {
    z ^= z << 13;
    z ^= z >> 7;
    z ^= z << 17;
    bits &= z;
  }
  return bits;
}

}  // namespace

EdgeFrameResult EdgeAnalyzer::Analyse(const PlaneView& luma,
                                      const LumaScale& scale,
                                      const EdgeSampling& sampling) {
  EdgeFrameResult r;
  if (luma.empty()) return r;
  const int w = luma.width;
  const int h = luma.height;
  const int row_step =
      sampling.row_step > 0 ? sampling.row_step : EdgeRowStep(h);
  r.row_step = row_step;
  const int rows = kernels::EdgeCodeRows(h, row_step);
  if (rows == 0 || w < 5) return r;

  // Thresholds in native units (gain: full-range 8-bit units per code).
  const double gain = scale.gain;
  const int shift = kernels::EdgeSampleShift(luma.bit_depth);
  WalkParams p;
  p.gain = gain;
  p.bit_depth = luma.bit_depth;
  const auto native = [&](double full8) { return scale.black + full8 / gain; };
  p.black_lo = static_cast<int32_t>(std::ceil(native(-1.0) - 1e-9));
  p.black_hi = static_cast<int32_t>(std::floor(native(1.0) + 1e-9));
  p.white_lo = static_cast<int32_t>(std::ceil(native(254.0) - 1e-9));
  p.white_hi = static_cast<int32_t>(std::floor(native(256.0) + 1e-9));
  p.plateau_noise = std::max<int32_t>(
      p.min_rise,
      static_cast<int32_t>(std::ceil(kHaloPlateauNoise / gain - 1e-9)));
  p.min_rise = std::max<int32_t>(
      1, static_cast<int32_t>(std::ceil(kMinRise / gain - 1e-9)));
  p.min_step = std::max<int32_t>(
      1, static_cast<int32_t>(std::ceil(kMinStepHeight / gain - 1e-9)));
  const kernels::SobelStats st =
      kernels::ComputeSobelStats(luma, kEdgeStatsRowStep);
  const double kernel_gain = gain * static_cast<double>(1 << shift);
  double threshold = std::ceil(kGradientFloor / kernel_gain - 1e-9);
  if (st.count > 0) {
    const double rms = std::sqrt(static_cast<double>(st.sum_sq) /
                                 static_cast<double>(st.count));
    const double relative =
        std::min(kGradientRmsFactor * rms, kGradientMaxShare * st.max);
    threshold = std::max(threshold, std::ceil(relative));
  }
  r.threshold = static_cast<uint32_t>(std::min(threshold, 65535.0));

  const int words = kernels::EdgeMaskWords(w);
  const size_t n_codes = static_cast<size_t>(rows) * static_cast<size_t>(w);
  const size_t n_masks = static_cast<size_t>(rows) * static_cast<size_t>(words);
  if (codes_.size() < n_codes) codes_.resize(n_codes);
  if (masks_.size() < n_masks) masks_.resize(n_masks);
  kernels::ComputeEdgeCodes(luma, row_step, r.threshold, codes_.data(), w,
                            masks_.data(), words);
  for (size_t i = 0; i < n_masks; ++i) r.candidates += PopCount(masks_[i]);
  // Walk 1 in 2^level edge pixels, level the smallest that brings the
  // expected count down to max_walks.
  int level = 0;
  if (sampling.max_walks > 0) {
    while (level < 62 &&
           ((r.candidates - 1) >> level) + 1 > sampling.max_walks) {
      ++level;
    }
  }

  for (auto& hist : width_hist_) hist.fill(0);
  double sum_acutance = 0.0;
  double sum_overshoot = 0.0;
  const int bps = luma.bytes_per_sample();
  for (int j = 0; j < rows; ++j) {
    const int y = kernels::EdgeCodeRowY(j, row_step);
    const uint8_t* code_row = codes_.data() + static_cast<size_t>(j) * w;
    const uint8_t* pixel_row = luma.data + y * luma.stride;
    for (int wi = 0; wi < words; ++wi) {
      uint64_t bits = masks_[static_cast<size_t>(j) * words + wi];
      if (bits == 0) continue;
      if (level > 0) bits &= SampleBits(y, wi, level);
      for (; bits != 0; bits &= bits - 1) {
        const int x = 64 * wi + __builtin_ctzll(bits);
        const uint8_t code = code_row[x];
        ++r.walked;
        const int dx = code == kernels::kEdgeY ? 0 : 1;
        const int dy =
            code == kernels::kEdgeX ? 0 : (code == kernels::kEdgeXnY ? -1 : 1);
        constexpr int kFar = 1 << 30;
        const int right = dx ? w - 1 - x : kFar, left = dx ? x : kFar;
        const int down = h - 1 - y, up = y;
        const int lim_pos =
            std::min(right, dy > 0 ? down : (dy < 0 ? up : kFar));
        const int lim_neg =
            std::min(left, dy > 0 ? up : (dy < 0 ? down : kFar));
        const ptrdiff_t step = dy * luma.stride + dx * bps;
        const uint8_t* center = pixel_row + x * bps;
        const bool diagonal = dx != 0 && dy != 0;
        EdgeSample e;
        const bool ok = bps == 1
                            ? MeasureEdge<uint8_t>(center, step, diagonal,
                                                   lim_pos, lim_neg, p, &e)
                            : MeasureEdge<uint16_t>(center, step, diagonal,
                                                    lim_pos, lim_neg, p, &e);
        if (!ok) continue;
        ++r.edges;
        ++width_hist_[e.diagonal ? 1 : 0][e.steps];
        sum_acutance += e.acutance;
        if (e.step_edge) {
          ++r.step_edges;
          sum_overshoot += e.overshoot;
          if (e.visible_halo) ++r.halos;
        }
      }
    }
  }
  if (r.edges < kMinEdges) return r;

  // Mean width from exact step counts. The percentile walks the axial
  // widths n and the diagonal widths n sqrt(2) in increasing order (a merge
  // of the two sorted histograms; no n sqrt(2) equals an integer).
  constexpr int kMaxSteps = 2 * kMaxHalfWidth;
  int64_t axial = 0, diag = 0;
  for (int n = 0; n <= kMaxSteps; ++n) {
    axial += width_hist_[0][n] * n;
    diag += width_hist_[1][n] * n;
  }
  const double n_edges = static_cast<double>(r.edges);
  r.width_mean = (static_cast<double>(axial) + kSqrt2 * diag) / n_edges;
  const int64_t rank = static_cast<int64_t>(std::ceil(0.9 * n_edges));
  int64_t cum = 0;
  for (int na = 0, nd = 0; na <= kMaxSteps || nd <= kMaxSteps;) {
    const bool take_axial =
        nd > kMaxSteps || (na <= kMaxSteps && na < nd * kSqrt2);
    const double value = take_axial ? na : nd * kSqrt2;
    cum += take_axial ? width_hist_[0][na++] : width_hist_[1][nd++];
    if (cum >= rank) {
      r.width_p90 = value;
      break;
    }
  }
  r.acutance = sum_acutance / n_edges;
  if (r.step_edges >= kMinStepEdges) {
    const double n_steps = static_cast<double>(r.step_edges);
    r.overshoot = 100.0 * sum_overshoot / n_steps;
    r.halo_share = static_cast<double>(r.halos) / n_steps;
  }
  return r;
}

namespace {

class EdgeWidth final : public Metric {
 public:
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const EdgeFrameResult r = analyzer_.Analyse(frame.y, analysis.scale());
    out.Set(0, r.width_mean);
    out.Set(1, r.width_p90);
    out.Set(2, r.acutance);
    out.Set(3, r.overshoot);
    out.Set(4, r.halo_share);
  }

 private:
  EdgeAnalyzer analyzer_;
};

}  // namespace

MetricEntry EdgeWidthEntry() {
  return {"edge_width_px",
          {{"edge_width_px", "px", "1..64", Direction::kHigherIsBlurrier,
            "mean Marziliano edge width (extremum to extremum along the "
            "gradient) of the luma edges; null with < 32 edges"},
           {"edge_width_p90", "px", "1..64", Direction::kHigherIsBlurrier,
            "90th percentile of the edge widths (the widest, blurriest "
            "edges)"},
           {"edge_acutance", "8-bit code values/px^2", "0..255",
            Direction::kHigherIsSharper,
            "mean Higgins-Jones acutance of the edges, each rescaled to a "
            "255 step (255 = perfectly sharp)"},
           {"halo_overshoot", "%", "0..200", Direction::kNeutral,
            "mean symmetric rim (overshoot and undershoot) of the isolated "
            "step edges, % of the plateau step; higher = stronger halos; "
            "null with < 16 step edges"},
           {"halo_share", "fraction", "0..1", Direction::kNeutral,
            "share of isolated step edges with a visible halo (>= 5% and "
            ">= 2 code values); higher = more haloed edges"}},
          true,
          [] { return std::unique_ptr<Metric>(new EdgeWidth()); }};
}

}  // namespace acuity::metrics
