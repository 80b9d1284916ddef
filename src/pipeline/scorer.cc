// The streaming scorer: every selected metric on each pushed frame, in
// registry order, then the summary. ScoreVideo (score.cc) drives it from a
// decoder; library users and the Python module drive it from memory.
#include "acuity/scorer.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>
#include <utility>

#include "metrics/frame_analysis.h"
#include "pipeline/fork_join.h"
#include "pipeline/heatmap.h"

namespace acuity {

struct Scorer::Impl {
  std::vector<std::unique_ptr<Metric>> metrics;
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
};

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
  if (options.heatmap) {
    impl.tile_map.emplace();
    impl.needs |= kNeedNoise | kNeedDetailTiles;  // the tile map's inputs
  }
  if (options.metric_threads < 1 || options.metric_threads > 256) {
    return InvalidArgument(
        "metric threads: " + std::to_string(options.metric_threads) +
        " (need 1..256)");
  }
  const int threads = std::min<int>(options.metric_threads,
                                    static_cast<int>(impl.metrics.size()));
  impl.pool = std::make_unique<ForkJoin>(threads);
  impl.seconds.assign(impl.metrics.size(), 0.0);
  impl.order.resize(impl.metrics.size());
  std::iota(impl.order.begin(), impl.order.end(), size_t{0});
  return s;
}

Scorer::~Scorer() = default;

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
  if (impl_->tile_map) impl_->tile_map->Init(stream);
  impl_->stream = stream;
  impl_->started = true;
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
  impl.analysis.Begin(frame, st.scale);
  impl.analysis.Prepare(impl.needs);
  const bool timed = impl.pool->threads() > 1;
  impl.pool->Run(impl.order, [&](size_t i) {
    const auto t0 = timed ? std::chrono::steady_clock::now()
                          : std::chrono::steady_clock::time_point{};
    impl.values[i].Clear();
    impl.metrics[i]->Process(impl.analysis, impl.values[i]);
    if (timed) {
      impl.seconds[i] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count();
    }
  });
  if (timed) {
    std::stable_sort(
        impl.order.begin(), impl.order.end(),
        [&](size_t a, size_t b) { return impl.seconds[a] > impl.seconds[b]; });
  }
  // Values go into the report in registry order, whoever measured them.
  for (size_t i = 0; i < impl.metrics.size(); ++i) {
    const auto& v = impl.values[i].values();
    for (size_t k = 0; k < v.size(); ++k) {
      report_.values[impl.first_column[i] + k].push_back(v[k]);
    }
    if (static_cast<int>(i) == impl.faces_from) {
      report_.faces.push_back(std::move(impl.values[i].faces()));
    }
  }
  if (impl.tile_map) {
    impl.tile_map->Add(impl.analysis.noise_sigma().value_or(0.0),
                       impl.analysis.detail_tiles());
  }
  return Status::Ok();
}

Result<VideoReport> Scorer::Finish(const VideoInfo& video) {
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
