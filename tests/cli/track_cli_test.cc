// `acuity track add|show|check` end to end: real clips scored by the CLI,
// a simulated 21-day timeline (days 8..14 blurred and greyish) imported
// from reports, the change points and the alert, dates from file names and
// modification times, and the usage errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace acuity {
namespace cli_track_cli_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::RunCommand;

std::string Dir(const std::string& name) {
  return test::TestDir("track_cli", name);
}

// Three sources, sharp and blurred + desaturated, scored once into
// report folders.
struct Reports {
  std::string sharp, soft;
};
const Reports& Scored() {
  static const Reports r = [] {
    Reports out;
    const std::string dir = Dir("reports");
    out.sharp = dir + "/sharp";
    out.soft = dir + "/soft";
    std::string sharp_clips, soft_clips;
    for (const std::string src : {"testsrc2", "mandelbrot", "rgbtestsrc"}) {
      const std::string sharp = test::Generated(
          "track_" + src + ".mkv",
          "-f lavfi -i " + src + "=s=320x180:r=10 -frames:v 2 -c:v ffv1");
      const std::string soft = test::Generated(
          "track_" + src + "_soft.mkv",
          "-i " + sharp + " -vf gblur=sigma=2.5,hue=s=0.3 -c:v ffv1");
      sharp_clips += " '" + sharp + "'";
      soft_clips += " '" + soft + "'";
    }
    EXPECT_EQ(RunCommand(Cli() + " score -q -o '" + out.sharp + "'" +
                         sharp_clips + " >/dev/null")
                  .exit_code,
              0);
    EXPECT_EQ(RunCommand(Cli() + " score -q -o '" + out.soft + "'" +
                         soft_clips + " >/dev/null")
                  .exit_code,
              0);
    return out;
  }();
  return r;
}

void AddDay(const std::string& db, int month, int day, bool soft) {
  char date[16];
  std::snprintf(date, sizeof date, "2026-%02d-%02d", month, day);
  const auto r = RunCommand(Cli() + " track add -q '" + db + "' --date " +
                            date + " --source svc '" +
                            (soft ? Scored().soft : Scored().sharp) + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(TrackCliTest, TimelineWithADipReportsDropAndRecovery) {
  const std::string db = Dir("dip") + "/q.db";
  for (int d = 1; d <= 21; ++d) AddDay(db, 1, d, d >= 8 && d <= 14);
  const auto show =
      RunCommand(Cli() + " track show '" + db + "' --format json");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto j = nlohmann::json::parse(show.out);
  ASSERT_EQ(j["sources"].size(), 1u);
  EXPECT_EQ(j["sources"][0]["source"], "svc");
  EXPECT_EQ(j["sources"][0]["videos"], 63);
  int checked = 0;
  for (const auto& c : j["sources"][0]["criteria"]) {
    const std::string id = c["id"];
    ASSERT_EQ(c["periods"].size(), 21u) << id;
    if (id != "resolution" && id != "colour" && id != "edge") continue;
    ASSERT_EQ(c["changes"].size(), 2u) << id << "\n" << c.dump();
    EXPECT_EQ(c["changes"][0]["period"], "2026-01-08") << id;
    EXPECT_EQ(c["changes"][1]["period"], "2026-01-15") << id;
    const bool neutral = c["direction"] == "neutral";
    EXPECT_EQ(c["changes"][0]["verdict"], neutral ? "lower" : "worse") << id;
    EXPECT_EQ(c["changes"][1]["verdict"], neutral ? "higher" : "better") << id;
    EXPECT_GT(std::fabs(c["changes"][0]["rel"].get<double>()), 0.2) << id;
    EXPECT_FALSE(c["alert"]["raised"].get<bool>()) << id;
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  // The table names the days too; check passes (it recovered).
  const auto table = RunCommand(Cli() + " track show '" + db + "'");
  EXPECT_NE(table.out.find("change: worse from 2026-01-08"), std::string::npos)
      << table.out;
  const auto check = RunCommand(Cli() + " track check '" + db + "'");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("no alert"), std::string::npos);
  // Profiles: weekdays, no change points.
  const auto wd =
      RunCommand(Cli() + " track show '" + db + "' --by weekday --format csv");
  ASSERT_EQ(wd.exit_code, 0) << wd.err;
  EXPECT_NE(wd.out.find(",Mon,"), std::string::npos) << wd.out;
}

TEST(TrackCliTest, CheckAlertsWhenTheNewestDaysAreWorse) {
  const std::string db = Dir("alert") + "/q.db";
  for (int d = 1; d <= 10; ++d) AddDay(db, 2, d, false);
  for (int d = 11; d <= 13; ++d) AddDay(db, 2, d, true);
  const auto check = RunCommand(Cli() + " track check '" + db + "'");
  EXPECT_EQ(check.exit_code, 3) << check.out << check.err;
  EXPECT_NE(check.out.find("ALERT svc: effective resolution"),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("2026-02-13"), std::string::npos);
}

TEST(TrackCliTest, DatesFromFileNamesAndModificationTimes) {
  const std::string dir = Dir("dates");
  const std::string clip = test::Generated(
      "track_small.mkv",
      "-f lavfi -i testsrc2=s=160x90:r=10 -frames:v 2 -c:v ffv1");
  fs::copy_file(clip, dir + "/clip_20260301_0930.mkv");
  fs::copy_file(clip, dir + "/clip_20260302_2300.mkv");
  const std::string db = dir + "/q.db";
  auto r = RunCommand(
      Cli() + " track add -q '" + db + "' --date-regex '(\\d{8}_\\d{4})' '" +
      dir + "/clip_20260301_0930.mkv' '" + dir + "/clip_20260302_2300.mkv'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCommand(Cli() + " track show '" + db +
                 "' --by hour-of-day --format csv");
  EXPECT_NE(r.out.find(",09,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",23,"), std::string::npos) << r.out;
  // --date mtime: the file's modification time (set here), in UTC.
  const std::string touched = dir + "/clip_20260302_2300.mkv";
  ASSERT_EQ(RunCommand("touch -d '2026-03-05 07:15:00 UTC' '" + touched + "'")
                .exit_code,
            0);
  r = RunCommand(Cli() + " track add -q '" + db +
                 "' --date mtime --source m '" + touched + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCommand(Cli() + " track show '" + db +
                 "' --source m --by hour --format csv");
  EXPECT_NE(r.out.find(",2026-03-05T07,"), std::string::npos) << r.out;
  // A name the regex does not match is a failure row (exit 1), the rest land.
  fs::copy_file(clip, dir + "/undated.mkv");
  r = RunCommand(Cli() + " track add '" + db + "' --date-regex '(\\d{8})' '" +
                 dir + "/undated.mkv'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("undated.mkv"), std::string::npos) << r.err;
}

TEST(TrackCliTest, UsageAndMissingDatabase) {
  const std::string dir = Dir("usage");
  const std::string db = dir + "/q.db";
  auto r = RunCommand(Cli() + " track add '" + db + "' '" + dir + "'");
  EXPECT_EQ(r.exit_code, 2);  // no date
  EXPECT_NE(r.err.find("--date"), std::string::npos);
  r = RunCommand(Cli() + " track add '" + db + "' --date 2026-02-30 '" + dir +
                 "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no such day"), std::string::npos) << r.err;
  r = RunCommand(Cli() + " track show '" + dir + "/missing.db'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.db"), std::string::npos);
  r = RunCommand(Cli() + " track add '" + db + "' --date 2026-02-01 '" + dir +
                 "/nope.mp4'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nope.mp4"), std::string::npos) << r.err;
  EXPECT_EQ(RunCommand(Cli() + " track frobnicate").exit_code, 2);
  EXPECT_EQ(RunCommand(Cli() + " track --help").exit_code, 0);
  EXPECT_EQ(RunCommand(Cli() + " track show --help").exit_code, 0);
}

}  // namespace
}  // namespace cli_track_cli_test
}  // namespace acuity
