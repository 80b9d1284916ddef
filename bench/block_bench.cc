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
#include "bench_util.h"
#include "kernels/targets.h"
#include "metrics/cv_plane.h"
#include "metrics/frame_analysis.h"
#include "metrics/laplacian_var.h"

namespace acuity::kernels {
namespace {

PlaneView Plane(int bits) {
  static const cv::Mat p8 = bench::TextureContent(CV_8U);
  static const cv::Mat p10 = bench::TextureContent(CV_16U);
  return metrics::PlaneOf(bits == 8 ? p8 : p10, bits);
}

using bench::SetItems;

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
  SetItems(state, v);
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
  SetItems(state, v);
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
  SetItems(state, v);
}

// A whole registry entry on one 1080p 8-bit limited-range frame.
void BM_Entry(benchmark::State& state, const char* name) {
  bench::EntryBenchmark(state, name, Plane(8));
}

const bool kRegistered = [] {
  const auto us = benchmark::kMicrosecond;
  for (int bits : {8, 10}) {
    const std::string depth = std::to_string(bits);
    const auto runs = bench::KernelRuns();
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
