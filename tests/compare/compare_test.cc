// acuity compare: pairing, verdicts, regression flag, loading earlier
// reports, and the false-alarm rate on batches that differ by chance only.
#include "acuity/compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "acuity/score.h"
#include "test_util.h"

namespace acuity {
namespace compare_compare_test {
namespace {

namespace fs = std::filesystem;

Batch MakeBatch(const std::vector<double>& lap, const std::string& prefix) {
  Batch b;
  for (size_t i = 0; i < lap.size(); ++i) {
    VideoValues v;
    v.name = prefix + std::to_string(i);
    v.path = v.name + ".mp4";
    v.values["laplacian_var"] = lap[i];
    v.values["luma_mean"] = 100.0 + static_cast<double>(i % 3);
    b.videos.push_back(v);
  }
  return b;
}

const CriterionVerdict& Find(const Comparison& c, const std::string& name) {
  for (const auto& v : c.criteria) {
    if (v.criterion == name) return v;
  }
  ADD_FAILURE() << name;
  return c.criteria.front();
}

// A comparison "alarms" when any criterion gives a verdict other than "no
// significant change" (or "no metric available").
bool Alarms(const Comparison& c) {
  for (const auto& v : c.criteria) {
    if (v.text.rfind("no significant change", 0) != 0 &&
        v.text.rfind("no metric available", 0) != 0) {
      return true;
    }
  }
  return false;
}

TEST(CompareTest, PairedLossOfDetailIsARegression) {
  std::vector<double> before, after;
  for (int i = 0; i < 10; ++i) {
    before.push_back(100.0 * (i + 1));
    after.push_back(100.0 * (i + 1) * (0.78 + 0.01 * (i % 3)));
  }
  auto c = Compare(MakeBatch(before, "v"), MakeBatch(after, "v"), {});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->paired);
  const auto& texture = Find(*c, "texture detail");
  ASSERT_TRUE(texture.key.has_value());
  EXPECT_EQ(*texture.key, "laplacian_var");
  EXPECT_EQ(texture.text.rfind("less detail (-21%, 95% CI ", 0), 0u)
      << texture.text;
  EXPECT_TRUE(texture.regression);
  EXPECT_TRUE(c->any_regression());
  // luma_mean did not move: neutral metrics never make a regression.
  for (const auto& m : c->metrics) {
    if (m.key == "luma_mean") {
      EXPECT_EQ(m.verdict, "no significant change");
    }
    if (m.key == "laplacian_var") {
      EXPECT_EQ(m.verdict, "blurrier");
      EXPECT_EQ(m.scale, "log_ratio");
      EXPECT_LT(*m.rel_lo, *m.rel);
      EXPECT_GT(*m.rel_hi, *m.rel);
    }
  }
  EXPECT_EQ(Find(*c, "edge sharpness").text.rfind("no metric available", 0),
            0u);

  // The other way round: more detail, no regression.
  auto back = Compare(MakeBatch(after, "v"), MakeBatch(before, "v"), {});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Find(*back, "texture detail").text.rfind("more detail (+", 0), 0u);
  EXPECT_FALSE(back->any_regression());
}

TEST(CompareTest, DifferentNamesAreUnpaired) {
  std::vector<double> before, after;
  for (int i = 0; i < 12; ++i) {
    before.push_back(1000 + 10 * i);
    after.push_back(500 + 10 * i);
  }
  auto c = Compare(MakeBatch(before, "a"), MakeBatch(after, "b"), {});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->paired);
  const auto& m = c->metrics.front();
  EXPECT_EQ(m.test, "mann_whitney_u");
  ASSERT_TRUE(m.cliffs_delta.has_value());
  EXPECT_DOUBLE_EQ(*m.cliffs_delta, -1.0);
  EXPECT_NEAR(m.shift, -500, 1e-9);
  EXPECT_TRUE(Find(*c, "texture detail").regression);

  CompareOptions forced;
  forced.pair_by = PairBy::kName;
  EXPECT_FALSE(
      Compare(MakeBatch(before, "a"), MakeBatch(after, "b"), forced).ok());
}

TEST(CompareTest, SameSeedSameInterval) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n(1000, 100);
  std::vector<double> a, b;
  for (int i = 0; i < 15; ++i) a.push_back(n(rng)), b.push_back(n(rng));
  std::ostringstream j1, j2;
  WriteComparisonJson(
      j1, Compare(MakeBatch(a, "x"), MakeBatch(b, "y"), {}).value());
  WriteComparisonJson(
      j2, Compare(MakeBatch(a, "x"), MakeBatch(b, "y"), {}).value());
  EXPECT_EQ(j1.str(), j2.str());
}

TEST(CompareTest, EmptySideIsAnError) {
  auto c = Compare(Batch{}, MakeBatch({1, 2, 3}, "v"), {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("before side has no scored video"),
            std::string::npos);
}

TEST(CompareTest, FalseAlarmRateOnSyntheticBatches) {
  // Two batches from one log-normal population (like laplacian_var across
  // contents): "no significant change" on every criterion in >= 95%.
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> lap(7.0, 1.0);
  int alarms = 0;
  const int kRuns = 300;
  for (int r = 0; r < kRuns; ++r) {
    std::vector<double> a, b;
    for (int i = 0; i < 12; ++i) a.push_back(lap(rng)), b.push_back(lap(rng));
    auto c = Compare(MakeBatch(a, "a"), MakeBatch(b, "b"), {});
    ASSERT_TRUE(c.ok());
    alarms += Alarms(*c) ? 1 : 0;
  }
  EXPECT_LE(alarms, kRuns * 5 / 100) << alarms << " false alarms in " << kRuns;
}

const MetricComparison& Metric(const Comparison& c, const std::string& key) {
  for (const auto& m : c.metrics) {
    if (m.key == key) return m;
  }
  ADD_FAILURE() << key;
  return c.metrics.front();
}

TEST(CompareTest, RelativeIntervalsOfPositiveMetricsStayAboveMinus100) {
  // Log-normal batches with a large spread (log-sd 2: values over four
  // orders of magnitude), paired and unpaired, small and larger.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> level(5.0, 2.0), change(-0.5, 1.5);
  for (int run = 0; run < 100; ++run) {
    const int n = 6 + run % 20;
    std::vector<double> a, b;
    for (int i = 0; i < n; ++i) {
      a.push_back(std::exp(level(rng)));
      b.push_back(a.back() * std::exp(change(rng)));
    }
    for (const char* prefix : {"v", "w"}) {  // paired, then unpaired
      auto c = Compare(MakeBatch(a, "v"), MakeBatch(b, prefix), {});
      ASSERT_TRUE(c.ok());
      const MetricComparison& m = Metric(*c, "laplacian_var");
      EXPECT_EQ(m.scale, "log_ratio");
      ASSERT_TRUE(m.rel && m.rel_lo && m.rel_hi);
      EXPECT_GT(*m.rel_lo, -1.0) << prefix << run;
      EXPECT_LE(*m.rel_lo, *m.rel);
      EXPECT_GE(*m.rel_hi, *m.rel);
      EXPECT_GT(*m.median_change, -1.0);
    }
  }
}

TEST(CompareTest, IntervalAndPValueComeFromOneTest) {
  // The relative interval inverts the test behind p_value: 0 outside the
  // interval means p <= 1 - (its confidence), and a p below that puts 0
  // outside. Checked on random paired and unpaired batches.
  std::mt19937_64 rng(9);
  std::normal_distribution<double> level(6.0, 0.8), change(-0.1, 0.2);
  int excluded = 0;
  for (int run = 0; run < 200; ++run) {
    const int n = 6 + run % 15;
    std::vector<double> a, b;
    for (int i = 0; i < n; ++i) {
      a.push_back(std::exp(level(rng)));
      b.push_back(a.back() * std::exp(change(rng)));
    }
    for (const char* prefix : {"v", "w"}) {
      auto c = Compare(MakeBatch(a, "v"), MakeBatch(b, prefix), {});
      ASSERT_TRUE(c.ok());
      const MetricComparison& m = Metric(*c, "laplacian_var");
      const bool zero_outside = *m.rel_lo > 0 || *m.rel_hi < 0;
      const double level_alpha = 1 - m.rel_confidence;
      excluded += zero_outside ? 1 : 0;
      if (zero_outside) {
        EXPECT_LE(m.p_value, level_alpha + 1e-9) << prefix << run;
      }
      if (m.p_value < level_alpha - 1e-9) {
        EXPECT_TRUE(zero_outside) << prefix << run << " p " << m.p_value;
      }
    }
  }
  EXPECT_GT(excluded, 50);  // the check above was exercised both ways
  EXPECT_LT(excluded, 350);
}

TEST(CompareTest, TwoPairsAreTooFewToDecide) {
  // The case: +45% on two pairs with a narrow spread. No test on
  // two pairs can reach p < 0.05 (smallest exact p = 0.5).
  CompareOptions by_name;
  by_name.pair_by = PairBy::kName;
  auto c = Compare(MakeBatch({80.1, 120.0}, "v"),
                   MakeBatch({80.1 * 1.44, 120.0 * 1.46}, "v"), by_name);
  ASSERT_TRUE(c.ok());
  const auto& texture = Find(*c, "texture detail");
  EXPECT_EQ(texture.text.rfind("too few videos to decide (needs >= 6 pairs) "
                               "(+45%, 50% CI (95% not reachable) ",
                               0),
            0u)
      << texture.text;
  EXPECT_FALSE(texture.regression);
  const MetricComparison& m = Metric(*c, "laplacian_var");
  EXPECT_TRUE(m.too_few);
  EXPECT_EQ(m.n_needed, 6);
  EXPECT_EQ(m.verdict, "too few videos");
  EXPECT_NEAR(m.rel_confidence, 0.5, 1e-12);
  // Unpaired: 3 videos per side cannot reach it either (2 / C(6, 3) = 0.1).
  auto u = Compare(MakeBatch({1, 2, 3}, "a"), MakeBatch({10, 20, 30}, "b"), {});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(Find(*u, "texture detail")
                .text.rfind("too few videos to decide (needs >= 4 videos per "
                            "side)",
                            0),
            0u)
      << Find(*u, "texture detail").text;
}

TEST(CompareTest, SmallSignificantChangeIsNoMeaningfulChange) {
  // -3% on every one of 12 paired videos: clearly significant, below the
  // texture criterion's 10% minimum effect.
  std::vector<double> before, after;
  for (int i = 0; i < 12; ++i) {
    before.push_back(100.0 * (i + 1));
    after.push_back(before.back() * (0.97 + 0.001 * (i % 4)));
  }
  auto c = Compare(MakeBatch(before, "v"), MakeBatch(after, "v"), {});
  ASSERT_TRUE(c.ok());
  const auto& texture = Find(*c, "texture detail");
  EXPECT_EQ(texture.text.rfind("no meaningful change (-2.", 0), 0u)
      << texture.text;
  EXPECT_NE(texture.text.find("; min effect 10%)"), std::string::npos)
      << texture.text;
  EXPECT_FALSE(c->any_regression());
  const MetricComparison& m = Metric(*c, "laplacian_var");
  EXPECT_TRUE(m.significant);
  EXPECT_FALSE(m.meaningful);
  EXPECT_EQ(m.verdict, "no meaningful change");
  // With a 2% minimum effect the same change is a loss of detail.
  CompareOptions two;
  two.min_effect["texture detail"] = 0.02;
  auto strict = Compare(MakeBatch(before, "v"), MakeBatch(after, "v"), two);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(Find(*strict, "texture detail").text.rfind("less detail (-2.", 0),
            0u);
  EXPECT_TRUE(strict->any_regression());
  EXPECT_DOUBLE_EQ(ParseFraction("5%").value(), 0.05);
  EXPECT_DOUBLE_EQ(ParseFraction("0.1").value(), 0.1);
  for (const char* bad : {"nan", "-1%", "100%", "5 %", "abc", ""}) {
    EXPECT_FALSE(ParseFraction(bad).ok()) << bad;
  }
}

TEST(CompareTest, MedianChangeAndShiftEstimateAreBothGiven) {
  // Medians 80.1 -> 36.9 (-54%), while the per-video ratios centre lower.
  const std::vector<double> before = {40, 60, 70, 80.1, 100, 120, 140};
  const std::vector<double> after = {14, 22, 30, 36.9, 46, 52, 58};
  auto c = Compare(MakeBatch(before, "v"), MakeBatch(after, "v"), {});
  ASSERT_TRUE(c.ok());
  const MetricComparison& m = Metric(*c, "laplacian_var");
  EXPECT_NEAR(*m.median_change, 36.9 / 80.1 - 1, 1e-12);
  EXPECT_LT(*m.rel, *m.median_change - 0.02);  // a different number
  std::ostringstream md;
  WriteComparisonMarkdown(md, *c);
  EXPECT_NE(md.str().find("| change of medians | shift estimate |"),
            std::string::npos);
  EXPECT_NE(md.str().find("| 80.1 | 36.9 | -54% | -5"), std::string::npos)
      << md.str();
}

TEST(CompareTest, WhatCouldNotBeUsedIsCounted) {
  Batch before = MakeBatch({1, 2, 3, 4, 5, 6, 7, 8}, "v");
  Batch after = MakeBatch({1, 2, 3, 4, 5, 6, 7, 8}, "v");
  before.videos[0].values["edge_width_px"] = 2;   // one side only
  after.videos[1].values.erase("laplacian_var");  // missing on one video
  BatchRow bad;
  bad.path = "x.mp4";
  bad.status = InvalidData("x.mp4: cannot decode");
  after.failed.push_back(bad);
  auto c = Compare(before, after, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->failed_after, std::vector<std::string>{"x.mp4: cannot decode"});
  EXPECT_EQ(c->only_before, std::vector<std::string>{"edge_width_px"});
  const MetricComparison& m = Metric(*c, "laplacian_var");
  EXPECT_EQ(m.missing_after, 1);
  EXPECT_EQ(m.n_pairs, 7);
  std::ostringstream md, js;
  WriteComparisonMarkdown(md, *c);
  EXPECT_NE(md.str().find("Left out of the after side: 1 input"),
            std::string::npos);
  EXPECT_NE(md.str().find("Metrics on the before side only (not compared): "
                          "`edge_width_px`"),
            std::string::npos);
  WriteComparisonJson(js, *c);
  const auto j = nlohmann::json::parse(js.str());
  EXPECT_EQ(j["failed_after"].size(), 1u);
  EXPECT_EQ(j["metrics_only_before"][0], "edge_width_px");
}

TEST(PooledStatTest, ParseAndCompute) {
  EXPECT_TRUE(PooledStat::Parse("p10").ok());
  EXPECT_TRUE(PooledStat::Parse("mean").ok());
  EXPECT_FALSE(PooledStat::Parse("p101").ok());
  EXPECT_FALSE(PooledStat::Parse("mode").ok());
  const std::vector<double> v = {1, 2, 3, 4, 10};
  EXPECT_DOUBLE_EQ(*PooledStat::Parse("median")->Of(v), 3);
  EXPECT_DOUBLE_EQ(*PooledStat::Parse("mean")->Of(v), 4);
  EXPECT_NEAR(*PooledStat::Parse("p95")->Of(v), 8.8, 1e-12);
  EXPECT_FALSE(PooledStat::Parse("median")->Of({}).has_value());
}

// --- with real clips --------------------------------------------------------

std::string F(const std::string& name) {
  return test::Fixture("compare/" + name);
}

// Verdict text per criterion of a `compare --format json` run.
std::map<std::string, std::string> Verdicts(const std::string& json_text) {
  std::map<std::string, std::string> out;
  const auto j = nlohmann::json::parse(json_text);
  for (const auto& c : j["criteria"]) {
    out[c["criterion"].get<std::string>()] = c["verdict"].get<std::string>();
  }
  return out;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The sharpness criteria this build can measure (motion and face detail
// come with their own metrics; until then they say "no metric available").
const std::vector<std::string> kSharpnessCriteria = {"edge sharpness",
                                                     "texture detail"};

TEST(CompareCliTest, BlurredBatchAgainstItsSharpTwin) {
  // blur/ is sharp/ with gblur sigma 1.5 on luma: a pure sharpness change.
  const std::string cmd =
      test::Cli() + " compare --format json --fail-on-regression ";
  auto worse = test::RunCommand(cmd + F("sharp") + " " + F("blur"));
  EXPECT_EQ(worse.exit_code, 3) << worse.err;
  EXPECT_EQ(nlohmann::json::parse(worse.out)["paired"], true);
  auto v = Verdicts(worse.out);
  EXPECT_TRUE(StartsWith(v["edge sharpness"], "softer")) << v["edge sharpness"];
  EXPECT_TRUE(StartsWith(v["texture detail"], "less detail"))
      << v["texture detail"];
  EXPECT_TRUE(StartsWith(v["colour"], "no significant change")) << v["colour"];

  auto better = test::RunCommand(cmd + F("blur") + " " + F("sharp"));
  EXPECT_EQ(better.exit_code, 0) << better.err;
  v = Verdicts(better.out);
  EXPECT_TRUE(StartsWith(v["edge sharpness"], "sharper"))
      << v["edge sharpness"];
  EXPECT_TRUE(StartsWith(v["texture detail"], "more detail"))
      << v["texture detail"];
  EXPECT_TRUE(StartsWith(v["colour"], "no significant change")) << v["colour"];
}

TEST(CompareCliTest, DesaturatedBatchIsFlatterAndNoSofter) {
  // desat/ is vivid/ with hue=s=0.5: chroma halved, luma untouched.
  const std::string cmd =
      test::Cli() + " compare --format json --fail-on-regression ";
  auto r = test::RunCommand(cmd + F("vivid") + " " + F("desat"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  auto v = Verdicts(r.out);
  EXPECT_TRUE(StartsWith(v["colour"], "flatter")) << v["colour"];
  for (const std::string& c : kSharpnessCriteria) {
    EXPECT_TRUE(StartsWith(v[c], "no significant change")) << c << ": " << v[c];
  }
  auto back = test::RunCommand(cmd + F("desat") + " " + F("vivid"));
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_TRUE(StartsWith(Verdicts(back.out)["colour"], "more vivid"))
      << back.out;
}

TEST(CompareCliTest, EarlierReportsGiveTheSameAnswerWithoutDecoding) {
  const fs::path out = fs::path(ACUITY_BINARY_DIR) / "compare_cli_test";
  fs::remove_all(out);
  auto scored =
      test::RunCommand(test::Cli() + " compare --format csv -o " +
                       out.string() + " " + F("sharp") + " " + F("blur"));
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_TRUE(fs::exists(out / "compare.md"));
  EXPECT_TRUE(fs::exists(out / "compare.json"));
  EXPECT_EQ(test::ReadFile((out / "compare.csv").string()), scored.out);
  ASSERT_TRUE(fs::exists(out / "before" / "c1.acuity.json"));
  // Reports folders, and summaries, instead of videos.
  auto from_reports = test::RunCommand(test::Cli() + " compare --format csv " +
                                       (out / "before").string() + " " +
                                       (out / "after").string());
  EXPECT_EQ(from_reports.exit_code, 0) << from_reports.err;
  EXPECT_EQ(from_reports.out, scored.out);
  auto from_summaries =
      test::RunCommand(test::Cli() + " compare --format csv " +
                       (out / "before" / "summary.jsonl").string() + " " +
                       (out / "after" / "summary.csv").string());
  EXPECT_EQ(from_summaries.exit_code, 0) << from_summaries.err;
  EXPECT_EQ(from_summaries.out, scored.out);
}

TEST(CompareCliTest, SameSourceSplitsRarelyAlarm) {
  // 12 clips of one source (offsets, noise seeds), scored once; random
  // halves compared 200 times.
  ScoreOptions score;
  score.metrics = SelectMetrics("default").value();
  const Batch all = LoadBatch({F("same")}, ScoringWith(score), PooledStat{});
  ASSERT_EQ(all.videos.size(), 12u);
  std::mt19937_64 rng(3);
  int alarms = 0;
  const int kRuns = 200;
  for (int r = 0; r < kRuns; ++r) {
    std::vector<VideoValues> v = all.videos;
    std::shuffle(v.begin(), v.end(), rng);
    Batch a, b;
    a.videos.assign(v.begin(), v.begin() + 6);
    b.videos.assign(v.begin() + 6, v.end());
    auto c = Compare(a, b, {});
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->paired);
    alarms += Alarms(*c) ? 1 : 0;
  }
  EXPECT_LE(alarms, kRuns * 5 / 100) << alarms << " false alarms in " << kRuns;
}

TEST(CompareCliTest, UsageErrors) {
  EXPECT_EQ(test::RunCommand(test::Cli() + " compare " + F("sharp")).exit_code,
            2);
  EXPECT_EQ(test::RunCommand(test::Cli() + " compare --stat mode " +
                             F("sharp") + " " + F("blur"))
                .exit_code,
            2);
  auto empty =
      test::RunCommand(test::Cli() + " compare " +
                       test::Fixture("bad/empty_dir") + " " + F("blur"));
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("no video files"), std::string::npos) << empty.err;
}

}  // namespace
}  // namespace compare_compare_test
}  // namespace acuity
