// The streaming scorer: every selected metric on each pushed frame, in
// registry order, then the summary. ScoreVideo (score.cc) drives it from a
// decoder; library users and the Python module drive it from memory.
#include "acuity/scorer.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>
#include <utility>

#include "metrics/frame_analysis.h"
#include "pipeline/fork_join.h"
#include "pipeline/heatmap.h"

namespace acuity {

namespace {

// Runs metric i of `order` for each i on `pool` (metrics[i] into values[i]),
// timing each when the pool has several threads and then putting the slowest
// first in `order` for the next frame (only the speed depends on the order).
void RunMetrics(ForkJoin& pool, std::vector<size_t>& order,
                const std::vector<Metric*>& metrics,
                const FrameAnalysis& analysis, std::vector<FrameValues>& values,
                std::vector<double>& seconds) {
  const bool timed = pool.threads() > 1;
  pool.Run(order, [&](size_t i) {
    const auto t0 = timed ? std::chrono::steady_clock::now()
                          : std::chrono::steady_clock::time_point{};
    values[i].Clear();
    metrics[i]->Process(analysis, values[i]);
    if (timed) {
      seconds[i] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count();
    }
  });
  if (timed) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return seconds[a] > seconds[b];
    });
  }
}

// A copy of `p` in `buffer`, row for row at the same stride, so every
// kernel reads the same samples at the same offsets from a row start.
PlaneView CopyPlane(const PlaneView& p, std::vector<uint8_t>& buffer) {
  if (p.empty()) return p;
  constexpr size_t kAlign = 64;  // as FFmpeg's buffers: whole SIMD vectors
  const size_t bytes =
      static_cast<size_t>(p.height - 1) * static_cast<size_t>(p.stride) +
      static_cast<size_t>(p.width) * p.bytes_per_sample();
  buffer.resize(bytes + kAlign);
  uint8_t* dst = buffer.data();
  dst += (kAlign - reinterpret_cast<uintptr_t>(dst) % kAlign) % kAlign;
  std::memcpy(dst, p.data, bytes);
  PlaneView copy = p;
  copy.data = dst;
  return copy;
}

// One frame in flight (frames_in_flight > 1): an owned copy of the frame,
// its FrameAnalysis, its own instances of the non-temporal metrics, and the
// thread that measures it.
struct FrameSlot {
  std::vector<uint8_t> planes[3];
  std::vector<MotionVector> motion_vectors;
  Frame frame;
  FrameAnalysis analysis;
  std::vector<std::unique_ptr<Metric>> own;  // per metric; null: temporal
  std::vector<Metric*> metrics;  // per metric: own, or the one temporal
  std::vector<FrameValues> values;
  std::unique_ptr<ForkJoin> pool;
  std::vector<size_t> order;  // the non-temporal metrics, slowest first
  std::vector<double> seconds;
  // Written by Push while the slot is free, read by the slot's thread once
  // `full` (both under Impl::mu).
  int64_t seq = 0;  // the frame's number among the pushed ones
  bool full = false;
  std::thread thread;
};

}  // namespace

struct Scorer::Impl {
  std::vector<std::unique_ptr<Metric>> metrics;
  std::vector<Metric*> metric_ptrs;  // the same, for RunMetrics
  std::vector<FrameValues> values;
  std::vector<size_t> first_column;  // per metric: its first report column
  int faces_from = -1;  // index of the metric that reports faces, if any
  std::optional<TileMapAccumulator> tile_map;
  // Products several metrics read (noise sigma, Laplacian moments...),
  // computed once per frame before the metrics run: the union of the
  // selected entries' needs.
  unsigned needs = 0;
  FrameAnalysis analysis;
  // Metrics of a frame run side by side on the pool, the slowest of the
  // previous frame first (seconds per metric; the order only affects speed).
  std::unique_ptr<ForkJoin> pool;
  std::vector<double> seconds;
  std::vector<size_t> order;
  StreamInfo stream;
  bool started = false;
  bool finished = false;

  // Frames in flight (frames_in_flight > 1; empty otherwise). Frame k goes
  // to slot k % N. Each slot measures its non-temporal metrics as soon as
  // it has a frame, then waits for its turn (turn == seq: every earlier
  // frame is done) to run the temporal metrics on their one instance and
  // put the values into the report, so both happen in frame order.
  std::vector<std::unique_ptr<FrameSlot>> slots;
  std::vector<size_t> temporal;  // metric indices, registry order
  std::vector<double> temporal_seconds;
  VideoReport* report = nullptr;  // the Scorer's: Collect writes there
  std::mutex mu;
  std::condition_variable changed;  // a slot filled or emptied, a turn
  int64_t pushed = 0;               // frames handed to slots (Push only)
  int64_t turn = 0;                 // under mu
  bool stop = false;                // under mu

  ~Impl() { StopSlots(); }
  void Collect(std::vector<FrameValues>& frame_values);
  void MeasureSlot(FrameSlot& slot);
  // Returns once every pushed frame is in the report.
  void Drain() {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait(lock, [this] { return turn == pushed; });
  }
  // Drains and ends the slots' threads.
  void StopSlots() {
    if (slots.empty()) return;
    Drain();
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    changed.notify_all();
    for (auto& slot : slots) {
      if (slot->thread.joinable()) slot->thread.join();
    }
  }
};

// Values go into the report in registry order, whoever measured them.
void Scorer::Impl::Collect(std::vector<FrameValues>& frame_values) {
  for (size_t i = 0; i < metrics.size(); ++i) {
    const auto& v = frame_values[i].values();
    for (size_t k = 0; k < v.size(); ++k) {
      report->values[first_column[i] + k].push_back(v[k]);
    }
    if (static_cast<int>(i) == faces_from) {
      report->faces.push_back(std::move(frame_values[i].faces()));
    }
  }
}

void Scorer::Impl::MeasureSlot(FrameSlot& slot) {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return slot.full || stop; });
      if (!slot.full) return;  // stopped, and no frame left
    }
    slot.analysis.Begin(slot.frame, stream.scale, slot.seq);
    slot.analysis.Prepare(needs);
    RunMetrics(*slot.pool, slot.order, slot.metrics, slot.analysis, slot.values,
               slot.seconds);
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return turn == slot.seq; });
    }
    // This frame's turn: every earlier frame is in the report, and no
    // other slot touches the temporal metrics or the report until turn
    // moves on (the mutex orders their calls across threads).
    RunMetrics(*slot.pool, temporal, slot.metrics, slot.analysis, slot.values,
               temporal_seconds);
    Collect(slot.values);
    if (tile_map) {
      tile_map->Add(slot.analysis.noise_sigma().value_or(0.0),
                    slot.analysis.detail_tiles());
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      slot.full = false;
      ++turn;
    }
    changed.notify_all();
  }
}

Result<std::unique_ptr<Scorer>> Scorer::Create(const ScorerOptions& options) {
  std::unique_ptr<Scorer> s(new Scorer());
  s->impl_ = std::make_unique<Impl>();
  Impl& impl = *s->impl_;
  for (const MetricEntry* e : options.metrics) {
    if (e->reports_faces)
      impl.faces_from = static_cast<int>(impl.metrics.size());
    impl.metrics.push_back(e->create());
    Status configured = impl.metrics.back()->Configure(options.metric_options);
    if (!configured.ok()) return configured;
    impl.values.emplace_back(e->outputs.size());
    impl.needs |= e->needs;
    impl.first_column.push_back(s->report_.metrics.size());
    for (const MetricInfo& info : e->outputs)
      s->report_.metrics.push_back(info);
  }
  s->report_.values.resize(s->report_.metrics.size());
  impl.report = &s->report_;
  for (auto& m : impl.metrics) impl.metric_ptrs.push_back(m.get());
  if (options.heatmap) {
    impl.tile_map.emplace();
    impl.needs |= kNeedNoise | kNeedDetailTiles;  // the tile map's inputs
  }
  if (options.metric_threads < 1 || options.metric_threads > 256) {
    return InvalidArgument(
        "metric threads: " + std::to_string(options.metric_threads) +
        " (need 1..256)");
  }
  if (options.frames_in_flight < 1 || options.frames_in_flight > 64) {
    return InvalidArgument(
        "frames in flight: " + std::to_string(options.frames_in_flight) +
        " (need 1..64)");
  }
  const int threads = std::min<int>(options.metric_threads,
                                    static_cast<int>(impl.metrics.size()));
  impl.pool = std::make_unique<ForkJoin>(threads);
  impl.seconds.assign(impl.metrics.size(), 0.0);
  impl.order.resize(impl.metrics.size());
  std::iota(impl.order.begin(), impl.order.end(), size_t{0});
  if (options.frames_in_flight > 1) {
    for (size_t i = 0; i < options.metrics.size(); ++i) {
      if (options.metrics[i]->temporal) impl.temporal.push_back(i);
    }
    impl.temporal_seconds.assign(impl.metrics.size(), 0.0);
    for (int k = 0; k < options.frames_in_flight; ++k) {
      auto slot = std::make_unique<FrameSlot>();
      for (size_t i = 0; i < options.metrics.size(); ++i) {
        const MetricEntry* e = options.metrics[i];
        slot->values.emplace_back(e->outputs.size());
        if (e->temporal) {
          slot->own.emplace_back();
          slot->metrics.push_back(impl.metrics[i].get());
          continue;
        }
        slot->own.push_back(e->create());
        Status configured = slot->own.back()->Configure(options.metric_options);
        if (!configured.ok()) return configured;
        slot->metrics.push_back(slot->own.back().get());
        slot->order.push_back(i);
      }
      slot->seconds.assign(impl.metrics.size(), 0.0);
      slot->pool = std::make_unique<ForkJoin>(threads);
      impl.slots.push_back(std::move(slot));
    }
  }
  return s;
}

// The slots' threads write into report_, which dies before impl_: they stop
// first.
Scorer::~Scorer() {
  if (impl_) impl_->StopSlots();
}

Status Scorer::Start(const StreamInfo& stream) {
  if (impl_->started) return Internal("Scorer::Start called twice");
  if (stream.width <= 0 || stream.height <= 0 || stream.bit_depth < 8 ||
      stream.bit_depth > 16) {
    return InvalidArgument("stream of " + std::to_string(stream.width) + "x" +
                           std::to_string(stream.height) + ", " +
                           std::to_string(stream.bit_depth) +
                           "-bit: need a size > 0 and 8..16 bits");
  }
  for (auto& m : impl_->metrics) ACUITY_RETURN_IF_ERROR(m->Init(stream));
  for (auto& slot : impl_->slots) {
    for (auto& m : slot->own) {
      if (m) ACUITY_RETURN_IF_ERROR(m->Init(stream));
    }
  }
  if (impl_->tile_map) impl_->tile_map->Init(stream);
  impl_->stream = stream;
  impl_->started = true;
  for (auto& slot : impl_->slots) {
    FrameSlot* measured = slot.get();
    slot->thread =
        std::thread([this, measured] { impl_->MeasureSlot(*measured); });
  }
  return Status::Ok();
}

namespace {

bool PlaneMatches(const PlaneView& p, int width, int height, int bit_depth) {
  return !p.empty() && p.width == width && p.height == height &&
         p.bit_depth == bit_depth &&
         p.stride >= static_cast<ptrdiff_t>(width) * p.bytes_per_sample();
}

}  // namespace

Status Scorer::Push(const Frame& frame, std::string file) {
  if (cancelled()) return Cancelled("cancelled");
  if (!impl_->started) return Internal("Scorer::Push before Start");
  if (impl_->finished) return Internal("Scorer::Push after Finish");
  const StreamInfo& st = impl_->stream;
  bool fits = PlaneMatches(frame.y, st.width, st.height, st.bit_depth);
  if (st.has_chroma) {
    const int cw =
        (st.width + (1 << st.chroma_shift_x) - 1) >> st.chroma_shift_x;
    const int ch =
        (st.height + (1 << st.chroma_shift_y) - 1) >> st.chroma_shift_y;
    fits = fits && PlaneMatches(frame.u, cw, ch, st.bit_depth) &&
           PlaneMatches(frame.v, cw, ch, st.bit_depth);
  }
  if (!fits) {
    return InvalidArgument(
        "frame " + std::to_string(report_.frames.size()) + " is " +
        std::to_string(frame.y.width) + "x" + std::to_string(frame.y.height) +
        " " + std::to_string(frame.y.bit_depth) + "-bit" +
        (frame.u.empty() ? " gray" : "") + ", not " + std::to_string(st.width) +
        "x" + std::to_string(st.height) + " " + std::to_string(st.bit_depth) +
        "-bit" + (st.has_chroma ? "" : " gray") +
        " like the stream: a clip is one size and format");
  }
  report_.frames.push_back(
      {frame.index, frame.pts_seconds, frame.key_frame, std::move(file)});
  Impl& impl = *impl_;
  if (!impl.slots.empty()) return PushInFlight(frame);
  impl.analysis.Begin(frame, st.scale,
                      static_cast<int64_t>(report_.frames.size()) - 1);
  impl.analysis.Prepare(impl.needs);
  RunMetrics(*impl.pool, impl.order, impl.metric_ptrs, impl.analysis,
             impl.values, impl.seconds);
  impl.Collect(impl.values);
  if (impl.tile_map) {
    impl.tile_map->Add(impl.analysis.noise_sigma().value_or(0.0),
                       impl.analysis.detail_tiles());
  }
  return Status::Ok();
}

Status Scorer::PushInFlight(const Frame& frame) {
  Impl& impl = *impl_;
  FrameSlot& slot =
      *impl.slots[static_cast<size_t>(impl.pushed) % impl.slots.size()];
  {
    // Free once the frame N pushes back is in the report.
    std::unique_lock<std::mutex> lock(impl.mu);
    impl.changed.wait(lock, [&] { return !slot.full; });
  }
  slot.frame = frame;
  slot.frame.y = CopyPlane(frame.y, slot.planes[0]);
  slot.frame.u = CopyPlane(frame.u, slot.planes[1]);
  slot.frame.v = CopyPlane(frame.v, slot.planes[2]);
  slot.motion_vectors.assign(frame.motion_vectors.begin(),
                             frame.motion_vectors.end());
  slot.frame.motion_vectors = slot.motion_vectors;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    slot.seq = impl.pushed++;
    slot.full = true;
  }
  impl.changed.notify_all();
  return Status::Ok();
}

Result<VideoReport> Scorer::Finish(const VideoInfo& video) {
  if (!impl_->slots.empty()) impl_->Drain();
  if (cancelled()) return Cancelled("cancelled");
  if (impl_->finished) return Internal("Scorer::Finish called twice");
  if (report_.frames.empty()) return InvalidArgument("no frame was scored");
  impl_->finished = true;
  VideoReport report = std::move(report_);
  report_ = VideoReport{};
  report_.metrics = report.metrics;
  report.video = video;
  std::vector<double> times;
  times.reserve(report.frames.size());
  for (const FrameRecord& f : report.frames) times.push_back(f.pts);
  for (const auto& column : report.values) {
    report.summary.push_back(Summarize(column, times));
  }
  if (impl_->tile_map) report.heatmap = impl_->tile_map->Finish(report.frames);
  return report;
}

}  // namespace acuity
