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

// Reference-relative gate (--relative-to). Each criterion (see Criteria()
// in compare.h) is gated once, by its deciding metric: the first of its keys
// the reference batch holds. A video is compared
// - with its own reference video when the reference holds its name (paired;
//   "each candidate against its own before"): it fails when it is worse than
//   that video by more than the criterion's tolerance;
// - otherwise with the reference batch: it fails when it is worse than the
//   batch's 10th percentile (90th for higher-is-blurrier metrics) by more
//   than the tolerance.
// "Worse by more than t": value < bound * (1 - t) where higher is better,
// value > bound / (1 - t) where higher is blurrier. Colour counts more
// saturation as better, as compare does.
struct GateOptions {
  PairBy pair_by = PairBy::kAuto;  // kNone: always the batch bound
  double quantile = 0.10;
  // Tolerance per criterion name; others use Criterion::tolerance.
  std::map<std::string, double> tolerance;
};

struct GatedCriterion {
  std::string criterion;
  std::string key;  // deciding metric
  bool higher_is_better = true;
  double tolerance = 0.2;
  double batch_bound = 0;    // the reference batch's quantile
  int reference_values = 0;  // reference videos with a value
};

struct ReferenceGate {
  std::vector<GatedCriterion> criteria;
  std::map<std::string, VideoValues> by_name;  // reference videos
  PairBy pair_by = PairBy::kAuto;
  double quantile = 0.10;
  size_t videos = 0;
};

// Needs at least 5 reference videos with a value for a criterion to gate
// it by the batch (a 10th percentile of fewer is the minimum); with
// PairBy::kName any number will do.
Result<ReferenceGate> GateFromReference(const Batch& reference,
                                        const GateOptions& options);

std::vector<CheckResult> CheckBatch(const Batch& batch,
                                    const std::string& stat_name,
                                    const std::vector<Threshold>& thresholds,
                                    const std::optional<ReferenceGate>& gate);

}  // namespace acuity

#endif  // ACUITY_CHECK_H_
