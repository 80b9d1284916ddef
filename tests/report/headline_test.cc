// Headline: the verdict rules and where the headline appears (report JSON,
// summary.csv, summary.jsonl, the terminal table).
#include "acuity/headline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace acuity {
namespace report_headline_test {
namespace {

// A report with per-frame resolution_ratio values (height 1080) and
// matching effective_height, plus the other headline keys.
VideoReport ReportWithRatios(const std::vector<std::optional<double>>& ratios,
                             bool with_resolution = true) {
  VideoReport r;
  r.video.path = "clip.mp4";
  r.video.codec = "h264";
  r.video.width = 1920;
  r.video.height = 1080;
  r.video.frames_used = static_cast<int64_t>(ratios.size());
  std::vector<double> t;
  for (size_t i = 0; i < ratios.size(); ++i) {
    r.frames.push_back({static_cast<int64_t>(i), i * 0.04, i == 0, ""});
    t.push_back(i * 0.04);
  }
  auto add = [&](const std::string& key,
                 std::vector<std::optional<double>> values) {
    r.metrics.push_back({key, "u", "r", Direction::kNeutral, "h"});
    r.summary.push_back(Summarize(values, t));
    r.values.push_back(std::move(values));
  };
  if (with_resolution) {
    std::vector<std::optional<double>> lines;
    for (const auto& v : ratios) {
      lines.push_back(v ? std::optional(*v * 1080) : std::nullopt);
    }
    add("effective_height", lines);
    add("resolution_ratio", ratios);
  }
  add("edge_width_px", std::vector<std::optional<double>>(ratios.size(), 2.5));
  add("colorfulness", std::vector<std::optional<double>>(ratios.size(), 40.0));
  return r;
}

TEST(HeadlineTest, NearestStandardHeight) {
  EXPECT_EQ(NearestStandardHeight(1080), 1080);
  EXPECT_EQ(NearestStandardHeight(700), 720);
  EXPECT_EQ(NearestStandardHeight(545), 540);
  EXPECT_EQ(NearestStandardHeight(370), 360);
  EXPECT_EQ(NearestStandardHeight(0), 144);
  EXPECT_EQ(NearestStandardHeight(9000), 4320);
}

TEST(HeadlineTest, VerdictFollowsTheRatioThresholds) {
  EXPECT_EQ(MakeHeadline(ReportWithRatios({0.97, 0.95, 0.96})).verdict,
            "sharp");
  const Headline soft = MakeHeadline(ReportWithRatios({0.5, 0.5, 0.5}));
  EXPECT_EQ(soft.verdict, "soft: looks like ~540p");
  ASSERT_TRUE(soft.looks_like.has_value());
  EXPECT_EQ(*soft.looks_like, 540);
  EXPECT_EQ(MakeHeadline(ReportWithRatios({0.67, 0.66, 0.67})).verdict,
            "soft: looks like ~720p");
  EXPECT_EQ(MakeHeadline(ReportWithRatios({0.33, 0.34, 0.33})).verdict,
            "very soft: looks like ~360p");
  // Exactly at the threshold: sharp.
  EXPECT_EQ(MakeHeadline(ReportWithRatios({kSharpRatio})).verdict, "sharp");
}

TEST(HeadlineTest, VisibleBlocksAreNamed) {
  const auto with_blocks = [](std::vector<std::optional<double>> ratios,
                              double blockiness) {
    VideoReport r = ReportWithRatios(ratios);
    std::vector<double> t;
    for (const FrameRecord& f : r.frames) t.push_back(f.pts);
    std::vector<std::optional<double>> b(ratios.size(), blockiness);
    r.metrics.push_back(
        {"blockiness", "ratio", "0..255", Direction::kNeutral, "h"});
    r.summary.push_back(Summarize(b, t));
    r.values.push_back(b);
    return MakeHeadline(r).verdict;
  };
  EXPECT_EQ(with_blocks({0.5, 0.5}, 1.4), "soft: looks like ~540p; blocky");
  EXPECT_EQ(with_blocks({0.95, 0.95}, kBlockyBlockiness), "sharp; blocky");
  EXPECT_EQ(with_blocks({std::nullopt}, 2.0),
            "undetermined: too little structure to judge; blocky");
  // Below the threshold (clean or lightly coded video): nothing added.
  EXPECT_EQ(with_blocks({0.5, 0.5}, 0.4), "soft: looks like ~540p");
}

TEST(HeadlineTest, UpscalesAreNamed) {
  // upscaled_from_height on `found` of 10 frames, 540 lines each time.
  const auto with_upscale = [](int found, double ratio) {
    VideoReport r =
        ReportWithRatios(std::vector<std::optional<double>>(10, ratio));
    std::vector<double> t;
    for (const FrameRecord& f : r.frames) t.push_back(f.pts);
    std::vector<std::optional<double>> up(10);
    for (int i = 0; i < found; ++i) up[i * 3 % 10] = 540.0;
    r.metrics.push_back(
        {"upscaled_from_height", "lines", "r", Direction::kNeutral, "h"});
    r.summary.push_back(Summarize(up, t));
    r.values.push_back(up);
    return MakeHeadline(r).verdict;
  };
  EXPECT_EQ(with_upscale(10, 0.5),
            "soft: looks like ~540p; upscaled from ~540p");
  // Key frames only (1 in 10 here) still count; none does not.
  EXPECT_EQ(with_upscale(1, 0.5),
            "soft: looks like ~540p; upscaled from ~540p");
  EXPECT_EQ(with_upscale(0, 0.5), "soft: looks like ~540p");
  // The suffix follows whatever the ratio says (an upscale found reads at
  // most its source height, so "sharp" needs a source of 0.8 x the frame).
  EXPECT_EQ(with_upscale(10, 0.9), "sharp; upscaled from ~540p");
}

TEST(HeadlineTest, SoftMomentsShowInTheP10) {
  // 10 frames, 2 of them soft: the median is sharp, the p10 is not.
  std::vector<std::optional<double>> r(10, 0.95);
  r[3] = 0.5;
  r[7] = 0.5;
  const Headline h = MakeHeadline(ReportWithRatios(r));
  EXPECT_EQ(h.verdict, "sharp, soft moments: p10 looks like ~540p");
  ASSERT_TRUE(h.resolution_ratio_p10.has_value());
  EXPECT_LT(*h.resolution_ratio_p10, kSharpRatio);
}

TEST(HeadlineTest, FlatAndNotMeasured) {
  EXPECT_EQ(
      MakeHeadline(ReportWithRatios({std::nullopt, std::nullopt})).verdict,
      "undetermined: too little structure to judge");
  const Headline none =
      MakeHeadline(ReportWithRatios({0.9, 0.9}, /*with_resolution=*/false));
  EXPECT_TRUE(none.verdict.empty());
  EXPECT_DOUBLE_EQ(*none.edge_width_px, 2.5);
}

TEST(HeadlineTest, SummaryCsvAndJsonlLeadWithTheHeadline) {
  std::vector<BatchRow> rows(2);
  rows[0].path = "a.mp4";
  rows[0].report = ReportWithRatios({0.5, 0.5});
  rows[1].path = "bad.mp4";
  rows[1].status = InvalidArgument("bad.mp4: no video stream");
  const std::vector<MetricInfo> metrics = rows[0].report->metrics;
  std::ostringstream csv;
  WriteSummaryCsv(csv, rows, metrics);
  std::istringstream in(csv.str());
  std::string header, first, second;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(header.rfind("path,status,error,verdict,looks_like,"
                         "effective_height,resolution_ratio,"
                         "resolution_ratio_p10,edge_width_px,"
                         "laplacian_var_nc,colorfulness,codec,",
                         0),
            0u)
      << header;
  EXPECT_EQ(first.rfind("a.mp4,ok,,soft: looks like ~540p,540,540,0.5,0.5,"
                        "2.5,,40,h264,",
                        0),
            0u)
      << first;
  // Same number of cells in the error row.
  EXPECT_EQ(std::count(second.begin(), second.end(), ','),
            std::count(header.begin(), header.end(), ','));

  std::ostringstream jsonl;
  WriteSummaryJsonl(jsonl, rows, metrics);
  std::istringstream jin(jsonl.str());
  std::string line;
  std::getline(jin, line);
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["verdict"], "soft: looks like ~540p");
  EXPECT_EQ(j["headline"]["looks_like"], 540);
  EXPECT_DOUBLE_EQ(j["headline"]["resolution_ratio_p10"].get<double>(), 0.5);
  std::getline(jin, line);
  EXPECT_TRUE(nlohmann::json::parse(line)["verdict"].is_null());
}

TEST(HeadlineTest, ReportJsonCarriesTheHeadlineAndP10) {
  const VideoReport r = ReportWithRatios({0.9, 0.4, 0.95, 0.97, 0.96});
  const auto j = nlohmann::json::parse(VideoReportJson(r, RunInfo{}));
  EXPECT_EQ(j["schema_version"], kSchemaVersion);
  // p10 of {0.4, 0.9, 0.95, 0.96, 0.97} (type 7) = 0.6: 648 lines.
  EXPECT_EQ(j["headline"]["verdict"],
            "sharp, soft moments: p10 looks like ~720p");
  EXPECT_TRUE(j["summary"]["resolution_ratio"].contains("p10"));
}

TEST(HeadlineTest, TableShowsLinesOfNominalAndTheVerdict) {
  std::vector<BatchRow> rows(1);
  rows[0].path = "a.mp4";
  rows[0].report = ReportWithRatios({0.5, 0.5});
  std::ostringstream os;
  WriteHeadlineTable(os, rows);
  const std::string t = os.str();
  EXPECT_NE(t.find("540/1080"), std::string::npos) << t;
  EXPECT_NE(t.find("soft: looks like ~540p"), std::string::npos) << t;
  EXPECT_NE(t.find("verdict"), std::string::npos) << t;
}

}  // namespace
}  // namespace report_headline_test
}  // namespace acuity
