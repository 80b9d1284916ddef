// Helpers shared by the bench/*_bench.cc files.
#ifndef ACUITY_BENCH_BENCH_UTIL_H_
#define ACUITY_BENCH_BENCH_UTIL_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "acuity/plane.h"
#include "kernels/targets.h"
#include "metrics/frame_analysis.h"

namespace acuity::bench {

// A 1920x1080 plane of smoothed noise stretched to the full range plus fine
// noise (gradients, edges and texture, like decoded video), CV_8U or CV_16U
// (10-bit values), in a padded buffer (stride > width) as decoders deliver.
// `seed` picks the noise (each bench file keeps the one it was measured with).
inline cv::Mat TextureContent(int depth, uint64_t seed = 777) {
  const double max = depth == CV_8U ? 255.0 : 1023.0;
  cv::Mat noise(1080, 1920, CV_32F);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::UNIFORM, 0.0, max);
  cv::Mat smooth;
  cv::GaussianBlur(noise, smooth, cv::Size(0, 0), 2.0);
  cv::normalize(smooth, smooth, 0.0, max, cv::NORM_MINMAX);
  cv::Mat fine(1080, 1920, CV_32F);
  rng.fill(fine, cv::RNG::NORMAL, 0.0, max / 128.0);
  smooth += fine;
  cv::Mat padded(1080, 1920 + 64, depth, cv::Scalar(0));
  cv::Mat roi = padded(cv::Rect(0, 0, 1920, 1080));
  smooth.convertTo(roi, depth);
  return roi;
}

// The runs of a kernel benchmark: (name, target) for every compiled SIMD
// target, then the dispatched entry (target 0, named after the target it
// picks) and the plain C++ reference (target -1).
inline std::vector<std::pair<std::string, int64_t>> KernelRuns() {
  std::vector<std::pair<std::string, int64_t>> runs;
  for (int64_t t : kernels::CompiledTargets()) {
    runs.emplace_back(kernels::TargetName(t), t);
  }
  runs.emplace_back(
      std::string("dispatched(") + kernels::ActiveSimdTarget() + ")", 0);
  runs.emplace_back("reference", -1);
  return runs;
}

// Items per second = samples of `v` per second.
inline void SetItems(benchmark::State& state, const PlaneView& v) {
  state.SetItemsProcessed(state.iterations() * int64_t{v.width} * v.height);
}

// Times the registry entry that computes output `key` (any of its keys:
// noise_sigma is laplacian_var's entry) on the luma plane `y` (8-bit
// limited range), as the pipeline calls it: its shared products and
// Process() per iteration. Items processed: the plane's samples.
inline void EntryBenchmark(benchmark::State& state, const std::string& key,
                           const PlaneView& y) {
  const MetricEntry* entry = nullptr;
  for (const MetricEntry& e : MetricRegistry()) {
    for (const MetricInfo& o : e.outputs) {
      if (o.key == key) entry = &e;
    }
  }
  if (entry == nullptr) {
    state.SkipWithError("metric not in the registry");
    return;
  }
  auto metric = entry->create();
  StreamInfo info;
  info.width = y.width;
  info.height = y.height;
  info.scale = LumaScale::For(8, ColorRange::kLimited);
  if (!metric->Configure(MetricOptions{}).ok() || !metric->Init(info).ok()) {
    state.SkipWithError("Init failed");
    return;
  }
  Frame frame;
  frame.y = y;
  FrameValues out(entry->outputs.size());
  for (auto _ : state) {
    out.Clear();
    ProcessFrame(*metric, frame, info.scale, out, entry->needs);
    benchmark::DoNotOptimize(out.values().data());
  }
  SetItems(state, y);
}

// The first `bytes` of raw video that `ffmpeg -nostdin -v error ARGS -`
// writes to stdout (ARGS ends with the output options, e.g. "-frames:v 1
// -f rawvideo -pix_fmt yuv420p"); empty when ffmpeg fails or writes less.
inline std::vector<uint8_t> FfmpegRaw(const std::string& args, size_t bytes) {
  std::vector<uint8_t> buf(bytes);
  const std::string cmd = "ffmpeg -nostdin -v error " + args + " -";
  FILE* p = popen(cmd.c_str(), "r");
  const size_t got = p ? fread(buf.data(), 1, buf.size(), p) : 0;
  if (p) pclose(p);
  if (got != buf.size()) {
    std::fprintf(stderr, "bench: ffmpeg could not make the frame (%s)\n",
                 cmd.c_str());
    buf.clear();
  }
  return buf;
}

}  // namespace acuity::bench

#endif  // ACUITY_BENCH_BENCH_UTIL_H_
