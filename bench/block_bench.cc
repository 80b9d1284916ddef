// Benchmarks of the block kernels (kernels/block.h) on a 1920x1080 plane of
// realistic content, per compiled Highway target, the dispatched entry and
// the plain reference; and the registry entries that use them
// (laplacian_var with its laplacian_var_nc, blockiness) whole, as the
// pipeline calls them per frame.
//
// Run: build/bench/acuity_kernels_bench
//   --benchmark_filter='BlockSums4|GridDiffSums|BlockEntry'
#include <benchmark/benchmark.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "acuity/plane.h"
#include "kernels/block.h"
#include "kernels/targets.h"
#include "metrics/frame_analysis.h"
#include "metrics/laplacian_var.h"

namespace acuity::kernels {
namespace {

// Smoothed noise stretched to the full range plus fine noise, in a padded
// buffer (stride > width), as in texture_bench.cc.
cv::Mat MakeContent(int depth) {
  const double max = depth == CV_8U ? 255.0 : 1023.0;
  cv::Mat noise(1080, 1920, CV_32F);
  cv::RNG rng(777);
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

PlaneView Plane(int bits) {
  static const cv::Mat p8 = MakeContent(CV_8U);
  static const cv::Mat p10 = MakeContent(CV_16U);
  const cv::Mat& m = bits == 8 ? p8 : p10;
  PlaneView v;
  v.data = m.data;
  v.stride = static_cast<ptrdiff_t>(m.step[0]);
  v.width = m.cols;
  v.height = m.rows;
  v.bit_depth = bits;
  return v;
}

void Items(benchmark::State& state, const PlaneView& v) {
  state.SetItemsProcessed(state.iterations() * int64_t{v.width} * v.height);
}

// target 0: the dispatched entry; -1: the reference.
void BM_BlockSums4(benchmark::State& state, int64_t target, int bits) {
  const PlaneView v = Plane(bits);
  std::vector<uint32_t> sums;
  for (auto _ : state) {
    if (target == 0) {
      ComputeBlockSums4(v, &sums);
    } else if (target < 0) {
      ComputeBlockSums4Reference(v, &sums);
    } else {
      ComputeBlockSums4OnTarget(target, v, &sums);
    }
    benchmark::DoNotOptimize(sums.data());
  }
  Items(state, v);
}

void BM_GridDiffSums(benchmark::State& state, int64_t target, int bits) {
  const PlaneView v = Plane(bits);
  const uint32_t clip = bits == 8 ? 14 : 56;  // blockiness, limited range
  std::vector<uint16_t> scratch;
  for (auto _ : state) {
    if (target == 0) {
      benchmark::DoNotOptimize(ComputeGridDiffSums(v, clip, &scratch));
    } else if (target < 0) {
      benchmark::DoNotOptimize(ComputeGridDiffSumsReference(v, clip));
    } else {
      benchmark::DoNotOptimize(
          ComputeGridDiffSumsOnTarget(target, v, clip, &scratch));
    }
  }
  Items(state, v);
}

// The scalar part of laplacian_var_nc after the block sums: 2x2 cell boxes
// and the Laplacian variance over the 479x269 box grid.
void BM_CoarseLaplacianVar(benchmark::State& state) {
  const PlaneView v = Plane(8);
  std::vector<uint32_t> cells, boxes;
  ComputeBlockSums4(v, &cells);
  const LumaScale scale = LumaScale::For(8, ColorRange::kLimited);
  for (auto _ : state) {
    benchmark::DoNotOptimize(metrics::CoarseLaplacianVar(
        cells, v.width / 4, v.height / 4, scale, &boxes));
  }
  Items(state, v);
}

// A whole registry entry on one 1080p 8-bit limited-range frame.
void BM_Entry(benchmark::State& state, const char* name) {
  const PlaneView y = Plane(8);
  const MetricEntry* entry = nullptr;
  for (const MetricEntry& e : MetricRegistry()) {
    if (e.name == name) entry = &e;
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
  if (!metric->Init(info).ok()) state.SkipWithError("Init failed");
  Frame frame;
  frame.y = y;
  FrameValues out(entry->outputs.size());
  for (auto _ : state) {
    out.Clear();
    ProcessFrame(*metric, frame, info.scale, out, entry->needs);
    benchmark::DoNotOptimize(out.values().data());
  }
  Items(state, y);
}

const bool kRegistered = [] {
  const auto us = benchmark::kMicrosecond;
  for (int bits : {8, 10}) {
    const std::string depth = std::to_string(bits);
    std::vector<std::pair<std::string, int64_t>> runs;
    for (int64_t t : CompiledTargets()) runs.emplace_back(TargetName(t), t);
    runs.emplace_back(std::string("dispatched(") + ActiveSimdTarget() + ")", 0);
    runs.emplace_back("reference", -1);
    for (const auto& [name, target] : runs) {
      benchmark::RegisterBenchmark(
          ("BlockSums4_" + depth + "/1080p/" + name).c_str(), BM_BlockSums4,
          target, bits)
          ->Unit(us);
      benchmark::RegisterBenchmark(
          ("GridDiffSums" + depth + "/1080p/" + name).c_str(), BM_GridDiffSums,
          target, bits)
          ->Unit(us);
    }
  }
  benchmark::RegisterBenchmark("CoarseLaplacianVar8/1080p",
                               BM_CoarseLaplacianVar)
      ->Unit(us);
  for (const char* name : {"laplacian_var", "blockiness"}) {
    benchmark::RegisterBenchmark(
        (std::string("BlockEntry8/1080p/") + name).c_str(), BM_Entry, name)
        ->Unit(us);
  }
  return true;
}();

}  // namespace
}  // namespace acuity::kernels
