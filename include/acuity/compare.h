// Batches of pooled per-video values, and the before/after comparison.
//
// The unit of analysis is one video: each video contributes one pooled
// value per metric (its median over frames by default), never one value
// per frame, since frames of one video are not independent.
#ifndef ACUITY_COMPARE_H_
#define ACUITY_COMPARE_H_

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "acuity/report.h"
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

// Scores the videos among a side's inputs (files and folders of videos, as
// given), one row per video found. The comparison layer never decodes: the
// caller passes the scoring pipeline in (ScoringWith(options) of
// acuity/score.h), so compare needs none of it.
using ScoreVideos =
    std::function<std::vector<BatchRow>(const std::vector<std::string>& paths)>;

// Loads one side. Each path is a video, a folder of videos (scored with
// `score`), a NAME.acuity.json report, a folder of such reports (a folder
// holding any *.acuity.json is read as reports, never re-decoded), or a
// summary.jsonl / summary.csv (medians only).
Batch LoadBatch(const std::vector<std::string>& paths, const ScoreVideos& score,
                const PooledStat& stat);

// Keeps only the outputs of `metrics` (--metrics applied to reports and
// summaries, which hold whatever was scored when they were written).
void KeepKeys(const std::vector<const MetricEntry*>& metrics, Batch* batch);

// --- compare -----------------------------------------------------------------

// The criteria users judge by, each with the metric keys that measure it,
// most telling first. The first key present on both sides decides the
// criterion's verdict in compare and its gate in check --relative-to; the
// others are reported beside it. This table (Criteria() in compare.cc) is
// the one place that maps criteria to deciding metrics and holds their
// practical thresholds.
struct Criterion {
  std::string name;               // "edge sharpness", ...
  std::string id;                 // short name for flags: "edge", ...
  std::vector<std::string> keys;  // metric keys, deciding first
  // compare: a significant change smaller than this (relative, 0.05 = 5%)
  // is "no meaningful change" (--min-effect).
  double min_effect = 0.05;
  // check --relative-to: how far (relative) a video may fall below its
  // reference before it fails (--tolerance).
  double tolerance = 0.25;
};
const std::vector<Criterion>& Criteria();
// The criterion that names `key` among its metrics; nullptr if none.
const Criterion* CriterionOf(const std::string& key);
// The criterion with this id or name; nullptr if none.
const Criterion* FindCriterion(const std::string& id_or_name);

// Parses "5%", "0.05" (a fraction) into 0.05: finite and in [0, 1).
Result<double> ParseFraction(const std::string& text);

enum class PairBy { kAuto, kName, kNone };

struct CompareOptions {
  PairBy pair_by = PairBy::kAuto;
  double confidence = 0.95;
  double alpha = 0.05;   // on Holm-adjusted p-values
  int bootstrap = 2000;  // resamples (unpaired interval)
  uint64_t seed = 1;     // bootstrap seed: same input, same interval
  // Minimum effect per criterion name (fractions); criteria not named use
  // Criterion::min_effect. Metrics outside every criterion use
  // kDefaultMinEffect.
  std::map<std::string, double> min_effect;
};
inline constexpr double kDefaultMinEffect = 0.05;

struct MetricComparison {
  std::string key;
  Direction direction = Direction::kNeutral;
  bool paired = false;
  int n_before = 0, n_after = 0, n_pairs = 0;
  // Videos of each side (scored) without a value for this metric.
  int missing_before = 0, missing_after = 0;
  double before = 0, after = 0;  // medians of the pooled values
  // after / before - 1 of those medians; empty unless both are positive.
  std::optional<double> median_change;
  // Absolute shift (after - before, metric units) and its interval:
  // paired, the Hodges-Lehmann estimate of the differences with the
  // signed-rank interval; unpaired, the difference of medians with a
  // percentile bootstrap interval.
  double shift = 0, lo = 0, hi = 0;
  // The relative shift estimate (fractions, 0.23 = +23%) and its interval,
  // from the same rank procedure as p_value (the interval inverts the test).
  // Positive metrics ("log_ratio" scale): Hodges-Lehmann estimate of
  // log(after/before) (paired: Walsh averages of the log ratios; unpaired:
  // all pairwise log ratios), exponentiated, so the interval lies above
  // -100%. Otherwise the Hodges-Lehmann shift over |before|. Empty when
  // before is 0.
  std::optional<double> rel, rel_lo, rel_hi;
  // Confidence the relative interval really has: below the requested one
  // when there are too few videos to reach it.
  double rel_confidence = 0;
  double p_value = 1, p_holm = 1;
  std::string test;   // "wilcoxon_signed_rank" / "mann_whitney_u"
  std::string scale;  // what the test ranks: "log_ratio" or "difference"
  std::optional<double> cliffs_delta;  // unpaired only
  // The smallest p-value the test can give with these n, times the size of
  // the Holm family, is not below alpha: no verdict is possible.
  bool too_few = false;
  // Pairs (paired) or videos per side (unpaired) at which the test can
  // reach alpha with this Holm family.
  int n_needed = 0;
  bool significant = false;
  double min_effect = kDefaultMinEffect;  // practical threshold used
  // Significant, and |rel| >= min_effect (or no relative change defined).
  bool meaningful = false;
  // Whether this metric decides a criterion's verdict; p_holm is adjusted
  // among the deciding metrics, or among the others (two Holm families).
  bool decides = false;
  // "sharper", "blurrier", "higher", "lower", "no meaningful change", "no
  // significant change" or "too few videos"
  std::string verdict;
};

struct CriterionVerdict {
  std::string criterion;
  std::optional<std::string> key;  // deciding metric; none available
  std::string text;                // plain words, e.g. "sharper (+23%, ...)"
  bool regression = false;         // significantly and meaningfully worse
};

struct Comparison {
  bool paired = false;
  int unmatched = 0;  // videos without a partner, left out when paired
  std::vector<MetricComparison> metrics;
  std::vector<CriterionVerdict> criteria;
  // What could not be used: inputs of each side left out (failed to decode,
  // unreadable rows and reports; one message each), and metrics present on
  // one side only.
  std::vector<std::string> failed_before, failed_after;
  std::vector<std::string> only_before, only_after;
  bool any_regression() const;
};

Result<Comparison> Compare(const Batch& before, const Batch& after,
                           const CompareOptions& options);

void WriteComparisonMarkdown(std::ostream& os, const Comparison& c);
void WriteComparisonJson(std::ostream& os, const Comparison& c);
void WriteComparisonCsv(std::ostream& os, const Comparison& c);
// videos.json of `compare -o`: {"paired": bool, "before": [{"name", "path",
// "values": {key: pooled value}}], "after": [...]}.
void WriteBatchValuesJson(std::ostream& os, const Batch& before,
                          const Batch& after, bool paired);

}  // namespace acuity

#endif  // ACUITY_COMPARE_H_
