// Scale: one video from standard input (MP4 with faststart, MKV, MPEG-TS,
// Y4M), lists of paths, shards and their merge (byte for byte the summary
// of one unsharded run), and the exit codes a scheduler acts on.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "acuity/shard.h"
#include "test_util.h"

namespace acuity {
namespace cli_scale_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::Generated;
using test::ReadFile;
using test::RunCommand;

fs::path Root() { return fs::path(ACUITY_BINARY_DIR) / "scale_test"; }

std::string Fresh(const std::string& name) {
  const fs::path d = Root() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

// summary.csv on stdout -> header + one map per row.
std::vector<std::map<std::string, std::string>> CsvRows(
    const std::string& text) {
  const std::vector<std::string> lines = Split(text, '\n');
  std::vector<std::map<std::string, std::string>> rows;
  if (lines.empty()) return rows;
  const std::vector<std::string> header = Split(lines[0], ',');
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = Split(lines[i], ',');
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < header.size(); ++c) {
      row[header[c]] = c < cells.size() ? cells[c] : "";
    }
    rows.push_back(row);
  }
  return rows;
}

const char* kSource = "-f lavfi -i testsrc2=s=160x96:r=25:d=0.4 ";

TEST(PipeTest, EachStreamingContainerScoresLikeTheFile) {
  const std::vector<std::pair<std::string, std::string>> clips = {
      {"pipe.mp4", "-c:v libx264 -pix_fmt yuv420p -movflags +faststart"},
      {"pipe.mkv", "-c:v libx264 -pix_fmt yuv420p"},
      {"pipe.ts", "-c:v mpeg2video -q:v 4"},
      {"pipe.y4m", "-pix_fmt yuv420p"}};
  for (const auto& [name, codec] : clips) {
    const std::string file = Generated(name, kSource + codec);
    ASSERT_FALSE(file.empty()) << name;
    const auto direct =
        RunCommand(Cli() + " score -q --format csv '" + file + "'");
    for (const char* spelling : {"-", "pipe:0"}) {
      const auto piped = RunCommand("cat '" + file + "' | " + Cli() +
                                    " score -q --format csv " + spelling);
      ASSERT_EQ(piped.exit_code, 0) << name << " " << spelling << piped.err;
      const auto a = CsvRows(direct.out), b = CsvRows(piped.out);
      ASSERT_EQ(a.size(), 1u) << direct.out;
      ASSERT_EQ(b.size(), 1u) << piped.out;
      EXPECT_EQ(b[0].at("path"), spelling);
      EXPECT_EQ(b[0].at("status"), "ok");
      EXPECT_EQ(b[0].at("frames_used"), "10") << name;
      // Every measured value is the file's; only what a stream cannot
      // know up front (duration, from the file size for MPEG-TS) may differ.
      for (const auto& [key, value] : a[0]) {
        if (key == "path" || key == "duration") continue;
        EXPECT_EQ(b[0].at(key), value) << name << " " << key;
      }
    }
  }
}

TEST(PipeTest, StdinReportIsNamedStdinAndStdinIsReadOnce) {
  const std::string file = Generated(
      "pipe.mkv", std::string(kSource) + "-c:v libx264 -pix_fmt yuv420p");
  ASSERT_FALSE(file.empty());
  const std::string out = Fresh("stdin_out");
  const auto r = RunCommand("cat '" + file + "' | " + Cli() + " score -q -o " +
                            out + " -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/stdin.acuity.json"));
  EXPECT_NE(ReadFile(out + "/summary.csv").find("\n-,ok,"), std::string::npos);
  // Twice from one stdin: a usage error, not a hang.
  const auto twice =
      RunCommand("true | " + Cli() + " score -q --from-list - -");
  EXPECT_EQ(twice.exit_code, 2) << twice.err;
  // Not a video on stdin: an error row, not a crash or a hang.
  const auto bad =
      RunCommand("echo not a video | " + Cli() + " score -q --format csv -");
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("\n-,error,"), std::string::npos) << bad.out;
}

TEST(ListTest, BadLinesAreErrorRowsAndSpellingIsKept) {
  const std::string clip = Generated(
      "pipe.mkv", std::string(kSource) + "-c:v libx264 -pix_fmt yuv420p");
  const std::string d = Fresh("list");
  fs::copy_file(clip, d + "/a clip.mkv");
  const std::string list = d + "/list.txt";
  std::ofstream(list) << "# inputs\n\n"
                      << d << "/./a clip.mkv\n"
                      << d << "/missing.mp4\r\n   \n  # more\n"
                      << d << "/list.txt\n";
  const auto r =
      RunCommand(Cli() + " score -q --format csv --from-list '" + list + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto rows = CsvRows(r.out);
  ASSERT_EQ(rows.size(), 3u) << r.out;
  EXPECT_EQ(rows[0].at("path"), d + "/./a clip.mkv");
  EXPECT_EQ(rows[0].at("status"), "ok");
  EXPECT_EQ(rows[1].at("path"), d + "/missing.mp4");
  EXPECT_EQ(rows[1].at("status"), "error");
  EXPECT_EQ(rows[2].at("status"), "error");  // a text file: no video
  // The same list on stdin, after a PATH of the command line.
  const auto s =
      RunCommand("cat '" + list + "' | " + Cli() +
                 " score -q --format csv --from-list - '" + clip + "'");
  EXPECT_EQ(s.exit_code, 1) << s.err;
  const auto srows = CsvRows(s.out);
  ASSERT_EQ(srows.size(), 4u) << s.out;
  EXPECT_EQ(srows[0].at("path"), clip);
  EXPECT_EQ(srows[1].at("path"), d + "/./a clip.mkv");
  const auto missing =
      RunCommand(Cli() + " score -q --from-list " + d + "/nope.txt");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.txt"), std::string::npos) << missing.err;
}

// 50 inputs: 3 tiny real ones, the rest missing files (error rows).
std::string FiftyInputs(const std::string& d) {
  const std::string clip = Generated(
      "pipe.mkv", std::string(kSource) + "-c:v libx264 -pix_fmt yuv420p");
  const std::string png =
      Generated("shard_still.png", "-f lavfi -i testsrc2=s=64x48 -frames:v 1");
  const std::string list = d + "/list.txt";
  std::ofstream out(list);
  for (int i = 0; i < 50; ++i) {
    if (i == 7) {
      out << clip << "\n";
    } else if (i == 20 || i == 41) {
      out << png << "\n";  // twice: stems still.png, still-2
    } else {
      out << d << "/missing/clip" << i << ".mp4\n";
    }
  }
  return list;
}

TEST(ShardMergeTest, OneToSevenShardsMergeToTheUnshardedSummary) {
  const std::string d = Fresh("fifty");
  const std::string list = FiftyInputs(d);
  const std::string out = d + "/out", ref = d + "/ref";
  ASSERT_EQ(RunCommand(Cli() + " score -q -o " + out + " --from-list " + list)
                .exit_code,
            1);
  fs::rename(out, ref);
  const std::string ref_csv = ReadFile(ref + "/summary.csv");
  ASSERT_EQ(std::count(ref_csv.begin(), ref_csv.end(), '\n'), 51);
  for (int n = 1; n <= 7; ++n) {
    std::string dirs;
    std::set<int64_t> covered;
    int64_t rows = 0;
    for (int i = 0; i < n; ++i) {
      const std::string part =
          d + "/n" + std::to_string(n) + "/part" + std::to_string(i);
      // The list in another order: shards depend on the paths only.
      const auto r = RunCommand(Cli() + " score -q -o " + part + " --shard " +
                                std::to_string(i) + "/" + std::to_string(n) +
                                " --from-list " + list);
      ASSERT_LE(r.exit_code, 1) << r.err;
      Result<ShardMarker> m = LoadShardMarker(part);
      ASSERT_TRUE(m.ok()) << m.status().message();
      for (const auto& row : m->rows) covered.insert(row.index);
      rows += static_cast<int64_t>(m->rows.size());
      dirs += " " + part;
    }
    EXPECT_EQ(rows, 50) << n;             // disjoint ...
    EXPECT_EQ(covered.size(), 50u) << n;  // ... and covering
    fs::remove_all(out);
    const auto merged = RunCommand(Cli() + " merge -q -o " + out + dirs);
    EXPECT_EQ(merged.exit_code, 1) << merged.err;  // error rows inside
    EXPECT_EQ(ReadFile(out + "/summary.csv"), ref_csv) << n;
    const std::string jsonl = ReadFile(out + "/summary.jsonl");
    std::string ref_jsonl = ReadFile(ref + "/summary.jsonl");
    for (size_t p = ref_jsonl.find(ref + "/"); p != std::string::npos;
         p = ref_jsonl.find(ref + "/", p)) {
      ref_jsonl.replace(p, ref.size(), out);
    }
    EXPECT_EQ(jsonl, ref_jsonl) << n;
  }
}

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShardMergeTest, MergedFolderIsByteForByteTheUnshardedOne) {
  const std::string d = Fresh("bytes");
  // Real clips, two of them named alike (clip, clip-2 in any shard).
  fs::create_directories(d + "/in/a");
  fs::create_directories(d + "/in/b");
  fs::copy_file(Generated("pipe.mkv", std::string(kSource) +
                                          "-c:v libx264 -pix_fmt yuv420p"),
                d + "/in/a/clip.mkv");
  fs::copy_file(
      Generated("pipe.ts", std::string(kSource) + "-c:v mpeg2video -q:v 4"),
      d + "/in/b/clip.ts");
  fs::copy_file(
      Generated("shard_still.png", "-f lavfi -i testsrc2=s=64x48 -frames:v 1"),
      d + "/in/still.png");
  const std::string in = d + "/in", out = d + "/out", ref = d + "/ref";
  ASSERT_EQ(
      RunCommand(Cli() + " score -q --heatmap -o " + out + " " + in).exit_code,
      0);
  fs::rename(out, ref);
  std::string dirs;
  for (int i = 0; i < 3; ++i) {
    const std::string part = d + "/part" + std::to_string(i);
    ASSERT_EQ(RunCommand(Cli() + " score -q --heatmap -j 2 -o " + part +
                         " --shard " + std::to_string(i) + "/3 " + in)
                  .exit_code,
              0);
    dirs += " " + part;
  }
  ASSERT_EQ(RunCommand(Cli() + " merge -q -o " + out + dirs).exit_code, 0);
  std::vector<std::string> names = Files(ref);
  EXPECT_EQ(Files(out), names);
  EXPECT_EQ(names.size(), 3u * 3 + 2);  // json, csv, png per input + summary
  for (const std::string& name : names) {
    std::string got = ReadFile(out + "/" + name);
    std::string want = ReadFile(ref + "/" + name);
    if (name == "summary.jsonl") {
      for (size_t p = want.find(ref + "/"); p != std::string::npos;
           p = want.find(ref + "/", p)) {
        want.replace(p, ref.size(), out);
      }
    }
    EXPECT_EQ(got, want) << name;
  }
}

TEST(ShardMergeTest, MergeRefusesWhatDoesNotFit) {
  const std::string d = Fresh("refuse");
  const std::string list = FiftyInputs(d);
  auto shard = [&](const std::string& dir, const std::string& spec,
                   const std::string& extra = "") {
    return RunCommand(Cli() + " score -q -o " + d + "/" + dir + " --shard " +
                      spec + " --from-list " + list + extra)
        .exit_code;
  };
  ASSERT_LE(shard("s0", "0/2"), 1);
  ASSERT_LE(shard("s1", "1/2"), 1);
  ASSERT_LE(shard("other", "1/2", " --metrics laplacian_var"), 1);
  ASSERT_LE(shard("of3", "1/3"), 1);
  fs::create_directories(d + "/empty");
  auto merge = [&](const std::string& dirs) {
    return RunCommand(Cli() + " merge -q -o " + d + "/m " + dirs);
  };
  const std::string s0 = d + "/s0", s1 = d + "/s1";
  struct Case {
    std::string dirs, says;
  };
  for (const Case& c : {Case{s0 + " " + d + "/empty", "no completion marker"},
                        Case{s0 + " " + d + "/other", "other options"},
                        Case{s0 + " " + s0, "overlapping inputs"},
                        Case{s0, "shard 1/2 is missing"},
                        Case{s0 + " " + d + "/of3", "shard of 3"}}) {
    const auto r = merge(c.dirs);
    EXPECT_EQ(r.exit_code, 2) << c.dirs;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_FALSE(fs::exists(d + "/m/summary.csv"));
  EXPECT_EQ(merge(s0 + " " + s1).exit_code, 1);
  // A rerun withdraws the marker first; a usage error leaves it alone.
  EXPECT_EQ(shard("s1", "2/2"), 2);
  EXPECT_TRUE(fs::exists(s1 + "/" + kShardMarker));
}

TEST(ShardMergeTest, AutoShardReadsTheSchedulersIndex) {
  const std::string d = Fresh("auto");
  const std::string list = FiftyInputs(d);
  const std::string base =
      Cli() + " score -q --shard auto/3 --from-list " + list + " -o " + d;
  EXPECT_LE(RunCommand("env -u JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID=2 " +
                       base + "/slurm")
                .exit_code,
            1);
  EXPECT_LE(RunCommand("env -u SLURM_ARRAY_TASK_ID JOB_COMPLETION_INDEX=1 " +
                       base + "/k8s")
                .exit_code,
            1);
  Result<ShardMarker> slurm = LoadShardMarker(d + "/slurm");
  Result<ShardMarker> k8s = LoadShardMarker(d + "/k8s");
  ASSERT_TRUE(slurm.ok() && k8s.ok());
  EXPECT_EQ(slurm->shard.index, 2);
  EXPECT_EQ(k8s->shard.index, 1);
  const auto none = RunCommand(
      "env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX " + base + "/none");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("SLURM_ARRAY_TASK_ID"), std::string::npos);
  const auto out_of_range = RunCommand(
      "env -u JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID=3 " + base + "/x");
  EXPECT_EQ(out_of_range.exit_code, 2);
}

// "Retry me" (75): outputs that cannot be written (here: a file size
// limit, as a full disk would) and SIGTERM; no shard marker either way.
TEST(ExitCodeTest, TransientFailuresAskForARetry) {
  const std::string clip = Generated(
      "pipe.mkv", std::string(kSource) + "-c:v libx264 -pix_fmt yuv420p");
  const std::string d = Fresh("retry");
  const auto full =
      RunCommand("trap '' XFSZ; ulimit -f 1; " + Cli() +
                 " score -q --shard 0/1 -o " + d + "/full " + clip);
  EXPECT_EQ(full.exit_code, 75) << full.err;
  EXPECT_FALSE(fs::exists(d + "/full/" + kShardMarker));

  // SIGTERM while the input is still arriving on stdin.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::fflush(stdout);
  const std::string cli = Cli(), out = d + "/term";
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[0], 0);
    close(fds[1]);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(cli.c_str(), cli.c_str(), "score", "-q", "--shard", "0/1", "-o",
          out.c_str(), "-", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  // Wait until the handler is installed (SigCgt has SIGTERM's bit).
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool ready = false;
  while (!ready && std::chrono::steady_clock::now() < deadline) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("SigCgt:", 0) == 0) {
        ready = (std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1;
      }
    }
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(ready);
  const std::string bytes = ReadFile(clip);
  ASSERT_EQ(write(fds[1], bytes.data(), bytes.size() / 2),
            static_cast<ssize_t>(bytes.size() / 2));
  kill(pid, SIGTERM);
  close(fds[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 75);
  EXPECT_FALSE(fs::exists(out + "/" + kShardMarker));
}

}  // namespace
}  // namespace cli_scale_test
}  // namespace acuity
