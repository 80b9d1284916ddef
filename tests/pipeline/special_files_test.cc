// Inputs that are not regular files (FIFOs, devices, directories named like
// videos, symbolic link loops) are error rows found before anything is
// opened: a FIFO without a writer once blocked avformat_open_input forever,
// and folders skipped such entries without a word. --threads 1 starts no
// FFmpeg thread. The demuxer's interrupt callback bounds each I/O call.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "acuity/decoder.h"
#include "acuity/files.h"
#include "acuity/metric.h"
#include "acuity/score.h"
#include "test_util.h"

namespace acuity {
namespace pipeline_special_files_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::Fixture;
using test::RunCommand;

// A folder of special entries named like videos, beside one real video.
std::string SpecialFolder(const std::string& name) {
  const fs::path d = fs::path(ACUITY_BINARY_DIR) / "special_files_test" / name;
  fs::remove_all(d);
  fs::create_directories(d / "x.mp4");  // a directory named like a video
  fs::copy_file(Fixture("good/h264_420p.mp4"), d / "a.mp4");
  EXPECT_EQ(mkfifo((d / "fifo.mp4").c_str(), 0600), 0);
  fs::create_symlink("loop.mkv", d / "loop.mkv");  // points at itself
  return d.string();
}

const Input* Find(const std::vector<Input>& inputs, const std::string& leaf) {
  for (const Input& in : inputs) {
    if (fs::path(in.path).filename() == leaf) return &in;
  }
  return nullptr;
}

TEST(SpecialFilesTest, CheckRegularFileSaysWhatItIs) {
  const std::string d = SpecialFolder("check");
  EXPECT_TRUE(CheckRegularFile(d + "/a.mp4").ok());
  EXPECT_EQ(CheckRegularFile(d + "/none.mp4").code(), StatusCode::kNotFound);
  struct Case {
    std::string path, fragment;
  };
  for (const Case& c :
       {Case{d + "/fifo.mp4", "FIFO"}, Case{d + "/x.mp4", "directory"},
        Case{d + "/loop.mkv", "symbolic link loop"},
        Case{"/dev/null", "character device"}}) {
    const Status s = CheckRegularFile(c.path);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.path;
    EXPECT_NE(s.message().find(c.fragment), std::string::npos) << s.message();
  }
}

TEST(SpecialFilesTest, FoldersReportSpecialEntriesAsErrors) {
  const std::string d = SpecialFolder("folder");
  const std::vector<Input> inputs = ExpandInputs({d});
  ASSERT_EQ(inputs.size(), 4u);
  ASSERT_NE(Find(inputs, "a.mp4"), nullptr);
  EXPECT_TRUE(Find(inputs, "a.mp4")->error.ok());
  for (const char* leaf : {"fifo.mp4", "x.mp4", "loop.mkv"}) {
    const Input* in = Find(inputs, leaf);
    ASSERT_NE(in, nullptr) << leaf << " was skipped";
    EXPECT_FALSE(in->error.ok()) << leaf;
    EXPECT_EQ(in->error.message().rfind(in->path + ": ", 0), 0u)
        << in->error.message();
  }
}

TEST(SpecialFilesTest, ExplicitSpecialInputsAreRefusedUpFront) {
  const std::string d = SpecialFolder("explicit");
  const std::vector<Input> inputs =
      ExpandInputs({d + "/fifo.mp4", d + "/loop.mkv", "/dev/zero", d + "/a.mp4",
                    d + "/missing.mp4"});
  ASSERT_EQ(inputs.size(), 5u);
  EXPECT_FALSE(inputs[0].error.ok());
  EXPECT_FALSE(inputs[1].error.ok());
  EXPECT_FALSE(inputs[2].error.ok());
  EXPECT_TRUE(inputs[3].error.ok());
  EXPECT_TRUE(inputs[4].error.ok());  // the decoder says "No such file"
  // The decoder refuses them too (library callers skip ExpandInputs).
  auto opened = Decoder::Open(d + "/fifo.mp4", {});
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("FIFO"), std::string::npos)
      << opened.status().message();
}

// The batch from the issue: a FIFO among the inputs, two workers. Under
// `timeout`: before the fix this never returned.
TEST(SpecialFilesTest, BatchWithFifoFinishesAndWritesTheSummary) {
  const std::string d = SpecialFolder("batch");
  const std::string out = d + "/out";
  const auto r =
      RunCommand("timeout 120 " + Cli() + " score -q -j 2 -o " + out + " " + d);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // some inputs are errors
  const std::string summary = test::ReadFile(out + "/summary.csv");
  for (const char* leaf :
       {"a.mp4,ok", "fifo.mp4,error", "x.mp4,error", "loop.mkv,error"}) {
    EXPECT_NE(summary.find(leaf), std::string::npos) << leaf << "\n" << summary;
  }
}

// The callback is wired: with no time at all, probing stops at once.
TEST(SpecialFilesTest, InterruptCallbackBoundsDemuxerCalls) {
  DecoderOptions opt;
  opt.io_timeout = 0.0;
  auto opened = Decoder::Open(Fixture("good/h264_420p.mp4"), opt);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kIo);
  EXPECT_NE(opened.status().message().find("timed out"), std::string::npos)
      << opened.status().message();
  opt.io_timeout = 60.0;
  EXPECT_TRUE(Decoder::Open(Fixture("good/h264_420p.mp4"), opt).ok());
}

int ThreadCount() {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc/self/task")) {
    (void)e;
    ++n;
  }
  return n;
}

// --threads 1: the scoring thread and the metrics thread, no FFmpeg frame
// threads (there were two: threads + 1). Counted in /proc/self/task while a
// 1500-frame video is being scored.
TEST(SpecialFilesTest, OneThreadMeansNoFfmpegThreads) {
  auto selected = SelectMetrics("laplacian_var");
  ASSERT_TRUE(selected.ok());
  ScoreOptions options;
  options.metrics = *selected;
  options.decoder.threads = 1;
  // Warm up once: whatever pools OpenCV or the metrics keep are counted in
  // the baseline.
  ASSERT_TRUE(ScoreVideo(Fixture("good/h264_420p.mp4"), options).ok());
  const int baseline = ThreadCount();
  BatchProgress progress(1);
  std::atomic<bool> finished{false};
  std::thread scorer([&] {
    (void)ScoreVideo(Fixture("good/long_60s.mp4"), options, &progress, 0);
    finished = true;
  });
  int peak = 0;
  while (!finished) {
    if (progress.current[0].load() > 0.0) {
      peak = std::max(peak, ThreadCount());
      if (progress.current[0].load() > 0.2) progress.cancel = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  scorer.join();
  ASSERT_GT(peak, 0) << "never saw the video being scored";
  EXPECT_LE(peak, baseline + 2) << "baseline " << baseline;
}

}  // namespace
}  // namespace pipeline_special_files_test
}  // namespace acuity
