// Report: pooling statistics, number formatting, schema fields, CSV shape,
// atomic writes.
#include "acuity/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

namespace acuity {
namespace report_report_test {
namespace {

namespace fs = std::filesystem;

TEST(SummarizeTest, KnownValuesAndNulls) {
  // numpy: np.percentile([1,2,3,4,10], [5,50,95]) = [1.2, 3, 8.8]
  const std::vector<std::optional<double>> v = {3.0,  std::nullopt, 1.0,
                                                10.0, 2.0,          4.0};
  const std::vector<double> t = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5};
  const SummaryStats s = Summarize(v, t);
  EXPECT_EQ(s.n, 5);
  EXPECT_EQ(s.n_null, 1);
  EXPECT_DOUBLE_EQ(*s.mean, 4.0);
  EXPECT_DOUBLE_EQ(*s.median, 3.0);
  EXPECT_NEAR(*s.p5, 1.2, 1e-12);
  EXPECT_NEAR(*s.p95, 8.8, 1e-12);
  EXPECT_NEAR(*s.std, std::sqrt(10.0), 1e-12);  // population std
  EXPECT_DOUBLE_EQ(*s.min, 1.0);
  EXPECT_DOUBLE_EQ(*s.min_time, 0.2);
  EXPECT_DOUBLE_EQ(*s.max, 10.0);
  EXPECT_DOUBLE_EQ(*s.max_time, 0.3);
}

TEST(SummarizeTest, AllNullGivesNullStatistics) {
  const SummaryStats s = Summarize({std::nullopt, std::nullopt}, {0, 1});
  EXPECT_EQ(s.n, 0);
  EXPECT_EQ(s.n_null, 2);
  EXPECT_FALSE(s.mean.has_value());
  EXPECT_FALSE(s.median.has_value());
  EXPECT_FALSE(s.min_time.has_value());
}

TEST(FormatNumberTest, RoundTripsAndNull) {
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(std::nullopt), "null");
  EXPECT_EQ(FormatNumber(std::nan("")), "null");
  const double x = 1234.5678901234567;
  EXPECT_EQ(std::stod(FormatNumber(x)), x);
}

VideoReport SmallReport() {
  VideoReport r;
  r.video.path = "a,b.mp4";
  r.video.codec = "h264";
  r.video.width = 320;
  r.video.height = 180;
  r.video.fps = 25;
  r.video.frames_used = 2;
  r.metrics = {
      {"laplacian_var", "u", "0..inf", Direction::kHigherIsSharper, "h"}};
  r.frames = {{0, 0.0, true, ""}, {1, 0.04, false, ""}};
  r.values = {{12.5, std::nullopt}};
  r.summary = {Summarize(r.values[0], {0.0, 0.04})};
  return r;
}

TEST(ReportJsonTest, HasEveryDocumentedField) {
  RunInfo run;
  run.tool_version = "9.9";
  run.simd_target = "AVX2";
  run.metrics = {"laplacian_var"};
  const auto j = nlohmann::json::parse(VideoReportJson(SmallReport(), run));
  EXPECT_EQ(j["schema_version"], kSchemaVersion);
  EXPECT_EQ(j["tool"]["version"], "9.9");
  EXPECT_EQ(j["tool"]["simd_target"], "AVX2");
  for (const char* k :
       {"metrics", "fps", "every", "keyframes", "max_frames", "start",
        "duration", "threads", "max_pixels", "brisque_every"}) {
    EXPECT_TRUE(j["options"].contains(k)) << k;
  }
  for (const char* k :
       {"path", "container", "codec", "width", "height", "pix_fmt",
        "analysed_pix_fmt", "bit_depth", "range", "scale", "fps", "duration",
        "bitrate", "rotation", "still_image", "frames_decoded", "frames_used",
        "decode_errors"}) {
    EXPECT_TRUE(j["video"].contains(k)) << k;
  }
  ASSERT_EQ(j["frames"].size(), 2u);
  EXPECT_EQ(j["frames"][0]["metrics"]["laplacian_var"], 12.5);
  EXPECT_TRUE(j["frames"][1]["metrics"]["laplacian_var"].is_null());
  EXPECT_EQ(j["frames"][0]["key_frame"], true);
  const auto& s = j["summary"]["laplacian_var"];
  for (const char* k : {"n", "n_null", "mean", "median", "p5", "p95", "std",
                        "min", "min_time", "max", "max_time"}) {
    EXPECT_TRUE(s.contains(k)) << k;
  }
  EXPECT_EQ(s["n_null"], 1);
  EXPECT_EQ(j["metrics"]["laplacian_var"]["direction"], "higher_is_sharper");
}

TEST(ReportCsvTest, FramesAndSummaryShape) {
  const VideoReport r = SmallReport();
  std::ostringstream frames;
  WriteFramesCsv(frames, r);
  EXPECT_EQ(frames.str(),
            "index,pts,key_frame,laplacian_var\n0,0,1,12.5\n1,0.04,0,\n");

  std::vector<BatchRow> rows(2);
  rows[0].path = "a,b.mp4";
  rows[0].report = r;
  rows[1].path = "bad.mp4";
  rows[1].status = InvalidData("bad.mp4: cannot open: Invalid data");
  std::ostringstream csv;
  WriteSummaryCsv(csv, rows, r.metrics);
  EXPECT_EQ(csv.str(),
            "path,status,error,verdict,looks_like,effective_height,"
            "resolution_ratio,resolution_ratio_p10,edge_width_px,"
            "laplacian_var_nc,colorfulness,codec,width,height,fps,duration,"
            "frames_used,laplacian_var_median\n"
            // Without resolution_ratio there is no verdict: empty headline.
            "\"a,b.mp4\",ok,,,,,,,,,,h264,320,180,25,,2,12.5\n"
            "bad.mp4,error,bad.mp4: cannot open: Invalid data,,,,,,,,,,,,,,,\n");

  std::ostringstream jsonl;
  WriteSummaryJsonl(jsonl, rows, r.metrics);
  std::istringstream in(jsonl.str());
  std::string line;
  std::getline(in, line);
  auto j0 = nlohmann::json::parse(line);
  EXPECT_EQ(j0["status"], "ok");
  EXPECT_EQ(j0["median"]["laplacian_var"], 12.5);
  std::getline(in, line);
  auto j1 = nlohmann::json::parse(line);
  EXPECT_EQ(j1["status"], "error");
  EXPECT_TRUE(j1["median"]["laplacian_var"].is_null());
}

TEST(AtomicWriteTest, ReplacesWholeFileAndLeavesNoTemporary) {
  const fs::path dir = fs::path(ACUITY_BINARY_DIR) / "atomic_write_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "r.json").string();
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second, longer").ok());
  EXPECT_EQ(test::ReadFile(path), "second, longer");
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++files;
    EXPECT_EQ(e.path().filename(), "r.json");
  }
  EXPECT_EQ(files, 1);
}

TEST(AtomicWriteTest, FailureNamesTheFileAndWritesNothing) {
  const std::string path =
      std::string(ACUITY_BINARY_DIR) + "/no/such/dir/r.json";
  const Status s = WriteFileAtomic(path, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind(path, 0), 0u) << s.message();
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace report_report_test
}  // namespace acuity
