// motion_mean: temporal metrics of the luma plane against the previous frame
// (presentation order), plus the motion-blur structure of each frame.
//
// Outputs (sums from kernels/motion.h, one pass per frame):
//  - motion_mean: mean |Y(t) - Y(t-1)| over every pixel, full-range 8-bit
//    units (FFmpeg signalstats YDIF times LumaScale::gain). 0..255. Neutral.
//  - ti: ITU-T P.910 temporal information of one frame, the population
//    standard deviation of Y(t) - Y(t-1) over every pixel, full-range 8-bit
//    units (FFmpeg siti `ti` at 8 bits). 0..255. Neutral.
//  - motion_blur: directional loss of fine detail relative to the
//    content's own structure. The Sobel structure tensor J = sum [Gx^2,
//    GxGy; GxGy, Gy^2] per pixel at scales 1, 2, 4, 8, 16 and 32 px (the
//    block area and its 2x2-mean pyramid, kernels::ComputeBlurPyramid),
//    each with an isotropic floor of kBlurTensorFloor (2 %) of its mean
//    eigenvalue. For each pair of neighbouring scales (fine A, coarse B) the
//    ratio of directional gradient energies u'Au / u'Bu has extremes
//    l1 >= l2 (the generalised eigenvalues of (A, B)). The content's own
//    orientation (the bars of a test pattern, the verticals of a building)
//    is in A and B alike and cancels; blur along a direction removes fine
//    detail there before coarse, which is what remains. A direction that is
//    smooth at both scales has ratio 1/4 (the coarse level's samples are 2
//    px apart, its gradients twice as large), so the pair's anisotropy is
//    taken above kBlurSmoothRatio (0.15, below that bound):
//    (l1 - l2) / (l1 + l2 - 2 kBlurSmoothRatio), clamped to [0, 1]. A pair
//    whose blurred direction reached the smooth bound stays near its top
//    while the blur grows, instead of falling back as the detail across the
//    blur goes too (text and lines shorter than the blur lose both
//    directions). motion_blur = mean over the 5 pairs. 0..1; 0 = no
//    directional blur, higher is blurrier (more directional, motion-like
//    blur; isotropic blur lowers it). Rises with the blur length up to
//    about the coarsest scale (32 px).
//  - motion_blur_angle: the direction u of l2 for the finest pair (where
//    fine detail was lost most): the motion direction. Degrees in
//    [0, 180), counter-clockwise from the +x axis (rightwards) with the y
//    axis pointing UP on screen: 0 = horizontal motion, 90 = vertical,
//    45 = bottom-left to top-right. FFmpeg's dblur=angle=A (clockwise,
//    y down) is (180 - A) mod 180 here. Neutral.
//  - moving_sharpness_ratio: the interior is tiled by 32x32 blocks; a block
//    is moving when its mean |Y(t) - Y(t-1)| (8-bit units) exceeds
//    kMovingBlockMeanAbsDiff (3.0). Ratio = mean Sobel energy Gx^2 + Gy^2 of
//    the moving blocks / that of the static ones. 0..inf, 1 = moving parts
//    as sharp as static ones; higher is sharper.
//  - motion_vector_px: mean motion in luma px per frame from the codec's own
//    motion vectors (decoder option export_motion_vectors = FFmpeg `flags2
//    +export_mvs`): over the past-referencing vectors of a P picture,
//    sum(w h |mv| / d) / sum(w h), d = Frame::past_reference_distance
//    (frames back to the previous I/P picture). Intra-coded macroblocks
//    have no vector and do not count. 0..inf. Neutral. Null on I and B
//    pictures (see Process()), for codecs that export no vectors (HEVC,
//    VP9, AV1, FFV1, images) and for a P picture without past vectors
//    (MPEG-4 part 2: the last picture, flushed at the end of the stream).
//    moving_sharpness_ratio does NOT use the vectors (see Process()).
// Border rule: differences over every pixel; gradients over complete blocks
// only (the last < 32 interior columns/rows are not measured).
// Null (frame-difference outputs): motion_mean, ti and
// moving_sharpness_ratio on the first frame (no
// predecessor) and when the frame size changes; motion_blur and
// motion_blur_angle when the mean Sobel energy per pixel is below
// kMotionFlatEnergy (16, an RMS Sobel gradient of 4, i.e. a slope of ~0.5
// code values per pixel) or the plane is smaller than 34x34 (no block);
// motion_blur_angle also when motion_blur < kMotionAngleMinAnisotropy
// (0.1); moving_sharpness_ratio unless >= 5% of the blocks are moving and
// >= 5% static, and the static blocks are not flat (kMotionFlatEnergy).
#include "metrics/motion.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

class Motion final : public Metric {
 public:
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& y = frame.y;
    const bool prev_valid = has_prev_ && prev_.width == y.width &&
                            prev_.height == y.height &&
                            prev_.bit_depth == y.bit_depth;
    // The kernel copies the plane into buffer_ (the view is valid only
    // during Process()), reading the previous frame there first. The buffer
    // grows once and is reused.
    const size_t row_bytes =
        y.empty() ? 0
                  : static_cast<size_t>(y.width) *
                        static_cast<size_t>(y.bytes_per_sample());
    if (!prev_valid) buffer_.resize(row_bytes * static_cast<size_t>(y.height));
    kernels::ComputeMotion(y, prev_valid ? prev_ : PlaneView{},
                           y.empty() ? nullptr : buffer_.data(), &sums_,
                           &blocks_);
    // Codec motion vectors (H.264, MPEG-4 part 2 ...), when the frame has
    // past-referencing ones: motion_vector_px, and the per-block motion
    // that then decides which blocks are moving.
    // P pictures only: FFmpeg 5.1's MPEG-4 part 2 decoder exports zero or
    // stale vectors for B pictures, its H.264 decoder exports B pictures
    // while another frame thread may still write their vectors (different
    // numbers with --threads 1 and 2), and a B picture's past reference
    // (B-pyramid) is not known.
    std::optional<double> vector_px;
    if (frame.picture_type == 'P' && !frame.motion_vectors.empty()) {
      vector_px = MotionFromVectors(
          frame.motion_vectors, frame.past_reference_distance,
          kernels::MotionBlockCols(y), kernels::MotionBlockRows(y),
          &block_vector_px_, &block_vector_area_);
    }
    // moving_sharpness_ratio keeps the frame-difference rule on every
    // frame, vectors or not: MotionFromSums(..., &block_vector_px_) would
    // classify blocks by the vectors, but then the same content gives
    // different ratios per codec (FFV1 vs H.264) and per picture type (P
    // pictures by vectors, I and B by difference), and blocks the encoder
    // coded intra fall back to the difference anyway (docs/metrics.md).
    kernels::ComputeBlurPyramid(y, &pyramid_scratch_, &pyramid_);
    const MotionValues v =
        MotionFromSums(sums_, blocks_, prev_valid, analysis.scale(), &pyramid_);
    out.Set(0, v.motion_mean);
    out.Set(1, v.ti);
    out.Set(2, v.motion_blur);
    out.Set(3, v.motion_blur_angle);
    out.Set(4, v.moving_sharpness_ratio);
    out.Set(5, vector_px);
    has_prev_ = !y.empty();
    prev_ = y;
    prev_.data = buffer_.data();
    prev_.stride = static_cast<ptrdiff_t>(row_bytes);
  }

 private:
  kernels::MotionSums sums_;
  std::vector<kernels::MotionBlock> blocks_;  // reused: no allocation per frame
  kernels::BlurPyramid pyramid_;
  std::vector<uint16_t> pyramid_scratch_;
  std::vector<uint8_t> buffer_;
  std::vector<double> block_vector_px_, block_vector_area_;  // reused
  PlaneView prev_;
  bool has_prev_ = false;
};

}  // namespace

MotionValues MotionFromSums(const kernels::MotionSums& s,
                            const std::vector<kernels::MotionBlock>& blocks,
                            bool prev_valid, const LumaScale& scale,
                            const kernels::BlurPyramid* pyramid,
                            const std::vector<double>* block_vector_px) {
  MotionValues v;
  const double g = scale.gain, g2 = g * g;
  if (prev_valid && s.diff_count > 0) {
    const double n = static_cast<double>(s.diff_count);
    v.motion_mean = static_cast<double>(s.sum_abs_diff) / n * g;
    // Population variance exactly: (n sum_sq - sum^2) / n^2, 128-bit.
    const __int128 num = static_cast<__int128>(s.sum_diff_sq) * s.diff_count -
                         static_cast<__int128>(s.sum_diff) * s.sum_diff;
    v.ti = std::sqrt(static_cast<double>(num) / (n * n)) * g;
  }
  if (s.tensor_count > 0 && pyramid != nullptr) {
    const double tr = static_cast<double>(s.sxx) + static_cast<double>(s.syy);
    if (tr / static_cast<double>(s.tensor_count) * g2 >= kMotionFlatEnergy) {
      const DirectionalBlur d = DirectionalBlurFromTensors(s, *pyramid);
      v.motion_blur = d.anisotropy;
      if (d.anisotropy >= kMotionAngleMinAnisotropy) {
        v.motion_blur_angle = d.angle;
      }
    }
  }
  if (prev_valid && !blocks.empty()) {
    const double block_px = kernels::kMotionBlock * kernels::kMotionBlock;
    double e_moving = 0, e_static = 0;
    size_t n_moving = 0, n_static = 0;
    const bool vectors =
        block_vector_px != nullptr && block_vector_px->size() == blocks.size();
    for (size_t i = 0; i < blocks.size(); ++i) {
      const kernels::MotionBlock& b = blocks[i];
      const double vpx = vectors ? (*block_vector_px)[i] : -1.0;
      const bool moving =
          vpx >= 0 ? vpx >= kMovingBlockVectorPx
                   : b.sum_abs_diff / block_px * g > kMovingBlockMeanAbsDiff;
      if (moving) {
        e_moving += static_cast<double>(b.energy);
        ++n_moving;
      } else {
        e_static += static_cast<double>(b.energy);
        ++n_static;
      }
    }
    const double min_blocks = kMovingMinBlockShare * blocks.size();
    if (n_moving >= min_blocks && n_static >= min_blocks && n_moving > 0 &&
        n_static > 0) {
      const double mean_static = e_static / n_static;
      if (mean_static / block_px * g2 >= kMotionFlatEnergy) {
        v.moving_sharpness_ratio = (e_moving / n_moving) / mean_static;
      }
    }
  }
  return v;
}

DirectionalBlur DirectionalBlurFromTensors(const kernels::MotionSums& s,
                                           const kernels::BlurPyramid& p) {
  struct Tensor {
    double xx = 0, yy = 0, xy = 0;
  };
  // Per-pixel mean tensors at scales 1, 2, 4, 8, 16, 32 px, each with a
  // small isotropic floor (kBlurTensorFloor of its mean eigenvalue) so that
  // a direction in which the content has (almost) no gradient at all -- the
  // vertical of pure vertical bars -- reads as "no information" rather than
  // as an extreme ratio of two tiny numbers.
  Tensor t[kernels::kBlurLevels + 1];
  int levels = 0;
  const auto add = [&](double n, double xx, double yy, double xy) {
    if (n <= 0 || xx + yy <= 0) return false;
    const double floor = kBlurTensorFloor * (xx + yy) / (2 * n);
    t[levels++] = {xx / n + floor, yy / n + floor, xy / n};
    return true;
  };
  DirectionalBlur r;
  if (!add(static_cast<double>(s.tensor_count), static_cast<double>(s.sxx),
           static_cast<double>(s.syy), static_cast<double>(s.sxy))) {
    return r;
  }
  for (const kernels::BlurTensor& b : p.level) {
    if (!add(static_cast<double>(b.count), static_cast<double>(b.sxx),
             static_cast<double>(b.syy), static_cast<double>(b.sxy))) {
      break;
    }
  }
  if (levels < 2) return r;
  // Each pair of neighbouring scales (fine A, coarse B): the ratio of
  // directional gradient energies u'Au / u'Bu over directions u, whose
  // extremes are the generalised eigenvalues l1 >= l2 of (A, B):
  //   det(B) l^2 - (a_xx b_yy + a_yy b_xx - 2 a_xy b_xy) l + det(A) = 0,
  // so l1 + l2 = qb / qa and l1 - l2 = disc / qa (qa = det(B) > 0: the
  // floor makes B positive definite). The content's own orientation is in
  // both A and B and cancels; what is left is where fine detail was lost
  // relative to coarse structure. The anisotropy is measured above the
  // ratio of a direction that is smooth at both scales (1/4; see the
  // header): (l1 - l2) / (l1 + l2 - 2 s), s = kBlurSmoothRatio.
  double sum_aniso = 0;
  for (int k = 0; k + 1 < levels; ++k) {
    const Tensor& a = t[k];
    const Tensor& b = t[k + 1];
    const double qa = b.xx * b.yy - b.xy * b.xy;
    const double qb = a.xx * b.yy + a.yy * b.xx - 2 * a.xy * b.xy;
    const double qc = a.xx * a.yy - a.xy * a.xy;
    const double disc = std::sqrt(std::max(0.0, qb * qb - 4 * qa * qc));
    const double den = qb - 2 * kBlurSmoothRatio * qa;
    const double aniso = den > 0 ? std::min(1.0, disc / den) : 0.0;
    sum_aniso += aniso;
    if (k > 0 || qa <= 0) continue;
    // The direction comes from the finest pair (the coarser pairs see
    // more of the content's own large-scale layout): u of the smallest
    // ratio l2 (most fine detail lost) solves (A - l2 B) u = 0; the row
    // with the larger coefficients gives it.
    const double l2 = (qb - disc) / (2 * qa);
    const double m11 = a.xx - l2 * b.xx, m12 = a.xy - l2 * b.xy,
                 m22 = a.yy - l2 * b.yy;
    const bool first = m11 * m11 >= m22 * m22;
    const double ux = first ? -m12 : m22;
    const double uy = first ? m11 : -m12;
    if (ux == 0 && uy == 0) continue;
    // u and -u are one direction; y up on screen.
    double deg = std::atan2(-uy, ux) * 180.0 / std::numbers::pi;
    deg = std::fmod(deg + 360.0, 180.0);
    if (deg >= 180.0) deg -= 180.0;
    r.angle = deg;
  }
  r.anisotropy = sum_aniso / (levels - 1);
  return r;
}

std::optional<double> MotionFromVectors(std::span<const MotionVector> mvs,
                                        int past_distance, int cols, int rows,
                                        std::vector<double>* block_px,
                                        std::vector<double>* block_area) {
  // assign() keeps the capacity: no allocation once the grid size is known.
  const size_t n = static_cast<size_t>(cols) * static_cast<size_t>(rows);
  block_px->assign(n, 0.0);
  block_area->assign(n, 0.0);
  double sum = 0, area = 0;
  if (past_distance >= 1) {
    constexpr int kB = kernels::kMotionBlock;
    // Block (bx, by) covers x in [1 + 32 bx, 33 + 32 bx), y likewise.
    auto first = [](int p) { return p <= 1 ? 0 : (p - 1) / kB; };
    for (const MotionVector& mv : mvs) {
      if (mv.source >= 0 || mv.w == 0 || mv.h == 0) continue;
      const double mag = std::hypot(mv.dx(), mv.dy()) / past_distance;
      const double a = static_cast<double>(mv.w) * mv.h;
      sum += a * mag;
      area += a;
      const int x0 = mv.dst_x - mv.w / 2, x1 = x0 + mv.w;
      const int y0 = mv.dst_y - mv.h / 2, y1 = y0 + mv.h;
      if (x1 <= 1 || y1 <= 1) continue;
      for (int by = first(y0); by < rows && 1 + by * kB < y1; ++by) {
        const int oy =
            std::min(y1, 1 + (by + 1) * kB) - std::max(y0, 1 + by * kB);
        if (oy <= 0) continue;
        for (int bx = first(x0); bx < cols && 1 + bx * kB < x1; ++bx) {
          const int ox =
              std::min(x1, 1 + (bx + 1) * kB) - std::max(x0, 1 + bx * kB);
          if (ox <= 0) continue;
          const size_t i = static_cast<size_t>(by) * cols + bx;
          (*block_px)[i] += static_cast<double>(ox) * oy * mag;
          (*block_area)[i] += static_cast<double>(ox) * oy;
        }
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    (*block_px)[i] =
        (*block_area)[i] > 0 ? (*block_px)[i] / (*block_area)[i] : -1.0;
  }
  if (area <= 0) return std::nullopt;
  return sum / area;
}

MetricEntry MotionMeanEntry() {
  MetricEntry e{
      "motion_mean",
      {{"motion_mean", "8-bit code values", "0..255", Direction::kNeutral,
        "mean |luma difference| to the previous frame (FFmpeg "
        "signalstats YDIF); null on the first frame"},
       {"ti", "8-bit code values", "0..255", Direction::kNeutral,
        "ITU-T P.910 temporal information: std of the luma frame "
        "difference (FFmpeg siti); null on the first frame"},
       {"motion_blur", "ratio", "0..1", Direction::kHigherIsBlurrier,
        "directional loss of fine detail relative to the content's own "
        "structure (structure tensors at 1..32 px); null on flat frames"},
       {"motion_blur_angle", "degrees", "0..180", Direction::kNeutral,
        "motion-blur direction, counter-clockwise from +x with y up; "
        "null when motion_blur < 0.1"},
       {"moving_sharpness_ratio", "ratio", "0..inf",
        Direction::kHigherIsSharper,
        "Sobel energy of moving 32x32 blocks / that of static blocks; "
        "null unless >= 5% of blocks each"},
       {"motion_vector_px", "px/frame", "0..inf", Direction::kNeutral,
        "mean |codec motion vector| (past references, per frame of "
        "distance); null on intra frames and codecs without vectors"}},
      false,
      [] { return std::unique_ptr<Metric>(new Motion()); }};
  e.needs_motion_vectors = true;
  e.temporal = true;  // the previous frame
  return e;
}

}  // namespace acuity::metrics
