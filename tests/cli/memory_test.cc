// Peak memory must not grow with video length: the decoder streams frames
// and only per-frame numbers are kept. Measured with wait4()'s ru_maxrss of
// the real CLI on a 10 s and a 60 s clip of the same size.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "test_util.h"

extern char** environ;

namespace acuity {
namespace {

// Peak resident set of one run of the CLI, in KiB; -1 on failure.
long PeakRssKiB(std::vector<std::string> args) {
  args.insert(args.begin(), test::Cli());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  const int err =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return -1;
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

}  // namespace
}  // namespace acuity
