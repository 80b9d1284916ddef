// detail_scale_px: how fine the picture's detail is, where it has detail.
//
// Flat is not blurry. A clear sky, a wall or a plain door have no detail
// that blur could remove, yet every per-pixel sharpness number (Laplacian
// variance, gradient energy) reads them as the blurriest content there is.
// This metric first decides, tile by tile, whether there is any structure,
// and only then asks how fine it is, with a measure that does not scale with
// contrast, so a faint sharp texture is not "blurry" either.
//
// Tiles: the heatmap grid (DetailGrid; 16 x 9 on 16:9 video). Per tile, in
// full-range 8-bit units (limited range and >8-bit input scaled as for
// laplacian_var), with s the frame's noise sigma (noise_sigma's estimator,
// metrics/noise.h):
//   G2 = mean(Gx^2 + Gy^2) / 64     mean squared gradient (Sobel / 8 is the
//                                  derivative at low frequency), minus the
//                                  0.375 s^2 white noise adds to it;
//   L2 = mean(L^2)                  mean squared 4-neighbour Laplacian.
// A tile is structured when sqrt(G2) >= kDetailMinGradient (1.0 code value
// per sample): a sky gradient or a lit wall changes by well under 1 code
// value per sample (8-bit banding steps every few samples give 0.3-0.6),
// while blurred texture keeps several (a sigma 4 Gaussian blur of a step of
// 50 still has a 5 code/sample slope; building.jpg blurred by sigma 4 keeps
// 2-6 per tile). The noise term keeps a grainy wall flat.
// Scale of a structured tile: sqrt(G2 / (L2 - 20 / 12)) in samples, without
// G2's noise term; 20 / 12 is the Laplacian energy of the rounding to
// integer samples (1/12 code^2 of white noise), which on heavily blurred
// 8-bit content is much of what is left and would make sigma 4 read finer
// than sigma 2. Grain is not compensated here: it reads as fine detail, as
// for every Laplacian measure. Both energies scale with contrast
// squared, so the ratio does not; it is the length over which the gradient
// changes: for a Gaussian-blurred step edge it tends to sqrt(2) sigma, for
// Gaussian-blurred white texture to sigma / sqrt(2), and sharp content reads
// 0.3-0.8. Capped at 64 (a perfectly straight ramp has no Laplacian).
//
// Outputs:
//  - detail_scale_px: the kDetailQuantile (25%) quantile of the scales of
//    the structured tiles (linear interpolation): the finest quarter of the
//    detailed area. Samples; 0.3..64; higher is blurrier. Null when fewer
//    than kDetailMinShare (5%) of the tiles are structured: a flat frame
//    (fade, title card, plain wall) is undetermined, not blurry.
//  - detail_share: share of the tiles that are structured. 0..1; neutral.
//    Null when the frame has no tile of kDetailMinTileSide samples.
// `acuity frames` ranks by detail_scale_px by default, and the heatmap
// (acuity/heatmap.h) colours its tiles by the same tile scale.
// Grain makes detail read finer (as it does for every Laplacian measure);
// the noise term only keeps grain from making a flat tile structured.
#include "metrics/detail.h"

#include <algorithm>
#include <cmath>

#include "kernels/laplacian.h"
#include "metrics/frame_analysis.h"
#include "metrics/noise.h"

namespace acuity::metrics {

namespace {
constexpr double kSobelGain2 = 64.0;  // (Sobel / derivative)^2
// White noise of sigma s adds 24 s^2 to E[Gx^2 + Gy^2] of the Sobel pair
// (1 + 4 + 1 + 1 + 4 + 1 per direction), i.e. 24 / 64 s^2 to G2.
constexpr double kGradientNoiseGain = 24.0 / kSobelGain2;
constexpr double kMaxScale = 64.0;
}  // namespace

void DetailGrid(int width, int height, int* cols, int* rows) {
  if (width <= 0 || height <= 0) {
    *cols = *rows = 0;
    return;
  }
  *cols = std::min(kDetailMaxCols, std::max(1, width / 8));
  const long r = std::lround(static_cast<double>(*cols) * height / width);
  *rows = static_cast<int>(std::max<long>(1, std::min<long>(r, height / 8)));
}

void ComputeTileSums(const PlaneView& plane, int cols, int rows,
                     std::vector<TileSums>* tiles) {
  kernels::MagnitudeSums unused;
  kernels::ComputeTileMoments(plane, cols, rows, tiles, &unused);
}

TileDetail JudgeTile(const TileSums& t, const LumaScale& scale,
                     double noise_sigma) {
  TileDetail d;
  if (t.count <= 0) return d;
  const double n = static_cast<double>(t.count);
  const double g2 =
      static_cast<double>(t.sum_g2) / n / kSobelGain2 * scale.gain * scale.gain;
  const double l2 = static_cast<double>(t.sum_l2) / n * scale.gain * scale.gain;
  const double l2_rounding =
      kLaplacianNoiseGain / 12.0 * scale.gain * scale.gain;
  const double g2c =
      std::max(0.0, g2 - kGradientNoiseGain * noise_sigma * noise_sigma);
  d.gradient = std::sqrt(g2c);
  d.structured = d.gradient >= kDetailMinGradient;
  if (d.structured) {
    // Neither energy is noise-compensated (grain reads as fine detail, as
    // for every Laplacian measure), except for the rounding floor of L2.
    const double l2c = l2 - l2_rounding;
    d.scale_px =
        l2c > g2 / (kMaxScale * kMaxScale) ? std::sqrt(g2 / l2c) : kMaxScale;
  }
  return d;
}

double FrameNoiseSigma(const PlaneView& plane, const LumaScale& scale,
                       std::vector<kernels::NoiseBlock>* blocks,
                       std::vector<uint64_t>* keys) {
  const int step = NoiseRowStep(plane);
  kernels::ComputeNoiseBlocks(plane, step, blocks);
  return NoiseSigmaFromBlocks(plane, step, *blocks, scale, keys).value_or(0.0);
}

namespace {

class DetailScale final : public Metric {
 public:
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& y = frame.y;
    if (y.empty()) return;
    int cols = 0, rows = 0;
    DetailGrid(y.width, y.height, &cols, &rows);
    if (cols == 0 || y.width / cols < kDetailMinTileSide ||
        y.height / rows < kDetailMinTileSide) {
      return;
    }
    const double sigma = analysis.noise_sigma().value_or(0.0);
    scales_.clear();
    const std::vector<TileSums>& tiles = analysis.detail_tiles();
    for (const TileSums& t : tiles) {
      const TileDetail d = JudgeTile(t, analysis.scale(), sigma);
      if (d.scale_px) scales_.push_back(*d.scale_px);
    }
    const double share =
        static_cast<double>(scales_.size()) / static_cast<double>(tiles.size());
    out.Set(1, share);
    if (share < kDetailMinShare || scales_.empty()) return;
    std::sort(scales_.begin(), scales_.end());
    const double pos =
        kDetailQuantile * static_cast<double>(scales_.size() - 1);
    const size_t lo = static_cast<size_t>(pos);
    const size_t hi = std::min(lo + 1, scales_.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    out.Set(0, scales_[lo] + (scales_[hi] - scales_[lo]) * frac);
  }

 private:
  std::vector<double> scales_;
};

}  // namespace

MetricEntry DetailScaleEntry() {
  return {"detail_scale_px",
          {{"detail_scale_px", "px", "0.3..64", Direction::kHigherIsBlurrier,
            "how fine the detail is where there is any: sqrt(gradient "
            "energy / Laplacian energy) per tile, 25% quantile of the "
            "structured tiles; null on a flat frame (fewer than 5% of the "
            "tiles with a 1 code/px noise-compensated gradient)"},
           {"detail_share", "ratio", "0..1", Direction::kNeutral,
            "share of the tiles with structure (not flat) used by "
            "detail_scale_px"}},
          false,
          [] { return std::unique_ptr<Metric>(new DetailScale()); },
          false,
          false,
          kNeedNoise | kNeedDetailTiles};
}

}  // namespace acuity::metrics
