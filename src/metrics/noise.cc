// The noise estimate and laplacian_var_nc; both are outputs of the
// laplacian_var entry (metrics/laplacian_var.cc), which shares its Laplacian
// pass with them. This file holds the estimator.
//
// noise_sigma: standard deviation of the noise in the luma plane, by
// Immerkaer's estimator (J. Immerkaer, "Fast noise variance estimation",
// Computer Vision and Image Understanding 64(2), 1996):
//   sigma = sqrt(pi/2) / 6 * mean |I * N|,  N = [1 -2 1; -2 4 -2; 1 -2 1],
// which is exact for white Gaussian noise on content that N does not see (N
// is a product of two second differences: it cancels any f(x) + g(y), so
// flat areas, ramps and smooth shading give 0). Edges and texture do reach
// N and would read as noise, so, in the spirit of Tai & Yang ("A fast
// method for image noise estimation using Laplacian operator and adaptive
// edge detection", ISCCSP 2008), detailed content is excluded -- by blocks:
//  1. The interior is cut into 16x16 blocks (kernels/sobel.h); each block
//     yields sum |N| and its texture, sum |Gx| + |Gy| of the Sobel operator,
//     over 8 of its rows (every other). Every NoiseRowStep()-th block row is
//     measured (all below 706 lines, every 3rd at 1080p).
//  2. Blocks touching the black or white level (a sample <= black or >=
//     white code value) are set aside: clipping removes part of their
//     noise, and letterbox bars, crushed shadows and blown highlights would
//     read as noise-free. When every block touches a clip level (a black
//     frame, binary graphics such as cellular automata, a crushed night
//     scene), N is read again, scalar, only where none of the nine samples
//     it reads is at or beyond black or white, and blocks without such a
//     pixel are set aside: clipping hides noise, and a two-level picture
//     (every sample at black or white) shows none, so it reads 0. Before,
//     all blocks counted there, and the texture of a sharp rule-30
//     automaton read as noise of ~104 (49.6 after a 0.5 px blur), which
//     made laplacian_var_nc rise with that blur.
//  3. sigma is the estimator over the flattest kNoiseFlattestPercent (10%,
//     at least one) of the usable blocks, ranked by texture (ties by
//     position, so the choice is deterministic).
// Under white Gaussian noise the Sobel responses are uncorrelated with N at
// the same pixel (Gx is odd and N even in x, Gy likewise in y), hence
// independent: ranking blocks by gradient does not select their noise
// (the slight correlation through neighbouring pixels costs ~1-2%).
// Integer sums in the kernel, so the value is the same on every SIMD
// target. Unit: full-range 8-bit code values (>8-bit input divided by
// 2^(depth-8), limited range scaled by 255/219). Range 0..~128 (0 for
// clean synthetic content; ~3 for a detailed clean photograph; the
// estimator's maximum is 426). Neutral: noise is not sharpness.
// Null: no block (planes under 18x18). A constant frame, grey or black,
// is 0: it has no noise.
//
// laplacian_var_nc: fine detail that grain and coding blocks cannot fake.
// Before this version it was laplacian_var - 20 noise_sigma^2, which failed on
// unseen content: the full-resolution Laplacian of a blurred picture is so
// small next to the grain's 20 sigma^2 that a 5% error of noise_sigma left
// 47x the clean value, and 8x8 block edges read as detail (2-3x). It is now
// measured at a scale where both are weak:
//  1. B = means of 8x8 boxes taken every 4 samples (4x4 block sums of
//     kernels/block.h, added in 2x2). An 8-sample box averages every
//     8-periodic pattern to its mean, so a regular block grid (at any
//     phase) vanishes from B, and white noise of sigma shrinks to sigma/8.
//  2. The variance of the 5-point Laplacian of B (neighbours at +-4
//     samples), in full-range 8-bit units^2.
//  3. Minus its noise part kCoarseNoiseGain * noise_sigma^2 (0.094 sigma^2
//     instead of 20 sigma^2: an error in noise_sigma hardly matters), but
//     never more than kMaxNoiseShare (2/3) of the coarse variance: where
//     noise_sigma would explain more, it is reading texture as noise (it
//     reads ~100 on a sharp rule-30 cellular automaton), and subtracting
//     it all made sharp binary patterns read flatter than their blurred
//     twins. For real grain the cap costs little: it only binds where the
//     grain's coarse part is over twice the detail, and then the value is
//     at most (1 + noise/detail) / 3 times the clean one.
// Any Gaussian blur lowers every band of the spectrum, so the value falls
// strictly with blur, though less steeply than laplacian_var (it looks at
// detail of ~8-16 samples, not 1-2). Higher is sharper. Null where
// laplacian_var or noise_sigma is null, or under 16x16.
#include "metrics/noise.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "kernels/laplacian.h"

namespace acuity::metrics {
int NoiseRowStep(const PlaneView& plane) {
  return std::max(1, kernels::NoiseBlockRows(plane, 1) / kNoiseMinBlockRows);
}

namespace {

// The clipped-frame estimate: per block of `blocks` (same geometry as
// kernels::ComputeNoiseBlocks, same measured pixels), sum |N| and the count
// of the pixels whose 3x3 neighbourhood lies strictly between black and
// white; then Immerkaer's estimator over the flattest kNoiseFlattestPercent
// of the blocks that have such pixels (ranked by their texture, ties by
// position), 0 when none has. Integer sums, plain C++: the same value on
// every target.
double ClipFreeNoise(const PlaneView& plane, int row_step,
                     const std::vector<kernels::NoiseBlock>& blocks,
                     double black, double white,
                     std::vector<uint64_t>* keys) {
  constexpr int kB = kernels::kNoiseBlockSize;
  const int cols = kernels::NoiseBlockCols(plane);
  std::vector<uint64_t> sums(blocks.size(), 0);
  std::vector<uint32_t> counts(blocks.size(), 0);
  const auto inside = [&](int x, int y) {
    const double v = plane.At(x, y);
    return v > black && v < white;
  };
  for (size_t i = 0; i < blocks.size(); ++i) {
    const int by = static_cast<int>(i / cols) * row_step;
    const int bx = static_cast<int>(i % cols);
    for (int y = 1 + by * kB; y <= (by + 1) * kB; y += 2) {
      for (int x = 1 + bx * kB; x <= (bx + 1) * kB; ++x) {
        bool clear = true;
        for (int dy = -1; dy <= 1 && clear; ++dy) {
          for (int dx = -1; dx <= 1 && clear; ++dx) {
            clear = inside(x + dx, y + dy);
          }
        }
        if (!clear) continue;
        const auto p = [&](int dx, int dy) {
          return int64_t{plane.At(x + dx, y + dy)};
        };
        const int64_t n = p(-1, -1) - 2 * p(0, -1) + p(1, -1) -
                          2 * p(-1, 0) + 4 * p(0, 0) - 2 * p(1, 0) +
                          p(-1, 1) - 2 * p(0, 1) + p(1, 1);
        sums[i] += static_cast<uint64_t>(n < 0 ? -n : n);
        ++counts[i];
      }
    }
  }
  keys->clear();
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (counts[i] > 0) keys->push_back((uint64_t{blocks[i].sum_grad} << 32) | i);
  }
  if (keys->empty()) return 0.0;
  const size_t k =
      std::max<size_t>(1, (keys->size() * kNoiseFlattestPercent + 99) / 100);
  std::nth_element(keys->begin(), keys->begin() + (k - 1), keys->end());
  uint64_t sum_abs_n = 0, count = 0;
  for (size_t j = 0; j < k; ++j) {
    const size_t i = (*keys)[j] & 0xFFFFFFFFu;
    sum_abs_n += sums[i];
    count += counts[i];
  }
  return std::sqrt(std::numbers::pi / 2.0) / 6.0 *
         static_cast<double>(sum_abs_n) / static_cast<double>(count);
}

}  // namespace

std::optional<double> NoiseSigmaFromBlocks(
    const PlaneView& plane, int row_step,
    const std::vector<kernels::NoiseBlock>& blocks, const LumaScale& scale,
    std::vector<uint64_t>* keys) {
  // Native code values of black and white: (v - black) * gain is 0 / 255.
  const double black = scale.black;
  const double white = scale.black + 255.0 / scale.gain;
  // sum_grad < 2^27 (128 pixels * 8 * 65535): texture in the high bits,
  // the block index breaks ties.
  const auto key = [&blocks](size_t i) {
    return (uint64_t{blocks[i].sum_grad} << 32) | i;
  };
  keys->clear();
  for (size_t i = 0; i < blocks.size(); ++i) {
    const kernels::NoiseBlock& b = blocks[i];
    if (b.min > black && b.max < white) keys->push_back(key(i));
  }
  if (blocks.empty()) return std::nullopt;
  if (keys->empty()) {
    // Every block touches black or white (a black frame, binary graphics):
    // only pixels clear of both are read.
    return ClipFreeNoise(plane, row_step, blocks, black, white, keys) *
           scale.gain;
  }
  const size_t k =
      std::max<size_t>(1, (keys->size() * kNoiseFlattestPercent + 99) / 100);
  std::nth_element(keys->begin(), keys->begin() + (k - 1), keys->end());
  uint64_t sum_abs_n = 0;
  for (size_t j = 0; j < k; ++j) {
    sum_abs_n += blocks[(*keys)[j] & 0xFFFFFFFFu].sum_abs_n;
  }
  const double mean_abs_n =
      static_cast<double>(sum_abs_n) /
      (static_cast<double>(k) * kernels::kNoiseBlockPixels);
  return std::sqrt(std::numbers::pi / 2.0) / 6.0 * mean_abs_n * scale.gain;
}

}  // namespace acuity::metrics
