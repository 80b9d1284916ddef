// Headline and verdict (acuity/headline.h); rules in docs/metrics.md.
#include "acuity/headline.h"

#include <cmath>

namespace acuity {
namespace {

const SummaryStats* StatsOf(const VideoReport& r, const std::string& key) {
  for (size_t i = 0; i < r.metrics.size() && i < r.summary.size(); ++i) {
    if (r.metrics[i].key == key) return &r.summary[i];
  }
  return nullptr;
}

std::optional<double> MedianOf(const VideoReport& r, const std::string& key) {
  const SummaryStats* s = StatsOf(r, key);
  return s ? s->median : std::nullopt;
}

std::string LooksLike(int lines) {
  return "looks like ~" + std::to_string(lines) + "p";
}


// The verdict on effective resolution alone; sets h.looks_like.
std::string Verdict(const VideoReport& r, Headline& h) {
  if (!h.resolution_ratio || !h.effective_height) {
    return "undetermined: too little structure to judge";
  }
  const double ratio = *h.resolution_ratio;
  if (ratio >= kSharpRatio) {
    std::string verdict = "sharp";
    if (h.resolution_ratio_p10 && *h.resolution_ratio_p10 < kSharpRatio &&
        r.video.height > 0) {
      const int p10 =
          NearestStandardHeight(*h.resolution_ratio_p10 * r.video.height);
      verdict += ", soft moments: p10 " + LooksLike(p10);
    }
    return verdict;
  }
  h.looks_like = NearestStandardHeight(*h.effective_height);
  return (ratio < kVerySoftRatio ? "very soft: " : "soft: ") +
         LooksLike(*h.looks_like);
}

}  // namespace

const std::vector<std::string>& HeadlineKeys() {
  static const std::vector<std::string> kKeys = {
      "effective_height", "resolution_ratio", "edge_width_px",
      "laplacian_var_nc", "colorfulness"};
  return kKeys;
}

int NearestStandardHeight(double lines) {
  static constexpr int kHeights[] = {4320, 2160, 1440, 1080, 720, 576, 540,
                                     480,  360,  288,  240,  180, 144};
  int best = kHeights[0];
  double best_d = INFINITY;
  for (int h : kHeights) {
    const double d = std::abs(std::log(std::max(lines, 1.0) / h));
    if (d < best_d) {
      best_d = d;
      best = h;
    }
  }
  return best;
}

Headline MakeHeadline(const VideoReport& r) {
  Headline h;
  h.effective_height = MedianOf(r, "effective_height");
  h.resolution_ratio = MedianOf(r, "resolution_ratio");
  if (const SummaryStats* s = StatsOf(r, "resolution_ratio")) {
    h.resolution_ratio_p10 = s->p10;
  }
  h.edge_width_px = MedianOf(r, "edge_width_px");
  h.laplacian_var_nc = MedianOf(r, "laplacian_var_nc");
  h.colorfulness = MedianOf(r, "colorfulness");

  const bool measured = StatsOf(r, "resolution_ratio") != nullptr;
  if (!measured) return h;  // not selected: no verdict
  h.verdict = Verdict(r, h);
  // The source height of an upscale, where enough frames show one (lossy
  // video often shows it on its key frames only, hence a share, not a
  // majority).
  const SummaryStats* up = StatsOf(r, "upscaled_from_height");
  const SummaryStats* lines = StatsOf(r, "effective_height");
  if (up && up->median && up->n > 0 && lines &&
      static_cast<double>(up->n) >=
          kUpscaledShare * static_cast<double>(lines->n)) {
    h.verdict += "; upscaled from ~" +
                 std::to_string(NearestStandardHeight(*up->median)) + "p";
  }
  const std::optional<double> blocks = MedianOf(r, "blockiness");
  if (blocks && *blocks >= kBlockyBlockiness) h.verdict += "; blocky";
  return h;
}

}  // namespace acuity
