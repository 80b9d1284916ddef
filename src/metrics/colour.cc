// Colour outputs, measured on the decoded chroma planes (their own,
// possibly subsampled grid; no RGB conversion, no upsampling). Chroma is
// expressed in full-range 8-bit units around neutral:
// U' = (u - chroma_neutral) * chroma_gain (limited range: gain 255/224 per
// 8-bit code value, so +-112 becomes +-127.5). All four are neutral
// (descriptive), not sharpness; all are null on gray input (no chroma
// planes). No border rule: every chroma sample counts.
//
// saturation_mean: mean chroma radius hypot(U', V'), the saturation of
//   FFmpeg's signalstats SATAVG. Unit: full-range 8-bit chroma units.
//   Range 0..~181 (127.5 * sqrt(2); limited-range chroma outside 16..240
//   reaches ~206). Higher = more saturated. The radius is
//   quantised per sample to 1/16 of a native code value (kernels/chroma.h);
//   signalstats truncates it to an integer, so its SATAVG (native units) is
//   lower by ~0.5 code values on average, and by < 1 always.
// saturation_p90: 90th percentile (nearest rank) of the same radius, from a
//   histogram of s = du^2 + dv^2 in 8-bit-equivalent units over every
//   kSaturationRowStep-th chroma row (kernels/chroma.h: one bin per s below
//   256, i.e. exact for radii < 16, then radius steps <= 0.25, reported at
//   the bin's middle). Sampling keeps the scalar histogram at ~25 us per
//   1080p frame; tests/metrics/colour_test.cc checks it against the whole
//   frame's exact p90. Same unit and range.
// colorfulness: Hasler & Suesstrunk, "Measuring colourfulness in natural
//   images", SPIE 5007 (2003): with rg = R - G, yb = (R + G)/2 - B,
//   M = sqrt(sd_rg^2 + sd_yb^2) + 0.3 sqrt(mean_rg^2 + mean_yb^2) on 8-bit
//   full-range R'G'B'. Y' cancels out of rg and yb, which are linear in
//   (U', V') for a given matrix (StreamInfo::matrix), so their means and
//   variances follow exactly from the integer sums of u, v, u^2, v^2 and
//   du*dv. Computed on the chroma grid without clipping R'G'B' to 0..255:
//   this equals M of the picture with nearest-neighbour chroma upsampling
//   and no clipping. Range 0..~290 (half red, half cyan); their scale: 0 not,
//   15 slightly, 33 moderately, 45 averagely, 59 quite, 82 highly, 109
//   extremely colourful. Higher = more colourful.
// pallid_share: NTIA S-Pallid (NTIA/NRMetricFramework nrff_peculiar_color.m):
//   the plane is cut into ~100 near-square blocks (their divide_100_blocks)
//   and a block is pallid when the sample standard deviation of Cb or of Cr
//   in it is below 3 limited-range 8-bit code values (kPallidStdLimited8);
//   the output is the share of pallid blocks, 0..1. It measures a lack of
//   colour variation, ignoring mean chroma (robust to colour casts); a flat
//   strongly coloured block is pallid too. Higher = more washed out.
//   Differences from NTIA: blocks of the chroma plane itself (NTIA
//   replicates chroma to luma size, and crops 5 pixels for its colour-noise
//   filter), and per frame (NTIA pools blocks of all frames; the mean over
//   frames is the same number).
#include "metrics/colour.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

// A representative radius of a bin (8-bit-equivalent units): exact below
// 256, else the middle of the bin's s values 8k .. 8k+7.
inline double RadiusOfBin(int bin) {
  if (bin < 256) return std::sqrt(static_cast<double>(bin));
  return std::sqrt(8.0 * (bin - 224) + 3.5);
}

PlaneView SubView(const PlaneView& p, int x0, int y0, int x1, int y1) {
  PlaneView v = p;
  v.data = p.data + y0 * p.stride + x0 * p.bytes_per_sample();
  v.width = x1 - x0;
  v.height = y1 - y0;
  return v;
}

// (n * sum_sq - sum^2), exact: n^2 times the population variance.
__int128 ScaledVariance(int64_t n, uint64_t sum, uint64_t sum_sq) {
  return static_cast<__int128>(sum_sq) * n -
         static_cast<__int128>(sum) * static_cast<__int128>(sum);
}

class Colour final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    scale_ = info.scale;
    matrix_ = info.matrix;
    // NTIA's threshold in native code values: full-range units / gain.
    const double t = kPallidStdLimited8 * (255.0 / 224.0) / scale_.chroma_gain;
    pallid_var_ = t * t;
    hist_.assign(2 * kernels::kRadiusBins, 0);
    return Status::Ok();
  }

  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& u = frame.u;
    const PlaneView& v = frame.v;
    if (u.empty() || v.empty()) return;  // gray: no colour to measure
    if (u.width != grid_w_ || u.height != grid_h_) {
      grid_ = NtiaBlocks(u.height, u.width);
      grid_w_ = u.width;
      grid_h_ = u.height;
    }

    ChromaSums s;
    int64_t pallid = 0, blocks = 0;
    // Each block's u and v sums (exact) also add up to the frame's.
    for (size_t by = 0; by + 1 < grid_.y.size(); ++by) {
      for (size_t bx = 0; bx + 1 < grid_.x.size(); ++bx) {
        const int x0 = grid_.x[bx], x1 = grid_.x[bx + 1];
        const int y0 = grid_.y[by], y1 = grid_.y[by + 1];
        const kernels::LumaMoments mu =
            kernels::ComputeLumaMoments(SubView(u, x0, y0, x1, y1), -1,
                                        std::numeric_limits<int32_t>::max());
        const kernels::LumaMoments mv =
            kernels::ComputeLumaMoments(SubView(v, x0, y0, x1, y1), -1,
                                        std::numeric_limits<int32_t>::max());
        s.count += mu.count;
        s.sum_u += mu.sum;
        s.sum_uu += mu.sum_sq;
        s.sum_v += mv.sum;
        s.sum_vv += mv.sum_sq;
        ++blocks;
        if (LowSpread(mu) || LowSpread(mv)) ++pallid;
      }
    }
    s.centred = kernels::ComputeChromaMoments(u, v);
    if (s.count <= 0) return;

    const double n = static_cast<double>(s.count);
    out.Set(kSaturationMean, static_cast<double>(s.centred.sum_radius16) /
                                 16.0 / n * scale_.chroma_gain);
    out.Set(kSaturationP90, SaturationP90(u, v));
    out.Set(kColorfulness, Colorfulness(s, scale_, matrix_));
    out.Set(kPallidShare, static_cast<double>(pallid) / blocks);
  }

 private:
  // NTIA: std (n - 1 normalised, as MATLAB's std) below the threshold; a
  // block of one sample has std 0.
  bool LowSpread(const kernels::LumaMoments& m) const {
    if (m.count < 2) return true;
    const double num =
        static_cast<double>(ScaledVariance(m.count, m.sum, m.sum_sq));
    const double n = static_cast<double>(m.count);
    return num < pallid_var_ * n * (n - 1.0);
  }

  double SaturationP90(const PlaneView& u, const PlaneView& v) {
    if (bins_.size() < static_cast<size_t>(u.width)) bins_.resize(u.width);
    // Two tables: a run of equal bins (flat colour) would otherwise wait on
    // store-to-load forwarding for every sample.
    std::fill(hist_.begin(), hist_.end(), 0u);
    uint32_t* h0 = hist_.data();
    uint32_t* h1 = hist_.data() + kernels::kRadiusBins;
    const uint16_t* b = bins_.data();
    uint64_t total = 0;
    for (int y = 0; y < u.height; y += kSaturationRowStep) {
      kernels::ComputeChromaRadiusBins(u, v, y, bins_.data());
      const int w = u.width;
      int x = 0;
      for (; x + 1 < w; x += 2) {
        ++h0[b[x]];
        ++h1[b[x + 1]];
      }
      if (x < w) ++h0[b[x]];
      total += static_cast<uint64_t>(w);
    }
    // Nearest rank over the merged tables.
    const uint64_t rank = std::max<uint64_t>(
        1, static_cast<uint64_t>(std::ceil(0.9 * static_cast<double>(total))));
    uint64_t cum = 0;
    int bin = kernels::kRadiusBins - 1;
    for (int i = 0; i < kernels::kRadiusBins; ++i) {
      cum += h0[i] + h1[i];
      if (cum >= rank) {
        bin = i;
        break;
      }
    }
    const double unit = static_cast<double>(1 << (u.bit_depth - 8));
    return RadiusOfBin(bin) * unit * scale_.chroma_gain;
  }

  LumaScale scale_;
  ColorMatrix matrix_ = ColorMatrix::kBt709;
  double pallid_var_ = 0.0;  // native code values^2
  BlockGrid grid_;
  int grid_w_ = -1, grid_h_ = -1;
  // Reused: no allocation per frame.
  std::vector<uint32_t> hist_;  // two tables of kernels::kRadiusBins
  std::vector<uint16_t> bins_;  // one row's bins
};

}  // namespace

BlockGrid NtiaBlocks(int rows, int cols) {
  BlockGrid g;
  if (rows <= 0 || cols <= 0) return g;
  // divide_100_blocks: the rounding of (cols, rows) / side closest to 100
  // blocks, options tried in NTIA's order (first minimum wins).
  const double side = std::sqrt(static_cast<double>(rows) * cols / 100.0);
  const double nh = cols / side, nv = rows / side;
  const int options[4][2] = {
      {static_cast<int>(std::floor(nh)), static_cast<int>(std::floor(nv))},
      {static_cast<int>(std::ceil(nh)), static_cast<int>(std::ceil(nv))},
      {static_cast<int>(std::floor(nh)), static_cast<int>(std::ceil(nv))},
      {static_cast<int>(std::ceil(nh)), static_cast<int>(std::floor(nv))}};
  int best = 0;
  for (int i = 1; i < 4; ++i) {
    if (std::abs(100 - options[i][0] * options[i][1]) <
        std::abs(100 - options[best][0] * options[best][1])) {
      best = i;
    }
  }
  // Guards NTIA does not need (its images are large): at least one block,
  // at least one sample per block.
  const int num_h = std::clamp(options[best][0], 1, cols);
  const int num_v = std::clamp(options[best][1], 1, rows);
  const int qcol = cols / num_h, qrow = rows / num_v;
  for (int i = 0; i < num_h; ++i) g.x.push_back(i * qcol);
  g.x.push_back(cols);
  for (int i = 0; i < num_v; ++i) g.y.push_back(i * qrow);
  g.y.push_back(rows);
  return g;
}

std::optional<double> Colorfulness(const ChromaSums& s, const LumaScale& scale,
                                   ColorMatrix matrix) {
  if (s.count <= 0) return std::nullopt;
  double kr = 0.2126, kb = 0.0722;  // BT.709
  if (matrix == ColorMatrix::kBt601) {
    kr = 0.299;
    kb = 0.114;
  } else if (matrix == ColorMatrix::kBt2020) {
    kr = 0.2627;
    kb = 0.0593;
  }
  const double kg = 1.0 - kr - kb;
  // R = Y + cr_r V', B = Y + cb_b U', G = Y - cb_g U' - cr_g V' (full range,
  // U', V' in 8-bit units), hence rg = a_u U' + a_v V', yb = b_u U' + b_v V'.
  const double cr_r = 2.0 * (1.0 - kr), cb_b = 2.0 * (1.0 - kb);
  const double cb_g = 2.0 * kb * (1.0 - kb) / kg;
  const double cr_g = 2.0 * kr * (1.0 - kr) / kg;
  const double a_u = cb_g, a_v = cr_r + cr_g;
  const double b_u = -cb_g / 2.0 - cb_b, b_v = (cr_r - cr_g) / 2.0;

  const int64_t n = s.count;
  const double nn = static_cast<double>(n);
  const double g = scale.chroma_gain;
  // Means of U', V'; variances and covariance from exact scaled sums.
  const double mid = scale.chroma_neutral;
  const double mu = (static_cast<double>(s.sum_u) / nn - mid) * g;
  const double mv = (static_cast<double>(s.sum_v) / nn - mid) * g;
  const double var_u =
      static_cast<double>(ScaledVariance(n, s.sum_u, s.sum_uu)) / (nn * nn) *
      g * g;
  const double var_v =
      static_cast<double>(ScaledVariance(n, s.sum_v, s.sum_vv)) / (nn * nn) *
      g * g;
  // Centred sums: sum du = sum_u - n * mid (exact in int128).
  const __int128 imid = static_cast<__int128>(std::llround(mid));
  const __int128 sdu = static_cast<__int128>(s.sum_u) - imid * n;
  const __int128 sdv = static_cast<__int128>(s.sum_v) - imid * n;
  const double cov =
      static_cast<double>(static_cast<__int128>(s.centred.sum_uv) * n -
                          sdu * sdv) /
      (nn * nn) * g * g;

  const double mean_rg = a_u * mu + a_v * mv;
  const double mean_yb = b_u * mu + b_v * mv;
  const double var_rg =
      a_u * a_u * var_u + 2.0 * a_u * a_v * cov + a_v * a_v * var_v;
  const double var_yb =
      b_u * b_u * var_u + 2.0 * b_u * b_v * cov + b_v * b_v * var_v;
  return std::sqrt(std::max(0.0, var_rg + var_yb)) +
         0.3 * std::sqrt(mean_rg * mean_rg + mean_yb * mean_yb);
}

MetricEntry ColourEntry() {
  const char* unit = "full-range 8-bit chroma units";
  return {"saturation_mean",
          {{"saturation_mean", unit, "0..181", Direction::kNeutral,
            "mean chroma radius hypot(Cb, Cr) (signalstats SATAVG); higher "
            "is more saturated; null on gray input"},
           {"saturation_p90", unit, "0..181", Direction::kNeutral,
            "90th percentile of the chroma radius; higher is more saturated; "
            "null on gray input"},
           {"colorfulness", "8-bit RGB units", "0..290", Direction::kNeutral,
            "Hasler-Suesstrunk colourfulness M (33 moderately, 59 quite, "
            "109 extremely colourful); null on gray input"},
           {"pallid_share", "share of blocks", "0..1", Direction::kNeutral,
            "NTIA S-Pallid: share of ~100 blocks whose Cb or Cr spread is "
            "very low; higher is more washed out; null on gray input"}},
          true,
          [] { return std::unique_ptr<Metric>(new Colour()); }};
}

}  // namespace acuity::metrics
