// Batches of pooled per-video values, and the before/after comparison.
//
// The unit of analysis is one video: each video contributes one pooled
// value per metric (its median over frames by default), never one value
// per frame, since frames of one video are not independent.
#ifndef ACUITY_COMPARE_H_
#define ACUITY_COMPARE_H_

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "acuity/report.h"
#include "acuity/score.h"
#include "acuity/status.h"

namespace acuity {

// Which pooled statistic stands for a video: "median", "mean", "min",
// "max" or "pN" (N in 0..100, e.g. "p10"; linear interpolation as in the
// report summary).
struct PooledStat {
  std::string name = "median";
  static Result<PooledStat> Parse(const std::string& text);
  // From per-frame values (nulls already dropped); nullopt when empty.
  std::optional<double> Of(std::vector<double> values) const;
};

struct VideoValues {
  std::string path;  // the video or report it came from
  std::string name;  // pairing key: file name without extension(s)
  std::map<std::string, double> values;  // metric key -> pooled value
};

struct Batch {
  std::vector<VideoValues> videos;
  // Videos that could not be used, each with a one-line reason: failed to
  // decode, a summary row that failed when scored or cannot be read (wrong
  // field count, a value that is not a finite number), an unreadable report.
  std::vector<BatchRow> failed;
  // Inputs that could not be used at all: a missing, empty or unreadable
  // file, a summary without header or rows. compare and check exit with an
  // error when there is any.
  std::vector<std::string> input_errors;
};

// Loads one side. Each path is a video, a folder of videos (scored with
// `score`), a NAME.acuity.json report, a folder of such reports (a folder
// holding any *.acuity.json is read as reports, never re-decoded), or a
// summary.jsonl / summary.csv (medians only).
Batch LoadBatch(const std::vector<std::string>& paths,
                const ScoreOptions& score, const PooledStat& stat);

// Keeps only the outputs of `metrics` (--metrics applied to reports and
// summaries, which hold whatever was scored when they were written).
void KeepKeys(const std::vector<const MetricEntry*>& metrics, Batch* batch);

// --- compare -----------------------------------------------------------------

// The criteria users judge by, each with the metric keys that measure it,
// most telling first. The first key present in both batches decides the
// criterion's verdict; the others are reported beside it.
struct Criterion {
  std::string name;               // "edge sharpness", ...
  std::vector<std::string> keys;  // metric keys
};
const std::vector<Criterion>& Criteria();

enum class PairBy { kAuto, kName, kNone };

struct CompareOptions {
  PairBy pair_by = PairBy::kAuto;
  double confidence = 0.95;
  double alpha = 0.05;   // on Holm-adjusted p-values
  int bootstrap = 2000;  // resamples (unpaired interval)
  uint64_t seed = 1;     // bootstrap seed: same input, same interval
};

struct MetricComparison {
  std::string key;
  Direction direction = Direction::kNeutral;
  bool paired = false;
  int n_before = 0, n_after = 0, n_pairs = 0;
  double before = 0, after = 0;      // medians of the pooled values
  double shift = 0, lo = 0, hi = 0;  // after - before and its interval
  // Relative change (fractions, 0.23 = +23%) and its interval. Paired
  // positive values: the Hodges-Lehmann estimate of log(after/before),
  // exponentiated, so that contents of very different levels weigh alike.
  // Otherwise: shift / |before|. Empty when before is 0.
  std::optional<double> rel, rel_lo, rel_hi;
  double p_value = 1, p_holm = 1;
  std::string test;   // "wilcoxon_signed_rank" / "mann_whitney_u"
  std::string scale;  // what the test ranks: "log_ratio" or "difference"
  std::optional<double> cliffs_delta;  // unpaired only
  bool significant = false;
  // Whether this metric decides a criterion's verdict; p_holm is adjusted
  // among the deciding metrics, or among the others (two Holm families).
  bool decides = false;
  // "sharper", "blurrier", "higher", "lower" or "no significant change"
  std::string verdict;
};

struct CriterionVerdict {
  std::string criterion;
  std::optional<std::string> key;  // deciding metric; none available
  std::string text;                // plain words, e.g. "sharper (+23%, ...)"
  bool regression = false;         // significantly worse
};

struct Comparison {
  bool paired = false;
  int unmatched = 0;  // videos without a partner, left out when paired
  std::vector<MetricComparison> metrics;
  std::vector<CriterionVerdict> criteria;
  bool any_regression() const;
};

Result<Comparison> Compare(const Batch& before, const Batch& after,
                           const CompareOptions& options);

void WriteComparisonMarkdown(std::ostream& os, const Comparison& c);
void WriteComparisonJson(std::ostream& os, const Comparison& c);
void WriteComparisonCsv(std::ostream& os, const Comparison& c);

}  // namespace acuity

#endif  // ACUITY_COMPARE_H_
