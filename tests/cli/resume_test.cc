// Nothing lost: runs killed with SIGKILL at several moments, then resumed
// with --resume, give byte-identical reports and the same summary as one
// uninterrupted run; an interrupted re-run into a complete folder keeps its
// summary; orphan temporaries are removed; a run merges with the folder.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

extern char** environ;

namespace acuity {
namespace cli_resume_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::Fixture;
using test::ReadFile;
using test::RunCommand;

fs::path Root() { return fs::path(ACUITY_BINARY_DIR) / "resume_test"; }

// Four small clips (320x180, 25-50 frames) in a folder of their own.
std::string Inputs() {
  const fs::path in = Root() / "in";
  if (!fs::exists(in / "d.webm")) {
    fs::create_directories(in);
    fs::copy_file(Fixture("good/h264_420p.mp4"), in / "a.mp4",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(Fixture("good/hevc_10bit.mp4"), in / "b.mp4",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(Fixture("good/h264_444p.mp4"), in / "c.mp4",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(Fixture("good/vp9.webm"), in / "d.webm",
                  fs::copy_options::overwrite_existing);
  }
  return in.string();
}

std::string Fresh(const std::string& name) {
  const fs::path d = Root() / name;
  fs::remove_all(d);
  return d.string();
}

// Starts the CLI without waiting (stdout and stderr to /dev/null).
pid_t Start(std::vector<std::string> args) {
  args.insert(args.begin(), Cli());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);  // or the child writes our buffer out again
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Replace(std::string s, const std::string& from,
                    const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos;
       p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

// Same files, byte for byte (summary.jsonl names its folder: mapped).
void ExpectSameResults(const std::string& ref, const std::string& dir,
                       const std::string& what) {
  EXPECT_EQ(Files(ref), Files(dir)) << what;
  for (const std::string& name : Files(ref)) {
    std::string got = ReadFile(dir + "/" + name);
    if (name == "summary.jsonl") got = Replace(got, dir + "/", ref + "/");
    EXPECT_EQ(ReadFile(ref + "/" + name), got) << what << ": " << name;
  }
}

TEST(ResumeTest, KilledRunsResumeToTheSameResults) {
  const std::string in = Inputs();
  const std::string ref = Fresh("ref");
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Wait(Start({"score", "-q", "-j", "2", "-o", ref, in})), 0);
  const double full_ms = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - t0)
                             .count();
  // Kill moments spread over one run: fixed fractions, so every trial is
  // reproducible in kind (which files exist depends on the machine).
  int trial = 0;
  // One job here, two in the reference: -j is not an option of the values.
  for (const double fraction : {0.2, 0.4, 0.5, 0.6, 0.7, 0.85}) {
    const std::string dir = Fresh("kill" + std::to_string(trial++));
    const pid_t pid = Start({"score", "-q", "-o", dir, in});
    std::this_thread::sleep_for(std::chrono::microseconds(
        static_cast<int64_t>(full_ms * fraction * 1e3)));
    kill(pid, SIGKILL);
    Wait(pid);
    int reports = 0;
    if (fs::exists(dir)) {
      for (const std::string& f : Files(dir)) {
        reports +=
            f.size() > 12 && f.compare(f.size() - 12, 12, ".acuity.json") == 0;
      }
    }
    std::printf("kill at %.0f%% of %.0f ms: %d of 4 reports on disk\n",
                fraction * 100, full_ms, reports);
    ASSERT_EQ(Wait(Start({"score", "-q", "--resume", "-o", dir, in})), 0);
    ExpectSameResults(ref, dir, "killed at " + std::to_string(fraction));
  }
}

TEST(ResumeTest, ResumeSkipsCompleteReportsAndRescoresOthers) {
  const std::string in = Inputs();
  const std::string dir = Fresh("skip");
  ASSERT_EQ(RunCommand(Cli() + " score -q -o " + dir + " " + in).exit_code, 0);
  // An orphan of a killed run, a truncated report, a report from other
  // options: removed, rescored, rescored.
  const std::string orphan = dir + "/.a.acuity.json.tmp-AbC123";
  { std::ofstream(orphan) << "{"; }
  const std::string b = ReadFile(dir + "/b.acuity.json");
  { std::ofstream(dir + "/b.acuity.json") << b.substr(0, b.size() / 2); }
  const std::string c = ReadFile(dir + "/c.acuity.json");
  const auto hash_at = c.find("\"options_hash\": \"fnv1a64:");
  ASSERT_NE(hash_at, std::string::npos);
  std::string c_other = c;
  c_other[hash_at + 26] = c_other[hash_at + 26] == '0' ? '1' : '0';
  { std::ofstream(dir + "/c.acuity.json") << c_other; }
  const auto a_time = fs::last_write_time(dir + "/a.acuity.json");
  auto r = RunCommand(Cli() + " score -q --resume --format csv -o " + dir +
                      " " + in);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_EQ(fs::last_write_time(dir + "/a.acuity.json"), a_time);  // skipped
  EXPECT_EQ(ReadFile(dir + "/b.acuity.json"), b);
  EXPECT_EQ(ReadFile(dir + "/c.acuity.json"), c);
  EXPECT_EQ(r.out, ReadFile(dir + "/summary.csv"));
  // --resume needs a folder.
  EXPECT_EQ(RunCommand(Cli() + " score --resume " + in).exit_code, 2);
}

TEST(ResumeTest, InterruptedRerunKeepsTheCompleteSummary) {
  const std::string in = Inputs();
  const std::string dir = Fresh("rerun");
  ASSERT_EQ(RunCommand(Cli() + " score -q -o " + dir + " " + in).exit_code, 0);
  const std::string summary = ReadFile(dir + "/summary.csv");
  const pid_t pid = Start({"score", "-q", "-o", dir, in});
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  kill(pid, SIGINT);
  const int rc = Wait(pid);
  EXPECT_TRUE(rc == 130 || rc == 0) << rc;
  EXPECT_EQ(ReadFile(dir + "/summary.csv"), summary);
}

TEST(ResumeTest, RunsIntoOneFolderMerge) {
  const std::string in = Inputs();
  const std::string dir = Fresh("merge");
  ASSERT_EQ(
      RunCommand(Cli() + " score -q -o " + dir + " " + in + "/c.mp4").exit_code,
      0);
  ASSERT_EQ(
      RunCommand(Cli() + " score -q -o " + dir + " " + in + "/a.mp4").exit_code,
      0);
  const std::string summary = ReadFile(dir + "/summary.csv");
  const size_t a = summary.find("/a.mp4,ok"), c = summary.find("/c.mp4,ok");
  ASSERT_NE(a, std::string::npos) << summary;
  ASSERT_NE(c, std::string::npos) << summary;
  EXPECT_LT(a, c) << "this run's inputs first";
  // Reports made with other options stay out of this summary.
  ASSERT_EQ(RunCommand(Cli() + " score -q --max-frames 3 -o " + dir + " " + in +
                       "/b.mp4")
                .exit_code,
            0);
  const std::string other = ReadFile(dir + "/summary.csv");
  EXPECT_NE(other.find("/b.mp4,ok"), std::string::npos) << other;
  EXPECT_EQ(other.find("/a.mp4"), std::string::npos) << other;
}

}  // namespace
}  // namespace cli_resume_test
}  // namespace acuity
