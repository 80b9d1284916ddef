// Frame sets: an image sequence (a pattern or a folder with --sequence) is
// one clip whose frames are named by file; a folder of independent stills
// is one table with no per-image files unless --per-item-reports; the
// default parallelism gives the numbers of -j 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "test_util.h"

namespace acuity {
namespace cli_frame_set_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::ReadFile;
using test::RunCommand;

fs::path Root() { return fs::path(ACUITY_BINARY_DIR) / "frame_set_test"; }

// Six 160x96 PNG frames f0001..f0006 (and nothing else) in a folder.
std::string Frames() {
  const fs::path d = Root() / "frames";
  if (!fs::exists(d / "f0006.png")) {
    fs::create_directories(d);
    const auto r = RunCommand(
        "ffmpeg -nostdin -v error -y -f lavfi -i "
        "testsrc2=s=160x96:r=25:d=0.24 '" +
        (d / "f%04d.png").string() + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return d.string();
}

std::string Fresh(const std::string& name) {
  const fs::path d = Root() / name;
  fs::remove_all(d);
  return d.string();
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    const size_t end = s.find('\n', start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

TEST(FrameSetTest, PatternIsOneClipWithFramesNamedByFile) {
  const std::string frames = Frames();
  const std::string out = Fresh("pattern");
  const auto r = RunCommand(Cli() + " score -q --sequence-fps 10 -o " + out +
                            " '" + frames + "/f%04d.png'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> csv =
      Lines(ReadFile(out + "/f%04d.frames.csv"));
  ASSERT_EQ(csv.size(), 7u);
  EXPECT_EQ(csv[0].rfind("index,pts,key_frame,file,", 0), 0u) << csv[0];
  EXPECT_EQ(csv[1].rfind("0,0,1,f0001.png,", 0), 0u) << csv[1];
  EXPECT_EQ(csv[6].rfind("5,0.5,1,f0006.png,", 0), 0u) << csv[6];
  const std::string json = ReadFile(out + "/f%04d.acuity.json");
  EXPECT_NE(json.find("\"container\":\"image_sequence\""), std::string::npos);
  EXPECT_NE(json.find("\"file\":\"f0003.png\""), std::string::npos);
  EXPECT_NE(json.find("\"sequence_fps\":10"), std::string::npos);
  const std::string summary = ReadFile(out + "/summary.csv");
  EXPECT_NE(summary.find(",160,96,10,0.6,6,"), std::string::npos) << summary;
}

TEST(FrameSetTest, FolderWithSequenceEqualsThePatternAndSamples) {
  const std::string frames = Frames();
  const auto pattern =
      RunCommand(Cli() + " score -q --format csv '" + frames + "/f%04d.png'");
  const auto folder =
      RunCommand(Cli() + " score -q --format csv --sequence " + frames);
  ASSERT_EQ(pattern.exit_code, 0) << pattern.err;
  ASSERT_EQ(folder.exit_code, 0) << folder.err;
  const auto a = Lines(pattern.out), b = Lines(folder.out);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  // Same values; only the path differs.
  EXPECT_EQ(a[1].substr(a[1].find(',')), b[1].substr(b[1].find(',')));
  EXPECT_NE(a[1].find(",25,0.24,6,"), std::string::npos) << a[1];
  // Sampling on the sequence's timestamps: --every 2 -> frames 0, 2, 4.
  const std::string out = Fresh("every");
  ASSERT_EQ(RunCommand(Cli() + " score -q --every 2 --sequence -o " + out +
                       " " + frames)
                .exit_code,
            0);
  const auto csv = Lines(ReadFile(out + "/frames.frames.csv"));
  ASSERT_EQ(csv.size(), 4u);
  EXPECT_EQ(csv[3].rfind("4,0.16,1,f0005.png,", 0), 0u) << csv[3];
}

TEST(FrameSetTest, FolderOfStillsIsOneTable) {
  const std::string frames = Frames();
  const std::string out = Fresh("set");
  const auto r = RunCommand(Cli() + " score -q -o " + out + " " + frames);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(out)) {
    files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"summary.csv", "summary.jsonl"}));
  const auto rows = Lines(ReadFile(out + "/summary.csv"));
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[1].rfind(frames + "/f0001.png,ok,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[6].rfind(frames + "/f0006.png,ok,", 0), 0u) << rows[6];
  EXPECT_NE(ReadFile(out + "/summary.jsonl").find("\"report\":null"),
            std::string::npos);
  const std::string per = Fresh("per");
  ASSERT_EQ(RunCommand(Cli() + " score -q --per-item-reports -o " + per + " " +
                       frames)
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(per + "/f0004.acuity.json"));
  EXPECT_TRUE(fs::exists(per + "/f0004.frames.csv"));
  EXPECT_EQ(ReadFile(per + "/summary.csv"), ReadFile(out + "/summary.csv"));
}

TEST(FrameSetTest, DefaultParallelismGivesTheNumbersOfOneJob) {
  const std::string frames = Frames();
  const auto auto_j = RunCommand(Cli() + " score -q --format csv " + frames);
  const auto one = RunCommand(Cli() + " score -q -j 1 --threads 0 --format " +
                              "csv " + frames);
  ASSERT_EQ(auto_j.exit_code, 0);
  EXPECT_EQ(auto_j.out, one.out);
  EXPECT_EQ(Lines(auto_j.out).size(), 7u);
}

TEST(FrameSetTest, MixedSizesAndEmptyPatternsAreClearErrors) {
  const std::string d = Fresh("mixed");
  fs::create_directories(d);
  fs::copy_file(Frames() + "/f0001.png", d + "/a0001.png");
  const auto r = RunCommand(
      "ffmpeg -nostdin -v error -y -f lavfi -i "
      "testsrc2=s=64x48 -frames:v 1 '" +
      d + "/a0002.png'");
  ASSERT_EQ(r.exit_code, 0);
  const auto mixed =
      RunCommand(Cli() + " score -q --format csv '" + d + "/a%04d.png'");
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(mixed.err.find("a0002.png: 64x48"), std::string::npos) << mixed.err;
  const auto none =
      RunCommand(Cli() + " score -q --format csv '" + d + "/zz%03d.png'");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no file matches"), std::string::npos) << none.err;
  EXPECT_TRUE(IsSequencePattern("x/f%04d.png"));
  EXPECT_TRUE(IsSequencePattern("img_%d.jpg"));
  EXPECT_FALSE(IsSequencePattern("100%%.png"));
  EXPECT_FALSE(IsSequencePattern("a%d%d.png"));
  EXPECT_FALSE(IsSequencePattern("%s.png"));
}

}  // namespace
}  // namespace cli_frame_set_test
}  // namespace acuity
