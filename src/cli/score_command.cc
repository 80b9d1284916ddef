// `acuity score`: argument parsing, progress display and output only; the
// work is in acuity::ScoreBatch.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "acuity/decoder.h"
#include "acuity/files.h"
#include "acuity/html_report.h"
#include "acuity/metric.h"
#include "acuity/report.h"
#include "acuity/score.h"
#include "acuity/shard.h"
#include "acuity/version.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {
namespace {

BatchProgress* g_progress = nullptr;
volatile std::sig_atomic_t g_signal = 0;

// SIGINT (Ctrl-C) and SIGTERM (a scheduler preempting the job) stop the
// batch after the inputs in flight; a second signal ends at once.
extern "C" void OnInterrupt(int sig) {
  g_signal = sig;
  if (g_progress != nullptr) g_progress->cancel.store(true);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

// Standard input can be read once: "-", "pipe:0" and `--from-list -`.
bool IsStdin(const std::string& path) {
  return path == "-" || path == "pipe:0";
}

std::string FormatDuration(double s) {
  if (!(s >= 0) || s > 360000) return "--:--";
  const int t = static_cast<int>(s + 0.5);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%d:%02d:%02d", t / 3600, t / 60 % 60,
                  t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%d:%02d", t / 60, t % 60);
  }
  return buf;
}

// Redraws one status line on stderr until stopped. Terminal only.
class ProgressLine {
 public:
  explicit ProgressLine(const BatchProgress& p) : p_(p) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~ProgressLine() {
    stop_.store(true);
    thread_.join();
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  void Loop() {
    const auto start = std::chrono::steady_clock::now();
    const size_t total = p_.current.size();
    while (!stop_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const double elapsed = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
      double done = 0.0, all = 0.0;
      for (size_t i = 0; i < total; ++i) {
        done += p_.weight[i] * p_.current[i].load();
        all += p_.weight[i];
      }
      const double fraction = all > 0 ? done / all : 1.0;
      const int64_t frames = p_.frames.load();
      const double eta =
          fraction > 0.001 ? elapsed * (1 - fraction) / fraction : -1;
      std::fprintf(
          stderr, "\r\033[K[%lld/%zu files] %lld frames  %.1f fps  ETA %s",
          static_cast<long long>(p_.files_done.load()), total,
          static_cast<long long>(frames), elapsed > 0 ? frames / elapsed : 0.0,
          FormatDuration(eta).c_str());
      std::fflush(stderr);
    }
  }

  const BatchProgress& p_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

int RunScore(int argc, char** argv) {
  CLI::App app{
      "Score the sharpness of videos and images.\n\n"
      "Decodes each input with FFmpeg (any container and codec it reads; "
      "PNG, JPEG and BMP stills are one-frame videos), measures every "
      "sampled frame and prints one row per input: the per-video median "
      "of each metric.",
      "acuity score"};
  app.formatter(std::make_shared<CLI::Formatter>());
  app.get_formatter()->column_width(26);

  std::vector<std::string> paths;
  std::string out_dir, metrics = "default", format = "table", from_list,
                       shard_text;
  int jobs = 0;
  bool quiet = false, verbose = false, heatmap = false, resume = false,
       per_item_reports = false;
  DecoderOptions dec;

  app.add_option("PATH", paths,
                 "video/image files or folders (searched recursively); - or "
                 "pipe:0 reads one video from standard input (MP4 needs "
                 "-movflags +faststart; MKV, MPEG-TS, Y4M stream as they "
                 "are)");
  app.add_option("--from-list", from_list,
                 "also score the paths listed in FILE, one per line (- : "
                 "standard input; blank lines and # comments skipped; a bad "
                 "path becomes an error row)")
      ->type_name("FILE");
  app.add_option("--shard", shard_text,
                 "with -o DIR: score only shard I of N (0 <= I < N): the "
                 "inputs whose FNV-1a 64 hash of the path as given, modulo "
                 "N, is I; auto/N takes I from SLURM_ARRAY_TASK_ID or "
                 "JOB_COMPLETION_INDEX. DIR gets a completion marker last; "
                 "`acuity merge` joins the shards (docs/scale.md)")
      ->type_name("I/N");
  app.add_option("-o,--out", out_dir,
                 "write NAME.acuity.json + NAME.frames.csv per input and "
                 "summary.csv + summary.jsonl to DIR (created if missing; "
                 "the summary also lists DIR's earlier reports made with the "
                 "same options)");
  app.add_flag("--per-item-reports", per_item_reports,
               "with -o DIR: also write NAME.acuity.json + NAME.frames.csv "
               "for each image of a folder of stills (by default such a set "
               "gets only summary.csv/summary.jsonl, one row per image)");
  std::string html;
  app.add_option("--html", html,
                 "also write one HTML page of the batch (acuity report: "
                 "table, per-frame curves, sharpest/blurriest frames); needs "
                 "-o DIR");
  app.add_flag("--resume", resume,
               "with -o DIR: skip inputs whose report in DIR is complete and "
               "was made with the same options (after an interrupted or "
               "killed run)");
  app.add_option("-j,--jobs", jobs,
                 "score N inputs in parallel (default: one per core, each "
                 "decoding on one thread, when there are several inputs; a "
                 "single input gets the frame-threaded decoder)")
      ->check(CLI::Range(1, 256));
  int metric_threads = 0;
  app.add_option("--metric-threads", metric_threads,
                 "threads that measure each frame of a video, its metrics "
                 "side by side (default 0: auto, half the cores when one "
                 "input is scored at a time, else 1; same numbers for every "
                 "value)")
      ->check(CLI::Range(0, 256));
  int frames_in_flight = 0;
  app.add_option("--frames-in-flight", frames_in_flight,
                 "frames of a video measured at once: the metrics that keep "
                 "no state across frames measure N consecutive frames side "
                 "by side, each frame on --metric-threads threads (default "
                 "0: auto, 2 when one input is scored at a time, else 1; N "
                 "copies of a frame in memory; same numbers for every value)")
      ->check(CLI::Range(0, 64));
  app.add_option("--metrics", metrics,
                 "comma-separated metric names; 'default' or 'all' (default: "
                 "default)");
  app.add_option("--format", format,
                 "what stdout gets: table, csv or json (JSON lines, one object "
                 "per input)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  app.add_flag("--heatmap", heatmap,
               "also map where the blur is: a sharpness value per tile "
               "(16 columns), pooled over the video, into the JSON report and "
               "NAME.heatmap.png (into -o DIR, else the current folder); "
               "see docs/heatmap.md");
  AddDecoderOptions(app, dec);
  MetricOptions metric_options;
  AddMetricOptions(app, metric_options);
  app.add_flag("-q,--quiet", quiet,
               "no progress display and no warnings on stderr");
  app.add_flag("-v,--verbose", verbose, "also show FFmpeg's own warnings");
  app.footer(
      "\n" + MetricsHelp() +
      "\nExamples:\n"
      "  acuity score clip.mp4                     table of medians on stdout\n"
      "  acuity score -o reports/ -j 2 videos/     a folder, two videos at a "
      "time\n"
      "  acuity score --keyframes --format csv *.mp4 > scores.csv\n"
      "  acuity score --start 10 --duration 5 --fps 2 clip.mov\n"
      "  acuity score --heatmap -o reports/ clip.mp4   where in the picture "
      "the blur is\n"
      "  acuity score -o out/ stills/              a folder of images: one "
      "table, one row per image\n"
      "  acuity score 'frames/f%04d.png'           an image sequence as one "
      "clip (--sequence-fps 25)\n"
      "  gen | acuity score -                      one video from stdin\n"
      "  acuity score --shard auto/64 -o part$SLURM_ARRAY_TASK_ID --from-list "
      "all.txt\n"
      "\nOutput: data goes to stdout, progress and errors to stderr (progress "
      "only on a terminal).\nReport fields: docs/report-schema.md. Metric "
      "definitions: docs/metrics.md.\n"
      "\nResults in -o DIR are never dropped: a run merges with the complete "
      "reports already in DIR\n(same options: their rows follow this run's "
      "inputs in summary.csv/jsonl; an input\ninterrupted now keeps its "
      "earlier report). Use a new DIR to start afresh.\n"
      "\nExit status: 0 every input scored; 1 some inputs failed (the others "
      "were scored); 2 usage error;\n75 retry (outputs could not be written: "
      "disk full...; or stopped by SIGTERM): run again with --resume;\n130 "
      "interrupted (Ctrl-C).\n");

  if (int rc = ParseOrExit(app, argc, argv, "score"); rc >= 0) return rc;

  SetFfmpegLogging(verbose);
  ScoreOptions options;
  options.decoder = dec;
  options.metric_options = metric_options;
  auto selected = SelectMetrics(metrics);
  if (!selected.ok()) {
    std::cerr << "acuity score: error: " << selected.status().message() << "\n";
    return kExitUsage;
  }
  options.metrics = selected.value();
  if (Status s = CheckScoreOptions(options); !s.ok()) {
    std::cerr << "acuity score: error: " << s.message() << "\n";
    return kExitUsage;
  }

  if (!out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec || !std::filesystem::is_directory(out_dir)) {
      std::cerr << "acuity score: error: " << out_dir
                << ": cannot create output folder: "
                << (ec ? ec.message() : "not a folder") << "\n";
      return kExitUsage;
    }
    options.out_dir = out_dir;
  }
  if (!html.empty() && out_dir.empty()) {
    std::cerr << "acuity score: error: --html needs -o DIR (the page is made "
                 "from DIR)\n";
    return kExitUsage;
  }
  if (resume && out_dir.empty()) {
    std::cerr << "acuity score: error: --resume needs -o DIR (see `acuity "
                 "score --help`)\n";
    return kExitUsage;
  }
  std::optional<ShardSpec> shard;
  if (!shard_text.empty()) {
    Result<ShardSpec> parsed = ParseShard(
        shard_text, [](const char* name) { return std::getenv(name); });
    if (!parsed.ok()) {
      std::cerr << "acuity score: error: " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    if (out_dir.empty()) {
      std::cerr << "acuity score: error: --shard needs -o DIR (each shard "
                   "writes its own folder; see docs/scale.md)\n";
      return kExitUsage;
    }
    shard = parsed.value();
  }

  if (!from_list.empty()) {
    std::vector<std::string> listed;
    if (from_list == "-") {
      listed = ReadInputList(std::cin);
    } else {
      std::ifstream in(from_list, std::ios::binary);
      if (!in) {
        std::cerr << "acuity score: error: --from-list " << from_list
                  << ": cannot read: " << std::strerror(errno) << "\n";
        return kExitUsage;
      }
      listed = ReadInputList(in);
    }
    paths.insert(paths.end(), listed.begin(), listed.end());
  }
  if (const auto n = std::count_if(paths.begin(), paths.end(), IsStdin) +
                     (from_list == "-" ? 1 : 0);
      n > 1) {
    std::cerr << "acuity score: error: standard input can be read once: "
                 "- (or pipe:0) and --from-list - exclude each other\n";
    return kExitUsage;
  }
  if (paths.empty() && from_list.empty()) {
    std::cerr << "acuity score: error: no input: give PATH... or --from-list "
                 "FILE (see `acuity score --help`)\n";
    return kExitUsage;
  }
  options.resume = resume;
  options.still_set_reports = per_item_reports;
  options.heatmap = heatmap;
  if (heatmap) options.heatmap_dir = out_dir.empty() ? "." : out_dir;

  const std::vector<Input> all_inputs =
      ExpandInputs(paths, dec.folder_is_sequence);
  std::vector<size_t> positions;  // of the shard's inputs in all_inputs
  const std::vector<Input> inputs =
      shard ? SelectShard(all_inputs, *shard, &positions) : all_inputs;
  // A rerun of a shard starts by withdrawing its old marker: only a run
  // that finishes vouches for the folder.
  if (shard) RemoveShardMarker(out_dir);
  // Default parallelism: many inputs (a folder of stills, a batch of
  // clips) run one per core with a single decoding thread each, which
  // beats frame threads when an input is one frame; a single input gets
  // every core through the decoder's frame threads. Same numbers either way.
  if (jobs == 0) {
    if (inputs.size() > 1) {
      const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
      jobs = static_cast<int>(std::min<size_t>(cores, inputs.size()));
      if (app.count("--threads") == 0) options.auto_decoder_threads = 1;
    } else {
      jobs = 1;
    }
  }
  options.jobs = jobs;
  // One input at a time: the metrics of a frame may take the cores the
  // decoder leaves (half of them). Several at once: the inputs take the
  // cores already.
  if (metric_threads == 0) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    metric_threads = jobs == 1 ? static_cast<int>(std::max(1u, cores / 2)) : 1;
  }
  options.metric_threads = metric_threads;
  if (frames_in_flight == 0) frames_in_flight = AutoFramesInFlight(jobs);
  options.frames_in_flight = frames_in_flight;
  BatchProgress progress(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    // File size is a fair proxy of decode work for the ETA.
    std::error_code ec;
    const auto size = std::filesystem::file_size(inputs[i].path, ec);
    progress.weight[i] =
        ec ? 1.0 : std::max<double>(1.0, static_cast<double>(size));
  }
  g_progress = &progress;
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  std::vector<BatchRow> rows;
  Status batch_status;
  {
    std::unique_ptr<ProgressLine> line;
    if (!quiet && isatty(STDERR_FILENO))
      line = std::make_unique<ProgressLine>(progress);
    rows = ScoreBatch(inputs, options, &progress, batch_status);
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_progress = nullptr;

  bool any_failed = false, retry = false;
  for (const BatchRow& row : rows) {
    if (row.write_failed) retry = true;
    if (!row.status.ok()) {
      any_failed = true;
      std::cerr << "acuity: error: " << row.status.message() << "\n";
    } else if (!quiet && row.report && row.report->video.decode_errors > 0) {
      std::cerr << "acuity: warning: " << row.path << ": "
                << row.report->video.decode_errors
                << " decode errors (truncated or corrupt input); scored the "
                << row.report->video.frames_used << " frames that decoded\n";
    }
  }
  if (!quiet) {
    for (const BatchRow& row : rows) {
      if (!row.heatmap_file.empty()) {
        std::cerr << "acuity: wrote " << row.heatmap_file << "\n";
      }
    }
  }
  if (!batch_status.ok()) {
    if (IsTransientWriteError(batch_status)) retry = true;
    any_failed = true;
    std::cerr << "acuity: error: " << batch_status.message() << "\n";
  }
  if (shard && !retry && batch_status.ok() && !progress.cancel.load()) {
    // Last: the marker says this folder holds the whole shard.
    ShardMarker marker;
    marker.shard = *shard;
    marker.tool_version = ACUITY_VERSION;
    marker.options_hash = OptionsHash(MakeRunInfo(options));
    marker.inputs_hash = InputsHash(all_inputs);
    marker.inputs_total = static_cast<int64_t>(all_inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      marker.rows.push_back({static_cast<int64_t>(positions[i]), inputs[i].path,
                             inputs[i].stem,
                             rows[i].status.ok() && rows[i].report.has_value(),
                             !rows[i].report_file.empty()});
    }
    if (Status s = WriteShardMarker(out_dir, marker); !s.ok()) {
      if (IsTransientWriteError(s)) retry = true;
      any_failed = true;
      std::cerr << "acuity: error: " << s.message() << "\n";
    }
  }

  const std::vector<MetricInfo> outputs = SelectedOutputs(options);
  if (format == "csv") {
    WriteSummaryCsv(std::cout, rows, outputs);
  } else if (format == "json") {
    WriteSummaryJsonl(std::cout, rows, outputs);
  } else {
    // The terminal table: with the effective resolution selected (the
    // default set), the headline (lines of detail, edge width, detail,
    // colour, verdict); otherwise one column per metric group when more
    // than a screenful is selected. csv, json and -o DIR carry all.
    const bool headline = std::any_of(
        outputs.begin(), outputs.end(),
        [](const MetricInfo& m) { return m.key == "resolution_ratio"; });
    std::vector<MetricInfo> shown;
    for (const MetricEntry* e : options.metrics) shown.push_back(e->outputs[0]);
    const bool compact = outputs.size() > 8 && shown.size() < outputs.size();
    if (headline) {
      WriteHeadlineTable(std::cout, rows);
    } else {
      WriteSummaryTable(std::cout, rows, compact ? shown : outputs);
    }
    if (headline || compact) {
      std::cout << "("
                << (headline ? "headline" : "one column per metric group")
                << "; all " << outputs.size()
                << " metric columns with --format csv or json, or -o DIR)\n";
    }
  }
  std::cout.flush();
  if (progress.cancel.load()) {
    return g_signal == SIGTERM ? kExitRetry : kExitInterrupted;
  }
  if (!html.empty()) {
    HtmlReportOptions ho;
    ho.title = "acuity score: " + out_dir;
    if (Status s = WriteHtmlReport({out_dir}, html, ho); !s.ok()) {
      std::cerr << "acuity score: error: " << s.message() << "\n";
      return kExitSomeFailed;
    }
  }
  if (retry) return kExitRetry;
  return any_failed ? kExitSomeFailed : kExitOk;
}

}  // namespace acuity::cli
