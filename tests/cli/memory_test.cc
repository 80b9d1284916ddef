// Peak memory must not grow with video length: the decoder streams frames
// and only per-frame numbers are kept. Measured with wait4()'s ru_maxrss of
// the real CLI on a 10 s and a 60 s clip of the same size.
// Nor with the aspect ratio: no derived buffer (resampled planes, tiles,
// face pictures) may be larger than a bounded multiple of one frame, so a
// 5 KB file of 8192x2 frames cannot take gigabytes (laplacian_var_540p once
// resampled it to 2.2 M x 540 samples: 3.6 GB).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "test_util.h"

extern char** environ;

// Sanitizer builds: gcc defines __SANITIZE_*__, clang has __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define ACUITY_TEST_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define ACUITY_TEST_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACUITY_TEST_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define ACUITY_TEST_TSAN 1
#endif
#endif

namespace acuity {
namespace cli_memory_test {
namespace {

// Peak resident set of one run of the CLI, in KiB; -1 on failure.
long PeakRssKiB(std::vector<std::string> args) {
  args.insert(args.begin(), test::Cli());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, 1);
#if defined(ACUITY_TEST_ASAN)
    // ASan keeps freed blocks in a quarantine (256 MB by default), which
    // would count as growth here: none for these runs, the same bounds hold.
    setenv("ASAN_OPTIONS",
           "quarantine_size_mb=0:thread_local_quarantine_size_kb=0:"
           "detect_leaks=0",
           1);
#endif
#if !defined(ACUITY_TEST_ASAN) && !defined(ACUITY_TEST_TSAN)
    // A regression must fail this test, not take the machine down: 8 GiB
    // of address space (sanitizers reserve terabytes of it: not there).
    const rlimit as{rlim_t{8} << 30, rlim_t{8} << 30};
    setrlimit(RLIMIT_AS, &as);
#endif
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) != pid) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return ru.ru_maxrss;
}

TEST(MemoryTest, PeakDoesNotGrowWithLength) {
  const long short_clip = PeakRssKiB(
      {"score", "-q", "--threads", "2", test::Fixture("good/long_10s.mp4")});
  const long long_clip = PeakRssKiB(
      {"score", "-q", "--threads", "2", test::Fixture("good/long_60s.mp4")});
  ASSERT_GT(short_clip, 0);
  ASSERT_GT(long_clip, 0);
  // 1250 more frames of 160x90: keeping decoded frames would cost > 20 MiB;
  // keeping their numbers costs ~100 KiB.
  EXPECT_LT(long_clip - short_clip, 4096)
      << "10 s: " << short_clip << " KiB, 60 s: " << long_clip << " KiB";
}

// Extreme aspect ratios: FFV1 clips of 3 frames made by ffmpeg.
TEST(MemoryTest, PeakIsBoundedWhateverTheAspectRatio) {
  const std::string base =
      test::Generated("shape_64x64.mkv",
                      "-f lavfi -i testsrc2=s=64x64:r=10 -frames:v 3 -c:v ffv1 "
                      "-pix_fmt yuv420p");
  ASSERT_FALSE(base.empty());
  const long baseline = PeakRssKiB({"score", "-q", "--threads", "1", base});
  ASSERT_GT(baseline, 0);
  struct Shape {
    int w, h;
  };
  for (const Shape s : {Shape{8192, 2}, Shape{2, 8192}, Shape{65536, 2}}) {
    const std::string size = std::to_string(s.w) + "x" + std::to_string(s.h);
    const std::string clip = test::Generated("shape_" + size + ".mkv",
                                             "-f lavfi -i testsrc2=s=" + size +
                                                 ":r=10 -frames:v 3 -c:v ffv1 "
                                                 "-pix_fmt yuv420p");
    ASSERT_FALSE(clip.empty()) << size;
    const long peak = PeakRssKiB({"score", "-q", "--threads", "1", clip});
    ASSERT_GT(peak, 0) << size << ": the run failed";
    // The documented bound: 32 frames (8-bit 4:2:0) beyond a 64x64 run, plus
    // 16 MiB of slack for the allocator and the 3840x540 laplacian_var_540p
    // planes. The unbounded resampling took 3.6 GB for 8192x2.
    const long frame_kib = static_cast<long>(s.w) * s.h * 3 / 2 / 1024;
    EXPECT_LT(peak - baseline, 32 * frame_kib + 16 * 1024)
        << size << ": " << peak << " KiB, 64x64: " << baseline << " KiB";
  }
}

}  // namespace
}  // namespace cli_memory_test
}  // namespace acuity
