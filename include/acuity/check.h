// acuity check: pass/fail gates on pooled per-video values, for
// generate -> check -> regenerate loops.
#ifndef ACUITY_CHECK_H_
#define ACUITY_CHECK_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "acuity/compare.h"
#include "acuity/status.h"

namespace acuity {

struct Threshold {
  std::string key;
  std::optional<double> min;  // fail when value < min
  std::optional<double> max;  // fail when value > max
};

// The entry for `key` in `list`, appended when missing.
Threshold& ThresholdFor(std::vector<Threshold>& list, const std::string& key);

struct CheckProfile {
  std::optional<std::string> stat;  // pooled statistic; default median
  std::vector<Threshold> thresholds;
};

// Reads a profile (YAML or JSON, which is YAML too):
//   stat: p10
//   min: {laplacian_var: 50}
//   max: {edge_width_px: 3.5}
Result<CheckProfile> LoadCheckProfile(const std::string& path);

// Parses "KEY=VALUE" of --min/--max.
Result<std::pair<std::string, double>> ParseThresholdArg(
    const std::string& text);

struct CheckResult {
  std::string path;
  bool pass = true;
  std::vector<std::string> reasons;  // why it failed, one per threshold
  std::vector<std::string> checks;   // what was checked and passed
};

// Reference-relative gate (--relative-to): for each metric with a
// sharpness direction, the bound is the reference batch's 10th percentile
// of pooled values (90th for higher-is-blurrier metrics).
struct ReferenceBounds {
  std::map<std::string, double> bound;
  std::map<std::string, Direction> direction;
  size_t videos = 0;
};
ReferenceBounds BoundsFromReference(const Batch& reference,
                                    double quantile = 0.10);

std::vector<CheckResult> CheckBatch(
    const Batch& batch, const std::string& stat_name,
    const std::vector<Threshold>& thresholds,
    const std::optional<ReferenceBounds>& reference);

}  // namespace acuity

#endif  // ACUITY_CHECK_H_
