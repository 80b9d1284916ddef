// Picking the sharpest and blurriest frames of a report (acuity/frames.h).
#include "acuity/frames.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace acuity {

Result<std::vector<FramePick>> PickFrames(const VideoReport& report,
                                          const std::string& key, int sharpest,
                                          int blurriest, double min_gap) {
  if (sharpest < 0 || blurriest < 0) {
    return InvalidArgument("the number of frames to pick must be >= 0");
  }
  size_t column = report.metrics.size();
  for (size_t i = 0; i < report.metrics.size(); ++i) {
    if (report.metrics[i].key == key) column = i;
  }
  if (column == report.metrics.size()) {
    return InvalidArgument("the report has no metric '" + key + "'");
  }
  const Direction dir = report.metrics[column].direction;
  if (dir == Direction::kNeutral) {
    return InvalidArgument("'" + key +
                           "' is neutral (no sharpness direction): pick "
                           "frames by a sharpness metric");
  }
  const auto& column_values = report.values[column];
  std::vector<size_t> order;  // frames with a value
  for (size_t f = 0; f < column_values.size() && f < report.frames.size();
       ++f) {
    if (column_values[f]) order.push_back(f);
  }
  // Ascending by value, ties by lower index (the report's frames are in
  // index order, so position order is index order).
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return *column_values[a] < *column_values[b];
  });
  std::vector<FramePick> picks;
  auto take = [&](const char* kind, int k, bool from_high) {
    std::vector<size_t> candidates = order;
    if (from_high) {
      // Descending value, ties still by lower index.
      std::stable_sort(candidates.begin(), candidates.end(),
                       [&](size_t a, size_t b) {
                         return *column_values[a] > *column_values[b];
                       });
    }
    std::vector<double> taken_pts;
    for (size_t f : candidates) {
      if (static_cast<int>(taken_pts.size()) >= k) break;
      const double pts = report.frames[f].pts;
      const bool near = std::any_of(
          taken_pts.begin(), taken_pts.end(),
          [&](double t) { return min_gap > 0 && std::abs(t - pts) < min_gap; });
      if (near) continue;
      taken_pts.push_back(pts);
      FramePick p;
      p.kind = kind;
      p.rank = static_cast<int>(taken_pts.size());
      p.index = report.frames[f].index;
      p.pts = pts;
      p.value = *column_values[f];
      picks.push_back(std::move(p));
    }
  };
  const bool high_is_sharp = dir == Direction::kHigherIsSharper;
  take("sharpest", sharpest, high_is_sharp);
  take("blurriest", blurriest, !high_is_sharp);
  return picks;
}

std::string FramePngName(const FramePick& pick) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s-%02d_t%08.3f_f%06lld.png",
                pick.kind.c_str(), pick.rank, std::max(0.0, pick.pts),
                static_cast<long long>(pick.index));
  return buf;
}

}  // namespace acuity
