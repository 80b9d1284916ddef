// Kernel microbenchmarks on a 1920x1080 plane of realistic (smooth) content.
//
// Baselines: a plain scalar read of the plane (the floor for any one-pass
// kernel) and OpenCV's cv::Laplacian(CV_64F) + cv::meanStdDev (what a naive
// implementation of laplacian_var costs). Each Highway target compiled into
// the binary and supported by this CPU is benchmarked separately.
//
// Run: build/bench/acuity_kernels_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/plane.h"
#include "bench_util.h"
#include "kernels/laplacian.h"
#include "kernels/plane_stats.h"
#include "kernels/targets.h"
#include "metrics/cv_plane.h"

namespace acuity::kernels {
namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;

// Smoothed noise plus a little fine noise (bench_util.h): the Laplacian
// sees both flat gradients and texture, like decoded video.
cv::Mat MakeContent(int depth) { return bench::TextureContent(depth, 12345); }

const cv::Mat& Plane8() {
  static const cv::Mat img = MakeContent(CV_8U);
  return img;
}
const cv::Mat& Plane10() {
  static const cv::Mat img = MakeContent(CV_16U);
  return img;
}

PlaneView View(const cv::Mat& img) {
  return metrics::PlaneOf(img, img.depth() == CV_8U ? 8 : 10);
}

void SetPixels(benchmark::State& state, const PlaneView& v) {
  state.SetItemsProcessed(state.iterations() * int64_t{v.width} * v.height);
  state.SetBytesProcessed(state.iterations() * int64_t{v.width} * v.height *
                          v.bytes_per_sample());
}

// The floor: every byte read once, summed with plain scalar C++ into a
// uint64 (the compiler may vectorise it with baseline SSE2, as it would any
// loop; widening bytes to 64 bits makes that vectorisation poor).
void BM_PlainRead8(benchmark::State& state) {
  const PlaneView v = View(Plane8());
  for (auto _ : state) {
    uint64_t sum = 0;
    for (int y = 0; y < v.height; ++y) {
      const uint8_t* row = v.Row8(y);
      for (int x = 0; x < v.width; ++x) sum += row[x];
    }
    benchmark::DoNotOptimize(sum);
  }
  SetPixels(state, v);
}

// The same read with a uint32 sum per row (cheaper widening), which GCC
// vectorises better: a second, lower floor for scalar code.
void BM_PlainRead8RowU32(benchmark::State& state) {
  const PlaneView v = View(Plane8());
  for (auto _ : state) {
    uint64_t sum = 0;
    for (int y = 0; y < v.height; ++y) {
      const uint8_t* row = v.Row8(y);
      uint32_t row_sum = 0;
      for (int x = 0; x < v.width; ++x) row_sum += row[x];
      sum += row_sum;
    }
    benchmark::DoNotOptimize(sum);
  }
  SetPixels(state, v);
}

void BM_LaplacianOnTarget(benchmark::State& state, int64_t target,
                          const cv::Mat* img) {
  const PlaneView v = View(*img);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeLaplacianMomentsOnTarget(target, v));
  }
  SetPixels(state, v);
}

void BM_LaplacianDispatched(benchmark::State& state, const cv::Mat* img) {
  const PlaneView v = View(*img);
  for (auto _ : state) benchmark::DoNotOptimize(ComputeLaplacianMoments(v));
  SetPixels(state, v);
}

void BM_LaplacianReference(benchmark::State& state, const cv::Mat* img) {
  const PlaneView v = View(*img);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeLaplacianMomentsReference(v));
  }
  SetPixels(state, v);
}

// What laplacian_var costs the obvious way: a float64 Laplacian image, then
// its mean and standard deviation.
void BM_OpenCvLaplacianMeanStdDev(benchmark::State& state, const cv::Mat* img) {
  cv::Mat dst;
  cv::Scalar mean, stddev;
  for (auto _ : state) {
    cv::Laplacian(*img, dst, CV_64F);
    cv::meanStdDev(dst, mean, stddev);
    benchmark::DoNotOptimize(stddev[0]);
  }
  SetPixels(state, View(*img));
}

void BM_PlaneSumOnTarget(benchmark::State& state, int64_t target) {
  const PlaneView v = View(Plane8());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputePlaneSumOnTarget(target, v));
  }
  SetPixels(state, v);
}

void BM_PlaneSumDispatched(benchmark::State& state) {
  const PlaneView v = View(Plane8());
  for (auto _ : state) benchmark::DoNotOptimize(ComputePlaneSum(v));
  SetPixels(state, v);
}

// Constant content (black bars, fades): the worst case for a scatter, as every
// increment hits the same counter.
const cv::Mat& Flat8() {
  static const cv::Mat img(kHeight, kWidth, CV_8U, cv::Scalar(16));
  return img;
}

void BM_Histogram(benchmark::State& state, const cv::Mat* img) {
  const PlaneView v = View(*img);
  const int row_step = static_cast<int>(state.range(0));
  std::vector<uint32_t> hist;
  for (auto _ : state) {
    ComputeHistogram(v, row_step, &hist);
    benchmark::DoNotOptimize(hist.data());
  }
  // Items are the samples actually counted (every row_step-th row).
  const int64_t rows = (v.height + row_step - 1) / row_step;
  state.SetItemsProcessed(state.iterations() * rows * v.width);
}

void RegisterAll() {
  const auto us = benchmark::kMicrosecond;
  const cv::Mat* p8 = &Plane8();
  const cv::Mat* p10 = &Plane10();
  benchmark::RegisterBenchmark("PlainRead8/1080p", BM_PlainRead8)->Unit(us);
  benchmark::RegisterBenchmark("PlainRead8RowU32/1080p", BM_PlainRead8RowU32)
      ->Unit(us);
  for (int64_t t : CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("LaplacianMoments8/1080p/" + std::string(TargetName(t))).c_str(),
        BM_LaplacianOnTarget, t, p8)
        ->Unit(us);
  }
  benchmark::RegisterBenchmark(("LaplacianMoments8/1080p/dispatched(" +
                                std::string(ActiveSimdTarget()) + ")")
                                   .c_str(),
                               BM_LaplacianDispatched, p8)
      ->Unit(us);
  benchmark::RegisterBenchmark("LaplacianMoments8/1080p/reference",
                               BM_LaplacianReference, p8)
      ->Unit(us);
  benchmark::RegisterBenchmark("OpenCvLaplacian64F+MeanStdDev8/1080p",
                               BM_OpenCvLaplacianMeanStdDev, p8)
      ->Unit(us);
  for (int64_t t : CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("LaplacianMoments10/1080p/" + std::string(TargetName(t))).c_str(),
        BM_LaplacianOnTarget, t, p10)
        ->Unit(us);
  }
  benchmark::RegisterBenchmark("LaplacianMoments10/1080p/reference",
                               BM_LaplacianReference, p10)
      ->Unit(us);
  benchmark::RegisterBenchmark("OpenCvLaplacian64F+MeanStdDev10/1080p",
                               BM_OpenCvLaplacianMeanStdDev, p10)
      ->Unit(us);
  for (int64_t t : CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("PlaneSum8/1080p/" + std::string(TargetName(t))).c_str(),
        BM_PlaneSumOnTarget, t)
        ->Unit(us);
  }
  benchmark::RegisterBenchmark("PlaneSum8/1080p/dispatched",
                               BM_PlaneSumDispatched)
      ->Unit(us);
  benchmark::RegisterBenchmark("Histogram8/1080p/row_step", BM_Histogram, p8)
      ->Arg(1)
      ->Arg(2)
      ->Arg(4)
      ->Arg(8)
      ->Unit(us);
  benchmark::RegisterBenchmark("Histogram8Flat/1080p/row_step", BM_Histogram,
                               &Flat8())
      ->Arg(1)
      ->Unit(us);
}

}  // namespace
}  // namespace acuity::kernels

int main(int argc, char** argv) {
  // Kernels are single-threaded; compare OpenCV on one thread too.
  cv::setNumThreads(1);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  acuity::kernels::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
