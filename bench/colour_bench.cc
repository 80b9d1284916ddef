// Kernels behind the colour and contrast metrics on one 1080p 4:2:0 frame:
// ComputeLumaMoments over the 1920x1080 luma plane, ComputeChromaMoments
// over the 960x540 chroma pair, and the per-block chroma moments of
// pallid_share (ComputeLumaMoments on ~100 sub-views of each chroma plane),
// per compiled Highway target, dispatched, and the plain reference twin.
//
// The frame is testsrc2 with light temporal noise made by ffmpeg (saturated
// colour bars, gradients and text: realistic chroma), 8-bit limited range.
// Run: build/bench/acuity_kernels_bench --benchmark_filter='Colour|Contrast'
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "acuity/plane.h"
#include "kernels/chroma.h"
#include "kernels/luma_moments.h"
#include "kernels/targets.h"
#include "metrics/colour.h"

namespace acuity::kernels {
namespace {

constexpr int kW = 1920, kH = 1080;
constexpr int32_t kNone = std::numeric_limits<int32_t>::max();

const std::vector<uint8_t>& Picture() {
  static const std::vector<uint8_t> pic = [] {
    std::vector<uint8_t> buf(kW * kH * 3 / 2);
    const std::string cmd =
        "ffmpeg -nostdin -v error -f lavfi "
        "-i testsrc2=s=1920x1080:r=30,noise=alls=3:allf=t -frames:v 1 "
        "-f rawvideo -pix_fmt yuv420p -";
    FILE* p = popen(cmd.c_str(), "r");
    const size_t got = p ? fread(buf.data(), 1, buf.size(), p) : 0;
    if (p) pclose(p);
    if (got != buf.size()) {
      std::fprintf(stderr, "colour_bench: could not make a frame (%s)\n",
                   cmd.c_str());
      std::exit(1);
    }
    return buf;
  }();
  return pic;
}

PlaneView Luma() { return {Picture().data(), kW, kW, kH, 8}; }
PlaneView U() {
  return {Picture().data() + kW * kH, kW / 2, kW / 2, kH / 2, 8};
}
PlaneView V() {
  return {Picture().data() + kW * kH * 5 / 4, kW / 2, kW / 2, kH / 2, 8};
}

void Items(benchmark::State& state, int64_t samples) {
  state.SetItemsProcessed(state.iterations() * samples);
}

void BM_LumaMoments(benchmark::State& state, int64_t target) {
  const PlaneView y = Luma();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        target == 0  ? ComputeLumaMoments(y, 16, 235)
        : target < 0 ? ComputeLumaMomentsReference(y, 16, 235)
                     : ComputeLumaMomentsOnTarget(target, y, 16, 235));
  }
  Items(state, int64_t{kW} * kH);
}

void BM_ChromaMoments(benchmark::State& state, int64_t target) {
  const PlaneView u = U(), v = V();
  for (auto _ : state) {
    benchmark::DoNotOptimize(target == 0 ? ComputeChromaMoments(u, v)
                             : target < 0
                                 ? ComputeChromaMomentsReference(u, v)
                                 : ComputeChromaMomentsOnTarget(target, u, v));
  }
  Items(state, int64_t{kW / 2} * (kH / 2));
}

// pallid_share's block sums: both chroma planes cut into NTIA's grid.
void BM_ChromaBlocks(benchmark::State& state, int64_t target) {
  const PlaneView planes[2] = {U(), V()};
  const metrics::BlockGrid g = metrics::NtiaBlocks(kH / 2, kW / 2);
  for (auto _ : state) {
    uint64_t acc = 0;
    for (const PlaneView& p : planes) {
      for (size_t by = 0; by + 1 < g.y.size(); ++by) {
        for (size_t bx = 0; bx + 1 < g.x.size(); ++bx) {
          PlaneView b = p;
          b.data = p.data + g.y[by] * p.stride + g.x[bx];
          b.width = g.x[bx + 1] - g.x[bx];
          b.height = g.y[by + 1] - g.y[by];
          const LumaMoments m =
              target == 0  ? ComputeLumaMoments(b, -1, kNone)
              : target < 0 ? ComputeLumaMomentsReference(b, -1, kNone)
                           : ComputeLumaMomentsOnTarget(target, b, -1, kNone);
          acc += m.sum_sq;
        }
      }
    }
    benchmark::DoNotOptimize(acc);
  }
  Items(state, int64_t{kW} * (kH / 2));
}

const bool kRegistered = [] {
  const auto us = benchmark::kMicrosecond;
  struct Kind {
    const char* name;
    void (*fn)(benchmark::State&, int64_t);
  };
  const Kind kinds[] = {{"ContrastLumaMoments8/1080p/", BM_LumaMoments},
                        {"ColourChromaMoments8/1080p420/", BM_ChromaMoments},
                        {"ColourChromaBlocks8/1080p420/", BM_ChromaBlocks}};
  for (const Kind& k : kinds) {
    for (int64_t t : CompiledTargets()) {
      benchmark::RegisterBenchmark(
          (std::string(k.name) + TargetName(t)).c_str(), k.fn, t)
          ->Unit(us);
    }
    benchmark::RegisterBenchmark(
        (std::string(k.name) + "dispatched(" + ActiveSimdTarget() + ")")
            .c_str(),
        k.fn, int64_t{0})
        ->Unit(us);
    benchmark::RegisterBenchmark((std::string(k.name) + "reference").c_str(),
                                 k.fn, int64_t{-1})
        ->Unit(us);
  }
  return true;
}();

}  // namespace
}  // namespace acuity::kernels
