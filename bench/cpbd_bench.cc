// cpbd kernels and the whole metric per 1920x1080 8-bit frame: each Highway
// target compiled in and supported by this CPU, the dispatched entry and the
// plain C++ reference twins. Kernel benchmarks run a kernel as often as one
// frame needs it (per row, 1080 rows), so every figure is us per frame.
//
// Content: the first frame of lavfi testsrc2 with a little temporal noise
// (as metrics_bench uses), as 8-bit gray; smoothed noise when ffmpeg fails.
//
// Run: build/bench/acuity_kernels_bench --benchmark_filter=Cpbd
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "kernels/cpbd.h"
#include "kernels/targets.h"
#include "metrics/cpbd.h"

namespace acuity::kernels {
namespace {

constexpr int kW = 1920, kH = 1080, kTaps = 13, kPad = 8;

const cv::Mat& Gray() {
  static const cv::Mat img = [] {
    cv::Mat gray(kH, kW, CV_8UC1);
    const std::string cmd =
        "ffmpeg -nostdin -v error -f lavfi -i "
        "testsrc2=s=1920x1080:r=30,noise=alls=3:allf=t -frames:v 1 -f "
        "rawvideo -pix_fmt gray -";
    FILE* p = popen(cmd.c_str(), "r");
    const size_t got = p ? fread(gray.data, 1, gray.total(), p) : 0;
    if (p) pclose(p);
    if (got != gray.total()) {
      cv::randu(gray, 0, 256);
      cv::GaussianBlur(gray, gray, cv::Size(0, 0), 1.5);
    }
    return gray;
  }();
  return img;
}

// Float rows (padded) of the frame, and its gradient rows, as the metric
// keeps them.
struct Planes {
  std::vector<float> padded;  // (kH + 2 kPad) x (kW + 2 kPad)
  std::vector<float> gx, gy, mag;
  std::vector<uint8_t> flags;
  std::array<float, kTaps> g{}, d{};
  Planes() {
    const int wp = kW + 2 * kPad;
    padded.resize(static_cast<size_t>(wp) * (kH + 2 * kPad));
    for (int r = -kPad; r < kH + kPad; ++r) {
      const uint8_t* src = Gray().ptr<uint8_t>(std::clamp(r, 0, kH - 1));
      for (int c = -kPad; c < kW + kPad; ++c) {
        padded[(r + kPad) * wp + c + kPad] = src[std::clamp(c, 0, kW - 1)];
      }
    }
    for (int k = 0; k < kTaps; ++k) {
      const double x = k - kTaps / 2;
      g[k] = static_cast<float>(std::exp(-x * x / 4.0) / 3.5);
      d[k] = static_cast<float>(-x * std::exp(-x * x / 4.0) / 5.0);
    }
    const size_t n = static_cast<size_t>(kW) * kH;
    gx.resize(n);
    gy.resize(n);
    mag.resize(n);
    flags.resize(n);
    cv::Mat fx, fy;
    cv::Sobel(Gray(), fx, CV_32F, 1, 0);
    cv::Sobel(Gray(), fy, CV_32F, 0, 1);
    for (int r = 0; r < kH; ++r) {
      for (int c = 0; c < kW; ++c) {
        const size_t i = static_cast<size_t>(r) * kW + c;
        gx[i] = fx.at<float>(r, c);
        gy[i] = fy.at<float>(r, c);
        mag[i] = std::sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
        flags[i] = (i * 7919) % 5 == 0;  // ~20% local maxima
      }
    }
  }
  const float* Row(int r) const {
    return padded.data() + static_cast<size_t>(r + kPad) * (kW + 2 * kPad);
  }
};

const Planes& P() {
  static const Planes p;
  return p;
}

void Frame(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * int64_t{kW} * kH);
}

void BM_VerticalFir(benchmark::State& state, CpbdKernels k) {
  std::vector<uint8_t> padded(static_cast<size_t>(kW + 2 * kPad) *
                              (kH + 2 * kPad));
  for (int r = -kPad; r < kH + kPad; ++r) {
    const uint8_t* src = Gray().ptr<uint8_t>(std::clamp(r, 0, kH - 1));
    for (int c = -kPad; c < kW + kPad; ++c) {
      padded[static_cast<size_t>(r + kPad) * (kW + 2 * kPad) + c + kPad] =
          src[std::clamp(c, 0, kW - 1)];
    }
  }
  const Planes& p = P();
  std::vector<float> sym(kW + 2 * kPad), anti(kW + 2 * kPad);
  for (auto _ : state) {
    for (int r = 0; r < kH; ++r) {
      std::array<const uint8_t*, kTaps> rows;
      for (int j = 0; j < kTaps; ++j) {
        rows[j] = padded.data() +
                  static_cast<size_t>(r + j - 6 + kPad) * (kW + 2 * kPad);
      }
      k.folded_fir2_u8(rows.data(), p.g.data(), p.d.data(), kTaps,
                       kW + 2 * kPad, sym.data(), anti.data());
      benchmark::DoNotOptimize(sym.data());
    }
  }
  Frame(state);
}

void BM_HorizontalFir(benchmark::State& state, CpbdKernels k) {
  const Planes& p = P();
  std::vector<float> out(kW);
  for (auto _ : state) {
    for (int r = 0; r < kH; ++r) {
      std::array<const float*, kTaps> rows;
      for (int j = 0; j < kTaps; ++j) rows[j] = p.Row(r) + j - 6;
      // Two per row: GX and GY.
      k.folded_fir(rows.data(), p.d.data(), kTaps, -1, kW, out.data());
      k.folded_fir(rows.data(), p.g.data(), kTaps, 1, kW, out.data());
      benchmark::DoNotOptimize(out.data());
    }
  }
  Frame(state);
}

void BM_Rescale8(benchmark::State& state, CpbdKernels k) {
  std::vector<uint8_t> out(kW);
  for (auto _ : state) {
    for (int r = 0; r < kH; ++r) {
      k.rescale8(Gray().ptr<uint8_t>(r), kW, 16, 255, 219, out.data());
      benchmark::DoNotOptimize(out.data());
    }
  }
  Frame(state);
}

void BM_MagnitudeNonMax(benchmark::State& state, CpbdKernels k) {
  const Planes& p = P();
  float max = 0;
  for (float m : p.mag) max = std::max(max, m);
  const float floor = 0.0062f * max;  // as the metric sets it
  std::vector<float> mag(kW);
  std::vector<uint8_t> out(kW);
  for (auto _ : state) {
    for (int r = 1; r < kH - 1; ++r) {
      const size_t i = static_cast<size_t>(r) * kW;
      benchmark::DoNotOptimize(k.magnitude(&p.gx[i], &p.gy[i], kW, mag.data()));
      k.non_max(&p.gx[i], &p.gy[i], &p.mag[i - kW], &p.mag[i], &p.mag[i + kW],
                kW, floor, out.data());
      benchmark::DoNotOptimize(out.data());
    }
  }
  Frame(state);
}

// The production path: the estimate from every 16th row, one pass over
// the candidates, resolve.
void BM_Thresholds(benchmark::State& state, CpbdKernels k) {
  const Planes& p = P();
  const size_t n = p.mag.size();
  std::vector<uint8_t> flags(n);
  std::vector<uint32_t> seeds(n);
  float max = 0;
  for (float m : p.mag) max = std::max(max, m);
  for (auto _ : state) {
    std::array<uint32_t, 64> hist{};
    for (int r = 0; r < kH; r += 16) {
      k.histogram64(&p.mag[static_cast<size_t>(r) * kW], kW, max, hist.data());
    }
    flags = p.flags;
    const int cand[3] = {3, 4, 5};
    const float low[3] = {0.4f * 3 / 64, 0.4f * 4 / 64, 0.4f * 5 / 64};
    const float high[3] = {3.0f / 64, 4.0f / 64, 5.0f / 64};
    uint32_t counts[3] = {};
    k.threshold_pass(p.mag.data(), n, 63.0f / max, 1.0f / max, cand, low, high,
                     3, flags.data(), counts);
    benchmark::DoNotOptimize(k.resolve(flags.data(), n, 1, seeds.data()));
  }
  Frame(state);
}

void BM_Sobel(benchmark::State& state, CpbdKernels k) {
  std::vector<uint8_t> padded(static_cast<size_t>(kW + 2) * (kH + 2));
  for (int r = 0; r < kH + 2; ++r) {
    const uint8_t* src = Gray().ptr<uint8_t>(std::clamp(r - 1, 0, kH - 1));
    for (int c = 0; c < kW + 2; ++c) {
      padded[static_cast<size_t>(r) * (kW + 2) + c] =
          src[std::clamp(c - 1, 0, kW - 1)];
    }
  }
  const auto row = [&](int r) {
    return padded.data() + static_cast<size_t>(r + 1) * (kW + 2) + 1;
  };
  std::vector<std::vector<uint16_t>> s(3, std::vector<uint16_t>(kW + 2, 0));
  std::vector<uint8_t> out(kW);
  for (auto _ : state) {
    for (int r = 1; r < kH - 1; ++r) {
      k.sobel_x(row(r - 1), row(r), row(r + 1), kW, s[r % 3].data() + 1);
      k.sobel_edges(s[(r + 2) % 3].data() + 1, s[r % 3].data() + 1,
                    s[(r + 1) % 3].data() + 1, row(r - 1), row(r + 1), kW,
                    out.data());
      benchmark::DoNotOptimize(out.data());
    }
  }
  Frame(state);
}

void BM_WholeFrame(benchmark::State& state, CpbdKernels k) {
  metrics::CpbdCalculator calc(k);
  for (auto _ : state) benchmark::DoNotOptimize(calc.FromGray(Gray()));
  Frame(state);
}

const bool kRegistered = [] {
  struct Variant {
    std::string name;
    CpbdKernels kernels;
  };
  std::vector<Variant> variants;
  for (int64_t t : CompiledTargets()) {
    variants.push_back({TargetName(t), CpbdKernelsOnTarget(t)});
  }
  variants.push_back({"dispatched", CpbdKernelsBest()});
  variants.push_back({"reference", CpbdKernelsReference()});
  const std::vector<
      std::pair<std::string, void (*)(benchmark::State&, CpbdKernels)>>
      benches = {{"VerticalFir", BM_VerticalFir},
                 {"HorizontalFir", BM_HorizontalFir},
                 {"Rescale8", BM_Rescale8},
                 {"MagnitudeNonMax", BM_MagnitudeNonMax},
                 {"Thresholds", BM_Thresholds},
                 {"Sobel", BM_Sobel},
                 {"WholeFrame", BM_WholeFrame}};
  for (const auto& [name, fn] : benches) {
    for (const Variant& v : variants) {
      benchmark::RegisterBenchmark(
          ("Cpbd/1080p/" + name + "/" + v.name).c_str(), fn, v.kernels)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  return true;
}();

}  // namespace
}  // namespace acuity::kernels
