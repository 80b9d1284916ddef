// libFuzzer: arbitrary bytes as a video file through the whole scoring path
// (FFmpeg demux + decode -> every metric -> report writers), as a user's
// downloaded file would go. Small limits keep each input fast: at most 4
// frames, 256x256 pixels, and a 2 s I/O timeout.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "acuity/decoder.h"
#include "acuity/report.h"
#include "acuity/score.h"

namespace {

const std::string& TempPath() {
  static const std::string path = [] {
    char name[] = "/tmp/acuity_decode_fuzz_XXXXXX";
    const int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return std::string(name);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  acuity::SetFfmpegLogging(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = TempPath();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);

  static const auto metrics = acuity::SelectMetrics("all");
  if (!metrics.ok()) std::abort();
  acuity::ScoreOptions options;
  options.metrics = metrics.value();
  options.decoder.threads = 1;
  options.decoder.max_pixels = 256 * 256;
  options.decoder.io_timeout = 2.0;
  options.decoder.sampling.max_frames = 4;
  options.heatmap = true;
  auto report = acuity::ScoreVideo(path, options);
  if (report.ok()) {
    std::ostringstream os;
    acuity::WriteVideoReportJson(os, *report, acuity::MakeRunInfo(options));
    acuity::WriteFramesCsv(os, *report);
  }
  return 0;
}
