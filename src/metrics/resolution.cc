// effective_height: the vertical resolution the detail in a frame really
// has, in lines. A 1080-line frame upscaled from 540 lines reads ~540, a
// sharp native 1080p frame ~1080, and a soft (blurred, over-denoised)
// native frame somewhere below: softness lowers it too ("1080p but soft").
// Kernel-agnostic: no resize kernel is fitted (the limitation of
// getnative/descale); the estimate only asks where the vertical spectrum
// stops carrying detail.
//   Method. 64 evenly spaced columns of luma, split into segments of
//   L = 512 rows (fewer for short frames; at most 4 per column, centred on
//   the rows left after trimming flat rows at the top and bottom, e.g.
//   letterbox bars). Each segment: mean removed, Hann window, real DFT
//   (cv::dft); the power spectra are averaged. The average is whitened by f^2
//   (natural images and edges have power ~ 1/f^2, so detail up to Nyquist
//   gives a flat whitened spectrum; Field 1987, "Relations between the
//   statistics of natural images and the response properties of cortical
//   cells"; the dead-leaves texture charts of ISO 19567-2 rest on the same
//   law) and smoothed over +-0.025 Nyquist at 64 band centres. Each band is
//   compared with the trend just below it: the highest whitened level in
//   [0.4 f, 0.6 f]. Scanning up from 0.15 Nyquist, dB drops beyond 5 dB are
//   integrated; the cutoff is where 0.15 dB*Nyquist has accumulated (so a
//   sharp band edge triggers within one band, a gradual roll-off a little
//   later, and a shallow dip never). effective_height = cutoff (fraction of
//   Nyquist) * frame height, rounded to whole lines; frame height when
//   there is no cutoff. Constants calibrated on dead-leaves, Mandelbrot,
//   testsrc2 and photo fixtures downscaled and re-upscaled by bicubic,
//   lanczos and bilinear (tables in docs/metrics.md).
//   Only the vertical direction is measured (the key says height); content
//   upscaled anamorphically reads its vertical resolution.
// Unit: lines. Range 0..frame height (in practice >= 0.15 * height: lower
// cutoffs read ~0.15-0.2 * height). Higher is sharper.
// Border rule: whole columns; rows trimmed only where flat. Null when the
// frame is shorter than 64 active rows, when the sampled luma standard
// deviation is below kFlatLumaStd, or when no band above 0.15 Nyquist rises
// over 4x the 8-bit quantisation floor (nothing to tell a cutoff from).
// Limits: grain, noise and compression ringing are detail to a spectrum
// (an upscaled clip with grain added afterwards reads high); interlaced
// combing reads as full resolution; sources rendered aliased at the low
// resolution (point-sampled synthetic renders) read 18-39% above their line
// count (+53% for a 3x bilinear upscale), bilinear upscales of properly
// downscaled content 5-17% below (10-30% when the downscale was bilinear
// too: that content is soft); photos read their own softness (a 1110-line
// JPEG photo scaled to 1080 reads 840).
//
// laplacian_var_540p: the variance of the 3x3 Laplacian [0 1 0; 1 -4 1;
// 0 1 0] (laplacian_var's operator; Pertuz et al. 2013, LAPV) of the luma
// plane resampled to kReferenceHeight = 540 lines, aspect ratio kept, and
// smoothed by the binomial [1 2 1]^T [1 2 1] / 16, so that 720p and 1080p
// encodes of the same content compare (plain laplacian_var scales with the
// pixel pitch: 2-3.5x between them on camera-like content).
//   Why the smoothing: a 720p pixel is a wider aperture than a 1080p pixel,
//   and the Laplacian weighs the top octave of the 540-line band, where the
//   two differ. Without it a 720p encode reads 0.59-0.66 of the 1080p
//   encode of the same sharp source (area resampling; 0.70-0.72 with the
//   linear path) and 0.77-0.83 on camera-soft sources; with it 0.87-0.92
//   (docs/metrics.md has the table). The price: values ~8x smaller than an
//   unsmoothed Laplacian variance at the same scale, so compare
//   laplacian_var_540p only with itself.
//   Resampling, on native code values (LumaScale applied to the statistic):
//   1080 lines, 8-bit, even width: exact 2x box average rounded as
//   cv::resize(INTER_AREA) rounds it, fused with the smoothing
//   (kernels::HalveAndSmooth8); other integer multiples of 540 whose width
//   the factor divides: cv::resize INTER_AREA (exact box); 540: none;
//   other heights above 540: INTER_AREA by the integer part of the ratio
//   when it divides the frame, then INTER_LINEAR for the rest (< 2x;
//   OpenCV's generic INTER_AREA costs ~2 ms per 720p frame and at ratios
//   below 2 a 2-tap linear blend low-passes comparably); below 540 lines:
//   INTER_LINEAR upscale (no overshoot, so no invented detail: a 360p encode
//   reads lower than a 1080p one of the same content, as it should).
//   Smoothed values stay exact integers (kernels/resolution.h).
// Unit: 8-bit code values^2. Range 0..65025 (the smoothed Laplacian's
// kernel has positive weights summing to 1, so |L| <= 255); higher is
// sharper. Border rule: pixels whose 5x5 neighbourhood lies in the
// resampled plane. Null when the smoothed plane is flat (laplacian_var's
// kFlatLumaStd rule), smaller than 5x5, or OpenCV fails.
#include "metrics/resolution.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "kernels/laplacian.h"
#include "kernels/resolution.h"
#include "metrics/cv_plane.h"
#include "metrics/laplacian_var.h"

namespace acuity::metrics {
namespace {

constexpr int kColumns = 64;
constexpr int kMaxSegment = 512;
constexpr int kMinSegment = 64;
constexpr int kMaxSegmentsPerColumn = 4;
constexpr double kTrimRange = 2.0;  // 8-bit units: a row flatter is trimmed
constexpr int kBands = 64;
constexpr double kSmoothHalfWidth = 0.025;  // fraction of Nyquist
constexpr double kRefLo = 0.4, kRefHi = 0.6;
constexpr double kScanStart = 0.15;  // fraction of Nyquist
constexpr double kDropDb = 5.0;
constexpr double kEvidence = 0.15;  // dB * fraction of Nyquist
constexpr double kFloorFactor = 4.0;

int LargestPowerOfTwoAtMost(int n) {
  int p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

double SampleAt(const PlaneView& y, int x, int row) {
  return y.bit_depth > 8 ? y.Row16(row)[x] : y.Row8(row)[x];
}

// Range of the sampled columns in one row, native code values.
double RowRange(const PlaneView& y, const std::vector<int>& cols, int row) {
  double lo = SampleAt(y, cols[0], row), hi = lo;
  for (int x : cols) {
    const double v = SampleAt(y, x, row);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return hi - lo;
}

// Widest plane laplacian_var_540p resamples to: 64:9 at 540 lines. An
// upscale multiplies the samples by (540 / height)^2, so an 8192x2 frame
// would become 2.2 M x 540 (2.4 GB); frames wider than 64:9 read null. With
// this bound the derived buffers (result, smoothed) hold at most
// max(3840 x 540, the frame's own samples) each.
constexpr int kMax540Width = 3840;

// Width of the plane at kReferenceHeight lines, aspect ratio kept; 0 when it
// would exceed kMax540Width (computed in double: no int overflow).
int TargetWidth(const PlaneView& y) {
  const double w =
      std::round(static_cast<double>(y.width) * kReferenceHeight / y.height);
  if (w > kMax540Width) return 0;
  return std::max(1, static_cast<int>(w));
}

class EffectiveHeightMetric final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    scale_ = info.scale;
    return Status::Ok();
  }
  void Process(const Frame& frame, FrameValues& out) override {
    try {
      out.Set(0, EffectiveHeight(frame.y, scale_, &ws_));
    } catch (const cv::Exception&) {
      // Undetermined rather than a failed video.
    }
  }

 private:
  LumaScale scale_;
  SpectrumWorkspace ws_;
};

class LaplacianVar540pMetric final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    scale_ = info.scale;
    return Status::Ok();
  }
  void Process(const Frame& frame, FrameValues& out) override {
    out.Set(0, LaplacianVar540p(frame.y, scale_, &ws_));
  }

 private:
  LumaScale scale_;
  Resample540Workspace ws_;
};

}  // namespace

const std::vector<double>& VerticalPowerSpectrum(const PlaneView& y,
                                                 const LumaScale& scale,
                                                 SpectrumWorkspace* ws) {
  ws->power.clear();
  if (y.empty()) return ws->power;
  const int nc = std::min(kColumns, y.width);
  ws->columns.resize(nc);
  for (int c = 0; c < nc; ++c) {
    ws->columns[c] =
        static_cast<int>((2 * int64_t{c} + 1) * y.width / (2 * nc));
  }
  // Trim flat rows (letterbox bars, flat sky) at the top and bottom: their
  // edge against the picture is a hard step that would read as detail.
  const double trim = kTrimRange / scale.gain;
  int first = 0, last = y.height - 1;
  while (first <= last && RowRange(y, ws->columns, first) <= trim) ++first;
  while (last > first && RowRange(y, ws->columns, last) <= trim) --last;
  const int active = last - first + 1;
  if (active < kMinSegment) return ws->power;
  const int len = LargestPowerOfTwoAtMost(std::min(kMaxSegment, active));
  const int nseg = std::min(kMaxSegmentsPerColumn, active / len);
  const int y0 = first + (active - nseg * len) / 2;
  const int rows = nc * nseg;

  if (static_cast<int>(ws->window.size()) != len) {
    ws->window.resize(len);
    for (int i = 0; i < len; ++i) {
      ws->window[i] = static_cast<float>(
          0.5 - 0.5 * std::cos(2.0 * M_PI * (i + 0.5) / len));
    }
  }
  // Gather row by row (sequential reads and writes: ~3x faster than
  // writing each column's segment directly), one column per gathered
  // column, with exact integer sums per column and segment for the mean and
  // the variance. Samples stay native code values here.
  ws->gathered.create(nseg * len, nc, CV_32F);
  ws->sums.assign(static_cast<size_t>(rows), 0);
  ws->sums_sq.assign(static_cast<size_t>(rows), 0);
  for (int s = 0; s < nseg; ++s) {
    int64_t* sum = &ws->sums[static_cast<size_t>(s) * nc];
    uint64_t* sq = &ws->sums_sq[static_cast<size_t>(s) * nc];
    for (int i = 0; i < len; ++i) {
      const int row = y0 + s * len + i;
      float* dst = ws->gathered.ptr<float>(s * len + i);
      if (y.bit_depth > 8) {
        const uint16_t* src = y.Row16(row);
        for (int c = 0; c < nc; ++c) {
          const uint32_t v = src[ws->columns[c]];
          dst[c] = static_cast<float>(v);
          sum[c] += v;
          sq[c] += uint64_t{v} * v;  // <= 2^32 * 512 per segment: no overflow
        }
      } else {
        const uint8_t* src = y.Row8(row);
        for (int c = 0; c < nc; ++c) {
          const uint32_t v = src[ws->columns[c]];
          dst[c] = static_cast<float>(v);
          sum[c] += v;
          sq[c] += v * v;
        }
      }
    }
  }
  // Flatness: mean within-segment variance in full-range 8-bit units
  // (laplacian_var's threshold).
  double var_sum = 0.0;
  for (int r = 0; r < rows; ++r) {
    const double n = len;
    const double mean = ws->sums[r] / n;
    var_sum += std::max(0.0, ws->sums_sq[r] / n - mean * mean);
  }
  if (std::sqrt(var_sum / rows) * scale.gain < kFlatLumaStd) {
    return ws->power;
  }
  // Columns of the gathered block are the segments: transpose, then view
  // each column's nseg segments as consecutive rows of length L, so row
  // c * nseg + s is column c, segment s (sums are indexed s * nc + c).
  cv::transpose(ws->gathered, ws->transposed);
  ws->segments = ws->transposed.reshape(1, rows);
  ws->gain_window.resize(len);
  for (int i = 0; i < len; ++i) {
    ws->gain_window[i] = ws->window[i] * static_cast<float>(scale.gain);
  }
  for (int c = 0; c < nc; ++c) {
    for (int s = 0; s < nseg; ++s) {
      float* p = ws->segments.ptr<float>(c * nseg + s);
      const float mean = static_cast<float>(
          static_cast<double>(ws->sums[static_cast<size_t>(s) * nc + c]) / len);
      for (int i = 0; i < len; ++i) p[i] = (p[i] - mean) * ws->gain_window[i];
    }
  }

  cv::dft(ws->segments, ws->spectra, cv::DFT_ROWS);
  // CCS packing of a real row of even length L:
  // Re0, Re1, Im1, ..., Re(L/2-1), Im(L/2-1), Re(L/2).
  const int half = len / 2;
  ws->power.assign(half + 1, 0.0);
  for (int r = 0; r < rows; ++r) {
    const float* q = ws->spectra.ptr<float>(r);
    ws->power[0] += double{q[0]} * q[0];
    for (int k = 1; k < half; ++k) {
      const double re = q[2 * k - 1], im = q[2 * k];
      ws->power[k] += re * re + im * im;
    }
    ws->power[half] += double{q[len - 1]} * q[len - 1];
  }
  for (double& v : ws->power) v /= rows;
  return ws->power;
}

std::optional<double> CutoffFraction(const std::vector<double>& power,
                                     SpectrumWorkspace* ws) {
  const int half = static_cast<int>(power.size()) - 1;
  if (half < kMinSegment / 2) return std::nullopt;
  // White 8-bit quantisation noise (variance 1/12) under a Hann window of
  // length L = 2 * half: 1/12 * sum(w^2) = 1/12 * 3L/8 per bin.
  const double floor = (1.0 / 12.0) * 3.0 * (2.0 * half) / 8.0;
  std::vector<double>& bands = ws->bands;
  bands.assign(kBands, 0.0);
  bool above_floor = false;
  for (int b = 0; b < kBands; ++b) {
    const double f = (b + 0.5) / kBands;
    const int k0 = std::max(
        1, static_cast<int>(std::lround((f - kSmoothHalfWidth) * half)));
    const int k1 = std::min(
        half, static_cast<int>(std::lround((f + kSmoothHalfWidth) * half)));
    double raw = 0.0, white = 0.0;
    for (int k = k0; k <= k1; ++k) {
      const double fk = static_cast<double>(k) / half;
      raw += power[k];
      white += power[k] * fk * fk;
    }
    const int n = k1 - k0 + 1;
    bands[b] = white / n;
    if (f >= kScanStart && raw / n > kFloorFactor * floor) above_floor = true;
  }
  if (!above_floor) return std::nullopt;

  double evidence = 0.0;
  for (int b = 1; b < kBands; ++b) {
    const double f = (b + 0.5) / kBands;
    if (f < kScanStart) continue;
    double ref = 0.0;
    for (int j = 0; j < b; ++j) {
      const double fj = (j + 0.5) / kBands;
      if (fj >= kRefLo * f && fj <= kRefHi * f) ref = std::max(ref, bands[j]);
    }
    if (ref <= 0.0) continue;  // nothing below to compare with
    const double drop_db =
        bands[b] > 0.0 ? -10.0 * std::log10(bands[b] / ref) : 300.0;
    const double inc = std::max(0.0, drop_db - kDropDb) / kBands;
    if (evidence + inc >= kEvidence) {
      const double t = (kEvidence - evidence) / inc;
      return std::clamp(f - (1.0 - t) / kBands, 1.0 / kBands, 1.0);
    }
    evidence += inc;
  }
  return 1.0;
}

std::optional<double> EffectiveHeight(const PlaneView& y,
                                      const LumaScale& scale,
                                      SpectrumWorkspace* ws) {
  const std::vector<double>& power = VerticalPowerSpectrum(y, scale, ws);
  if (power.empty()) return std::nullopt;
  const std::optional<double> cutoff = CutoffFraction(power, ws);
  if (!cutoff) return std::nullopt;
  return std::round(*cutoff * y.height);
}

const cv::Mat& ResampleTo540(const PlaneView& y, Resample540Workspace* ws) {
  const int type = y.bit_depth > 8 ? CV_16UC1 : CV_8UC1;
  const cv::Mat src(y.height, y.width, type, const_cast<uint8_t*>(y.data),
                    static_cast<size_t>(y.stride));
  const int h = y.height, w = y.width;
  const cv::Size target(TargetWidth(y), kReferenceHeight);
  if (target.width == 0) {  // wider than 64:9: refused, not allocated
    ws->result.release();
    return ws->result;
  }
  if (h == kReferenceHeight) {
    ws->result = src;  // a header over the frame: valid during this call
    return ws->result;
  }
  if (h < kReferenceHeight) {
    cv::resize(src, ws->result, target, 0, 0, cv::INTER_LINEAR);
    return ws->result;
  }
  const int k = h / kReferenceHeight;  // integer part of the ratio, >= 1
  if (h % kReferenceHeight == 0 && w % k == 0 && w / k == target.width) {
    cv::resize(src, ws->result, target, 0, 0, cv::INTER_AREA);
    return ws->result;
  }
  if (k >= 2) {
    if (h % k == 0 && w % k == 0) {
      cv::resize(src, ws->stage, cv::Size(w / k, h / k), 0, 0, cv::INTER_AREA);
      cv::resize(ws->stage, ws->result, target, 0, 0, cv::INTER_LINEAR);
    } else {
      cv::resize(src, ws->result, target, 0, 0, cv::INTER_AREA);
    }
    return ws->result;
  }
  cv::resize(src, ws->result, target, 0, 0, cv::INTER_LINEAR);
  return ws->result;
}

std::optional<double> LaplacianVar540p(const PlaneView& y,
                                       const LumaScale& scale,
                                       Resample540Workspace* ws) {
  if (y.empty()) return std::nullopt;
  try {
    if (y.bit_depth <= 8 && y.height == 2 * kReferenceHeight &&
        y.width % 2 == 0 && y.width / 2 == TargetWidth(y) && y.width / 2 >= 5) {
      // 1080 lines, 8-bit: the exact 2x box and the smoothing in one pass
      // (identical to cv::resize + BinomialSmooth3x3, 60 us faster).
      ws->smoothed.create(kReferenceHeight - 2, y.width / 2 - 2, CV_16UC1);
      kernels::HalveAndSmooth8(y,
                               reinterpret_cast<uint16_t*>(ws->smoothed.data),
                               static_cast<ptrdiff_t>(ws->smoothed.step[0]));
    } else {
      const cv::Mat& m = ResampleTo540(y, ws);
      if (m.cols < 5 || m.rows < 5) return std::nullopt;
      const PlaneView resampled = PlaneOf(m, y.bit_depth);
      ws->smoothed.create(m.rows - 2, m.cols - 2, CV_16UC1);
      kernels::BinomialSmooth3x3(resampled,
                                 reinterpret_cast<uint16_t*>(ws->smoothed.data),
                                 static_cast<ptrdiff_t>(ws->smoothed.step[0]));
    }
    const PlaneView smoothed =
        PlaneOf(ws->smoothed, kernels::BinomialSmoothDepth(y.bit_depth));
    // 8-bit input is smoothed into exact sums (16x the weighted mean).
    LumaScale units = scale;
    if (y.bit_depth <= 8) units.gain /= 16.0;
    return LaplacianVarFromMoments(kernels::ComputeLaplacianMoments(smoothed),
                                   units);
  } catch (const cv::Exception&) {
    return std::nullopt;
  }
}

MetricEntry EffectiveHeightEntry() {
  return {"effective_height",
          {{"effective_height", "lines", "0..frame height",
            Direction::kHigherIsSharper,
            "vertical resolution the detail really has (where the column "
            "power spectrum drops off; ~540 for 1080p upscaled from 540p, "
            "lower when soft); null on flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new EffectiveHeightMetric()); }};
}

MetricEntry LaplacianVar540pEntry() {
  return {"laplacian_var_540p",
          {{"laplacian_var_540p", "8-bit code values^2", "0..65025",
            Direction::kHigherIsSharper,
            "Laplacian variance of luma resampled to 540 lines (area "
            "average) and binomial-smoothed: comparable across encode "
            "resolutions; null on flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new LaplacianVar540pMetric()); }};
}

}  // namespace acuity::metrics
