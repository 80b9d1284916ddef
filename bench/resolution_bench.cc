// effective_height (edge-blur entry) and laplacian_var_540p on a 1080p
// 8-bit luma plane: the two metric functions, the two directions of the
// edge-blur estimate, and the smoothing kernels per SIMD target and their
// reference twins.
//
// Plane: the luma of lavfi testsrc2 1920x1080 with noise=alls=3 (the frame
// metrics_bench.cc uses), decoded once with ffmpeg.
// Run: acuity_kernels_bench --benchmark_filter=Resolution
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "kernels/line_activity.h"
#include "kernels/profile_smooth.h"
#include "kernels/resolution.h"
#include "kernels/targets.h"
#include "metrics/effective_resolution.h"
#include "metrics/resolution.h"

namespace acuity {
namespace {

constexpr int kW = 1920, kH = 1080;

// One 1920x1080 gray frame from an ffmpeg command line's input and filter
// arguments (decoded once per process; exits when ffmpeg fails).
std::vector<uint8_t> ReadGray(const std::string& args) {
  std::vector<uint8_t> b(kW * kH);
  const std::string cmd = "ffmpeg -nostdin -v error " + args +
                          " -frames:v 1 -f rawvideo -pix_fmt gray -";
  FILE* p = popen(cmd.c_str(), "r");
  const size_t got = p ? fread(b.data(), 1, b.size(), p) : 0;
  if (p) pclose(p);
  if (got != b.size()) {
    std::fprintf(stderr, "resolution_bench: ffmpeg failed: %s\n", cmd.c_str());
    std::exit(1);
  }
  return b;
}

const std::vector<uint8_t>& Luma() {
  static const std::vector<uint8_t> buf =
      ReadGray("-f lavfi -i testsrc2=s=1920x1080:r=30,noise=alls=3:allf=t");
  return buf;
}

// A photo: Debian's opencv-doc building.jpg scaled to 1920x1080 (the
// edge-blur estimate's first pass suffices there).
const std::vector<uint8_t>& PhotoLuma() {
  static const std::vector<uint8_t> buf = ReadGray(
      "-i /usr/share/doc/opencv-doc/examples/data/building.jpg "
      "-vf scale=1920:1080");
  return buf;
}

// A photo upscaled 2x: aloeL.jpg to 960x540, then 1920x1080, bicubic both
// ways.
const std::vector<uint8_t>& Upscaled2xLuma() {
  static const std::vector<uint8_t> buf = ReadGray(
      "-i /usr/share/doc/opencv-doc/examples/data/aloeL.jpg "
      "-vf scale=960:540:flags=bicubic,scale=1920:1080:flags=bicubic");
  return buf;
}

PlaneView ViewOf(const std::vector<uint8_t>& luma) {
  PlaneView v;
  v.data = luma.data();
  v.stride = kW;
  v.width = kW;
  v.height = kH;
  v.bit_depth = 8;
  return v;
}

PlaneView PhotoView() { return ViewOf(PhotoLuma()); }

PlaneView View() { return ViewOf(Luma()); }

const LumaScale kScale = LumaScale::For(8, ColorRange::kLimited);

// The whole effective_height entry (noise blocks + both directions).
void BM_EffectiveResolution(benchmark::State& state) {
  metrics::EdgeBlurWorkspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        metrics::MeasureEffectiveResolution(View(), kScale, &ws).height);
  }
}

void BM_EffectiveResolutionPhoto(benchmark::State& state) {
  metrics::EdgeBlurWorkspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        metrics::MeasureEffectiveResolution(PhotoView(), kScale, &ws).height);
  }
}

// effective_height's upscale test alone (period-3 line statistics, and the
// first-difference sums of the 2x test, which stops there on this frame).
void BM_DetectUpscale(benchmark::State& state) {
  metrics::UpscaleWorkspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(metrics::DetectUpscale(View(), &ws).factor);
  }
}

// The same on a photo upscaled 2x (Upscaled2xLuma): every step of the 2x
// test runs (quadrants, coherence) on both axes.
void BM_DetectUpscale2x(benchmark::State& state) {
  const PlaneView v = ViewOf(Upscaled2xLuma());
  metrics::UpscaleWorkspace ws;
  if (!metrics::DetectUpscale(v, &ws).rows2.found) {
    state.SkipWithError("the 2x upscale was not found");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(metrics::DetectUpscale(v, &ws).rows2.found);
  }
}

// Its line sums alone (kernels/line_activity.h), one target or the
// reference (0).
void BM_LineActivity(benchmark::State& state, int64_t target) {
  std::vector<uint32_t> rows, cols;
  for (auto _ : state) {
    if (target == 0) {
      kernels::ComputeLineActivityReference(View(), &rows, &cols);
    } else {
      kernels::ComputeLineActivityOnTarget(target, View(), &rows, &cols);
    }
    benchmark::DoNotOptimize(rows.data());
    benchmark::DoNotOptimize(cols.data());
  }
}

// One direction of the edge-blur estimate (profiles, two smoothings, edge
// scan and verification), given the noise.
void BM_EdgeBlur(benchmark::State& state, bool vertical) {
  metrics::EdgeBlurWorkspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        metrics::MeasureEdgeBlur(View(), kScale, vertical, 3.0, &ws).sigma);
  }
}

void BM_LaplacianVar540p(benchmark::State& state) {
  metrics::Resample540Workspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(metrics::LaplacianVar540p(View(), kScale, &ws));
  }
}

// The unfused path: cv::resize INTER_AREA then BinomialSmooth3x3.
void BM_ResizeThenSmooth(benchmark::State& state) {
  cv::Mat half;
  std::vector<uint16_t> out(static_cast<size_t>(kW / 2) * (kH / 2));
  const cv::Mat src(kH, kW, CV_8U, const_cast<uint8_t*>(Luma().data()));
  for (auto _ : state) {
    cv::resize(src, half, cv::Size(kW / 2, kH / 2), 0, 0, cv::INTER_AREA);
    PlaneView v;
    v.data = half.data;
    v.stride = static_cast<ptrdiff_t>(half.step[0]);
    v.width = half.cols;
    v.height = half.rows;
    v.bit_depth = 8;
    kernels::BinomialSmooth3x3(v, out.data(), (kW / 2) * 2);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_Halve(benchmark::State& state, int64_t target) {
  std::vector<uint16_t> out(static_cast<size_t>(kW / 2) * (kH / 2));
  for (auto _ : state) {
    if (target == 0) {
      kernels::HalveAndSmooth8Reference(View(), out.data(), (kW / 2) * 2);
    } else {
      kernels::HalveAndSmooth8OnTarget(target, View(), out.data(),
                                       (kW / 2) * 2);
    }
    benchmark::DoNotOptimize(out.data());
  }
}

// BinomialSmooth3x3 on the 540-line plane it sees in production.
void BM_Smooth(benchmark::State& state, int64_t target) {
  static const cv::Mat half = [] {
    cv::Mat h;
    cv::resize(cv::Mat(kH, kW, CV_8U, const_cast<uint8_t*>(Luma().data())), h,
               cv::Size(kW / 2, kH / 2), 0, 0, cv::INTER_AREA);
    return h;
  }();
  PlaneView v;
  v.data = half.data;
  v.stride = static_cast<ptrdiff_t>(half.step[0]);
  v.width = half.cols;
  v.height = half.rows;
  v.bit_depth = 8;
  std::vector<uint16_t> out(static_cast<size_t>(kW / 2) * (kH / 2));
  for (auto _ : state) {
    if (target == 0) {
      kernels::BinomialSmooth3x3Reference(v, out.data(), (kW / 2) * 2);
    } else {
      kernels::BinomialSmooth3x3OnTarget(target, v, out.data(), (kW / 2) * 2);
    }
    benchmark::DoNotOptimize(out.data());
  }
}

// SmoothProfiles on the strip effective_height smooths on a 1080p frame
// needing the full pass: 1920 profiles x 270 line groups, the fine and
// coarse kernels of a mildly noisy frame (sigma 1.5 and 3, 11 + 19 taps).
void BM_SmoothProfiles(benchmark::State& state, int64_t target) {
  constexpr int kLen = 1920, kCols = 270;
  std::vector<float> in(static_cast<size_t>(kLen) * kCols), out(in.size());
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 251);
  const auto taps = [](double sigma) {
    const int r = static_cast<int>(std::ceil(3.0 * sigma));
    std::vector<float> t;
    double sum = 0.0;
    for (int i = -r; i <= r; ++i)
      sum += std::exp(-0.5 * i * i / (sigma * sigma));
    for (int i = -r; i <= r; ++i) {
      t.push_back(
          static_cast<float>(std::exp(-0.5 * i * i / (sigma * sigma)) / sum));
    }
    return t;
  };
  const std::vector<float> fine = taps(1.5), coarse = taps(3.0);
  for (auto _ : state) {
    for (const auto* k : {&fine, &coarse}) {
      const int n = static_cast<int>(k->size());
      if (target == 0) {
        kernels::SmoothProfilesReference(in.data(), kLen, kCols, 0, kCols,
                                         k->data(), n, out.data());
      } else {
        kernels::SmoothProfilesOnTarget(target, in.data(), kLen, kCols, 0,
                                        kCols, k->data(), n, out.data());
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
}

const bool kRegistered = [] {
  benchmark::RegisterBenchmark("Resolution/effective_height",
                               BM_EffectiveResolution)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/effective_height_photo",
                               BM_EffectiveResolutionPhoto)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/detect_upscale", BM_DetectUpscale)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/detect_upscale_2x",
                               BM_DetectUpscale2x)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/edge_blur_vertical", BM_EdgeBlur,
                               true)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/edge_blur_horizontal", BM_EdgeBlur,
                               false)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/laplacian_var_540p",
                               BM_LaplacianVar540p)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/resize_then_smooth",
                               BM_ResizeThenSmooth)
      ->Unit(benchmark::kMicrosecond);
  for (int64_t t : kernels::CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("Resolution/smooth_profiles/" + std::string(kernels::TargetName(t)))
            .c_str(),
        BM_SmoothProfiles, t)
        ->Unit(benchmark::kMicrosecond);
  }
  for (int64_t t : kernels::CompiledTargets()) {
    benchmark::RegisterBenchmark(
        ("Resolution/line_activity/" + std::string(kernels::TargetName(t)))
            .c_str(),
        BM_LineActivity, t)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("Resolution/line_activity/reference",
                               BM_LineActivity, int64_t{0})
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/smooth_profiles/reference",
                               BM_SmoothProfiles, int64_t{0})
      ->Unit(benchmark::kMicrosecond);
  for (int64_t t : kernels::CompiledTargets()) {
    const std::string name = kernels::TargetName(t);
    benchmark::RegisterBenchmark(("Resolution/halve_smooth/" + name).c_str(),
                                 BM_Halve, t)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("Resolution/smooth540/" + name).c_str(),
                                 BM_Smooth, t)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("Resolution/halve_smooth/reference", BM_Halve,
                               int64_t{0})
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Resolution/smooth540/reference", BM_Smooth,
                               int64_t{0})
      ->Unit(benchmark::kMicrosecond);
  return true;
}();

}  // namespace
}  // namespace acuity
