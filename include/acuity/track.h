// Quality over time: a history of scored batches in one SQLite file, and
// the analysis of that history (per-period medians with intervals, change
// points, an alert for the newest periods). `acuity track add|show|check`.
//
// The unit of analysis is one video (its pooled value per metric, as in
// compare): a period's value is the median over its videos, and every test
// ranks videos, never frames.
#ifndef ACUITY_TRACK_H_
#define ACUITY_TRACK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "acuity/report.h"
#include "acuity/status.h"

struct sqlite3;

namespace acuity::track {

// Schema version of the track database (PRAGMA user_version).
inline constexpr int kTrackSchemaVersion = 1;

// A date as stored: "YYYY-MM-DDTHH:MM" (no time zone; the hours are those
// given, or UTC for --date mtime).
// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DD HH:MM", "YYYYMMDD" and
// "YYYYMMDDHHMM" (also with one separator between date and time, as file
// names write them: "20260108_1430"); checks the calendar.
Result<std::string> ParseDate(const std::string& text);

struct TrackedVideo {
  std::string date;    // ParseDate form
  std::string source;  // --source ("" when none)
  std::string path;    // the video (or report row) it came from
  std::map<std::string, double> values;  // metric key -> pooled value
};

// One SQLite file, WAL mode, busy timeout so that two writers (two cron
// jobs) wait for each other instead of failing.
class Db {
 public:
  // Opens (creating when `create`) and checks or writes the schema.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Stores one batch in one transaction: its videos with their values, and
  // the inputs that could not be scored (with their errors). Returns the
  // batch id.
  Result<int64_t> AddBatch(const std::string& label,
                           const std::vector<TrackedVideo>& videos,
                           const std::vector<BatchRow>& failed);
  // Every stored video of `source` ("" for all), oldest date first.
  Result<std::vector<TrackedVideo>> Videos(const std::string& source) const;
  // The distinct sources, sorted.
  Result<std::vector<std::string>> Sources() const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// --- analysis ----------------------------------------------------------------

enum class PeriodKind { kDay, kHour, kHourOfDay, kWeekday };
Result<PeriodKind> ParsePeriodKind(const std::string& text);
// The period a date falls in: "2026-01-08", "2026-01-08T14", "14", "Thu".
std::string PeriodOf(const std::string& date, PeriodKind kind);
// Day and hour periods are a timeline (change points and alerts apply);
// hour-of-day and weekday are a profile.
inline bool IsTimeline(PeriodKind k) {
  return k == PeriodKind::kDay || k == PeriodKind::kHour;
}

struct AnalysisOptions {
  PeriodKind by = PeriodKind::kDay;
  double confidence = 0.95;  // of the median intervals
  // Change points: each split is tested by permutation at this level (the
  // false-alarm rate per criterion on a flat timeline), and kept only when
  // the medians of the two sides differ by the criterion's min_effect.
  double alpha = 0.005;
  int permutations = 999;
  uint64_t seed = 1;
  // Alert: of the newest `window` periods, at least `needed` are worse than
  // the baseline (the up to `baseline` periods before them): one-sided
  // Mann-Whitney p < alert_alpha and the median worse by min_effect.
  // Worse: lower for higher-is-sharper and for the neutral colour measures
  // (greyer), higher for higher-is-blurrier. No alert before 7 periods of
  // baseline exist.
  int window = 3;
  int needed = 2;
  int baseline = 14;
  double alert_alpha = 0.025;
};

struct PeriodStat {
  std::string period;
  int n = 0;
  double median = 0, lo = 0, hi = 0;  // order-statistic interval
  double confidence = 0;              // the interval's actual confidence
  int segment = 0;                    // index of its segment (timelines)
};

struct Change {
  std::string period;            // first period of the new level
  double before = 0, after = 0;  // medians of the segments either side
  double rel = 0;                // after / before - 1
  double p_value = 1;            // Mann-Whitney between the two segments
  std::string verdict;           // "worse" / "better" (sharpness direction), or
                                 // "higher" / "lower" for neutral metrics
};

struct Alert {
  bool raised = false;
  std::vector<std::string> bad_periods;  // of the window, those worse
  double baseline_median = 0;
  std::string message;  // one line, empty when not raised
};

struct CriterionSeries {
  std::string criterion;  // "edge sharpness", ...
  std::string id;         // "edge", ...
  std::string key;        // the deciding metric present in the data
  Direction direction = Direction::kNeutral;
  double min_effect = 0.05;
  std::vector<PeriodStat> periods;  // in period order
  std::vector<Change> changes;      // timelines only
  Alert alert;                      // timelines only
};

// Analyses one source's videos per criterion (the criteria of compare,
// each by its first metric present in the data).
std::vector<CriterionSeries> Analyse(const std::vector<TrackedVideo>& videos,
                                     const AnalysisOptions& options);

// Change points of a timeline given per-period values (time order):
// circular binary segmentation on ranks. In a segment, the run of periods
// whose videos differ most from the rest of the segment (standardised
// Mann-Whitney rank sum, maximised over every run) is tested against the
// same maximum over `permutations` random assignments of the values to the
// periods (p < alpha at the top, alpha / 2^d at recursion depth d), and
// kept only when the medians of the run and the rest differ by at least
// min_effect (relative); its ends become change points and the pieces are
// searched again. Returns the indices of the periods that start a new
// segment, ascending.
std::vector<size_t> DetectChanges(
    const std::vector<std::vector<double>>& groups, double alpha,
    int permutations, uint64_t seed, double min_effect);

}  // namespace acuity::track

#endif  // ACUITY_TRACK_H_
