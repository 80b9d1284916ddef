// The scoring pipeline: one decoder per video feeding a Scorer (scorer.cc)
// on a measuring thread one frame behind the decoder; batches spread videos
// over worker threads and keep rows in input order.
#include "acuity/score.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "acuity/files.h"
#include "acuity/heatmap_png.h"
#include "acuity/scorer.h"
#include "acuity/version.h"
#include "kernels/targets.h"
#include "pipeline/heatmap.h"

namespace acuity {
namespace fs = std::filesystem;

BuildInfo GetBuildInfo() {
  return {ACUITY_VERSION, kernels::ActiveSimdTarget(), FfmpegVersionString()};
}

RunInfo MakeRunInfo(const ScoreOptions& options) {
  RunInfo run;
  run.heatmap = options.heatmap;
  const BuildInfo build = GetBuildInfo();
  run.tool_version = build.version;
  run.simd_target = build.simd_target;
  run.ffmpeg = build.ffmpeg;
  for (const MetricEntry* e : options.metrics) {
    run.metrics.push_back(e->name);
    for (const MetricOptionSpec& o : e->options) {
      if (o.kind == MetricOptionSpec::Kind::kEvery) {
        run.every[o.name] = options.metric_options.Every(o.name);
      }
    }
    if (e->run_value) {
      run.fields[e->run_field] = e->run_value(options.metric_options);
    }
  }
  run.decoder = options.decoder;
  return run;
}

Status CheckScoreOptions(const ScoreOptions& options) {
  for (const MetricEntry* e : options.metrics) {
    Status s = e->create()->Configure(options.metric_options);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

namespace {

// One worker thread that runs a function on submitted frames, one at a time.
// Submit() hands over a frame (and its file name, for image sequences);
// Wait() returns once the last one is done.
// The destructor waits and joins, so an early return never leaves the worker
// touching a frame or a report that is gone.
class MeasureThread {
 public:
  explicit MeasureThread(std::function<void(const Frame&, std::string)> fn)
      : fn_(std::move(fn)), thread_([this] { Run(); }) {}
  ~MeasureThread() {
    {
      std::unique_lock<std::mutex> lock(mu_);
      idle_.wait(lock, [this] { return !busy_; });
      stop_ = true;
    }
    work_.notify_one();
    thread_.join();
  }
  void Submit(const Frame& frame, std::string file) {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [this] { return !busy_; });
    frame_ = frame;
    file_ = std::move(file);
    busy_ = true;
    lock.unlock();
    work_.notify_one();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [this] { return !busy_; });
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      work_.wait(lock, [this] { return busy_ || stop_; });
      if (stop_ && !busy_) return;
      lock.unlock();
      fn_(frame_, std::move(file_));
      lock.lock();
      busy_ = false;
      idle_.notify_all();
    }
  }

  std::function<void(const Frame&, std::string)> fn_;
  std::mutex mu_;
  std::condition_variable work_, idle_;
  Frame frame_;
  std::string file_;
  bool busy_ = false, stop_ = false;
  std::thread thread_;  // last: starts after the fields above exist
};

}  // namespace

Result<VideoReport> ScoreVideo(const std::string& path,
                               const ScoreOptions& options,
                               BatchProgress* progress, size_t slot) {
  // Metrics run on their own thread (MeasureThread below), which takes a
  // core from the decoder's frame threads while it works. One extra frame
  // thread keeps another frame in flight meanwhile, so decoding does not
  // stall behind measuring (measured on 2 cores, 1080p H.264, --threads 2:
  // 3.0 s -> 2.8 s; `ffmpeg -threads 3` itself is no faster than -threads 2).
  // 0 (auto) is left to FFmpeg, which already uses cores + 1; 1 means one
  // decoding thread (FFmpeg decodes on this thread and starts none).
  DecoderOptions decoder_options = options.decoder;
  if (decoder_options.threads == 0) {
    decoder_options.threads = options.auto_decoder_threads;
  }
  if (decoder_options.threads > 1) ++decoder_options.threads;
  for (const MetricEntry* e : options.metrics) {
    if (e->needs_motion_vectors) decoder_options.export_motion_vectors = true;
  }
  auto opened = Decoder::Open(path, decoder_options);
  if (!opened.ok()) return opened.status();
  Decoder& decoder = *opened.value();

  ScorerOptions scorer_options;
  scorer_options.metrics = options.metrics;
  scorer_options.metric_options = options.metric_options;
  scorer_options.heatmap = options.heatmap;
  scorer_options.metric_threads = options.metric_threads;
  scorer_options.frames_in_flight = options.frames_in_flight;
  auto created = Scorer::Create(scorer_options);
  if (!created.ok()) return created.status().WithContext(path);
  Scorer& scorer = *created.value();

  // The scorer runs on a second thread, one frame behind the decoder: while
  // it measures frame N, this thread decodes frame N+1 (the decoder keeps
  // frame N valid through that call). Decoding and measuring then overlap
  // instead of adding up, and frame-threaded decoders never wait for the
  // metrics to hand them the next packet. Results are identical: each metric
  // still sees every frame once, in order, on one thread at a time. With
  // frames in flight, Push only copies the frame into a free slot (waiting
  // for one) and the scorer's own threads measure it.
  Status pushed;  // written by the measuring thread, read after Wait()
  MeasureThread measure([&](const Frame& f, std::string file) {
    if (pushed.ok()) pushed = scorer.Push(f, std::move(file));
  });

  Frame frame;
  bool started = false;
  while (true) {
    if (progress != nullptr && progress->cancel.load()) {
      return Status(StatusCode::kInternal, "interrupted").WithContext(path);
    }
    Result<bool> got = decoder.Next(&frame);
    if (!got.ok()) return got.status();
    if (!got.value()) break;
    measure.Wait();  // done with frame N-1, whose buffer the next call reuses
    if (!pushed.ok()) return pushed.WithContext(path);
    if (!started) {
      // The decoder knows the real format only after the first frame.
      Status s = scorer.Start(decoder.stream());
      if (!s.ok()) return s.WithContext(path);
      started = true;
    }
    measure.Submit(frame, decoder.frame_source());
    if (progress != nullptr) {
      progress->frames.fetch_add(1, std::memory_order_relaxed);
      progress->current[slot].store(decoder.Progress(),
                                    std::memory_order_relaxed);
    }
  }
  measure.Wait();
  if (!pushed.ok()) return pushed.WithContext(path);

  const VideoInfo& v = decoder.info();
  if (v.frames_used == 0) {
    if (v.frames_decoded == 0) {
      std::string why = "no frame could be decoded";
      if (v.decode_errors > 0) {
        why += " (" + std::to_string(v.decode_errors) +
               " decode errors: truncated or corrupt input)";
      }
      return InvalidData(why).WithContext(path);
    }
    std::ostringstream why;
    why << "no frame selected: " << v.frames_decoded
        << " decoded, none in the requested range/sampling";
    return InvalidArgument(why.str()).WithContext(path);
  }
  Result<VideoReport> report = scorer.Finish(v);
  if (!report.ok()) return report.status().WithContext(path);
  return report;
}

const std::vector<std::string>& VideoExtensions() {
  static const std::vector<std::string> kExt = {
      "mp4", "m4v",  "mov",  "mkv", "webm", "avi",  "ts",  "mts", "m2ts",
      "mpg", "mpeg", "flv",  "wmv", "3gp",  "ogv",  "y4m", "ivf", "gif",
      "png", "jpg",  "jpeg", "bmp", "tif",  "tiff", "webp"};
  return kExt;
}

namespace {

std::string LowerExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool IsStillImageName(const fs::path& p) {
  const std::string ext = LowerExtension(p);
  for (const char* e :
       {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}) {
    if (ext == e) return true;
  }
  return false;
}

bool HasVideoExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext.size() < 2) return false;
  ext = ext.substr(1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const auto& known = VideoExtensions();
  return std::find(known.begin(), known.end(), ext) != known.end();
}

}  // namespace

std::vector<Input> ExpandInputs(const std::vector<std::string>& args,
                                bool folders_as_sequences) {
  std::vector<Input> out;
  for (const std::string& arg : args) {
    if (IsStreamInput(arg)) {  // "-", "pipe:N": read as a stream, as given
      out.push_back({arg, Status::Ok(), "", false});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if ((fs::is_directory(st) && folders_as_sequences) ||
        (!fs::exists(st) && IsSequencePattern(arg))) {
      out.push_back({arg, Status::Ok(), "", false});  // one clip of images
      continue;
    }
    if (!fs::is_directory(st)) {
      // Not a folder: a regular file goes to the decoder (which says what
      // is wrong with it); a FIFO, device, socket or symlink loop is an
      // error row now, before anything blocks on it.
      Status refused = CheckRegularFile(arg).WithContext(arg);
      if (refused.code() == StatusCode::kNotFound) refused = Status::Ok();
      out.push_back({arg, refused, "", false});
      continue;
    }
    std::vector<Input> found;
    fs::recursive_directory_iterator it(
        arg, fs::directory_options::skip_permission_denied, ec),
        end;
    for (; !ec && it != end; it.increment(ec)) {
      if (!HasVideoExtension(it->path())) continue;
      // Named like a video: a regular file (or a link to one) is scored;
      // anything else is reported, never skipped silently.
      const std::string path = it->path().string();
      found.push_back(
          {path, CheckRegularFile(path).WithContext(path), "", false});
    }
    if (ec) {
      out.push_back({arg,
                     IoError(arg + ": cannot list folder: " + ec.message()), "",
                     false});
      continue;
    }
    if (found.empty()) {
      out.push_back({arg,
                     NotFound(arg + ": no video files in this folder "
                                    "(looked for .mp4, .mov, .mkv, "
                                    ".webm, ... see `acuity score --help`)"),
                     "", false});
      continue;
    }
    std::sort(found.begin(), found.end(),
              [](const Input& a, const Input& b) { return a.path < b.path; });
    const bool stills = std::all_of(
        found.begin(), found.end(),
        [](const Input& in) { return IsStillImageName(fs::path(in.path)); });
    for (auto& f : found) f.still_set = stills;
    for (auto& f : found) out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::string> ReportStems(const std::vector<Input>& inputs) {
  std::vector<std::string> stems;
  std::set<std::string> used;
  for (const Input& in : inputs) {
    if (!in.stem.empty()) used.insert(in.stem);
  }
  for (const Input& in : inputs) {
    if (!in.stem.empty()) {
      stems.push_back(in.stem);
      continue;
    }
    fs::path p(in.path);
    if (!p.has_filename()) p = p.parent_path();  // "frames/" (--sequence)
    std::string stem = IsStreamInput(in.path)
                           ? std::string("stdin")
                           : p.filename().replace_extension().string();
    if (stem.empty() || stem == "." || stem == "..") stem = "input";
    std::string candidate = stem;
    for (int k = 2; used.count(candidate) > 0; ++k) {
      candidate = stem + "-" + std::to_string(k);
    }
    used.insert(candidate);
    stems.push_back(candidate);
  }
  return stems;
}

std::vector<MetricInfo> SelectedOutputs(const ScoreOptions& options) {
  std::vector<MetricInfo> out;
  for (const MetricEntry* e : options.metrics) {
    out.insert(out.end(), e->outputs.begin(), e->outputs.end());
  }
  return out;
}

namespace {

constexpr const char* kReportSuffix = ".acuity.json";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Hidden temporaries of WriteFileAtomic (".NAME.tmp-XXXXXX") that a killed
// run left behind. Only one run may write into a folder at a time.
void RemoveOrphanTemporaries(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const size_t tmp = name.rfind(".tmp-");
    if (name.size() > 1 && name[0] == '.' && tmp != std::string::npos &&
        name.size() - tmp == 11 && it->is_regular_file()) {
      std::error_code rec;
      fs::remove(it->path(), rec);
    }
  }
}

// The report of `input` in the output folder when it is complete (parses,
// its frames.csv exists, heatmap PNG too when asked for), was made from the
// same path and with the same options.
std::optional<VideoReport> CompleteReport(const fs::path& base,
                                          const std::string& input_path,
                                          const std::string& hash,
                                          bool heatmap) {
  std::error_code ec;
  if (!fs::is_regular_file(base.string() + kReportSuffix, ec) ||
      !fs::is_regular_file(base.string() + ".frames.csv", ec) ||
      (heatmap && !fs::is_regular_file(base.string() + ".heatmap.png", ec))) {
    return std::nullopt;
  }
  std::string found_hash;
  Result<VideoReport> r =
      LoadReportSummary(base.string() + kReportSuffix, &found_hash);
  if (!r.ok() || found_hash != hash || r->video.path != input_path) {
    return std::nullopt;
  }
  return std::move(r).value();
}

}  // namespace

bool IsTransientWriteError(const Status& s) {
  if (s.ok() || s.code() != StatusCode::kIo) return false;
  for (const int err : {ENOSPC, EDQUOT, EIO, EFBIG}) {
    if (s.message().find(std::strerror(err)) != std::string::npos) return true;
  }
  return false;
}

std::function<std::vector<BatchRow>(const std::vector<std::string>&)>
ScoringWith(ScoreOptions options) {
  return [options = std::move(options)](const std::vector<std::string>& p) {
    Status batch_status;
    return ScoreBatch(ExpandInputs(p), options, nullptr, batch_status);
  };
}

std::vector<BatchRow> ScoreBatch(const std::vector<Input>& inputs,
                                 const ScoreOptions& options,
                                 BatchProgress* progress,
                                 Status& batch_status) {
  batch_status = Status::Ok();
  std::vector<BatchRow> rows(inputs.size());
  const std::vector<std::string> stems = ReportStems(inputs);
  const RunInfo run = MakeRunInfo(options);
  const std::string hash = OptionsHash(run);
  std::atomic<size_t> next{0};
  if (!options.out_dir.empty()) RemoveOrphanTemporaries(options.out_dir);
  auto existing = [&](size_t i) -> std::optional<VideoReport> {
    if (options.out_dir.empty() || !inputs[i].error.ok()) return std::nullopt;
    return CompleteReport(fs::path(options.out_dir) / stems[i], inputs[i].path,
                          hash, options.heatmap);
  };

  auto work = [&] {
    while (true) {
      const size_t i = next.fetch_add(1);
      if (i >= inputs.size()) return;
      BatchRow& row = rows[i];
      row.path = inputs[i].path;
      std::optional<VideoReport> done;
      if (!inputs[i].error.ok()) {
        row.status = inputs[i].error;
      } else if (options.resume && (done = existing(i))) {
        // --resume: scored by an earlier run with the same options.
        row.report = std::move(done);
        row.report_file =
            (fs::path(options.out_dir) / (stems[i] + kReportSuffix)).string();
        if (options.heatmap) {
          row.heatmap_file =
              (fs::path(options.heatmap_dir) / (stems[i] + ".heatmap.png"))
                  .string();
        }
      } else if (progress != nullptr && progress->cancel.load()) {
        row.status = Status(StatusCode::kInternal, "interrupted")
                         .WithContext(inputs[i].path);
      } else {
        Result<VideoReport> r =
            ScoreVideo(inputs[i].path, options, progress, i);
        if (!r.ok()) {
          row.status = r.status();
        } else {
          row.report = std::move(r).value();
          // The heatmap PNG first: if it cannot be made, the input is an
          // error row and no report files claim otherwise.
          if (row.report->heatmap && !options.heatmap_dir.empty()) {
            const std::string png =
                (fs::path(options.heatmap_dir) / (stems[i] + ".heatmap.png"))
                    .string();
            Status s = WriteHeatmapPng(png, inputs[i].path, options.decoder,
                                       *row.report->heatmap);
            if (s.ok()) {
              row.heatmap_file = png;
            } else {
              row.status = s;
              row.report.reset();
              row.write_failed = IsTransientWriteError(s);
            }
          }
          if (row.report && !options.out_dir.empty() &&
              (options.still_set_reports || !inputs[i].still_set)) {
            const fs::path base = fs::path(options.out_dir) / stems[i];
            const std::string json_path = base.string() + ".acuity.json";
            const VideoReport& report = *row.report;
            Status s = WriteFileAtomic(json_path, [&](std::ostream& os) {
              WriteVideoReportJson(os, report, run);
            });
            if (s.ok()) {
              s = WriteFileAtomic(
                  base.string() + ".frames.csv",
                  [&](std::ostream& os) { WriteFramesCsv(os, report); });
            }
            if (s.ok()) {
              row.report_file = json_path;
            } else {
              row.status = s;
              row.report.reset();
              row.write_failed = IsTransientWriteError(s);
            }
          }
        }
      }
      if (progress != nullptr) {
        progress->current[i].store(1.0);
        progress->files_done.fetch_add(1);
      }
    }
  };

  const int jobs =
      std::max(1, std::min<int>(options.jobs, static_cast<int>(inputs.size())));
  std::vector<std::thread> workers;
  for (int j = 1; j < jobs; ++j) workers.emplace_back(work);
  work();
  for (auto& t : workers) t.join();

  if (!options.out_dir.empty()) {
    // The summary never forgets a result on disk. An input this run did not
    // finish (interrupted) keeps its earlier complete report, and every
    // other report in the folder made with the same options follows this
    // run's inputs, by file name.
    std::set<std::string> listed;
    for (size_t i = 0; i < rows.size(); ++i) {
      listed.insert(stems[i] + kReportSuffix);
      BatchRow& row = rows[i];
      if (row.report || !inputs[i].error.ok() || row.status.ok()) continue;
      if (!EndsWith(row.status.message(), ": interrupted")) continue;
      if (std::optional<VideoReport> done = existing(i)) {
        row.status = Status::Ok();
        row.report = std::move(done);
        row.report_file =
            (fs::path(options.out_dir) / (stems[i] + kReportSuffix)).string();
      }
    }
    std::vector<std::string> others;
    std::error_code ec;
    for (fs::directory_iterator it(options.out_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (EndsWith(name, kReportSuffix) && name[0] != '.' &&
          listed.count(name) == 0) {
        others.push_back(name);
      }
    }
    std::sort(others.begin(), others.end());
    for (const std::string& name : others) {
      const fs::path base =
          fs::path(options.out_dir) /
          name.substr(0, name.size() - std::string(kReportSuffix).size());
      std::string found_hash;
      Result<VideoReport> r =
          LoadReportSummary(base.string() + kReportSuffix, &found_hash);
      if (!r.ok() || found_hash != hash) continue;  // other options: not ours
      std::error_code fec;
      if (!fs::is_regular_file(base.string() + ".frames.csv", fec)) continue;
      BatchRow row;
      row.path = r->video.path;
      row.report = std::move(r).value();
      row.report_file = base.string() + kReportSuffix;
      rows.push_back(std::move(row));
    }
    const std::vector<MetricInfo> outputs = SelectedOutputs(options);
    std::ostringstream csv, jsonl;
    WriteSummaryCsv(csv, rows, outputs);
    WriteSummaryJsonl(jsonl, rows, outputs);
    const fs::path dir(options.out_dir);
    batch_status = WriteFileAtomic((dir / "summary.csv").string(), csv.str());
    if (batch_status.ok()) {
      batch_status =
          WriteFileAtomic((dir / "summary.jsonl").string(), jsonl.str());
    }
  }
  return rows;
}

}  // namespace acuity
