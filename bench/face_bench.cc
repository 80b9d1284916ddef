// Cost of the face metrics on one 1080p frame with a face: the detector
// alone (OpenCV cascade on the frame shrunk to 640 samples wide), the
// per-face measures on carried boxes, and the metric as production runs it
// (--face-every 10: one detection in ten frames).
//
// The frame: opencv-doc's building.jpg scaled to 1920x1080 with the face of
// Megamind.avi frame 180 (scaled 2x, ~360x390 samples) pasted on it, made
// by ffmpeg, 8-bit limited-range luma.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/metric.h"
#include "bench_util.h"
#include "metrics/face.h"
#include "metrics/frame_analysis.h"

namespace acuity {
namespace {

constexpr int kW = 1920, kH = 1080;

const std::vector<uint8_t>& Picture() {
  static const std::vector<uint8_t> pic = [] {
    const std::string data = "/usr/share/doc/opencv-doc/examples/data/";
    std::vector<uint8_t> buf = bench::FfmpegRaw(
        "-i " + data + "building.jpg -i " + data +
            "Megamind.avi -filter_complex \"[1]select='eq(n,180)',setpts=0,"
            "crop=260:280:185:100,scale=520:560[f];[0]scale=1920:1080[bg];"
            "[bg][f]overlay=700:260\" -frames:v 1 -f rawvideo -pix_fmt yuv420p",
        kW * kH * 3 / 2);
    if (buf.empty()) std::exit(1);
    return buf;
  }();
  return pic;
}

void BM_Face(benchmark::State& state, int face_every) {
  const uint8_t* base = Picture().data();
  Frame frame;
  frame.y = {base, kW, kW, kH, 8};
  frame.u = {base + kW * kH, kW / 2, kW / 2, kH / 2, 8};
  frame.v = {base + kW * kH * 5 / 4, kW / 2, kW / 2, kH / 2, 8};
  StreamInfo info;
  info.width = kW;
  info.height = kH;
  info.scale = LumaScale::For(8, ColorRange::kLimited);
  std::unique_ptr<Metric> m = metrics::FaceEntry().create();
  MetricOptions options;
  if (!options.Set("face_every", std::to_string(face_every)).ok()) {
    state.SkipWithError("bad --face-every");
    return;
  }
  if (!m->Configure(options).ok() || !m->Init(info).ok()) {
    state.SkipWithError("face metric could not start");
    return;
  }
  FrameValues out(4);
  // The first call detects; with face_every huge, the timed calls only
  // carry and measure.
  ProcessFrame(*m, frame, info.scale, out, metrics::FaceEntry().needs);
  if (out.faces().empty()) {
    state.SkipWithError("no face found on the bench frame");
    return;
  }
  for (auto _ : state) {
    out.Clear();
    ProcessFrame(*m, frame, info.scale, out, metrics::FaceEntry().needs);
    benchmark::DoNotOptimize(out.values().data());
  }
  state.counters["faces"] = static_cast<double>(out.faces().size());
}

const bool kRegistered = [] {
  benchmark::RegisterBenchmark("Face/1080p/detect_every_frame", BM_Face, 1)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Face/1080p/measure_carried_boxes", BM_Face,
                               1 << 30)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Face/1080p/every_10th_frame", BM_Face, 10)
      ->Unit(benchmark::kMicrosecond);
  return true;
}();

}  // namespace
}  // namespace acuity
