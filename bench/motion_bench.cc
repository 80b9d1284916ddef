// motion_mean family on 1080p 8-bit luma: ComputeMotion per SIMD target and
// its reference twin, with a previous frame (the steady state) and without
// (the first frame), the blur pyramid of motion_blur, plus the whole metric
// (kernels + copy of the plane).
// Planes: two consecutive frames of lavfi testsrc2 1920x1080 (moving).
// Run: acuity_kernels_bench --benchmark_filter=Motion
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "kernels/motion.h"
#include "kernels/targets.h"
#include "metrics/frame_analysis.h"
#include "metrics/motion.h"

namespace acuity {
namespace {

constexpr int kW = 1920, kH = 1080;

// Luma of the first two frames of testsrc2, or empty on failure.
const std::vector<uint8_t>& Frames() {
  static const std::vector<uint8_t> y = [] {
    std::vector<uint8_t> buf(2 * kW * kH);
    FILE* p = popen(
        "ffmpeg -nostdin -v error -f lavfi -i testsrc2=s=1920x1080:r=25 "
        "-vf format=gray -frames:v 2 -f rawvideo -",
        "r");
    const size_t got = p ? fread(buf.data(), 1, buf.size(), p) : 0;
    if (p) pclose(p);
    if (got != buf.size()) buf.clear();
    return buf;
  }();
  return y;
}

PlaneView View(int frame) {
  return {Frames().data() + static_cast<size_t>(frame) * kW * kH, kW, kW, kH,
          8};
}

template <class F>
void Run(benchmark::State& state, bool with_prev, F kernel) {
  if (Frames().empty()) {
    state.SkipWithError("ffmpeg could not make the planes");
    return;
  }
  kernels::MotionSums sums;
  std::vector<kernels::MotionBlock> blocks;
  const PlaneView cur = View(1);
  const PlaneView prev = with_prev ? View(0) : PlaneView{};
  for (auto _ : state) {
    kernel(cur, prev, nullptr, &sums, &blocks);
    benchmark::DoNotOptimize(sums);
  }
}

void BM_MotionMetric(benchmark::State& state) {
  if (Frames().empty()) {
    state.SkipWithError("ffmpeg could not make the planes");
    return;
  }
  const MetricEntry* entry = nullptr;
  for (const MetricEntry& e : MetricRegistry()) {
    if (e.name == "motion_mean") entry = &e;
  }
  auto m = entry->create();
  StreamInfo info;
  info.width = kW;
  info.height = kH;
  (void)m->Init(info);
  FrameValues out(entry->outputs.size());
  int i = 0;
  for (auto _ : state) {
    Frame f;
    f.y = View(i++ & 1);
    out.Clear();
    ProcessFrame(*m, f, info.scale, out, entry->needs);
    benchmark::DoNotOptimize(out);
  }
}

// The blur pyramid behind motion_blur (levels 2..16 px and their tensors).
template <class F>
void RunPyramid(benchmark::State& state, F kernel) {
  if (Frames().empty()) {
    state.SkipWithError("ffmpeg could not make the planes");
    return;
  }
  kernels::BlurPyramid p;
  std::vector<uint16_t> scratch;
  for (auto _ : state) {
    kernel(View(1), &scratch, &p);
    benchmark::DoNotOptimize(p);
  }
}

const bool kRegistered = [] {
  for (int64_t target : kernels::CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("BM_BlurPyramidOnTarget/" + std::string(kernels::TargetName(target)))
            .c_str(),
        [target](benchmark::State& s) {
          RunPyramid(s, [target](auto... a) {
            kernels::ComputeBlurPyramidOnTarget(target, a...);
          });
        })
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_BlurPyramidReference",
                               [](benchmark::State& s) {
                                 RunPyramid(s, [](auto... a) {
                                   kernels::ComputeBlurPyramidReference(a...);
                                 });
                               })
      ->Unit(benchmark::kMicrosecond);
  for (bool with_prev : {true, false}) {
    const std::string suffix = with_prev ? "" : "/first_frame";
    for (int64_t target : kernels::CompiledTargets()) {
      benchmark::RegisterBenchmark(
          ("BM_MotionOnTarget/" + std::string(kernels::TargetName(target)) +
           suffix)
              .c_str(),
          [target, with_prev](benchmark::State& s) {
            Run(s, with_prev, [target](auto... a) {
              kernels::ComputeMotionOnTarget(target, a...);
            });
          })
          ->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark(("BM_MotionReference" + suffix).c_str(),
                                 [with_prev](benchmark::State& s) {
                                   Run(s, with_prev, [](auto... a) {
                                     kernels::ComputeMotionReference(a...);
                                   });
                                 })
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_MotionMetric", BM_MotionMetric)
      ->Unit(benchmark::kMicrosecond);
  return true;
}();

}  // namespace
}  // namespace acuity
