#ifndef ACUITY_METRICS_MOTION_H_
#define ACUITY_METRICS_MOTION_H_

#include <optional>
#include <span>
#include <vector>

#include "acuity/metric.h"
#include "kernels/motion.h"

namespace acuity::metrics {

// Thresholds, in full-range 8-bit units (documented in motion.cc).
// Mean Sobel energy Gx^2 + Gy^2 per pixel below which a frame (or the set of
// static blocks) is too flat for motion_blur / moving_sharpness_ratio.
inline constexpr double kMotionFlatEnergy = 16.0;
// Isotropic floor added to each scale's structure tensor, as a share of its
// mean eigenvalue (DirectionalBlurFromTensors).
inline constexpr double kBlurTensorFloor = 0.02;
// A pair of scales' anisotropy is taken above this directional ratio of
// fine to coarse gradient energy (a direction smooth at both scales has
// 1/4; DirectionalBlurFromTensors).
inline constexpr double kBlurSmoothRatio = 0.15;
// Anisotropy below which motion_blur_angle is null: below it, blur at 30 or
// 45 degrees of content whose edges are all horizontal and vertical
// (smptehdbars, a chessboard) reads 0.03-0.10 with its angle up to 28
// degrees off (docs/metrics.md).
inline constexpr double kMotionAngleMinAnisotropy = 0.1;
// A block is moving when its mean |frame difference| exceeds this.
inline constexpr double kMovingBlockMeanAbsDiff = 3.0;
// Each of the moving and static block sets must hold this share of blocks.
inline constexpr double kMovingMinBlockShare = 0.05;
// With codec motion vectors: a block is moving when the area-weighted mean
// |motion vector| covering it, in luma px per frame, is at least this.
inline constexpr double kMovingBlockVectorPx = 1.0;

MetricEntry MotionMeanEntry();

// The outputs from one frame's sums; `prev_valid` is false on the first
// frame. Slots: motion_mean, ti, motion_blur, motion_blur_angle,
// moving_sharpness_ratio (then motion_vector_px, from MotionFromVectors).
// Shared with tests.
struct MotionValues {
  std::optional<double> motion_mean, ti, motion_blur, motion_blur_angle,
      moving_sharpness_ratio;
};
// `block_vector_px`, when not null, has one entry per block: the
// area-weighted mean |motion vector| (px per frame) covering the block, or
// a negative value where no vector does (intra macroblocks); the moving /
// static split then uses it (kMovingBlockVectorPx) and falls back to the
// frame difference only for uncovered blocks.
// `pyramid` (kernels::ComputeBlurPyramid of the frame) gives motion_blur
// and motion_blur_angle; without it both are null.
MotionValues MotionFromSums(
    const kernels::MotionSums& s,
    const std::vector<kernels::MotionBlock>& blocks, bool prev_valid,
    const LumaScale& scale, const kernels::BlurPyramid* pyramid,
    const std::vector<double>* block_vector_px = nullptr);

// Directional blur from the structure tensors of one frame at scales 1, 2,
// 4, 8, 16 and 32 px (documented in motion.cc). Shared with tests.
struct DirectionalBlur {
  double anisotropy = 0;        // motion_blur, 0..1
  std::optional<double> angle;  // motion_blur_angle, degrees [0, 180)
};
DirectionalBlur DirectionalBlurFromTensors(const kernels::MotionSums& s,
                                           const kernels::BlurPyramid& p);

// motion_vector_px and the per-block motion from the codec's vectors of one
// frame: past-referencing vectors (source < 0) only, each |mv| divided by
// `past_distance` (frames). `block_px` / `block_area` are resized to
// cols * rows (the kernels/motion.h block grid) and overwritten; block_px is
// negative where no vector covers the block. Returns nullopt when the frame
// has no past-referencing vector or past_distance < 1.
std::optional<double> MotionFromVectors(std::span<const MotionVector> mvs,
                                        int past_distance, int cols, int rows,
                                        std::vector<double>* block_px,
                                        std::vector<double>* block_area);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_MOTION_H_
