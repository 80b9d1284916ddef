// Report: per-video results (frames and summary) and the batch summary, and
// their writers. Field names are a public contract, documented in
// docs/report-schema.md; bump kSchemaVersion on any breaking change.
//
// Files are written atomically: a temporary file in the same folder, then
// rename(2), so a reader never sees a half-written report.
#ifndef ACUITY_REPORT_H_
#define ACUITY_REPORT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/files.h"
#include "acuity/heatmap.h"
#include "acuity/metric.h"
#include "acuity/status.h"

namespace acuity {

inline constexpr const char* kSchemaVersion = "1.10";

struct FrameRecord {
  int64_t index = 0;
  double pts = 0.0;  // seconds
  bool key_frame = false;
  std::string file;  // image sequences: the frame's file name; else empty
};

// Pooled statistics of one metric over the frames of one video. Null
// (undetermined) frames are counted in n_null and skipped otherwise.
struct SummaryStats {
  int64_t n = 0;       // frames with a value
  int64_t n_null = 0;  // frames without (flat, undetermined)
  std::optional<double> mean, median, p5, p10, p95, std, min, max;
  std::optional<double> min_time, max_time;  // pts (s) of first min / max
};

// Percentiles interpolate linearly between order statistics (numpy's
// default, Hyndman-Fan type 7); std is the population standard deviation.
SummaryStats Summarize(const std::vector<std::optional<double>>& values,
                       const std::vector<double>& times);

// The q-quantile (0..1) of non-empty, ascending `sorted`, by linear
// interpolation between order statistics (type 7): the one rule for every
// percentile acuity reports or thresholds on.
double Quantile(const std::vector<double>& sorted, double q);

// What produced a report, for reproducibility.
struct RunInfo {
  std::string tool_version;
  std::string simd_target;  // Highway target chosen at run time, e.g. "AVX2"
  std::string ffmpeg;       // library versions
  std::vector<std::string> metrics;
  DecoderOptions decoder;
  // The kEvery metric options of the selected entries (--brisque-every,
  // --face-every) and their MetricEntry::run_field values (face_detector),
  // by name. The report writes every such name the registry declares, null
  // where absent here.
  std::map<std::string, int> every;
  std::map<std::string, std::string> fields;
  bool heatmap = false;  // --heatmap
};

// "fnv1a64:<16 hex>": a hash of everything in `run` that can change a
// reported value (options less threads, --heatmap, schema and tool
// version). Written into each report as "options_hash"; `acuity score
// --resume` reuses a report only when it matches.
std::string OptionsHash(const RunInfo& run);

struct VideoReport {
  VideoInfo video;
  std::vector<MetricInfo> metrics;  // one per column, registry order
  std::vector<FrameRecord> frames;
  std::vector<std::vector<std::optional<double>>> values;  // [metric][frame]
  std::vector<SummaryStats> summary;                       // [metric]
  // [frame]: the faces measured in each frame, when a metric with
  // reports_faces ran (face_count); empty otherwise.
  std::vector<std::vector<FaceBox>> faces;
  std::optional<Heatmap> heatmap;  // with ScoreOptions::heatmap only
};

// One input of a batch: a scored video or an error.
struct BatchRow {
  std::string path;  // as given on the command line or found in a folder
  Status status;
  std::optional<VideoReport> report;
  std::string report_file;   // NAME.acuity.json when written, else empty
  std::string heatmap_file;  // NAME.heatmap.png when written, else empty
  // The input was scored but its files could not be written for a reason
  // a retry may cure (IsTransientWriteError: disk full, quota, I/O error),
  // unlike a bad input or a name taken by a folder.
  bool write_failed = false;
};

// Per-video files. The writers stream (one line per frame).
void WriteVideoReportJson(std::ostream& os, const VideoReport& r,
                          const RunInfo& run);
std::string VideoReportJson(const VideoReport& r, const RunInfo& run);
void WriteFramesCsv(std::ostream& os, const VideoReport& r);

// Reads back what the batch summary needs from a NAME.acuity.json report:
// "video", each output's MetricInfo (key, unit, range, help) and summary
// statistics; no frames. `options_hash` gets its "options_hash" ("" when
// it has none). An error when the file is missing, truncated or not a
// report.
Result<VideoReport> LoadReportSummary(const std::string& json_path,
                                      std::string* options_hash);

// Batch summary: one row per input; metric columns are <key>_median.
void WriteSummaryCsv(std::ostream& os, const std::vector<BatchRow>& rows,
                     const std::vector<MetricInfo>& metrics);
void WriteSummaryJsonl(std::ostream& os, const std::vector<BatchRow>& rows,
                       const std::vector<MetricInfo>& metrics);
// Human table (stdout default): one line per input.
void WriteSummaryTable(std::ostream& os, const std::vector<BatchRow>& rows,
                       const std::vector<MetricInfo>& metrics);
// The terminal headline table: per video the effective lines of detail
// (median and p10) against the nominal lines, edge width, detail, colour
// and the verdict (acuity/headline.h).
void WriteHeadlineTable(std::ostream& os, const std::vector<BatchRow>& rows);

// WriteFileAtomic: acuity/files.h.

// Shortest text that reads back as the same double ("null" for nullopt).
std::string FormatNumber(std::optional<double> v);

}  // namespace acuity

#endif  // ACUITY_REPORT_H_
