#ifndef ACUITY_METRICS_MOTION_H_
#define ACUITY_METRICS_MOTION_H_

#include <optional>
#include <vector>

#include "acuity/metric.h"
#include "kernels/motion.h"

namespace acuity::metrics {

// Thresholds, in full-range 8-bit units (documented in motion.cc).
// Mean Sobel energy Gx^2 + Gy^2 per pixel below which a frame (or the set of
// static blocks) is too flat for motion_blur / moving_sharpness_ratio.
inline constexpr double kMotionFlatEnergy = 16.0;
// Anisotropy below which motion_blur_angle is null.
inline constexpr double kMotionAngleMinAnisotropy = 0.05;
// A block is moving when its mean |frame difference| exceeds this.
inline constexpr double kMovingBlockMeanAbsDiff = 3.0;
// Each of the moving and static block sets must hold this share of blocks.
inline constexpr double kMovingMinBlockShare = 0.05;

MetricEntry MotionMeanEntry();

// The outputs from one frame's sums; `prev_valid` is false on the first
// frame. Slots: motion_mean, ti, motion_blur, motion_blur_angle,
// moving_sharpness_ratio. Shared with tests.
struct MotionValues {
  std::optional<double> motion_mean, ti, motion_blur, motion_blur_angle,
      moving_sharpness_ratio;
};
MotionValues MotionFromSums(const kernels::MotionSums& s,
                            const std::vector<kernels::MotionBlock>& blocks,
                            bool prev_valid, const LumaScale& scale);

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_MOTION_H_
