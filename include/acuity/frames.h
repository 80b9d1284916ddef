// Frames of a report: picking the sharpest and blurriest, and what
// `acuity frames` writes about them. Re-decoding them to pictures and PNGs
// is acuity/picture.h (included).
//
// Thread-safety: the functions share no state; call them from any thread.
#ifndef ACUITY_FRAMES_H_
#define ACUITY_FRAMES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/picture.h"
#include "acuity/report.h"
#include "acuity/status.h"

namespace acuity {

// One frame chosen by PickFrames.
struct FramePick {
  std::string kind;  // "sharpest" or "blurriest"
  int rank = 0;      // 1-based within the kind
  int64_t index = 0;
  double pts = 0.0;
  double value = 0.0;  // of the ranking key
};

// The `sharpest` sharpest and `blurriest` blurriest frames of `report` by
// output `key` (its direction decides which end is sharp; neutral keys are
// refused). Frames with a null value are skipped; ties go to the lower
// index. With min_gap > 0, a frame within min_gap seconds of one already
// picked for the same kind is passed over (thumbnails that are not
// neighbours). Fewer picks come back when the video has fewer candidates.
// Sharpest first, each kind in rank order.
Result<std::vector<FramePick>> PickFrames(const VideoReport& report,
                                          const std::string& key, int sharpest,
                                          int blurriest, double min_gap = 0.0);

// "sharpest-01_t0012.345_f000370.png": kind, rank, pts (s), frame index.
std::string FramePngName(const FramePick& pick);

}  // namespace acuity

#endif  // ACUITY_FRAMES_H_
