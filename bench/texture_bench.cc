// Benchmarks of the Sobel and noise-block kernels (kernels/sobel.h) on a
// 1920x1080 plane of realistic content, per compiled Highway target, the
// dispatched entry and the plain reference; OpenCV's Sobel as the obvious
// way to get gradient_energy; and the two registry entries (gradient_energy,
// noise_sigma) whole, as the pipeline calls them per frame.
//
// Run: build/bench/acuity_kernels_bench
//   --benchmark_filter='SobelMoments|TileMoments|NoiseBlocks|TextureEntry'
#include <benchmark/benchmark.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "acuity/plane.h"
#include "kernels/sobel.h"
#include "bench_util.h"
#include "kernels/targets.h"
#include "kernels/tile_moments.h"
#include "metrics/cv_plane.h"
#include "metrics/frame_analysis.h"

namespace acuity::kernels {
namespace {

const cv::Mat* Content(int bits) {
  static const cv::Mat p8 = bench::TextureContent(CV_8U);
  static const cv::Mat p10 = bench::TextureContent(CV_16U);
  return bits == 8 ? &p8 : &p10;
}

PlaneView ViewOf(const cv::Mat& img, int bits) {
  return metrics::PlaneOf(img, bits);
}

using bench::SetItems;

// target 0: the dispatched entry; -1: the reference.
void BM_SobelMoments(benchmark::State& state, int64_t target, int bits) {
  const PlaneView v = ViewOf(*Content(bits), bits);
  for (auto _ : state) {
    if (target == 0) {
      benchmark::DoNotOptimize(ComputeSobelMoments(v));
    } else if (target < 0) {
      benchmark::DoNotOptimize(ComputeSobelMomentsReference(v));
    } else {
      benchmark::DoNotOptimize(ComputeSobelMomentsOnTarget(target, v));
    }
  }
  SetItems(state, v);
}

// The fused tile kernel (kernels/tile_moments.h) on detail_scale_px's
// 16 x 9 grid: what FrameAnalysis runs once for detail_scale_px,
// laplacian_var and gradient_energy.
void BM_TileMoments(benchmark::State& state, int64_t target, int bits) {
  const PlaneView v = ViewOf(*Content(bits), bits);
  std::vector<TileMoments> tiles;
  MagnitudeSums mag;
  for (auto _ : state) {
    if (target == 0) {
      ComputeTileMoments(v, 16, 9, &tiles, &mag);
    } else if (target == -2) {
      // What the fused pass replaces: the separate dispatched kernels on
      // every tile, then the whole plane's Sobel and Laplacian moments.
      ComposeTileMoments(v, 16, 9, ComputeLaplacianMoments, ComputeSobelMoments,
                         &tiles, &mag);
      benchmark::DoNotOptimize(ComputeLaplacianMoments(v));
    } else if (target < 0) {
      ComputeTileMomentsReference(v, 16, 9, &tiles, &mag);
    } else {
      ComputeTileMomentsOnTarget(target, v, 16, 9, &tiles, &mag);
    }
    benchmark::DoNotOptimize(tiles.data());
  }
  SetItems(state, v);
}

void BM_NoiseBlocks(benchmark::State& state, int64_t target, int bits) {
  const PlaneView v = ViewOf(*Content(bits), bits);
  const int row_step = static_cast<int>(state.range(0));
  std::vector<NoiseBlock> blocks;
  for (auto _ : state) {
    if (target == 0) {
      ComputeNoiseBlocks(v, row_step, &blocks);
    } else if (target < 0) {
      ComputeNoiseBlocksReference(v, row_step, &blocks);
    } else {
      ComputeNoiseBlocksOnTarget(target, v, row_step, &blocks);
    }
    benchmark::DoNotOptimize(blocks.data());
  }
  SetItems(state, v);
}

// gradient_energy the obvious way: two float64 Sobel images and a mean.
void BM_OpenCvSobel64F(benchmark::State& state) {
  const cv::Mat& img = *Content(8);
  cv::Mat dx, dy;
  for (auto _ : state) {
    cv::Sobel(img, dx, CV_64F, 1, 0, 3);
    cv::Sobel(img, dy, CV_64F, 0, 1, 3);
    benchmark::DoNotOptimize(dx.dot(dx) + dy.dot(dy));
  }
  SetItems(state, ViewOf(img, 8));
}

// A whole registry entry (kernels plus the metric's own work) on one
// 1080p 8-bit limited-range frame, as the pipeline calls it.
void BM_Entry(benchmark::State& state, const char* name) {
  bench::EntryBenchmark(state, name, ViewOf(*Content(8), 8));
}

const bool kRegistered = [] {
  const auto us = benchmark::kMicrosecond;
  for (int bits : {8, 10}) {
    const std::string depth = std::to_string(bits);
    const auto runs = bench::KernelRuns();
    benchmark::RegisterBenchmark(
        ("TileMoments" + depth + "/1080p/separate_kernels").c_str(),
        BM_TileMoments, int64_t{-2}, bits)
        ->Unit(us);
    for (const auto& [name, target] : runs) {
      benchmark::RegisterBenchmark(
          ("SobelMoments" + depth + "/1080p/" + name).c_str(), BM_SobelMoments,
          target, bits)
          ->Unit(us);
      benchmark::RegisterBenchmark(
          ("TileMoments" + depth + "/1080p/" + name).c_str(), BM_TileMoments,
          target, bits)
          ->Unit(us);
      benchmark::RegisterBenchmark(
          ("NoiseBlocks" + depth + "/1080p/" + name + "/row_step").c_str(),
          BM_NoiseBlocks, target, bits)
          ->Arg(1)
          ->Arg(3)  // what noise_sigma uses at 1080p (metrics/noise.h)
          ->Unit(us);
    }
  }
  benchmark::RegisterBenchmark("OpenCvSobel64F8/1080p", BM_OpenCvSobel64F)
      ->Unit(us);
  for (const char* name : {"gradient_energy", "noise_sigma"}) {
    benchmark::RegisterBenchmark(
        (std::string("TextureEntry8/1080p/") + name).c_str(), BM_Entry, name)
        ->Unit(us);
  }
  return true;
}();

}  // namespace
}  // namespace acuity::kernels
