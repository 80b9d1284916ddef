// Scorer: the streaming core of scoring. Frames the caller owns go in one at
// a time; the per-frame values and the summary come out as a VideoReport.
// ScoreVideo (acuity/score.h) is a driver over it (decoder -> Scorer), so a
// frame scored from memory and the same frame decoded from a lossless file
// give identical numbers.
//
//   auto scorer = Scorer::Create(options);            // metrics configured
//   scorer.value()->Start(StreamInfo::Yuv(...));       // metrics initialised
//   for (...) scorer.value()->Push(frame);             // measured now
//   Result<VideoReport> r = scorer.value()->Finish(video_info);
//
// Packed pixels (gray, RGB, BGR: what NumPy and OpenCV hold) become Frames
// through FrameConverter, which converts RGB exactly as the decoder converts
// RGB files.
//
// Threading: a Scorer is used from one thread at a time, except Cancel(),
// which any thread may call. With frames_in_flight > 1 it measures on
// threads of its own; Finish and the destructor wait for them. Scorers share no
// mutable state: several may run at once on different threads. Nothing here
// touches process-wide settings (FFmpeg's log level is the application's to
// set).
#ifndef ACUITY_SCORER_H_
#define ACUITY_SCORER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/frame.h"
#include "acuity/metric.h"
#include "acuity/packed.h"
#include "acuity/report.h"
#include "acuity/status.h"

namespace acuity {

struct ScorerOptions {
  std::vector<const MetricEntry*> metrics;  // from SelectMetrics()
  MetricOptions metric_options;             // passed to Metric::Configure()
  // Tile sharpness map (acuity/heatmap.h) into VideoReport::heatmap.
  bool heatmap = false;
  // Threads that measure one frame: the selected metrics of a frame are
  // independent and run side by side (the slowest first, by the previous
  // frame's times), the calling thread included. 1: one after the other on
  // the calling thread. The numbers are the same for every value.
  int metric_threads = 1;
  // Frames measured at once (1..64). 1: each Push measures its frame before
  // it returns. N > 1: Push copies the frame into one of N frame slots and
  // returns; the entries that are not MetricEntry::temporal measure up to N
  // consecutive frames side by side (each slot has its own instances and a
  // pool of metric_threads threads), the temporal ones follow in frame
  // order on their one instance, and values reach the report in frame
  // order. Memory: N copies of a frame. The numbers are the same for every
  // value.
  int frames_in_flight = 1;
};

class Scorer {
 public:
  // Creates and configures the selected metrics. Errors: an option a metric
  // refuses (a face model OpenCV cannot load). No metric at all is allowed
  // (the report then has frames and no columns), as ScoreVideo allows it.
  static Result<std::unique_ptr<Scorer>> Create(const ScorerOptions& options);
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  // Once, before the first Push: the format of the frames to come (make it
  // with StreamInfo::Yuv / StreamInfo::Gray, or take Decoder::stream()).
  Status Start(const StreamInfo& stream);

  // Measures one frame with every metric (on metric_threads threads) before
  // it returns, or with frames_in_flight > 1 copies it and has it measured
  // while later frames are pushed (waiting for a free slot when all N are
  // busy): either way the planes may be reused or freed afterwards. The planes
  // must match the stream given to Start() (size, depth, chroma layout).
  // `file`: the frame's file name for image sequences (FrameRecord::file).
  // Frames come in presentation order; pts_seconds, index and key_frame go
  // into the report as given.
  Status Push(const Frame& frame, std::string file = {});

  // Stops the run: a Push in flight finishes its frame (and the frames in
  // flight theirs), every later Push and Finish return a kCancelled status.
  // Thread-safe.
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

  // The report's columns: every output of the selected metrics, in order.
  const std::vector<MetricInfo>& outputs() const { return report_.metrics; }
  int64_t frames_pushed() const {
    return static_cast<int64_t>(report_.frames.size());
  }

  // Waits for the frames in flight, then pools the per-frame values into the
  // summary and hands over the report,
  // whose "video" object is `video` as given (for frames from memory,
  // MemoryVideoInfo() describes them). Errors: no frame was pushed,
  // cancelled. The Scorer is spent afterwards (Push and Finish fail).
  Result<VideoReport> Finish(const VideoInfo& video);

 private:
  Scorer() = default;
  Status PushInFlight(const Frame& frame);  // frames_in_flight > 1
  struct Impl;
  std::unique_ptr<Impl> impl_;
  VideoReport report_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace acuity

#endif  // ACUITY_SCORER_H_
