// blockiness: how much stronger luma steps are across the edges of the
// 8x8 (or 16x16) coding-block grid than between other neighbouring
// samples: visible blocks of DCT codecs (MPEG-2, MJPEG, MPEG-4 part 2,
// H.264 at coarse quantisers).
//
// Follows the idea of Wang, Bovik and Evans, "Blind measurement of blocking
// artifacts in images", ICIP 2000 (block-edge differences against the
// differences next to them), in the spatial form of FFmpeg's blockdetect
// filter: with D_grid the mean absolute difference (each difference limited
// to kBlockinessClip = 16 code values, so that a few strong content edges
// on the grid do not outweigh faint steps along many block edges) between
// neighbouring samples across a block boundary (columns 8m-1 | 8m, rows
// likewise, the grid starting at (0,0) of the coded picture) and D_off the mean
// over all other neighbour pairs (horizontal and vertical together),
//   b8  = (D_grid8  - D_off) / (D_off + kBlockinessFloor),
//   b16 = (D_grid16 - D_off) / (D_off + kBlockinessFloor)   (16x16 grid only),
//   blockiness = max(0, b8, b16).
// D_off excludes every 8-grid boundary, so b16 > b8 only where 16x16
// boundaries step more than the 8x8 ones inside them (macroblock-level
// steps). The floor of 1 code value keeps nearly flat frames from turning a
// faint step into a huge ratio.
// Unit: ratio (excess of the block-edge step over the typical neighbour
// difference); 0 = no grid structure (clean, blurred or grainy content reads
// ~0..0.1), ~0.5 and up is visible blocking. Range 0..255. Higher is
// blockier; the registry direction is neutral (blocking is not blur). Null when
// the frame is under 16x16 or flat (mean absolute neighbour difference below
// kBlockinessFlatMeanDiff). Limits: content with its own structure on an
// 8-pixel period (a grid test pattern aligned with the picture's corner) reads
// as blocking; the grid phase is assumed to start at (0,0), so cropped blocky
// video with its grid shifted reads low.
#include "metrics/blockiness.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

class Blockiness final : public Metric {
 public:
  Status Init(const StreamInfo& info) override {
    // kBlockinessClip in native code values, rounded.
    clip_ = static_cast<uint32_t>(kBlockinessClip / info.scale.gain + 0.5);
    return Status::Ok();
  }
  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& y = frame.y;
    if (y.empty() || y.width < 16 || y.height < 16) return;
    const kernels::GridDiffSums g =
        kernels::ComputeGridDiffSums(y, clip_, &scratch_);
    out.Set(0, BlockinessFromSums(g, y.width, y.height, analysis.scale()));
  }

 private:
  uint32_t clip_ = 0;
  std::vector<uint16_t> scratch_;
};

// Number of k in [0, n) with k mod 16 == phase.
int64_t PhaseCount(int64_t n, int phase) {
  return n > phase ? (n - phase + 15) / 16 : 0;
}

}  // namespace

std::optional<double> BlockinessFromSums(const kernels::GridDiffSums& g,
                                         int width, int height,
                                         const LumaScale& scale) {
  if (width < 16 || height < 16) return std::nullopt;
  // Sum and count per phase, horizontal and vertical differences together.
  uint64_t sum[16];
  int64_t count[16];
  for (int k = 0; k < 16; ++k) {
    sum[k] = g.h[k] + g.v[k];
    count[k] =
        PhaseCount(width - 1, k) * height + PhaseCount(height - 1, k) * width;
  }
  uint64_t off_sum = 0, all_sum = 0;
  int64_t off_n = 0, all_n = 0;
  for (int k = 0; k < 16; ++k) {
    all_sum += sum[k];
    all_n += count[k];
    if (k == 7 || k == 15) continue;
    off_sum += sum[k];
    off_n += count[k];
  }
  const double mean_all =
      static_cast<double>(all_sum) / static_cast<double>(all_n) * scale.gain;
  if (mean_all < kBlockinessFlatMeanDiff) return std::nullopt;
  const double off =
      static_cast<double>(off_sum) / static_cast<double>(off_n) * scale.gain;
  const double grid8 = static_cast<double>(sum[7] + sum[15]) /
                       static_cast<double>(count[7] + count[15]) * scale.gain;
  const double grid16 = static_cast<double>(sum[15]) /
                        static_cast<double>(count[15]) * scale.gain;
  const double b = (std::max(grid8, grid16) - off) / (off + kBlockinessFloor);
  return std::max(0.0, b);
}

MetricEntry BlockinessEntry() {
  return {"blockiness",
          {{"blockiness", "ratio", "0..255", Direction::kNeutral,
            "visible coding blocks: excess of the luma step across 8x8/16x16 "
            "block edges over the other neighbour differences (0 = none); "
            "null on flat frames"}},
          true,
          [] { return std::unique_ptr<Metric>(new Blockiness()); }};
}

}  // namespace acuity::metrics
