// The heatmap's tile map on a 1080p 8-bit frame (luma of lavfi testsrc2):
// TileMapAccumulator::Add (144 tiles of the dispatched Laplacian kernel plus
// pooling) against one whole-frame Laplacian pass, and drawing the PNG.
// Run: acuity_kernels_bench --benchmark_filter=Heatmap
#include <benchmark/benchmark.h>

#include <cstdio>
#include <vector>

#include "bench_util.h"
#include "kernels/laplacian.h"
#include "pipeline/heatmap.h"

namespace acuity {
namespace {

constexpr int kW = 1920, kH = 1080;

const std::vector<uint8_t>& Luma() {
  static const std::vector<uint8_t> y = bench::FfmpegRaw(
      "-f lavfi -i testsrc2=s=1920x1080 -vf format=gray -frames:v 1 -f "
      "rawvideo",
      kW * kH);
  return y;
}

void BM_HeatmapTileMapAdd(benchmark::State& state) {
  if (Luma().empty()) {
    state.SkipWithError("ffmpeg could not make the plane");
    return;
  }
  StreamInfo info;
  info.width = kW;
  info.height = kH;
  info.scale = LumaScale::For(8, ColorRange::kLimited);
  TileMapAccumulator acc;
  acc.Init(info);
  Frame f;
  f.y = {Luma().data(), kW, kW, kH, 8};
  for (auto _ : state) acc.Add(f);
}

void BM_HeatmapWholeFrameLaplacian(benchmark::State& state) {
  if (Luma().empty()) {
    state.SkipWithError("ffmpeg could not make the plane");
    return;
  }
  const PlaneView v{Luma().data(), kW, kW, kH, 8};
  for (auto _ : state) {
    benchmark::DoNotOptimize(kernels::ComputeLaplacianMoments(v));
  }
}

void BM_HeatmapRender(benchmark::State& state) {
  Picture frame;
  frame.width = kW;
  frame.height = kH;
  frame.bgr.assign(static_cast<size_t>(kW) * kH * 3, 100);
  Heatmap map;
  HeatmapGrid(kW, kH, &map.cols, &map.rows);
  map.width = kW;
  map.height = kH;
  map.frames = 1;
  for (int i = 0; i < map.cols * map.rows; ++i) {
    if (i % 7 == 0) {
      map.values.emplace_back();
    } else {
      map.values.emplace_back(10.0 * (i + 1));
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(RenderHeatmap(frame, map));
}

static const bool kRegistered = [] {
  benchmark::RegisterBenchmark("HeatmapTileMapAdd/1080p", BM_HeatmapTileMapAdd)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("HeatmapWholeFrameLaplacian/1080p",
                               BM_HeatmapWholeFrameLaplacian)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("HeatmapRender/1080p", BM_HeatmapRender)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace acuity
