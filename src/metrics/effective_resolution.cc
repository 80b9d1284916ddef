// Effective resolution from edge blur: effective_height, effective_width,
// resolution_ratio and blur_sigma_px. "1080p but soft": how many lines
// (columns) of real detail a frame carries, from how blurred its edges are.
//
// Method (per frame, per direction; the vertical direction reads profiles
// down the columns, i.e. horizontal edges, and gives effective_height):
//  1. Profiles: 4 adjacent columns (rows for the horizontal direction) are
//     averaged into one profile (noise / 2, and an edge tilted by <= 10
//     degrees moves < 0.7 px over them). A first pass takes one group in
//     4 (4 lines of every 16) and is kept when it yields >= 48 edges, a
//     second one group in 2 (same rule); otherwise all groups are used.
//     Flat lines at the ends (letterbox and pillarbox bars, range <= 2
//     code values) are trimmed off.
//  2. Re-blur (Zhuo & Sim, "Defocus map estimation from a single image",
//     Pattern Recognition 44(9), 2011): each profile is smoothed along
//     itself with sampled Gaussians of sigma 1 (fine) and 2 (coarse); a
//     step edge A * Phi(x / s) gives forward differences whose peaks have
//     the ratio R(s) = D(sqrt(s^2 + v1)) / D(sqrt(s^2 + v2)), D(t) =
//     Phi((0.5 - d) / t) - Phi((-0.5 - d) / t), with v1, v2 the variances of
//     the sampled kernels and d the sub-pixel offset of the edge (Gaussian
//     peak fit through the three coarse differences). The continuous
//     formula sigma = sigma0 / sqrt(R^2 - 1) is this model without the
//     sampling; the exact one matters at the sigmas that separate 720p from
//     1080p (0.5-1 px). R is inverted through a table.
//  3. Edges: local maxima of the coarse difference of at least 2 code
//     values and 8 standard deviations of the fine difference's noise
//     (selecting on the coarse peak biases towards blur, never towards
//     sharpness), not between rows 8k-1 and 8k (the coding-block grid of
//     MPEG-2/H.264/JPEG: block edges are steps of their own), step height
//     >= 16 code values, and verified to be an isolated step (Elder &
//     Zucker, "Local scale control for edge detection and blur
//     estimation", IEEE TPAMI 20(7), 1998, verify edges against their
//     model): the fine levels W = ceil(2.5 sqrt(s^2 + v1)) + 1 samples either
//     side differ by the step height the peak implies (within 25%), and
//     the fine differences over the window fit the model's within 15% RMS
//     (plus the noise's share, at most 25%), and the coarse differences
//     fit theirs within 30% (a texture can fake the fine-to-coarse peak
//     ratio of a sharp step, not both profiles). Lines, textures, ramps and
//     one-pixel patterns fail this test and are not measured.
//     Blocky frames: when sharp steps (s < 0.6 px) crowd the grid (more
//     than twice its 1-in-8 share) and are low (p90 height <= 48 code
//     values), motion compensation has moved such block steps off the grid
//     too; sharp off-grid steps no higher than the grid's are set aside
//     (when the grid holds at least as many sharp steps as the rest of
//     the frame, twice as high and up to s < 0.75 px: P frames' moved
//     blocks carry their own residual and half-sample interpolation).
//     Tilted edges: an accepted edge's slope b (px per line) is read on its
//     group's lines and 2 more either side (MeasureEdgeSlope: per line the
//     centroid of the smoothed differences, a least-squares line through
//     them; only where every line shows the whole step on a straight
//     line), and sigma^2 becomes (sigma^2 - 1.5 b'^2) / (1 + 1.4 b'^2),
//     b'^2 = b^2 less its noise variance: the profile crosses a tilted
//     edge obliquely and the 4-line average smears it. Edges steeper than
//     ~63 degrees to the lines' normal (Scharr gradients) are left to the
//     other direction.
//  4. Noise: noise_sigma's estimator (Immerkaer 1996, metrics/noise.h).
//     Above 2 (6) code values both scales grow by 1.5x (2x), so the fine
//     difference stays well above the noise; grain then reads as blur,
//     never as detail.
//  5. Pooling: the median sigma of the accepted edges (>= 12, else null).
// Mapping: effective_height = H * min(1, kNativeSigma / sigma_v), rounded
// to whole lines; effective_width likewise from sigma_h; resolution_ratio =
// effective_height / H; blur_sigma_px = sqrt(max(0, mean(sigma_v^2,
// sigma_h^2) - kNativeSigma^2)) over the directions that have a value.
// kNativeSigma = 0.475 px is the geometric mean of (source lines / 1080) *
// sigma over the 24 upscales of the Mandelbrot and testsrc2 renders
// (360/540/720 x 4 kernels, with the tilt correction: 0.527 and 0.427; the
// soft aloeL photo's chains, which carry its own blur, give 0.637:
// docs/metrics.md "Why 0.475 px"). A Gaussian blur of sigma 1 on sharp
// content halves the reading, which matches its MTF (0.29 at half
// Nyquist, <0.01 at Nyquist).
// Units: lines, columns, ratio 0..1, pixels. Higher is sharper for the
// first three; blur_sigma_px: higher is blurrier.
// Null: frames with fewer than 12 verified isolated edges in a direction
// (flat frames, pure texture, binary one-pixel patterns such as lavfi
// cellauto/life), frames under ~40 lines or columns.
// Determinism: the line groups are exact integer sums; the smoothing is
// kernels::SmoothProfiles (float, a fixed per-element order of rounded
// multiplies and adds, bit-exact on every SIMD target); the scan's
// candidates come from kernels::FindStepCandidates (float subtractions and
// comparisons only: every target exact), the rest of the scan is plain C++
// in fixed order. The same input gives the same numbers on every run,
// thread count and SIMD target.
#include "metrics/effective_resolution.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

#include "kernels/line_activity.h"
#include "kernels/profile_smooth.h"
#include "kernels/step_candidates.h"
#include "metrics/frame_analysis.h"
#include "metrics/noise.h"

namespace acuity::metrics {
namespace {

// Constants (calibration in docs/metrics.md, effective_height section).
constexpr double kFineSigma = 1.0;        // re-blur scales (px, along the
constexpr double kCoarseSigma = 2.0;      // profile); x1.5 / x2 when noisy
constexpr double kNoiseLevel1 = 2.0;      // noise_sigma (8-bit) at which the
constexpr double kNoiseLevel2 = 6.0;      // scales grow by 1.5x / 2x
constexpr int kGroup = 4;                 // lines averaged across the profile
constexpr int kMaxHalfWindow = 12;        // verification half-window (px)
constexpr double kNoiseFactor = 8.0;      // coarse peak >= 8 fine-noise stds
constexpr double kMinGradient = 2.0;      // coarse peak >= 2 code values
constexpr double kMinStep = 16.0;         // step height >= 16 code values
constexpr double kShapeTolerance = 0.15;  // relative RMS misfit, clean
constexpr double kMaxShapeTolerance = 0.25;
constexpr double kCoarseShapeTolerance = 0.3;  // coarse profile, any noise
constexpr double kOppositeShare = 0.25;        // plateau mismatch allowed
constexpr int kSparseStride = 4;     // groups: 4 lines of every 16 first,
constexpr int kSparseMinEdges = 48;  // enough if they give this many edges
constexpr int kMinEdges = 12;        // fewer edges: null
constexpr int kBlockGrid = 8;        // coding-block grid (px)
constexpr double kMaxSigma = 8.0;
constexpr double kBlockSigma = 0.6;     // px: a step this sharp may be a block
constexpr double kMaxBlockStep = 48.0;  // 8-bit: ... and no higher than this
constexpr double kStrongBlockStep = 2.0;  // x the grid's p90 step: moved
                                          // blocks of strongly blocky frames
constexpr double kStrongBlockSigma = 0.75;  // px: ... and as soft as this
constexpr double kFlatRange = 2.0;      // 8-bit: a flatter end line is a bar
// Tilted edges (docs/metrics.md, effective_height "Tilted edges"): the
// edge's slope is read on its group's lines and kTiltReach more on either
// side; each line must show the whole step (height within kTiltHeightShare
// of the mean) on a straight line (residual variance <= kTiltResidual px^2
// plus the centroids' expected noise variance); sigma^2 -> (sigma^2 -
// kTiltSmear b^2) / (1 + kTiltStretch b^2), both fitted on box-filtered stripes
// at 3-40 degrees, sigma 0-3 (within 5% of the 3-degree reading for sigma >=
// 0.5).
constexpr int kTiltReach = 2;
constexpr int kTiltLines = kGroup + 2 * kTiltReach;
constexpr double kTiltHeightShare = 0.2;
constexpr double kTiltResidual = 1.0 / 12.0;
constexpr double kTiltSmear = 1.5;
constexpr double kTiltStretch = 1.4;
// Steep edges: an edge whose squared gradient across the lines exceeds
// kSteepRatio times the one along the profile (more than ~63 degrees from
// the lines' normal, a slope above 2 px per line) is left to the other
// direction, whose profiles cross it at under ~27 degrees: here its slope
// is not read reliably and its uncorrected reading is several times its
// blur (stripes at 70 degrees, sigma 1.5: 4.0 px for 1.3).
constexpr double kSteepRatio = 4.0;

struct Kernel {
  std::vector<float> taps;  // normalised sampled Gaussian, 2r+1 taps
  int radius = 0;
  double variance = 0.0;   // of the taps as a distribution
  double diff_norm = 0.0;  // sqrt(sum (g[j] - g[j-1])^2): noise gain of
                           // the smoothed forward difference
  // Noise of an edge's centroid (EdgeSlope) over the half-window w: the
  // centroid c's numerator sum_m (m - w - c) d[m], d[m] the smoothed
  // forward differences over m = 0..2w, is a linear form in the raw
  // samples, A - c B; its variance per unit noise variance is
  // aa[w] - 2 c ab[w] + c^2 bb[w]. wa[w][x], wb[w][x]: A's and B's
  // coefficients on the raw samples i - w - radius + x, x = 0..2w+1+2 radius.
  std::vector<double> aa, ab, bb;
  std::vector<std::vector<double>> wa, wb;
};

Kernel MakeKernel(double sigma) {
  Kernel k;
  k.radius = static_cast<int>(std::ceil(3.0 * sigma));
  const int n = 2 * k.radius + 1;
  std::vector<double> g(n);
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = i - k.radius;
    g[i] = std::exp(-0.5 * x * x / (sigma * sigma));
    sum += g[i];
  }
  double var = 0.0;
  for (int i = 0; i < n; ++i) {
    g[i] /= sum;
    const double x = i - k.radius;
    var += g[i] * x * x;
  }
  double d2 = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double a = i < n ? g[i] : 0.0;
    const double b = i > 0 ? g[i - 1] : 0.0;
    d2 += (a - b) * (a - b);
  }
  k.taps.assign(g.begin(), g.end());
  k.variance = var;
  k.diff_norm = std::sqrt(d2);
  // Centroid noise forms: coefficients of f[m] (m = 0..2w+1) in A and B,
  // then of the raw samples through the taps.
  k.aa.assign(kMaxHalfWindow + 1, 0.0);
  k.ab.assign(kMaxHalfWindow + 1, 0.0);
  k.bb.assign(kMaxHalfWindow + 1, 0.0);
  k.wa.assign(kMaxHalfWindow + 1, {});
  k.wb.assign(kMaxHalfWindow + 1, {});
  for (int w = 1; w <= kMaxHalfWindow; ++w) {
    std::vector<double> fa(2 * w + 2, 0.0), fb(2 * w + 2, 0.0);
    for (int m = 0; m <= 2 * w; ++m) {
      fa[m + 1] += m - w;
      fa[m] -= m - w;
      fb[m + 1] += 1.0;
      fb[m] -= 1.0;
    }
    for (int x = -k.radius; x <= 2 * w + 1 + k.radius; ++x) {
      double ra = 0.0, rb = 0.0;
      for (int m = std::max(0, x - k.radius);
           m <= std::min(2 * w + 1, x + k.radius); ++m) {
        ra += fa[m] * g[x - m + k.radius];
        rb += fb[m] * g[x - m + k.radius];
      }
      k.wa[w].push_back(ra);
      k.wb[w].push_back(rb);
      k.aa[w] += ra * ra;
      k.ab[w] += ra * rb;
      k.bb[w] += rb * rb;
    }
  }
  return k;
}

// Forward difference of A * Phi((x - x0) / st) between samples i and i+1
// with x0 = i + 0.5 + delta, per unit step height A.
double StepDiff(double st, double delta) {
  return 0.5 * (std::erf((0.5 - delta) / (st * M_SQRT2)) -
                std::erf((-0.5 - delta) / (st * M_SQRT2)));
}

// StepDiff over consecutive samples of one window (j ascending, delta +
// (i - j) falling by one): the lower erf argument of sample j + 1 is
// nominally the upper one of sample j. Reused only when bit-identical, so
// every value is StepDiff's.
class StepDiffWindow {
 public:
  explicit StepDiffWindow(double st) : den_(st * M_SQRT2) {}
  double operator()(double delta) {
    const double a = (0.5 - delta) / den_;
    const double b = (-0.5 - delta) / den_;
    const double eb =
        has_ && std::bit_cast<uint64_t>(b) == std::bit_cast<uint64_t>(last_a_)
            ? last_ea_
            : std::erf(b);
    const double ea = std::erf(a);
    last_a_ = a;
    last_ea_ = ea;
    has_ = true;
    return 0.5 * (ea - eb);
  }

 private:
  double den_;
  double last_a_ = 0.0, last_ea_ = 0.0;
  bool has_ = false;
};

// How far a profile's differences around the edge between samples i and
// i + 1 (profile column c of a profile-major strip of `cols` columns, sign s)
// are from a model step of `height` blurred to st: the sums over j = i - w ..
// i + w of (difference - model)^2 (misfit) and model^2 (norm), j ascending.
struct ShapeFit {
  double misfit = 0.0;
  double norm = 0.0;
};
ShapeFit FitStepShape(const float* profile, int cols, int i, int c, float s,
                      int w, double st, double delta, double height) {
  const auto at = [&](int k) {
    return profile[static_cast<size_t>(k) * cols + c];
  };
  ShapeFit fit;
  StepDiffWindow model(st);
  for (int j = i - w; j <= i + w; ++j) {
    const double m = height * model(delta + (i - j));
    const double dj = s * (at(j + 1) - at(j));
    fit.misfit += (dj - m) * (dj - m);
    fit.norm += m * m;
  }
  return fit;
}

// The ratio of fine to coarse peak differences of a Gaussian-blurred step
// as a function of its sigma (kSigmaSteps + 1 points over 0..kMaxSigma)
// for kDeltaSteps + 1 sub-pixel positions over -0.5..0.5: inverted by
// search instead of solving per edge.
constexpr int kSigmaSteps = 320;
constexpr int kDeltaSteps = 20;
struct RatioTable {
  std::vector<double> ratio;  // [delta index][sigma index], falling in sigma
};

RatioTable MakeRatioTable(const Kernel& k1, const Kernel& k2) {
  RatioTable t;
  t.ratio.resize((kDeltaSteps + 1) * (kSigmaSteps + 1));
  for (int di = 0; di <= kDeltaSteps; ++di) {
    const double delta = -0.5 + static_cast<double>(di) / kDeltaSteps;
    for (int si = 0; si <= kSigmaSteps; ++si) {
      const double sg = kMaxSigma * si / kSigmaSteps;
      t.ratio[di * (kSigmaSteps + 1) + si] =
          StepDiff(std::sqrt(sg * sg + k1.variance), delta) /
          StepDiff(std::sqrt(sg * sg + k2.variance), delta);
    }
  }
  return t;
}

// The sigma whose model ratio is `ratio` at sub-pixel position `delta`,
// linearly interpolated; 0 above the sharpest and kMaxSigma below the
// blurriest.
double SigmaOf(const RatioTable& t, double ratio, double delta) {
  const int di = static_cast<int>(std::lround((delta + 0.5) * kDeltaSteps));
  const double* r = &t.ratio[di * (kSigmaSteps + 1)];
  if (ratio >= r[0]) return 0.0;
  if (ratio <= r[kSigmaSteps]) return kMaxSigma;
  int lo = 0, hi = kSigmaSteps;  // r[lo] > ratio >= r[hi]
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    (r[mid] > ratio ? lo : hi) = mid;
  }
  const double f = (r[lo] - ratio) / (r[lo] - r[hi]);
  return kMaxSigma * (lo + f) / kSigmaSteps;
}

// The strip: strip[i * cols + p] is the mean of the kGroup samples across
// the profile of line group groups[p] (lines kGroup * g .. kGroup * g + 3),
// at profile index i. Vertical: profile index = row, groups of columns.
// Horizontal: profile index = column, groups of rows. Columns are ordered
// by pass: the sparse pass's groups (every kSparseStride-th) first, then
// the half pass's (the groups halfway between those), then the rest, so
// each pass reads a prefix and shares the earlier passes' profiles,
// smoothing and edges instead of starting over. stage_cols[k] is the end
// of pass k's prefix.
void StripGroups(int n_lines, std::vector<int>* groups, int stage_cols[3]) {
  const int cols = n_lines / kGroup;
  const int sparse = n_lines / (kGroup * kSparseStride);
  const int half = kSparseStride / 2;
  groups->clear();
  for (int m = 0; m < sparse; ++m) groups->push_back(kSparseStride * m);
  for (int m = 0; m < sparse; ++m) groups->push_back(kSparseStride * m + half);
  for (int g = 0; g < cols; ++g) {
    if (g / kSparseStride >= sparse ||
        (g % kSparseStride != 0 && g % kSparseStride != half)) {
      groups->push_back(g);
    }
  }
  stage_cols[0] = sparse;
  stage_cols[1] = 2 * sparse;
  stage_cols[2] = cols;
}

// Fills strip columns [c_begin, c_end) (strip sized len * cols already).
void BuildStripColumns(const PlaneView& y, bool vertical,
                       const std::vector<int>& groups, int cols, int c_begin,
                       int c_end, std::vector<float>* strip) {
  const float inv = 1.0f / static_cast<float>(kGroup);
  if (vertical) {
    for (int r = 0; r < y.height; ++r) {
      float* dst = strip->data() + static_cast<size_t>(r) * cols;
      for (int c = c_begin; c < c_end; ++c) {
        uint32_t s = 0;
        for (int k = 0; k < kGroup; ++k) {
          const int x = groups[c] * kGroup + k;
          s += y.bit_depth > 8 ? y.Row16(r)[x] : y.Row8(r)[x];
        }
        dst[c] = static_cast<float>(s) * inv;
      }
    }
  } else {
    // Blocks of kStripBlock row groups: their sums are written to the
    // transposed strip kStripBlock floats at a time (one cache line per
    // column instead of one per column and group).
    constexpr int kStripBlock = 16;
    std::vector<uint32_t> sums(static_cast<size_t>(kStripBlock) * y.width);
    for (int c0 = c_begin; c0 < c_end; c0 += kStripBlock) {
      const int nb = std::min(kStripBlock, c_end - c0);
      std::fill(sums.begin(), sums.end(), 0u);
      for (int b = 0; b < nb; ++b) {
        uint32_t* acc = sums.data() + static_cast<size_t>(b) * y.width;
        for (int k = 0; k < kGroup; ++k) {
          const int r = groups[c0 + b] * kGroup + k;
          if (y.bit_depth > 8) {
            const uint16_t* src = y.Row16(r);
            for (int x = 0; x < y.width; ++x) acc[x] += src[x];
          } else {
            const uint8_t* src = y.Row8(r);
            for (int x = 0; x < y.width; ++x) acc[x] += src[x];
          }
        }
      }
      for (int x = 0; x < y.width; ++x) {
        float* dst = strip->data() + static_cast<size_t>(x) * cols + c0;
        for (int b = 0; b < nb; ++b) {
          dst[b] =
              static_cast<float>(sums[static_cast<size_t>(b) * y.width + x]) *
              inv;
        }
      }
    }
  }
}

// Smoothing along the profile: kernels::SmoothProfiles (Highway, every
// target bit-exact with its reference), columns [c_begin, c_end).
void SmoothAlong(const std::vector<float>& in, int len, int cols, int c_begin,
                 int c_end, const Kernel& k, std::vector<float>* out) {
  kernels::SmoothProfiles(in.data(), len, cols, c_begin, c_end, k.taps.data(),
                          2 * k.radius + 1, out->data());
}

// Sample p along the profile of line q (vertical: row p of column q).
double ProfileSample(const PlaneView& y, bool vertical, int p, int q) {
  return vertical ? y.At(q, p) : y.At(p, q);
}

// Whether the edge between profile samples i and i + 1 of the group whose
// first line is q0 is steep (kSteepRatio): sums of the squared Scharr
// gradients along (p) and across (q) the profile at samples i, i + 1 of
// the group's kGroup lines (Scharr's 3-10-3 weights keep the direction of
// sharp edges, where 2x2 differences read it 10-20% too close to the
// axis; noise adds to both sums alike).
bool IsSteep(const PlaneView& y, bool vertical, int q0, int i) {
  const int len = vertical ? y.height : y.width;
  const int across = vertical ? y.width : y.height;
  const auto at = [&](int p, int q) {
    return ProfileSample(y, vertical, p, q);
  };
  double jpp = 0.0, jqq = 0.0;
  for (int p = std::max(1, i); p <= std::min(len - 2, i + 1); ++p) {
    for (int q = std::max(1, q0); q <= std::min(across - 2, q0 + kGroup - 1);
         ++q) {
      const double gp = 3.0 * (at(p + 1, q - 1) - at(p - 1, q - 1)) +
                        10.0 * (at(p + 1, q) - at(p - 1, q)) +
                        3.0 * (at(p + 1, q + 1) - at(p - 1, q + 1));
      const double gq = 3.0 * (at(p - 1, q + 1) - at(p - 1, q - 1)) +
                        10.0 * (at(p, q + 1) - at(p, q - 1)) +
                        3.0 * (at(p + 1, q + 1) - at(p + 1, q - 1));
      jpp += gp * gp;
      jqq += gq * gq;
    }
  }
  return jqq > kSteepRatio * jpp;
}

// The slope of a tilted edge: how far (px along the profile) the edge
// between profile samples i and i + 1 moves from one line to the next,
// read on the lines q0 - kTiltReach .. q0 + kGroup + kTiltReach - 1 (q0:
// the first line of its group; sign s). Per line, the centroid of the
// forward differences of the line smoothed with k, over i - w .. i + w
// (shift-equivariant: exact for a straight edge of any blur; computed as
// two dot products with weights on the raw samples, Kernel::wa and wb);
// the slope is the least-squares line through the centroids.
// Not valid (nullopt) near the frame's sides, or when a line does not show
// the whole step or the centroids are not on a line: a corner, a
// neighbouring edge or a texture, not a straight tilted edge. var: the
// slope's noise variance (noise: the plane's noise sigma, code values).
struct EdgeSlope {
  double b = 0.0;
  double var = 0.0;
};
std::optional<EdgeSlope> MeasureEdgeSlope(const PlaneView& y, bool vertical,
                                          int q0, int i, int w, float s,
                                          const Kernel& k, double noise) {
  const int len = vertical ? y.height : y.width;
  const int across = vertical ? y.width : y.height;
  const int q_begin = q0 - kTiltReach;
  if (q_begin < 0 || q_begin + kTiltLines > across) return std::nullopt;
  if (i - w - k.radius < 0 || i + w + 1 + k.radius >= len) return std::nullopt;
  double centroid[kTiltLines], height[kTiltLines];
  const double* wa = k.wa[w].data();
  const double* wb = k.wb[w].data();
  const int n = static_cast<int>(k.wa[w].size());
  const int p0 = i - w - k.radius;
  double var_sum = 0.0, mean_height = 0.0;
  for (int l = 0; l < kTiltLines; ++l) {
    // sd: the sum of the smoothed differences (the step), sp: their first
    // moment about i, both as weights on the raw samples (MakeKernel).
    const int q = q_begin + l;
    double sd = 0.0, sp = 0.0;
    for (int x = 0; x < n; ++x) {
      const double v = ProfileSample(y, vertical, p0 + x, q);
      sp += wa[x] * v;
      sd += wb[x] * v;
    }
    sd *= s;
    sp *= s;
    if (sd <= 0.0) return std::nullopt;
    const double c = sp / sd;
    centroid[l] = c;
    height[l] = sd;
    mean_height += sd / kTiltLines;
    var_sum += noise * noise * (k.aa[w] - 2.0 * c * k.ab[w] + c * c * k.bb[w]) /
               (sd * sd);
  }
  const double mid = 0.5 * (kTiltLines - 1);
  double sxx = 0.0, sxy = 0.0, mean = 0.0;
  for (int l = 0; l < kTiltLines; ++l) {
    sxx += (l - mid) * (l - mid);
    sxy += (l - mid) * centroid[l];
    mean += centroid[l] / kTiltLines;
  }
  EdgeSlope e;
  e.b = sxy / sxx;
  e.var = var_sum / kTiltLines / sxx;
  double residual = 0.0;
  for (int l = 0; l < kTiltLines; ++l) {
    if (std::fabs(height[l] / mean_height - 1.0) > kTiltHeightShare) {
      return std::nullopt;
    }
    const double r = centroid[l] - mean - e.b * (l - mid);
    residual += r * r;
  }
  if (residual / (kTiltLines - 2) > kTiltResidual + var_sum / kTiltLines) {
    return std::nullopt;
  }
  return e;
}

}  // namespace

namespace {

// One pass: the sparse one (pass 0: every kSparseStride-th group of kGroup
// lines), the half one (pass 1: every other group) or the full one (pass
// 2: all groups). A later pass follows the earlier ones of the same plane
// and direction and reuses their strip columns, smoothing and, when the
// trimmed range is the same, their edges.
EdgeBlur MeasureEdgeBlurOnce(const PlaneView& y, const LumaScale& scale,
                             bool vertical, double noise_sigma, int pass,
                             int min_edges, EdgeBlurWorkspace* ws) {
  EdgeBlur out;
  // Scale pair by noise: the fine scale must keep the noise of its
  // gradient well below the edges'.
  static const Kernel kFine[3] = {MakeKernel(kFineSigma),
                                  MakeKernel(1.5 * kFineSigma),
                                  MakeKernel(2.0 * kFineSigma)};
  static const Kernel kCoarse[3] = {MakeKernel(kCoarseSigma),
                                    MakeKernel(1.5 * kCoarseSigma),
                                    MakeKernel(2.0 * kCoarseSigma)};
  const int level = noise_sigma < kNoiseLevel1   ? 0
                    : noise_sigma < kNoiseLevel2 ? 1
                                                 : 2;
  const Kernel& k1 = kFine[level];
  const Kernel& k2 = kCoarse[level];
  const int len = vertical ? y.height : y.width;
  const int cols = (vertical ? y.width : y.height) / kGroup;
  if (pass == 0) {
    // The strip and its smoothings are laid out for the full pass; the
    // earlier passes fill and read their prefixes of columns.
    StripGroups(vertical ? y.width : y.height, &ws->groups, ws->stage_cols);
    ws->built_cols = 0;
    ws->smoothed_cols = 0;
    ws->prior_valid = false;
    const size_t size = static_cast<size_t>(len) * cols;
    ws->strip.resize(size);
    ws->fine.resize(size);
    ws->coarse.resize(size);
  }
  // Columns this pass reads: [0, active).
  const int active = ws->stage_cols[pass];
  const int margin = std::max(kCoarse[2].radius, kMaxHalfWindow) + 3;
  if (active < 1 || len < 2 * margin + 8) return out;
  if (ws->built_cols < active) {
    BuildStripColumns(y, vertical, ws->groups, cols, ws->built_cols, active,
                      &ws->strip);
    ws->built_cols = active;
  }
  // Flat lines at the ends (letterbox and pillarbox bars): their step
  // against the picture is not detail, so the scan stays clear of them.
  const auto flat = [&](int i) {
    const float* row = ws->strip.data() + static_cast<size_t>(i) * cols;
    const auto [lo, hi] = std::minmax_element(row, row + active);
    return (*hi - *lo) * scale.gain <= kFlatRange;
  };
  int first = 0, last = len - 1;
  while (first < last && flat(first)) ++first;
  while (last > first && flat(last)) --last;
  if (last - first < 2 * margin + 8) return out;
  if (ws->smoothed_cols < active) {
    SmoothAlong(ws->strip, len, cols, ws->smoothed_cols, active, k1, &ws->fine);
    SmoothAlong(ws->strip, len, cols, ws->smoothed_cols, active, k2,
                &ws->coarse);
    ws->smoothed_cols = active;
  }
  // Noise of a strip sample: the frame's noise over `group` samples.
  const double noise = noise_sigma / scale.gain / std::sqrt(kGroup);
  const double nd1 = noise * k1.diff_norm;
  const double thr2 = std::max(kNoiseFactor * nd1, kMinGradient / scale.gain);
  const float* f = ws->fine.data();
  const float* g = ws->coarse.data();
  ws->sigmas2.clear();
  ws->heights.clear();
  ws->grid_heights.clear();
  // A pass after an earlier one with the same trimmed range: the earlier
  // groups give the same edges (same profiles, smoothing, thresholds and
  // range), so they are taken over instead of scanned again. The pooled
  // values depend only on the set of edges, not on their order.
  int scan_from = 0;
  if (pass > 0 && ws->prior_valid && ws->prior_first == first &&
      ws->prior_last == last) {
    ws->sigmas2 = ws->prior_sigmas2;
    ws->heights = ws->prior_heights;
    ws->grid_heights = ws->prior_grid_heights;
    scan_from = ws->prior_cols;
  }
  const auto at = [cols](const float* m, int i, int c) {
    return m[static_cast<size_t>(i) * cols + c];
  };
  static const RatioTable kTables[3] = {MakeRatioTable(kFine[0], kCoarse[0]),
                                        MakeRatioTable(kFine[1], kCoarse[1]),
                                        MakeRatioTable(kFine[2], kCoarse[2])};
  const RatioTable& table = kTables[level];
  const double v1 = k1.variance;
  const auto step_diff = StepDiff;
  ws->candidates.resize(static_cast<size_t>(std::max(active, 1)));
  for (int i = first + margin; i < last - margin; ++i) {
    // Forward difference between profile samples i and i + 1.
    const bool on_grid = (i + 1) % kBlockGrid == 0;
    // Local maxima of the coarse difference above the threshold, with a
    // fine difference of the same sign (kernels/step_candidates.h).
    const auto row = [cols](const float* m, int k) {
      return m + static_cast<size_t>(k) * cols;
    };
    const kernels::StepRows rows{row(g, i - 1), row(g, i), row(g, i + 1),
                                 row(g, i + 2), row(f, i), row(f, i + 1)};
    const int n_candidates = kernels::FindStepCandidates(
        rows, scan_from, active, thr2, ws->candidates.data());
    for (int k = 0; k < n_candidates; ++k) {
      const int c = ws->candidates[k];
      const float d = at(g, i + 1, c) - at(g, i, c);
      const float a = std::fabs(d);
      const float s = d > 0 ? 1.0f : -1.0f;
      const float dm = s * (at(g, i, c) - at(g, i - 1, c));
      const float dp = s * (at(g, i + 2, c) - at(g, i + 1, c));
      const float d1 = s * (at(f, i + 1, c) - at(f, i, c));
      // Sub-pixel position of the edge: Gaussian peak through the three
      // coarse differences.
      const double lm = std::log(dm), l0 = std::log(a), lp = std::log(dp);
      const double den = 2.0 * l0 - lm - lp;
      const double delta =
          den > 1e-9 ? std::clamp(0.5 * (lp - lm) / den, -0.5, 0.5) : 0.0;
      const double sigma = SigmaOf(table, d1 / a, delta);
      // A grid step counts only when sharp (the blocky-frame rule below):
      // a softer one is neither measured nor counted, verified or not.
      if (on_grid && sigma >= kBlockSigma) continue;
      // Consistency with an isolated step: the fine profile levels W
      // samples either side differ by the step height the peak implies,
      // and no opposite-sign gradient lies in between.
      const double sf = std::sqrt(sigma * sigma + v1);
      const int w =
          std::min(kMaxHalfWindow, static_cast<int>(std::ceil(2.5 * sf)) + 1);
      const double height = d1 / step_diff(sf, delta);
      if (height < kMinStep / scale.gain) continue;
      const double plateau = s * (at(f, i + 1 + w, c) - at(f, i - w, c)) /
                             std::erf((w + 0.5) / (sf * M_SQRT2));
      if (std::fabs(plateau / height - 1.0) > kOppositeShare) continue;
      // Shape: the fine differences around the peak follow the model
      // step's within the noise (Elder & Zucker's verification).
      const ShapeFit fine =
          FitStepShape(f, cols, i, c, s, w, sf, delta, height);
      const double tol = std::min(
          kMaxShapeTolerance,
          kShapeTolerance + 2.0 * std::sqrt((2.0 * w + 1.0) / fine.norm) * nd1);
      if (fine.norm <= 0.0 || fine.misfit > tol * tol * fine.norm) continue;
      // And the coarse differences: a texture can fake the peak ratio of a
      // sharp step, not the shape of its coarse profile as well.
      const double sc = std::sqrt(sigma * sigma + k2.variance);
      const int wc =
          std::min(kMaxHalfWindow, static_cast<int>(std::ceil(2.5 * sc)) + 1);
      const ShapeFit coarse =
          FitStepShape(g, cols, i, c, s, wc, sc, delta, height);
      if (coarse.misfit >
          kCoarseShapeTolerance * kCoarseShapeTolerance * coarse.norm) {
        continue;
      }
      if (on_grid) {
        if (sigma < kBlockSigma) ws->grid_heights.push_back(height);
      } else {
        // A tilted edge reads blurrier than it is: along the profile it
        // is crossed obliquely, and the kGroup lines average it at kGroup
        // positions. Its slope (b^2 less its noise variance) takes both
        // out; a steep one is the other direction's (kSteepRatio).
        if (IsSteep(y, vertical, ws->groups[c] * kGroup, i)) continue;
        double sigma2 = sigma * sigma;
        const std::optional<EdgeSlope> slope =
            MeasureEdgeSlope(y, vertical, ws->groups[c] * kGroup, i, w, s, k1,
                             noise_sigma / scale.gain);
        if (slope) {
          const double b2 = slope->b * slope->b - slope->var;
          if (b2 > 0.0) {
            sigma2 = std::max(
                0.0, (sigma2 - kTiltSmear * b2) / (1.0 + kTiltStretch * b2));
          }
        }
        ws->sigmas2.push_back(static_cast<float>(sigma2));
        ws->heights.push_back(static_cast<float>(height));
      }
    }
  }
  if (pass < 2) {
    ws->prior_cols = active;
    ws->prior_sigmas2 = ws->sigmas2;
    ws->prior_heights = ws->heights;
    ws->prior_grid_heights = ws->grid_heights;
    ws->prior_first = first;
    ws->prior_last = last;
    ws->prior_valid = true;
  }
  // Coding blocks: steps on the block grid are not measured. When sharp
  // steps crowd the grid (more than twice the share of the 1 line in 8 it
  // holds), the picture is blocky, and motion compensation has moved such
  // block steps off the grid too: sharp off-grid steps no higher than the
  // grid's (90th percentile) are then set aside as well.
  size_t sharp_off = 0;
  for (float s2 : ws->sigmas2) sharp_off += s2 < kBlockSigma * kBlockSigma;
  if (ws->grid_heights.size() >= 8 &&
      ws->grid_heights.size() * (kBlockGrid - 1) > 2 * sharp_off) {
    const size_t p90 = ws->grid_heights.size() * 9 / 10;
    std::nth_element(ws->grid_heights.begin(), ws->grid_heights.begin() + p90,
                     ws->grid_heights.end());
    const double floor = ws->grid_heights[p90];
    size_t kept = 0;
    // Graphics drawn on an 8-aligned layout also crowd the grid, with
    // steps far higher than coding blocks' quantiser steps.
    if (floor * scale.gain > kMaxBlockStep) kept = ws->sigmas2.size();
    // Strongly blocky (at least as many sharp steps on the grid as off it,
    // where content alone would put one in eight): in P frames the moved block
    // steps carry the residual of their own frame and stand up to twice
    // the grid's steps (MPEG-2 q31 of a blurred testsrc2: grid p90 25 code
    // values, moved steps 28-51; a camera frame's real sharp edges at the
    // same quantiser: 90-240).
    // Half-sample motion compensation softens moved steps to 0.6-0.7 px
    // (cellauto blurred 2.5 px, MPEG-2 q31: 40 of the 50 steps left on a
    // P frame, the frame reading 0.69 px where the clean one reads 1.2),
    // so on such frames steps up to kStrongBlockSigma go too.
    const bool strong = ws->grid_heights.size() >= sharp_off;
    const double bound = strong ? kStrongBlockStep * floor : floor;
    const double cut = strong ? kStrongBlockSigma : kBlockSigma;
    for (size_t j = kept; j < ws->sigmas2.size(); ++j) {
      if (ws->sigmas2[j] < cut * cut && ws->heights[j] <= bound) {
        continue;
      }
      ws->sigmas2[kept++] = ws->sigmas2[j];
    }
    ws->sigmas2.resize(kept);
  }
  out.edges = static_cast<int>(ws->sigmas2.size());
  if (out.edges < min_edges) return out;
  const size_t k = std::min(ws->sigmas2.size() - 1,
                            static_cast<size_t>(ws->sigmas2.size() / 2));
  std::nth_element(ws->sigmas2.begin(), ws->sigmas2.begin() + k,
                   ws->sigmas2.end());
  out.sigma = std::sqrt(static_cast<double>(ws->sigmas2[k]));
  return out;
}

}  // namespace

namespace {

// The period-3 test on one axis's line activity s: detrend (e = s minus
// the mean of its neighbours, which keeps a period-3 pattern and removes
// slow changes of content), average e per phase (index mod 3), and take the
// phase farthest from the other two.
UpscaleAxis Period3(const std::vector<double>& s) {
  UpscaleAxis a;
  const int n = static_cast<int>(s.size());
  if (n < 64) return a;
  double sum[3] = {0, 0, 0}, level = 0.0, ss = 0.0;
  int cnt[3] = {0, 0, 0}, m = 0;
  for (int i = 2; i + 2 < n; ++i) {
    const double e = s[i] - 0.5 * (s[i - 1] + s[i + 1]);
    sum[i % 3] += e;
    ++cnt[i % 3];
    ss += e * e;
    level += s[i];
    ++m;
  }
  if (level <= 0.0 || ss <= 0.0) return a;
  double mean[3];
  for (int k = 0; k < 3; ++k) mean[k] = sum[k] / cnt[k];
  double best = -1.0, dev = 0.0;
  for (int k = 0; k < 3; ++k) {
    const double d = mean[k] - 0.5 * (mean[(k + 1) % 3] + mean[(k + 2) % 3]);
    if (std::fabs(d) > best) {
      best = std::fabs(d);
      dev = d;
    }
  }
  const double se = std::sqrt(ss / m) / std::sqrt(m / 3.0);
  a.z = best / se;
  a.sign = dev > 0 ? 1 : -1;
  a.modulation = best / (level / m);
  return a;
}

// The period-2 test on one series s (index0: its first element's line
// index in the frame, so that phases stay those of the frame): detrend as
// Period3 does, average per phase of the period-8 coding grid (index mod
// 8), and compare the even phases with the odd ones.
DoubleAxis Period2(const double* s, int n, int index0,
                   std::vector<double>* scratch) {
  DoubleAxis a;
  if (n < 64) return a;
  // Single lines far off the rest (the edges of letterbox bars, a cut
  // between two pictures) are clipped to kDoubleClip times the median
  // |e|, so that one step does not outweigh the pattern of all the others.
  scratch->clear();
  for (int i = 2; i + 2 < n; ++i) {
    scratch->push_back(std::fabs(s[i] - 0.5 * (s[i - 1] + s[i + 1])));
  }
  const size_t mid = scratch->size() / 2;
  std::nth_element(scratch->begin(), scratch->begin() + mid, scratch->end());
  const double clip = kDoubleClip * (*scratch)[mid];
  double sum[8] = {0, 0, 0, 0, 0, 0, 0, 0}, level = 0.0, ss = 0.0;
  int cnt[8] = {0, 0, 0, 0, 0, 0, 0, 0}, m = 0;
  for (int i = 2; i + 2 < n; ++i) {
    const double e =
        std::clamp(s[i] - 0.5 * (s[i - 1] + s[i + 1]), -clip, clip);
    const int phase = (index0 + i) % 8;
    sum[phase] += e;
    ++cnt[phase];
    ss += e * e;
    level += s[i];
    ++m;
  }
  if (level <= 0.0 || ss <= 0.0) return a;
  double mean[8], even = 0.0, odd = 0.0;
  for (int k = 0; k < 8; ++k) mean[k] = sum[k] / cnt[k];
  for (int k = 0; k < 8; k += 2) even += 0.25 * mean[k];
  for (int k = 1; k < 8; k += 2) odd += 0.25 * mean[k];
  const double d = even - odd;
  double dev = 0.0;
  for (int k = 0; k < 8; ++k) {
    dev = std::max(dev, std::fabs(mean[k] - (k % 2 == 0 ? even : odd)));
  }
  const double se = std::sqrt(ss / m) / std::sqrt(m / 2.0);
  a.z = d / se;
  a.spread = d != 0.0 ? dev / std::fabs(d) : HUGE_VAL;
  a.modulation = std::fabs(d) / (level / m);
  return a;
}

// Spectral coherence of segments of kSegment samples with their mirror
// about a quarter of the sampling rate: sum over bins k of |sum over
// segments Y_k Y_(N/2-k)| / sum over k of sqrt(sum |Y_k|^2 sum |Y_(N/2-k)|^2),
// bins 8..14 of 64 (0.125..0.22 cycles per sample, paired with 0.28..0.375:
// the band next to the quarter rate, which lossy coding keeps longest; the
// quarter rate itself left out), Hann window, each segment's mean removed.
// Segments lie along the axis (rows: down the columns 16, 48, ...; cols: along
// the rows 16, 48, ...), at 0, 64, ... Returns the coherence and the segment
// count.
constexpr int kSegment = 64;
constexpr int kFirstBin = 8, kLastBin = 14;
constexpr int kBins = kLastBin - kFirstBin + 1;

struct DftTable {
  // For each sample n, cos and sin of the bins k and N/2 - k, times the
  // window: re[n][b], im[n][b] with b < kBins for k, b >= kBins for N/2-k.
  double re[kSegment][2 * kBins], im[kSegment][2 * kBins];
  DftTable() {
    const double pi = 3.14159265358979323846;
    for (int n = 0; n < kSegment; ++n) {
      const double w =
          0.5 - 0.5 * std::cos(2.0 * pi * (n + 1) / (kSegment + 1));
      for (int b = 0; b < 2 * kBins; ++b) {
        const int k =
            b < kBins ? kFirstBin + b : kSegment / 2 - kFirstBin - (b - kBins);
        re[n][b] = w * std::cos(2.0 * pi * k * n / kSegment);
        im[n][b] = -w * std::sin(2.0 * pi * k * n / kSegment);
      }
    }
  }
};

template <typename T>
std::pair<double, int> MirrorCoherence(const PlaneView& y, bool rows) {
  static const DftTable table;
  const int along = rows ? y.height : y.width;
  const int across = rows ? y.width : y.height;
  double sre[kBins] = {}, sim[kBins] = {}, p1[kBins] = {}, p2[kBins] = {};
  int segments = 0;
  double v[kSegment];
  for (int line = kSegment / 4; line < across; line += kSegment / 2) {
    for (int start = 0; start + kSegment <= along; start += kSegment) {
      double mean = 0.0;
      for (int n = 0; n < kSegment; ++n) {
        const int xx = rows ? line : start + n;
        const int yy = rows ? start + n : line;
        v[n] = reinterpret_cast<const T*>(y.data + yy * y.stride)[xx];
        mean += v[n];
      }
      mean /= kSegment;
      double re[2 * kBins] = {}, im[2 * kBins] = {};
      for (int n = 0; n < kSegment; ++n) {
        const double x = v[n] - mean;
        for (int b = 0; b < 2 * kBins; ++b) {
          re[b] += x * table.re[n][b];
          im[b] += x * table.im[n][b];
        }
      }
      for (int b = 0; b < kBins; ++b) {
        const double ar = re[b], ai = im[b];
        const double br = re[kBins + b], bi = im[kBins + b];
        sre[b] += ar * br - ai * bi;
        sim[b] += ar * bi + ai * br;
        p1[b] += ar * ar + ai * ai;
        p2[b] += br * br + bi * bi;
      }
      ++segments;
    }
  }
  double num = 0.0, den = 0.0;
  for (int b = 0; b < kBins; ++b) {
    num += std::sqrt(sre[b] * sre[b] + sim[b] * sim[b]);
    den += std::sqrt(p1[b] * p2[b]);
  }
  return {den > 0.0 ? num / den : 0.0, segments};
}

// The 2x test on one axis (see DoubleAxis), on the first-difference sums
// ws->first (kernels::ComputeFirstDifferenceLines, already computed).
template <typename T>
DoubleAxis DetectDouble(const PlaneView& y, bool rows, UpscaleWorkspace* ws) {
  const std::vector<uint32_t>& half_a =
      rows ? ws->first.rows_a : ws->first.cols_a;
  const std::vector<uint32_t>& half_b =
      rows ? ws->first.rows_b : ws->first.cols_b;
  const int n = static_cast<int>(half_a.size());
  ws->series.resize(n);
  for (int i = 0; i < n; ++i) {
    ws->series[i] = static_cast<double>(half_a[i]) + half_b[i];
  }
  DoubleAxis a = Period2(ws->series.data(), n, 0, &ws->scratch);
  if (!(std::fabs(a.z) >= kDoubleMinZ && a.spread <= kDoubleMaxSpread &&
        a.modulation >= kUpscaleMinModulation &&
        a.modulation <= kDoubleMaxModulation)) {
    return a;
  }
  // Quadrants: each half of the series (lines before and after the middle
  // of this axis) from each half of the other axis.
  const int cut = (rows ? y.height : y.width) / 2;
  const int other = rows ? y.width : y.height;
  const double flat = kDoubleFlatLevel * std::ldexp(1.0, y.bit_depth - 8);
  a.min_quadrant_z = HUGE_VAL;
  int structured = 0;
  for (const bool first_half : {true, false}) {
    const std::vector<uint32_t>& half = first_half ? half_a : half_b;
    // Samples per sum: the columns of a half, or its rows y = 4k.
    const int rows4_top = (other / 2 + 3) / 4, rows4 = (other + 3) / 4;
    const int samples = rows ? (first_half ? other / 2 : other - other / 2)
                             : (first_half ? rows4_top : rows4 - rows4_top);
    for (const auto& [begin, end] :
         {std::pair<int, int>{0, cut - 1}, std::pair<int, int>{cut, n}}) {
      const int len = end - begin;
      double total = 0.0;
      for (int i = begin; i < end; ++i) {
        ws->series[i - begin] = half[i];
        total += half[i];
      }
      if (len <= 0 || total < flat * len * samples) continue;  // flat
      const DoubleAxis q = Period2(ws->series.data(), len, begin, &ws->scratch);
      a.min_quadrant_z = std::min(a.min_quadrant_z, a.z > 0 ? q.z : -q.z);
      ++structured;
    }
  }
  if (structured == 0) a.min_quadrant_z = 0.0;  // all flat: nothing to judge
  if (!(a.min_quadrant_z >= kDoubleMinZ)) return a;
  const auto [coherence, segments] = MirrorCoherence<T>(y, rows);
  a.coherence = coherence;
  a.found = segments >= kDoubleMinSegments && coherence >= kDoubleMinCoherence;
  return a;
}

}  // namespace

UpscaleEvidence DetectUpscale(const PlaneView& y, UpscaleWorkspace* ws) {
  UpscaleEvidence ev;
  // The bound the first (int32) line sums needed, kept so that larger
  // planes still report no upscale; ComputeLineActivity is exact to 65536.
  if (y.empty() || y.width > 16384 || y.height > 16384) return ev;
  // Per-line sums of |second difference| (kernels/line_activity.h): line i
  // of each is centred on line i + 1 of the plane.
  kernels::ComputeLineActivity(y, &ws->rows, &ws->cols);
  for (const bool rows : {true, false}) {
    const std::vector<uint32_t>& sums = rows ? ws->rows : ws->cols;
    ws->lines.assign(sums.begin(), sums.end());
    (rows ? ev.rows : ev.cols) = Period3(ws->lines);
  }
  const double score = ev.rows.sign * ev.rows.z + ev.cols.sign * ev.cols.z;
  const double modulation = std::max(ev.rows.modulation, ev.cols.modulation);
  if (std::fabs(score) >= kUpscaleMinScore &&
      modulation >= kUpscaleMinModulation) {
    ev.factor = score > 0 ? 3.0 : 1.5;
    return ev;
  }
  kernels::ComputeFirstDifferenceLines(y, &ws->first);
  for (const bool rows : {true, false}) {
    (rows ? ev.rows2 : ev.cols2) = y.bit_depth > 8
                                       ? DetectDouble<uint16_t>(y, rows, ws)
                                       : DetectDouble<uint8_t>(y, rows, ws);
  }
  return ev;
}

EdgeBlur MeasureEdgeBlur(const PlaneView& y, const LumaScale& scale,
                         bool vertical, double noise_sigma,
                         EdgeBlurWorkspace* ws) {
  // One group of lines in kSparseStride is enough where edges abound, then
  // every other group; frames with few edges (graphics, heavy blur, noisy
  // video) get all of them.
  for (int pass = 0; pass < 2; ++pass) {
    const EdgeBlur e = MeasureEdgeBlurOnce(y, scale, vertical, noise_sigma,
                                           pass, kSparseMinEdges, ws);
    if (e.sigma) return e;
  }
  return MeasureEdgeBlurOnce(y, scale, vertical, noise_sigma, 2, kMinEdges, ws);
}

EffectiveResolution MeasureEffectiveResolution(const PlaneView& y,
                                               const LumaScale& scale,
                                               EdgeBlurWorkspace* ws) {
  if (y.empty()) return {};
  const int step = NoiseRowStep(y);
  kernels::ComputeNoiseBlocks(y, step, &ws->blocks);
  return MeasureEffectiveResolution(
      y, scale, NoiseSigmaFromBlocks(y, step, ws->blocks, scale, &ws->keys),
      ws);
}

EffectiveResolution MeasureEffectiveResolution(
    const PlaneView& y, const LumaScale& scale,
    std::optional<double> noise_sigma, EdgeBlurWorkspace* ws) {
  EffectiveResolution r;
  if (y.empty()) return r;
  r.noise_sigma = noise_sigma;
  const double noise = r.noise_sigma.value_or(0.0);
  r.vertical = MeasureEdgeBlur(y, scale, true, noise, ws);
  r.horizontal = MeasureEdgeBlur(y, scale, false, noise, ws);
  const auto lines = [](int n, double sigma) {
    return std::round(n * std::min(1.0, kNativeSigma / sigma));
  };
  // An upscale found by its interpolation periodicity: the upscaler's own
  // blur is taken out in quadrature (Gaussian blurs add as variances). A
  // source sharp at its own size, upscaled by the softest common kernels,
  // reads kUpscaleKernelShare of the source size on the edge estimate: that
  // much blur (in source units, 1/share^2 - 1 in variance) is the kernel's,
  // the rest the source's. effective = source / sqrt(max(1, (source /
  // edge)^2 - (1/share^2 - 1))): the source size from share * source up,
  // tending to the edge estimate on soft sources; continuous and rising
  // with the edge estimate.
  const UpscaleEvidence up = DetectUpscale(y, &ws->upscale);
  // The factor per axis: 1.5x / 3x on both, or 2x on each axis found.
  const double factor_v =
      up.factor != 1.0 ? up.factor : (up.rows2.found ? 2.0 : 1.0);
  const double factor_h =
      up.factor != 1.0 ? up.factor : (up.cols2.found ? 2.0 : 1.0);
  const auto upscaled = [&](double edge_lines, int n, double factor) {
    if (factor == 1.0 || edge_lines <= 0.0) return edge_lines;
    const double source = std::round(n / factor);
    const double kernel_var =
        1.0 / (kUpscaleKernelShare * kUpscaleKernelShare) - 1.0;
    const double q = source / edge_lines;
    return std::round(source / std::sqrt(std::max(1.0, q * q - kernel_var)));
  };
  if (factor_v != 1.0) r.upscaled_from = std::round(y.height / factor_v);
  if (r.vertical.sigma) {
    r.height = upscaled(lines(y.height, *r.vertical.sigma), y.height, factor_v);
    r.ratio = *r.height / y.height;
  }
  if (r.horizontal.sigma) {
    r.width = upscaled(lines(y.width, *r.horizontal.sigma), y.width, factor_h);
  }
  double sum = 0.0;
  int n = 0;
  for (const EdgeBlur* e : {&r.vertical, &r.horizontal}) {
    if (e->sigma) {
      sum += *e->sigma * *e->sigma;
      ++n;
    }
  }
  if (n > 0) {
    r.blur_sigma =
        std::sqrt(std::max(0.0, sum / n - kNativeSigma * kNativeSigma));
  }
  return r;
}

namespace {

class EffectiveResolutionMetric final : public Metric {
 public:
  Status Configure(const MetricOptions& options) override {
    every_ = options.Every("resolution_every");
    return Status::Ok();
  }

  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    // --resolution-every N: frames 0, N, 2N... of those scored; the others
    // stay null. By the frame's position, not a count of its own, so each
    // frame slot's instance (frames in flight) picks the same frames.
    if (analysis.position() % every_ != 0) return;
    const Frame& frame = analysis.frame();
    const EffectiveResolution r = MeasureEffectiveResolution(
        frame.y, analysis.scale(), analysis.noise_sigma(), &ws_);
    out.Set(0, r.height);
    out.Set(1, r.width);
    out.Set(2, r.ratio);
    out.Set(3, r.blur_sigma);
    out.Set(4, r.upscaled_from);
  }

 private:
  int every_ = 1;  // set by Configure() (resolution_every)
  EdgeBlurWorkspace ws_;
};

}  // namespace

MetricEntry EffectiveResolutionEntry() {
  MetricEntry e{
      "effective_height",
      {{"effective_height", "lines", "0..frame height",
        Direction::kHigherIsSharper,
        "lines of real detail: frame height scaled by the edge blur of "
        "a sharp native picture over the blur measured on isolated "
        "horizontal edges; null with too few edges"},
       {"effective_width", "columns", "0..frame width",
        Direction::kHigherIsSharper,
        "columns of real detail, from vertical edges (as "
        "effective_height)"},
       {"resolution_ratio", "ratio", "0..1", Direction::kHigherIsSharper,
        "effective_height / frame height"},
       {"blur_sigma_px", "pixels", "0..~8", Direction::kHigherIsBlurrier,
        "Gaussian blur sigma (nominal pixels) that best explains the "
        "edges, beyond a sharp native picture's"},
       {"upscaled_from_height", "lines", "frame height / 3 .. / 1.5",
        Direction::kNeutral,
        "the height the frame was upscaled from, found by interpolation "
        "periodicity (1.5x, 2x and 3x upscales: 720, 540 or 360 lines to "
        "1080; 2x only on lossless or high-quality frames); null when "
        "none is found"}},
      true,
      [] { return std::unique_ptr<Metric>(new EffectiveResolutionMetric()); },
      false,
      false,
      kNeedNoise};
  e.options = {{"resolution_every", MetricOptionSpec::Kind::kEvery, "1",
                "effective_height and its outputs measure frames 0, N, "
                "2N... of the sampled frames (others null; default 1: "
                "every frame; it costs ~4 ms per 1080p frame, the most of "
                "the default set; the summary of N = 2 moved by up to 6% "
                "on 1-2 s clips, docs/benchmarks.md)"}};
  return e;
}

}  // namespace acuity::metrics
