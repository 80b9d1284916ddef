// acuity report: the page from a `score -o` folder and from a track
// database, opened in a real browser (headless Chromium, installed by
// scripts/setup): no script errors, every chart has data points, every
// video is on the page; self-contained (no network) and small. Screenshots
// are kept in build/test-artifacts/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "test_util.h"

namespace acuity {
namespace report_html_report_test {
namespace {

namespace fs = std::filesystem;
using test::Cli;
using test::RunCommand;

std::string Dir(const std::string& name) {
  return test::TestDir("html_report", name);
}

struct Browser {
  int charts = -1, points = -1, errors = -1, empty = -1;
  std::string dom;
};

// Opens the page in headless Chromium (the flags this machine needs: no
// sandbox as root, no background networking), lets its script run, and
// reads back what it drew from #acuity-status; saves a screenshot.
Browser Open(const std::string& html, const std::string& screenshot) {
  Browser b;
  const std::string profile = html + ".chromium";
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update"
      " --disable-sync --user-data-dir='" +
      profile + "' --virtual-time-budget=5000 ";
  const auto dump = RunCommand("timeout 60 chromium" + flags +
                               "--dump-dom 'file://" + html + "'");
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  b.dom = dump.out;
  std::smatch m;
  const std::regex status(
      R"re(id="acuity-status" data-charts="(\d+)" data-points="(\d+)" data-errors="(\d+)" data-empty-charts="(\d+)")re");
  if (std::regex_search(b.dom, m, status)) {
    b.charts = std::stoi(m[1]);
    b.points = std::stoi(m[2]);
    b.errors = std::stoi(m[3]);
    b.empty = std::stoi(m[4]);
  }
  const std::string artifacts =
      std::string(ACUITY_BINARY_DIR) + "/test-artifacts";
  fs::create_directories(artifacts);
  RunCommand("timeout 60 chromium" + flags +
             "--window-size=1280,2000 --screenshot='" + artifacts + "/" +
             screenshot + "' 'file://" + html + "'");
  EXPECT_TRUE(fs::exists(artifacts + "/" + screenshot));
  fs::remove_all(profile);
  return b;
}

void ExpectSelfContained(const std::string& page) {
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("url(http"), std::string::npos);
}

TEST(HtmlReportTest, ScoreFolderOpensInChromiumWithEveryVideoAndCurve) {
  ASSERT_EQ(RunCommand("command -v chromium").exit_code, 0)
      << "chromium is missing: scripts/setup installs it";
  const std::string dir = Dir("score");
  std::string clips;
  for (const std::string src : {"testsrc2", "mandelbrot"}) {
    clips += " '" +
             test::Generated("html_" + src + ".mkv",
                             "-f lavfi -i " + src +
                                 "=s=320x180:r=10 -frames:v 5 -c:v ffv1") +
             "'";
  }
  // A broken input too: a row with its error, no curves.
  const std::string broken = dir + "/broken.mp4";
  test::RunCommand("head -c 3000 /dev/urandom > '" + broken + "'");
  const std::string html = dir + "/report.html";
  const auto scored =
      RunCommand(Cli() + " score -q --heatmap -o '" + dir + "/out' --html '" +
                 html + "'" + clips + " '" + broken + "' >/dev/null");
  ASSERT_EQ(scored.exit_code, 1) << scored.err << scored.out;  // one failed
  ASSERT_TRUE(fs::exists(html));                               // score --html
  fs::remove(html);
  const auto r = RunCommand(Cli() + " report '" + dir + "/out' -o '" + html +
                            "' --title 'Two clips'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = test::ReadFile(html);
  EXPECT_LT(page.size(), 5u << 20);
  ExpectSelfContained(page);
  // Readable without JavaScript: the table is in the HTML itself.
  EXPECT_NE(page.find(">html_testsrc2.mkv</td>"), std::string::npos);
  EXPECT_NE(page.find(">broken.mp4</td>"), std::string::npos);
  // Thumbnails of the sharpest and blurriest frames, and the heatmaps.
  EXPECT_NE(page.find("sharpest frame, "), std::string::npos);
  EXPECT_NE(page.find("blurriest frame, "), std::string::npos);
  EXPECT_NE(page.find("alt=\"heatmap\""), std::string::npos);
  EXPECT_NE(page.find("src=\"data:image/png;base64,iVBORw0KGgo"),
            std::string::npos);  // a PNG
  const Browser b = Open(html, "report_score.png");
  EXPECT_EQ(b.errors, 0);
  EXPECT_EQ(b.empty, 0);              // every chart has data points
  EXPECT_GE(b.charts, 6);             // >= 3 curves for each good clip
  EXPECT_GE(b.points, b.charts * 3);  // 5 frames each, some null
  EXPECT_NE(b.dom.find("html_mandelbrot.mkv"), std::string::npos);
  EXPECT_NE(b.dom.find("<canvas"), std::string::npos);
}

TEST(HtmlReportTest, TrackDatabaseTimelineWithChangePoints) {
  const std::string dir = Dir("track");
  const std::string sharp = test::Generated(
      "html_track.mkv",
      "-f lavfi -i testsrc2=s=320x180:r=10 -frames:v 2 -c:v ffv1");
  const std::string soft = test::Generated(
      "html_track_soft.mkv", "-i " + sharp + " -vf gblur=sigma=2.5 -c:v ffv1");
  ASSERT_EQ(RunCommand(Cli() + " score -q -o '" + dir + "/s' '" + sharp +
                       "' >/dev/null")
                .exit_code,
            0);
  ASSERT_EQ(RunCommand(Cli() + " score -q -o '" + dir + "/b' '" + soft +
                       "' >/dev/null")
                .exit_code,
            0);
  const std::string db = dir + "/q.db";
  for (int d = 1; d <= 20; ++d) {
    char date[32];
    std::snprintf(date, sizeof date, "2026-04-%02dT%02d:00", d, 8 + d % 3);
    const std::string src = dir + (d >= 8 && d <= 14 ? "/b" : "/s");
    ASSERT_EQ(RunCommand(Cli() + " track add -q '" + db + "' --date " + date +
                         " --source svc '" + src + "'")
                  .exit_code,
              0);
  }
  const std::string html = dir + "/track.html";
  const auto r = RunCommand(Cli() + " track show '" + db + "' --html '" + html +
                            "' >/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = test::ReadFile(html);
  ExpectSelfContained(page);
  EXPECT_NE(page.find("Track: svc"), std::string::npos);
  EXPECT_NE(page.find("worse from 2026-04-08"), std::string::npos);
  const Browser b = Open(html, "report_track.png");
  EXPECT_EQ(b.errors, 0);
  EXPECT_EQ(b.empty, 0);
  EXPECT_GE(b.charts, 4);  // per day and by hour, >= 2 criteria
  EXPECT_GT(b.points, 0);
}

TEST(HtmlReportTest, CompareFolderShowsVerdictsAndPairedValues) {
  const std::string dir = Dir("compare");
  for (const std::string side : {"before", "after"}) {
    fs::create_directories(dir + "/" + side);
  }
  for (const std::string src : {"testsrc2", "mandelbrot", "rgbtestsrc"}) {
    const std::string sharp = test::Generated(
        "html_cmp_" + src + ".mkv",
        "-f lavfi -i " + src + "=s=320x180:r=10 -frames:v 2 -c:v ffv1");
    const std::string soft =
        test::Generated("html_cmp_" + src + "_soft.mkv",
                        "-i " + sharp + " -vf gblur=sigma=2 -c:v ffv1");
    fs::copy_file(sharp, dir + "/before/" + src + ".mkv");
    fs::copy_file(soft, dir + "/after/" + src + ".mkv");
  }
  const std::string html = dir + "/compare.html";
  const auto r =
      RunCommand(Cli() + " compare -q -o '" + dir + "/cmp' --html '" + html +
                 "' '" + dir + "/before' '" + dir + "/after' >/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/cmp/videos.json"));
  const std::string page = test::ReadFile(html);
  ExpectSelfContained(page);
  EXPECT_NE(page.find("paired by name"), std::string::npos);
  EXPECT_NE(page.find(">effective resolution</td>"), std::string::npos);
  // The worst regressions, the same frame of both videos side by side.
  EXPECT_NE(page.find("Worst regressions (effective resolution"),
            std::string::npos);
  EXPECT_NE(page.find(" before, frame "), std::string::npos);
  EXPECT_NE(page.find(" after, frame "), std::string::npos);
  EXPECT_EQ(page.find("(video not found)"), std::string::npos);
  const Browser b = Open(html, "report_compare.png");
  EXPECT_EQ(b.errors, 0);
  EXPECT_EQ(b.empty, 0);
  EXPECT_GE(b.charts, 3);
  EXPECT_GE(b.points, b.charts * 6);  // 3 before + 3 after each
  // --html without -o is a usage error.
  EXPECT_EQ(RunCommand(Cli() + " compare --html x.html a b").exit_code, 2);
}

TEST(HtmlReportTest, BadInputsAreOneLineErrors) {
  const std::string dir = Dir("bad");
  auto r = RunCommand(Cli() + " report '" + dir + "' -o '" + dir + "/x.html'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("summary.jsonl"), std::string::npos) << r.err;
  r = RunCommand(Cli() + " report '" + dir + "/missing' -o '" + dir +
                 "/x.html'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing"), std::string::npos);
  r = RunCommand("ACUITY_CHARTJS=/nonexistent " + Cli() + " report '" + dir +
                 "' -o '" + dir + "/x.html'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("libjs-chart.js"), std::string::npos) << r.err;
  EXPECT_EQ(RunCommand(Cli() + " report").exit_code, 2);
  EXPECT_FALSE(fs::exists(dir + "/x.html"));
}

}  // namespace
}  // namespace report_html_report_test
}  // namespace acuity
