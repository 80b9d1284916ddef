// edge_width_px family on a 1080p 8-bit luma plane: the two kernels per
// SIMD target and their reference twins, and the whole per-frame analysis
// (kernels + scalar walks) at several row steps.
//
// Planes (decoded once with ffmpeg, as metrics_bench.cc does):
//  - testsrc2+noise: lavfi testsrc2 1920x1080 with noise=alls=3 (dense
//    synthetic edges and text; the frame metrics_bench.cc uses).
//  - photo: building.jpg from opencv-doc scaled to 1920x1080 (natural
//    content); skipped when the file is missing.
// Run: acuity_kernels_bench --benchmark_filter=Edge
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "acuity/frame.h"
#include "kernels/edge.h"
#include "kernels/targets.h"
#include "metrics/edges.h"

namespace acuity {
namespace {

constexpr int kW = 1920, kH = 1080;

// Luma of the first frame ffmpeg makes from `input`, or empty on failure.
std::vector<uint8_t> DecodeLuma(const std::string& input) {
  std::vector<uint8_t> buf(kW * kH);
  const std::string cmd =
      "ffmpeg -nostdin -v error " + input + " -vf scale=" + std::to_string(kW) +
      ":" + std::to_string(kH) + ",format=gray -frames:v 1 -f rawvideo -";
  FILE* p = popen(cmd.c_str(), "r");
  const size_t got = p ? fread(buf.data(), 1, buf.size(), p) : 0;
  if (p) pclose(p);
  if (got != buf.size()) buf.clear();
  return buf;
}

const std::vector<uint8_t>& Synthetic() {
  static const std::vector<uint8_t> y =
      DecodeLuma("-f lavfi -i testsrc2=s=1920x1080:r=30,noise=alls=3:allf=t");
  return y;
}

const std::vector<uint8_t>& Photo() {
  static const std::vector<uint8_t> y = [] {
    const std::string path =
        "/usr/share/doc/opencv-doc/examples/data/building.jpg";
    if (::access(path.c_str(), R_OK) != 0) return std::vector<uint8_t>();
    return DecodeLuma("-i " + path);
  }();
  return y;
}

PlaneView View(const std::vector<uint8_t>& y) {
  return {y.data(), kW, kW, kH, 8};
}

// False (and the benchmark marked as failed) when ffmpeg could not make the
// plane.
bool Have(benchmark::State& state, const std::vector<uint8_t>& y) {
  if (!y.empty()) return true;
  state.SkipWithError("no input plane (ffmpeg or the photo missing)");
  return false;
}

void BM_StatsOnTarget(benchmark::State& state, int64_t target) {
  if (!Have(state, Synthetic())) return;
  const PlaneView v = View(Synthetic());
  for (auto _ : state) {
    benchmark::DoNotOptimize(kernels::ComputeSobelStatsOnTarget(
        target, v, metrics::kEdgeStatsRowStep));
  }
}

void BM_StatsReference(benchmark::State& state) {
  if (!Have(state, Synthetic())) return;
  const PlaneView v = View(Synthetic());
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        kernels::ComputeSobelStatsReference(v, metrics::kEdgeStatsRowStep));
  }
}

// Threshold of the metric on this plane.
uint32_t Threshold(const PlaneView& v) {
  metrics::EdgeAnalyzer a;
  return a.Analyse(v, LumaScale{}).threshold;
}

void BM_CodesOnTarget(benchmark::State& state, int64_t target) {
  if (!Have(state, Synthetic())) return;
  const PlaneView v = View(Synthetic());
  const int row_step = static_cast<int>(state.range(0));
  const uint32_t t = Threshold(v);
  const int rows = kernels::EdgeCodeRows(kH, row_step);
  const int words = kernels::EdgeMaskWords(kW);
  std::vector<uint8_t> codes(static_cast<size_t>(rows) * kW);
  std::vector<uint64_t> masks(static_cast<size_t>(rows) * words);
  for (auto _ : state) {
    kernels::ComputeEdgeCodesOnTarget(target, v, row_step, t, codes.data(), kW,
                                      masks.data(), words);
    benchmark::DoNotOptimize(codes.data());
  }
}

void BM_CodesReference(benchmark::State& state) {
  if (!Have(state, Synthetic())) return;
  const PlaneView v = View(Synthetic());
  const int row_step = static_cast<int>(state.range(0));
  const uint32_t t = Threshold(v);
  const int rows = kernels::EdgeCodeRows(kH, row_step);
  const int words = kernels::EdgeMaskWords(kW);
  std::vector<uint8_t> codes(static_cast<size_t>(rows) * kW);
  std::vector<uint64_t> masks(static_cast<size_t>(rows) * words);
  for (auto _ : state) {
    kernels::ComputeEdgeCodesReference(v, row_step, t, codes.data(), kW,
                                       masks.data(), words);
    benchmark::DoNotOptimize(codes.data());
  }
}

// The whole per-frame analysis (dispatched kernels + walks + pooling).
void BM_Analyse(benchmark::State& state, const std::vector<uint8_t>* y) {
  if (!Have(state, *y)) return;
  const PlaneView v = View(*y);
  const int row_step = static_cast<int>(state.range(0));
  metrics::EdgeSampling sampling;
  sampling.row_step = row_step;
  sampling.max_walks = state.range(1);
  metrics::EdgeAnalyzer a;
  metrics::EdgeFrameResult r;
  for (auto _ : state) {
    r = a.Analyse(v, LumaScale{}, sampling);
    benchmark::DoNotOptimize(r);
  }
  state.counters["edges"] = static_cast<double>(r.edges);
  state.counters["candidates"] = static_cast<double>(r.candidates);
  state.counters["walked"] = static_cast<double>(r.walked);
  state.counters["step_edges"] = static_cast<double>(r.step_edges);
}

const bool kRegistered = [] {
  const auto us = benchmark::kMicrosecond;
  for (int64_t t : kernels::CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("EdgeSobelStats8/1080p/" + std::string(kernels::TargetName(t)))
            .c_str(),
        BM_StatsOnTarget, t)
        ->Unit(us);
  }
  benchmark::RegisterBenchmark("EdgeSobelStats8/1080p/reference",
                               BM_StatsReference)
      ->Unit(us);
  for (int64_t t : kernels::CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("EdgeCodes8/1080p/" + std::string(kernels::TargetName(t)) +
         "/row_step")
            .c_str(),
        BM_CodesOnTarget, t)
        ->Arg(1)
        ->Arg(4)
        ->Unit(us);
  }
  benchmark::RegisterBenchmark("EdgeCodes8/1080p/reference/row_step",
                               BM_CodesReference)
      ->Arg(4)
      ->Unit(us);
  // Args: row step, walk cap (0: every edge). {4, kMaxWalks} is production.
  for (const auto& [name, plane] : {std::pair{"testsrc2+noise", &Synthetic()},
                                    std::pair{"photo", &Photo()}}) {
    benchmark::RegisterBenchmark(
        ("EdgeAnalyse8/1080p/" + std::string(name) + "/row_step/max_walks")
            .c_str(),
        BM_Analyse, plane)
        ->Args({1, 0})
        ->Args({4, 0})
        ->Args({4, metrics::kMaxWalks})
        ->Args({2, metrics::kMaxWalks})
        ->Unit(us);
  }
  return true;
}();

}  // namespace
}  // namespace acuity
