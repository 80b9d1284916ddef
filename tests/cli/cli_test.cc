// End-to-end: the acuity binary on samples/ and on the fixtures.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acuity/report.h"
#include "test_util.h"

namespace acuity {
namespace cli_cli_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::Fixture;
using test::RunCommand;
using test::Sample;

std::string FreshDir(const std::string& name) {
  const fs::path d = fs::path(ACUITY_BINARY_DIR) / "cli_test" / name;
  fs::remove_all(d);
  return d.string();
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<nlohmann::json> JsonLines(const std::string& s) {
  std::vector<nlohmann::json> out;
  for (const auto& l : Lines(s)) out.push_back(nlohmann::json::parse(l));
  return out;
}

void ExpectNoTemporaries(const std::string& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos)
        << e.path();
  }
}

TEST(CliTest, VersionAndHelp) {
  auto v = RunCommand(Cli() + " --version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("acuity "), std::string::npos);
  EXPECT_NE(v.out.find("simd: "), std::string::npos);
  auto h = RunCommand(Cli() + " help");
  EXPECT_EQ(h.exit_code, 0);
  for (const char* c : {"acuity score", "acuity compare", "acuity check"}) {
    EXPECT_NE(h.out.find(c), std::string::npos) << c;
  }
  for (const char* c : {"compare", "check"}) {
    auto ch = RunCommand(Cli() + " help " + c);
    EXPECT_EQ(ch.exit_code, 0) << c;
    EXPECT_NE(ch.out.find("Exit status"), std::string::npos) << c;
  }
  auto sh = RunCommand(Cli() + " score --help");
  EXPECT_EQ(sh.exit_code, 0);
  for (const char* s : {"--keyframes", "--fps", "--every", "--start",
                        "laplacian_var", "Exit status", "Examples"}) {
    EXPECT_NE(sh.out.find(s), std::string::npos) << s;
  }
}

TEST(CliTest, UsageErrorsExit2) {
  EXPECT_EQ(RunCommand(Cli()).exit_code, 2);
  EXPECT_EQ(RunCommand(Cli() + " frobnicate").exit_code, 2);
  EXPECT_EQ(RunCommand(Cli() + " score").exit_code, 2);
  EXPECT_EQ(RunCommand(Cli() + " score --no-such-flag x.mp4").exit_code, 2);
  auto r = RunCommand(Cli() + " score --metrics nonsense " +
                      Sample("ladder_sigma0.mp4"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown metric 'nonsense'"), std::string::npos)
      << r.err;
  EXPECT_EQ(RunCommand(Cli() + " score --format xml " + Sample("still.png"))
                .exit_code,
            2);
}

TEST(CliTest, BlurLadderIsStrictlyOrdered) {
  const std::string out = FreshDir("ladder");
  auto r = RunCommand(
      Cli() + " score --quiet --format json -o " + out + " " +
      Sample("ladder_sigma0.mp4") + " " + Sample("ladder_sigma1.mp4") + " " +
      Sample("ladder_sigma2.mp4") + " " + Sample("ladder_sigma4.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  const auto rows = JsonLines(r.out);
  ASSERT_EQ(rows.size(), 4u);
  double prev = 1e300;
  for (const auto& row : rows) {
    ASSERT_EQ(row["status"], "ok") << row.dump();
    const double v = row["median"]["laplacian_var"];
    EXPECT_LT(v, prev) << row["path"];
    prev = v;
  }
  for (const char* f : {"ladder_sigma0.acuity.json", "ladder_sigma0.frames.csv",
                        "summary.csv", "summary.jsonl"}) {
    EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
  }
  // Every frame of the sharp clip is sharper than every frame of sigma 4.
  auto sharp =
      nlohmann::json::parse(test::ReadFile(out + "/ladder_sigma0.acuity.json"));
  auto soft =
      nlohmann::json::parse(test::ReadFile(out + "/ladder_sigma4.acuity.json"));
  EXPECT_LT(soft["summary"]["laplacian_var"]["max"].get<double>(),
            sharp["summary"]["laplacian_var"]["min"].get<double>());
  EXPECT_EQ(sharp["schema_version"], kSchemaVersion);
  EXPECT_EQ(sharp["video"]["frames_used"], sharp["frames"].size());
  ExpectNoTemporaries(out);
}

TEST(CliTest, JobsDoNotChangeNumbers) {
  const std::string a = FreshDir("j1"), b = FreshDir("j2");
  const std::string inputs = std::string(ACUITY_SOURCE_DIR) + "/samples " +
                             Fixture("good/hevc_10bit.mp4") + " " +
                             Fixture("good/vp9.webm");
  auto r1 = RunCommand(Cli() + " score -q -j 1 -o " + a + " " + inputs);
  auto r2 =
      RunCommand(Cli() + " score -q -j 2 --threads 1 -o " + b + " " + inputs);
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_EQ(r1.out, r2.out);
  EXPECT_EQ(test::ReadFile(a + "/summary.csv"),
            test::ReadFile(b + "/summary.csv"));
  for (const auto& e : fs::directory_iterator(a)) {
    if (e.path().extension() != ".csv") continue;
    EXPECT_EQ(test::ReadFile(e.path().string()),
              test::ReadFile((fs::path(b) / e.path().filename()).string()))
        << e.path();
  }
}

TEST(CliTest, FramesInFlightDoNotChangeReports) {
  // --metrics all on a clip with motion and faces (faces every 3rd frame,
  // brisque every 4th, so the temporal metrics' state matters): the report
  // and the per-frame CSV are the same bytes for 1, 2 and 4 frames in
  // flight and 1 or 2 metric threads, and for the default (auto: 2 frames in
  // flight for a single input).
  const std::string clip =
      "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";
  std::vector<std::string> json, csv;
  for (const std::string flags :
       {"--frames-in-flight 1 --metric-threads 1",
        "--frames-in-flight 2 --metric-threads 1",
        "--frames-in-flight 4 --metric-threads 2", "--metric-threads 1"}) {
    const std::string dir =
        FreshDir("in_flight_" + std::to_string(json.size()));
    auto r = RunCommand(Cli() + " score -q --threads 2 --metrics all " +
                        "--face-every 3 --brisque-every 4 --max-frames 24 " +
                        flags + " -o " + dir + " " + clip);
    ASSERT_EQ(r.exit_code, 0) << flags << ": " << r.err;
    json.push_back(test::ReadFile(dir + "/Megamind.acuity.json"));
    csv.push_back(test::ReadFile(dir + "/Megamind.frames.csv"));
    ASSERT_FALSE(csv.back().empty());
  }
  EXPECT_EQ(Lines(csv[0]).size(), 25u);  // header + 24 frames
  for (size_t k = 1; k < json.size(); ++k) {
    EXPECT_EQ(json[0], json[k]) << k;
    EXPECT_EQ(csv[0], csv[k]) << k;
  }
  // Out of range: a usage error (0 is auto).
  for (const std::string n : {"-1", "65"}) {
    EXPECT_EQ(
        RunCommand(Cli() + " score -q --frames-in-flight " + n + " " + clip)
            .exit_code,
        2)
        << n;
  }
}

TEST(CliTest, BadFilesNeverStopTheBatch) {
  const std::string out = FreshDir("bad");
  const std::vector<std::string> bad = {
      "bad/empty.mp4",      "bad/random.mp4",        "bad/truncated.mp4",
      "bad/audio_only.m4a", "bad/unknown_codec.avi", "bad/not_a_video.txt",
      "bad/missing.mp4",    "bad/empty_dir"};
  std::string args;
  for (const auto& b : bad) args += " " + Fixture(b);
  auto r = RunCommand(Cli() + " score -q --format json -o " + out + " " +
                      Fixture("good/h264_420p.mp4") + args + " " +
                      Fixture("good/still.png"));
  EXPECT_EQ(r.exit_code, 1);
  const auto rows = JsonLines(r.out);
  ASSERT_EQ(rows.size(), bad.size() + 2);
  EXPECT_EQ(rows.front()["status"], "ok");
  EXPECT_EQ(rows.back()["status"], "ok");
  const auto err_lines = Lines(r.err);
  EXPECT_EQ(err_lines.size(), bad.size()) << r.err;
  for (size_t i = 0; i < bad.size(); ++i) {
    const auto& row = rows[i + 1];
    EXPECT_EQ(row["status"], "error") << row.dump();
    EXPECT_EQ(row["path"], Fixture(bad[i]));
    const std::string msg = row["error"];
    EXPECT_EQ(msg.rfind(Fixture(bad[i]), 0), 0u) << msg;
    EXPECT_NE(r.err.find(msg), std::string::npos) << msg;
  }
  const std::string dir_error = rows[8]["error"];
  EXPECT_NE(dir_error.find("no video files"), std::string::npos) << dir_error;
  // Failed inputs leave no per-video files, and nothing half-written.
  EXPECT_FALSE(fs::exists(fs::path(out) / "empty.acuity.json"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "h264_420p.acuity.json"));
  ExpectNoTemporaries(out);
  const auto summary = Lines(test::ReadFile(out + "/summary.csv"));
  EXPECT_EQ(summary.size(), bad.size() + 3);  // header + rows
}

TEST(CliTest, OddInputsScore) {
  auto r = RunCommand(
      Cli() + " score -q --format json " + Fixture("good/odd_1281x721.mp4") +
      " " + Fixture("good/h264_444p.mp4") + " " +
      Fixture("good/hevc_10bit.mp4") + " " + Fixture("good/av1.mkv") + " " +
      Fixture("good/vfr.mkv") + " " + Fixture("good/rotated.mp4") + " " +
      Fixture("good/ffv1_rgb.mkv") + " " + Fixture("good/still.jpg") + " " +
      Fixture("bad/truncated_faststart.mp4"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& row : JsonLines(r.out)) {
    EXPECT_EQ(row["status"], "ok") << row.dump();
    EXPECT_TRUE(row["median"]["laplacian_var"].is_number()) << row.dump();
  }
}

TEST(CliTest, FlatClipGivesNullNotZero) {
  auto r =
      RunCommand(Cli() + " score -q --format json " + Fixture("good/flat.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto row = JsonLines(r.out).at(0);
  EXPECT_TRUE(row["median"]["laplacian_var"].is_null()) << row.dump();
  EXPECT_TRUE(row["median"]["luma_mean"].is_number());
}

TEST(CliTest, FadeToBlackEndsInNulls) {
  const std::string out = FreshDir("fade");
  auto r = RunCommand(Cli() + " score -q -o " + out + " " +
                      Fixture("good/fade.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(test::ReadFile(out + "/fade.acuity.json"));
  const auto& frames = j["frames"];
  EXPECT_TRUE(frames[0]["metrics"]["laplacian_var"].is_number());
  EXPECT_TRUE(frames[frames.size() - 1]["metrics"]["laplacian_var"].is_null());
  EXPECT_GT(j["summary"]["laplacian_var"]["n_null"].get<int>(), 0);
}

TEST(CliTest, PixelLimitIsAReadableError) {
  auto r = RunCommand(Cli() + " score -q --max-pixels 100000 " +
                      Fixture("good/gop2s_1080p.mp4"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("exceeds the limit of 100000 pixels"), std::string::npos)
      << r.err;
}

TEST(CliTest, EmptySelectionIsAnErrorNotAnEmptyReport) {
  auto r = RunCommand(Cli() + " score -q --start 100 " +
                      Fixture("good/h264_420p.mp4"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no frame selected"), std::string::npos) << r.err;
}

TEST(CliTest, SamplingFlagsReachTheReport) {
  const std::string out = FreshDir("sampling");
  auto r = RunCommand(Cli() + " score -q --every 5 --max-frames 4 -o " + out +
                      " " + Fixture("good/h264_420p.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j =
      nlohmann::json::parse(test::ReadFile(out + "/h264_420p.acuity.json"));
  EXPECT_EQ(j["options"]["every"], 5);
  EXPECT_EQ(j["options"]["max_frames"], 4);
  ASSERT_EQ(j["frames"].size(), 4u);
  EXPECT_EQ(j["frames"][3]["index"], 15);
  EXPECT_NEAR(j["frames"][3]["pts"].get<double>(), 0.6, 1e-9);
}

TEST(CliTest, StdoutFormatsAgreeWithFiles) {
  const std::string out = FreshDir("formats");
  auto csv = RunCommand(Cli() + " score -q --format csv -o " + out + " " +
                        Sample("ladder_sigma1.mp4"));
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out, test::ReadFile(out + "/summary.csv"));
  auto table = RunCommand(Cli() + " score -q " + Sample("ladder_sigma1.mp4"));
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("laplacian_var"), std::string::npos);
  EXPECT_NE(table.out.find("ladder_sigma1.mp4"), std::string::npos);
}

TEST(CliTest, NoProgressWhenStderrIsNotATerminal) {
  auto r = RunCommand(Cli() + " score " + Sample("ladder_sigma1.mp4"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

// --brisque-every: validated on every command that scores, and applied:
// brisque values on frames 0, 2, 4 of 5, null on 1 and 3.
TEST(BrisqueCliTest, EveryFlagIsValidatedAndApplied) {
  const std::string clip = Fixture("good/h264_420p.mp4");
  for (const char* command : {"score", "compare", "check"}) {
    auto bad = RunCommand(Cli() + " " + command + " --brisque-every 0 " + clip +
                          " " + clip);
    EXPECT_EQ(bad.exit_code, 2) << command;
    EXPECT_NE(bad.err.find("--brisque-every"), std::string::npos) << bad.err;
    EXPECT_EQ(Lines(bad.err).size(), 1u) << bad.err;
  }
  const std::string out = FreshDir("brisque_every");
  auto r = RunCommand(Cli() +
                      " score -q --metrics default,brisque --brisque-every 2 "
                      "--max-frames 5 -o " +
                      out + " " + clip);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j =
      nlohmann::json::parse(test::ReadFile(out + "/h264_420p.acuity.json"));
  ASSERT_EQ(j["frames"].size(), 5u);
  for (size_t f = 0; f < 5; ++f) {
    const auto& v = j["frames"][f]["metrics"]["brisque"];
    EXPECT_EQ(v.is_number(), f % 2 == 0) << "frame " << f << ": " << v;
    EXPECT_TRUE(j["frames"][f]["metrics"]["laplacian_var"].is_number());
  }
  EXPECT_EQ(j["metrics"]["brisque"]["direction"], "higher_is_blurrier");
  EXPECT_EQ(j["options"]["brisque_every"], 2);  // recorded for reproducibility
}

}  // namespace
}  // namespace cli_cli_test
}  // namespace acuity
