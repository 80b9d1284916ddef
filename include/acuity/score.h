// Scoring: decoder -> metrics -> report, for one video or a batch.
// ScoreVideo is a driver: a Decoder feeds a Scorer (acuity/scorer.h, which
// also takes frames from memory) on a second thread, one frame behind.
//
// ScoreVideo and ScoreBatch are thread-safe: they share no mutable state
// apart from the BatchProgress counters, which are atomics.
#ifndef ACUITY_SCORE_H_
#define ACUITY_SCORE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/metric.h"
#include "acuity/report.h"
#include "acuity/status.h"

namespace acuity {

struct ScoreOptions {
  DecoderOptions decoder;
  std::vector<const MetricEntry*> metrics;  // from SelectMetrics()
  MetricOptions metric_options;             // passed to Metric::Configure()
  std::string out_dir;  // per-video and batch files go here; empty: none
  int jobs = 1;         // videos scored in parallel
  // Tile sharpness map (acuity/heatmap.h) into VideoReport::heatmap; costs
  // nothing when off.
  bool heatmap = false;
  // With `heatmap`: ScoreBatch writes NAME.heatmap.png here (the folder must
  // exist); empty: no PNG.
  std::string heatmap_dir;
  // With out_dir: inputs whose report in out_dir is complete and was made
  // with the same options (OptionsHash) are not scored again; the report
  // is read back for the summary.
  bool resume = false;
  // Inputs of a still set (Input::still_set) get no NAME.acuity.json /
  // NAME.frames.csv unless this is set (--per-item-reports): the summary
  // is their table.
  bool still_set_reports = false;
  // Decoder threads per input when decoder.threads is 0 (automatic); 0:
  // FFmpeg's choice. The CLI sets 1 for batches of many inputs. Not part of
  // the report's options: threads never change a value.
  int auto_decoder_threads = 0;
  // Threads that measure one frame of a video (ScorerOptions::metric_threads):
  // its metrics side by side. 1: one after the other. Not part of the
  // report's options: the numbers are the same for every value.
  int metric_threads = 1;
  // Frames of a video measured at once (ScorerOptions::frames_in_flight):
  // the non-temporal metrics of N consecutive frames side by side. 1: one
  // frame at a time. Not part of the report's options: the numbers are the
  // same for every value.
  int frames_in_flight = 1;
};

// Live counters for a progress display; read from another thread.
struct BatchProgress {
  explicit BatchProgress(size_t inputs) : current(inputs), weight(inputs, 1.0) {
    for (auto& c : current) c.store(0.0);
  }
  std::atomic<int64_t> files_done{0};
  std::atomic<int64_t> frames{0};
  std::vector<std::atomic<double>> current;  // per input: fraction done, 0..1
  std::vector<double>
      weight;  // per input: share of the work (file size); set before scoring
  std::atomic<bool> cancel{false};  // set to stop early (Ctrl-C)
};

RunInfo MakeRunInfo(const ScoreOptions& options);

// What this build is: acuity's version, the SIMD target Highway dispatches
// to on this machine, and the FFmpeg libraries it runs on (`acuity
// --version`; the report's "run" object carries the same three).
struct BuildInfo {
  std::string version;      // "0.1.0"
  std::string simd_target;  // "AVX2", "AVX3", "SSE4", ...
  std::string ffmpeg;       // FfmpegVersionString()
};
BuildInfo GetBuildInfo();

// Creates and configures every selected metric once, so that options no
// metric can work with (a face model OpenCV cannot load) are reported once,
// before any video is opened, instead of once per video.
Status CheckScoreOptions(const ScoreOptions& options);

// Scores one video. `progress` and `slot` (index into progress->current)
// are optional.
Result<VideoReport> ScoreVideo(const std::string& path,
                               const ScoreOptions& options,
                               BatchProgress* progress = nullptr,
                               size_t slot = 0);

// File extensions scanned in folders (lower case, without the dot).
const std::vector<std::string>& VideoExtensions();

// Expands folders (recursively, by extension, sorted) and keeps files as
// given. A folder without videos becomes an input whose error is set.
// Streams ("-", "pipe:N"; acuity/files.h) and image sequence patterns
// ("f%04d.png", IsSequencePattern) are kept as given, and so are folders
// when `folders_as_sequences` (--sequence: each is one clip). A folder
// whose files are all still images (PNG, JPEG, BMP, TIFF, WebP) is a still
// set: its inputs have `still_set`.
struct Input {
  std::string path;
  Status error;  // non-OK: not scored, reported as is
  // Report file stem; empty: ReportStems picks one. Set by SelectShard so
  // that a shard names its files as the whole batch would.
  std::string stem;
  bool still_set = false;  // one image of a folder of independent stills
};
std::vector<Input> ExpandInputs(const std::vector<std::string>& args,
                                bool folders_as_sequences = false);

// Report file stem for each input: its preset `stem`, else the file name
// without extension ("stdin" for a stream), "-2", "-3"... appended on
// collisions, in input order.
std::vector<std::string> ReportStems(const std::vector<Input>& inputs);

// The MetricInfo of every output of the selected metrics, in column order.
std::vector<MetricInfo> SelectedOutputs(const ScoreOptions& options);

// Scores every input with options.jobs workers; rows come back in input
// order whatever the scheduling. Writes NAME.acuity.json, NAME.frames.csv,
// summary.csv and summary.jsonl into options.out_dir when it is set (the
// folder must exist); a failure to write the summary files is returned in
// `batch_status`. With out_dir the summary merges what the folder already
// holds: an input interrupted in this run keeps its earlier complete
// report, and rows for the folder's other complete reports made with the
// same options follow the inputs' rows (by file name), so the returned rows
// can outnumber the inputs. Orphan temporaries of killed runs
// (.NAME.tmp-XXXXXX) are removed first: one run per folder at a time.
// A failure to write an output that running again may cure: an I/O status
// whose cause is a full disk (ENOSPC), a quota (EDQUOT), a file size limit
// (EFBIG) or an I/O error (EIO). Sets BatchRow::write_failed; the CLI
// exits 75 ("retry me") on it.
bool IsTransientWriteError(const Status& s);

std::vector<BatchRow> ScoreBatch(const std::vector<Input>& inputs,
                                 const ScoreOptions& options,
                                 BatchProgress* progress, Status& batch_status);

// LoadBatch's ScoreVideos: ScoreBatch over ExpandInputs(paths) with
// `options` (a copy) and no progress, one row per video among files and
// folders of videos (what compare, check and track score).
std::function<std::vector<BatchRow>(const std::vector<std::string>&)>
ScoringWith(ScoreOptions options);

}  // namespace acuity

#endif  // ACUITY_SCORE_H_
