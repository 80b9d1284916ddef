// Headline: the few numbers and the plain-word verdict that answer "how sharp
// is this video?" at a glance, derived from a video's pooled report. The
// verdict rests on effective resolution (the lines of real detail against
// the frame's nominal lines: "the resolution is the canvas, the sharpness is
// the brush"); edge width, detail and colour are shown beside it. Rules and
// thresholds are documented in docs/metrics.md ("Headline and verdict").
//
// Pure functions of a VideoReport: thread-safe, no state.
#ifndef ACUITY_HEADLINE_H_
#define ACUITY_HEADLINE_H_

#include <optional>
#include <string>
#include <vector>

#include "acuity/report.h"

namespace acuity {

// Verdict thresholds on resolution_ratio (effective / nominal height, the
// per-video median): at or above kSharpRatio a video is "sharp"; below
// kVerySoftRatio "very soft".
inline constexpr double kSharpRatio = 0.8;
inline constexpr double kVerySoftRatio = 0.45;
// At or above this per-video median of blockiness (when selected) the
// verdict ends in "; blocky": coding blocks are visible, and on such frames
// the effective resolution reads the blocks' own blur, so its line count
// is less certain (docs/headline.md).
inline constexpr double kBlockyBlockiness = 1.0;
// When upscaled_from_height (found by interpolation periodicity) has a
// value on at least this share of the frames that have an effective_height,
// the verdict says so: "; upscaled from ~720p" (docs/headline.md).
inline constexpr double kUpscaledShare = 0.1;

struct Headline {
  // "sharp", "sharp, soft moments: p10 looks like ~540p",
  // "soft: looks like ~720p", "very soft: looks like ~360p",
  // "undetermined: too little structure to judge", each followed by
  // "; upscaled from ~Np" when the frames show an upscale (kUpscaledShare)
  // and "; blocky" when coding blocks are visible (kBlockyBlockiness), or
  // empty when the effective resolution was not measured (--metrics
  // without it).
  std::string verdict;
  // The standard picture height (2160, 1440, 1080, 720, 576, 540, 480,
  // 360, 288, 240, 180, 144) nearest the effective height, in lines; set
  // when the verdict is not "sharp".
  std::optional<int> looks_like;
  std::optional<double> effective_height;      // median, lines
  std::optional<double> resolution_ratio;      // median, 0..1
  std::optional<double> resolution_ratio_p10;  // the worst 10% of frames
  std::optional<double> edge_width_px;         // median, px
  std::optional<double> laplacian_var_nc;      // median: detail, noise removed
  std::optional<double> colorfulness;          // median, Hasler-Suesstrunk
};

// The keys the headline reads, in column order (summary.csv repeats them
// after `verdict,looks_like`; resolution_ratio_p10 follows
// resolution_ratio).
const std::vector<std::string>& HeadlineKeys();

// The nearest standard picture height to `lines` (log distance).
int NearestStandardHeight(double lines);

Headline MakeHeadline(const VideoReport& r);

}  // namespace acuity

#endif  // ACUITY_HEADLINE_H_
