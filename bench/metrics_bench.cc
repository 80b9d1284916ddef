// Per-metric cost on one 1080p frame, through the registry: every entry's
// Metric::Process on the same decoded picture, as production calls it, plus
// the whole default set in one go. The kernels' own benchmarks (per SIMD
// target vs the reference twin) are in the other bench/*_bench.cc files.
//
// The frame: the first picture of scripts/bench's clip when it exists
// (build/bench/testsrc2_noise_1080p30_20s_crf20_g60_sc0.mp4, H.264-decoded),
// otherwise the same lavfi source generated raw. Either way it is 1920x1080
// yuv420p limited range, the common case for downloaded video.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "bench_util.h"
#include "metrics/frame_analysis.h"

namespace acuity {
namespace {

constexpr int kW = 1920, kH = 1080;

const std::vector<uint8_t>& Picture() {
  static const std::vector<uint8_t> pic = [] {
    const std::string clip =
        std::string(ACUITY_BINARY_DIR) +
        "/bench/testsrc2_noise_1080p30_20s_crf20_g60_sc0.mp4";
    const std::string input =
        ::access(clip.c_str(), R_OK) == 0
            ? "-i '" + clip + "'"
            : "-f lavfi -i testsrc2=s=1920x1080:r=30,noise=alls=3:allf=t";
    std::vector<uint8_t> buf = bench::FfmpegRaw(
        input + " -frames:v 1 -f rawvideo -pix_fmt yuv420p", kW * kH * 3 / 2);
    if (buf.empty()) std::exit(1);
    return buf;
  }();
  return pic;
}

Frame MakeFrame() {
  const uint8_t* base = Picture().data();
  Frame f;
  f.y = {base, kW, kW, kH, 8};
  f.u = {base + kW * kH, kW / 2, kW / 2, kH / 2, 8};
  f.v = {base + kW * kH * 5 / 4, kW / 2, kW / 2, kH / 2, 8};
  return f;
}

StreamInfo Info() {
  StreamInfo info;
  info.width = kW;
  info.height = kH;
  info.bit_depth = 8;
  info.range = ColorRange::kLimited;
  info.scale = LumaScale::For(8, ColorRange::kLimited);
  info.fps = 30;
  return info;
}

void BM_Entries(benchmark::State& state,
                std::vector<const MetricEntry*> entries) {
  std::vector<std::unique_ptr<Metric>> metrics;
  std::vector<FrameValues> values;
  for (const MetricEntry* e : entries) {
    metrics.push_back(e->create());
    if (!metrics.back()->Configure(MetricOptions{}).ok() ||
        !metrics.back()->Init(Info()).ok()) {
      state.SkipWithError(("Init failed: " + e->name).c_str());
      return;
    }
    values.emplace_back(e->outputs.size());
  }
  // As the pipeline runs them: the shared products of the frame first
  // (timed: they are part of the entries' cost), then the metrics.
  unsigned needs = 0;
  for (const MetricEntry* e : entries) needs |= e->needs;
  const StreamInfo info = Info();
  FrameAnalysis analysis;
  Frame frame = MakeFrame();
  for (auto _ : state) {
    analysis.Begin(frame, info.scale);
    analysis.Prepare(needs);
    for (size_t i = 0; i < metrics.size(); ++i) {
      values[i].Clear();
      metrics[i]->Process(analysis, values[i]);
      benchmark::DoNotOptimize(values[i].values().data());
    }
    ++frame.index;
    frame.pts_seconds = frame.index / 30.0;
  }
}

const bool kRegistered = [] {
  std::vector<const MetricEntry*> defaults;
  for (const MetricEntry& e : MetricRegistry()) {
    benchmark::RegisterBenchmark(("Metric/1080p/" + e.name).c_str(), BM_Entries,
                                 std::vector<const MetricEntry*>{&e})
        ->Unit(benchmark::kMicrosecond);
    if (e.in_default_set) defaults.push_back(&e);
  }
  benchmark::RegisterBenchmark("Metric/1080p/default_set", BM_Entries, defaults)
      ->Unit(benchmark::kMicrosecond);
  return true;
}();

}  // namespace
}  // namespace acuity
