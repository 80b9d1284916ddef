// acuity track: dates and periods, the change detector on simulated
// timelines (found where it is, and its false-alarm rate on flat ones), the
// alert rule, and the SQLite database (round trip, schema, two writers).
#include "acuity/track.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace acuity::track {
namespace track_track_test {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("acuity_track_" + name + "_" +
                                                  std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

TEST(TrackDateTest, ParsesTheDocumentedFormsAndChecksTheCalendar) {
  EXPECT_EQ(ParseDate("2026-01-08").value(), "2026-01-08T00:00");
  EXPECT_EQ(ParseDate("2026-01-08T14:30").value(), "2026-01-08T14:30");
  EXPECT_EQ(ParseDate("2026-01-08 14:30").value(), "2026-01-08T14:30");
  EXPECT_EQ(ParseDate("20260108").value(), "2026-01-08T00:00");
  EXPECT_EQ(ParseDate("20260108_1430").value(), "2026-01-08T14:30");
  EXPECT_EQ(ParseDate("202601081430").value(), "2026-01-08T14:30");
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-01-08T24:00",
                          "2026-01-08T10:60", "yesterday", "", "2026-1-8"}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
}

TEST(TrackDateTest, PeriodsOfADate) {
  const std::string d = "2026-01-08T14:30";  // a Thursday
  EXPECT_EQ(PeriodOf(d, PeriodKind::kDay), "2026-01-08");
  EXPECT_EQ(PeriodOf(d, PeriodKind::kHour), "2026-01-08T14");
  EXPECT_EQ(PeriodOf(d, PeriodKind::kHourOfDay), "14");
  EXPECT_EQ(PeriodOf(d, PeriodKind::kWeekday), "Thu");
  EXPECT_EQ(PeriodOf("2026-01-11T00:00", PeriodKind::kWeekday), "Sun");
  EXPECT_FALSE(ParsePeriodKind("month").ok());
}

// `days` daily batches of `per_day` videos, lognormal values around 1
// (sigma 0.15, the spread of one metric over a batch of similar clips),
// days [drop_from, drop_to) scaled by `factor`.
std::vector<std::vector<double>> Timeline(int days, int per_day, int drop_from,
                                          int drop_to, double factor,
                                          std::mt19937_64& rng) {
  std::normal_distribution<double> noise(0.0, 0.15);
  std::vector<std::vector<double>> g(days);
  for (int d = 0; d < days; ++d) {
    for (int i = 0; i < per_day; ++i) {
      const double f = d >= drop_from && d < drop_to ? factor : 1.0;
      g[d].push_back(f * std::exp(noise(rng)));
    }
  }
  return g;
}

TEST(TrackChangeTest, FindsTheDropAndTheRecovery) {
  // 21 days, days 8..14 (indices 7..13) 30% blurrier: every simulated run
  // reports a change on day 8 and one on day 15, +-1 day; an extra cut
  // (a chance split of a flat stretch) in at most 2 of the 20 runs.
  std::mt19937_64 rng(11);
  int extra = 0;
  for (int run = 0; run < 20; ++run) {
    const auto g = Timeline(21, 8, 7, 14, 0.7, rng);
    const auto cuts = DetectChanges(g, 0.005, 999, 1 + run, 0.05);
    std::string list;
    bool drop = false, recovery = false;
    for (size_t c : cuts) {
      list += " " + std::to_string(c);
      drop = drop || (c >= 6 && c <= 8);
      recovery = recovery || (c >= 13 && c <= 15);
    }
    EXPECT_TRUE(drop && recovery) << "run " << run << ":" << list;
    extra += cuts.size() > 2 ? 1 : 0;
  }
  EXPECT_LE(extra, 2);
}

TEST(TrackChangeTest, SameDataSameAnswer) {
  std::mt19937_64 rng(3);
  const auto g = Timeline(21, 5, 7, 14, 0.8, rng);
  EXPECT_EQ(DetectChanges(g, 0.005, 999, 5, 0.05),
            DetectChanges(g, 0.005, 999, 5, 0.05));
}

// Videos of a timeline: criterion values from `a` (effective resolution)
// and `b` (colour), and, when `others` is given, three more criteria (edge,
// texture, motion) from it, all independent: the worst case for the
// union of false alarms.
std::vector<TrackedVideo> Videos(
    const std::vector<std::vector<double>>& a,
    const std::vector<std::vector<double>>& b,
    const std::vector<std::vector<std::vector<double>>>& others = {}) {
  std::vector<TrackedVideo> v;
  for (size_t d = 0; d < a.size(); ++d) {
    char date[32];
    const int day = static_cast<int>(d);
    // Consecutive calendar days from 2026-01-01 (ParseDate-checked below).
    std::snprintf(date, sizeof date, "2026-%02d-%02dT12:00", 1 + day / 28,
                  1 + day % 28);
    for (size_t i = 0; i < a[d].size(); ++i) {
      v.push_back(
          {date,
           "",
           "v",
           {{"resolution_ratio", a[d][i]}, {"colorfulness", 40.0 * b[d][i]}}});
      const char* keys[] = {"edge_width_px", "laplacian_var_nc",
                            "moving_sharpness_ratio"};
      for (size_t k = 0; k < others.size() && k < 3; ++k) {
        v.back().values[keys[k]] = others[k][d][i];
      }
    }
  }
  return v;
}

TEST(TrackChangeTest, FlatTimelinesRaiseNoAlarmIn95PercentOfRuns) {
  // The rate: no change point and no alert in >= 95% of simulated
  // flat timelines of 7, 30 and 90 days, with the five criteria of the
  // default metric set, independent of each other. Measured here (200 runs
  // per length, 8 videos a day) and printed.
  for (const int days : {7, 30, 90}) {
    std::mt19937_64 rng(100 + days);
    int alarms = 0, change_alarms = 0, alert_alarms = 0;
    const int runs = 200;
    for (int run = 0; run < runs; ++run) {
      const auto a = Timeline(days, 8, 0, 0, 1.0, rng);
      const auto b = Timeline(days, 8, 0, 0, 1.0, rng);
      std::vector<std::vector<std::vector<double>>> others;
      for (int k = 0; k < 3; ++k) {
        others.push_back(Timeline(days, 8, 0, 0, 1.0, rng));
      }
      AnalysisOptions opt;
      opt.seed = 1 + run;
      bool alarm = false;
      bool changed = false, alerted = false;
      const auto series = Analyse(Videos(a, b, others), opt);
      EXPECT_EQ(series.size(), 5u);
      for (const CriterionSeries& s : series) {
        changed = changed || !s.changes.empty();
        alerted = alerted || s.alert.raised;
      }
      alarm = changed || alerted;
      change_alarms += changed ? 1 : 0;
      alert_alarms += alerted ? 1 : 0;
      alarms += alarm ? 1 : 0;
    }
    const double rate = static_cast<double>(alarms) / runs;
    std::printf(
        "flat %d days: false-alarm rate %.3f (%d of %d runs: %d with a "
        "change point, %d with an alert)\n",
        days, rate, alarms, runs, change_alarms, alert_alarms);
    EXPECT_LE(rate, 0.05) << days << " days";
  }
}

TEST(TrackChangeTest, AnalyseNamesTheDaysAndTheAlertFires) {
  std::mt19937_64 rng(5);
  const auto a = Timeline(21, 8, 7, 14, 0.6, rng);  // blurrier
  const auto b = Timeline(21, 8, 7, 14, 0.5, rng);  // greyish
  AnalysisOptions opt;
  const auto series = Analyse(Videos(a, b), opt);
  ASSERT_EQ(series.size(), 2u);
  for (const CriterionSeries& s : series) {
    ASSERT_EQ(s.changes.size(), 2u) << s.criterion;
    EXPECT_EQ(s.changes[0].period, "2026-01-08") << s.criterion;
    EXPECT_EQ(s.changes[1].period, "2026-01-15") << s.criterion;
    EXPECT_LT(s.changes[0].rel, -0.3) << s.criterion;
    EXPECT_GT(s.changes[1].rel, 0.3) << s.criterion;
    EXPECT_FALSE(s.alert.raised) << s.criterion;  // it recovered
    ASSERT_EQ(s.periods.size(), 21u);
    EXPECT_EQ(s.periods[0].n, 8);
    EXPECT_LE(s.periods[0].lo, s.periods[0].median);
    EXPECT_GE(s.periods[0].hi, s.periods[0].median);
    EXPECT_GT(s.periods[0].confidence, 0.95);
  }
  EXPECT_EQ(series[0].id, "resolution");
  EXPECT_EQ(series[0].changes[0].verdict, "worse");
  EXPECT_EQ(series[0].changes[1].verdict, "better");
  // Still blurry at the end: the alert fires on the last days.
  const auto late = Timeline(21, 8, 18, 21, 0.6, rng);
  const auto flat = Timeline(21, 8, 0, 0, 1.0, rng);
  const auto s2 = Analyse(Videos(late, flat), opt);
  EXPECT_TRUE(s2[0].alert.raised);
  EXPECT_EQ(s2[0].alert.bad_periods.size(), 3u);
  EXPECT_FALSE(s2[1].alert.raised);
}

TEST(TrackDbTest, RoundTripSchemaAndRefusals) {
  const std::string dir = TempDir("db");
  const std::string path = dir + "/q.db";
  EXPECT_FALSE(Db::Open(path, /*create=*/false).ok());  // missing
  {
    auto db = Db::Open(path, true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    BatchRow failed;
    failed.path = "bad.mp4";
    failed.status = InvalidData("bad.mp4: truncated");
    auto id = (*db)->AddBatch(
        "monday",
        {{"2026-01-05T10:00", "svc", "a.mp4", {{"resolution_ratio", 0.5}}},
         {"2026-01-05T11:00", "other", "b.mp4", {{"resolution_ratio", 0.9}}}},
        {failed});
    ASSERT_TRUE(id.ok()) << id.status().message();
  }
  auto db = Db::Open(path, false);
  ASSERT_TRUE(db.ok());
  auto all = (*db)->Videos("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].path, "a.mp4");
  EXPECT_EQ((*all)[0].values.at("resolution_ratio"), 0.5);
  auto svc = (*db)->Videos("svc");
  ASSERT_TRUE(svc.ok());
  EXPECT_EQ(svc->size(), 1u);
  EXPECT_EQ((*db)->Sources().value(),
            (std::vector<std::string>{"other", "svc"}));
  // A file that is not a track database is refused, not overwritten.
  const std::string text = dir + "/notes.db";
  std::ofstream(text) << "not sqlite at all, just text\n";
  EXPECT_FALSE(Db::Open(text, true).ok());
  EXPECT_EQ(std::filesystem::file_size(text), 29u);
  fs::remove_all(dir);
}

TEST(TrackDbTest, TwoWritersBothLand) {
  const std::string dir = TempDir("writers");
  const std::string path = dir + "/q.db";
  ASSERT_TRUE(Db::Open(path, true).ok());
  auto writer = [&](const std::string& source, bool* ok) {
    *ok = true;
    auto db = Db::Open(path, true);
    if (!db.ok()) {
      *ok = false;
      return;
    }
    for (int i = 0; i < 25; ++i) {
      std::vector<TrackedVideo> v;
      for (int k = 0; k < 4; ++k) {
        v.push_back({"2026-01-01T00:00", source, "x", {{"k", 1.0 * k}}});
      }
      if (!(*db)->AddBatch("", v, {}).ok()) *ok = false;
    }
  };
  bool ok1 = false, ok2 = false;
  std::thread t1(writer, "one", &ok1), t2(writer, "two", &ok2);
  t1.join();
  t2.join();
  EXPECT_TRUE(ok1);
  EXPECT_TRUE(ok2);
  auto db = Db::Open(path, false);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->Videos("one").value().size(), 100u);
  EXPECT_EQ((*db)->Videos("two").value().size(), 100u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace track_track_test
}  // namespace acuity::track
