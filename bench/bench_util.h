// Helpers shared by the bench/*_bench.cc files.
#ifndef ACUITY_BENCH_BENCH_UTIL_H_
#define ACUITY_BENCH_BENCH_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace acuity::bench {

// The first `bytes` of raw video that `ffmpeg -nostdin -v error ARGS -`
// writes to stdout (ARGS ends with the output options, e.g. "-frames:v 1
// -f rawvideo -pix_fmt yuv420p"); empty when ffmpeg fails or writes less.
inline std::vector<uint8_t> FfmpegRaw(const std::string& args, size_t bytes) {
  std::vector<uint8_t> buf(bytes);
  const std::string cmd = "ffmpeg -nostdin -v error " + args + " -";
  FILE* p = popen(cmd.c_str(), "r");
  const size_t got = p ? fread(buf.data(), 1, buf.size(), p) : 0;
  if (p) pclose(p);
  if (got != buf.size()) {
    std::fprintf(stderr, "bench: ffmpeg could not make the frame (%s)\n",
                 cmd.c_str());
    buf.clear();
  }
  return buf;
}

}  // namespace acuity::bench

#endif  // ACUITY_BENCH_BENCH_UTIL_H_
