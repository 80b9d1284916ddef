// Every numeric option of score, frames, compare and check has a range:
// values outside it (and NaN, infinities, numbers too big for the type) are
// a usage error (exit 2) with one line naming the option, never undefined
// behaviour further down (--start 1e18 once overflowed the seek timestamp,
// --fps 1e300 the sampling slot).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/metric.h"
#include "acuity/score.h"
#include "test_util.h"

namespace acuity {
namespace cli_options_test {
namespace {

using test::Cli;
using test::Fixture;
using test::RunCommand;

struct Case {
  std::string command;  // subcommand and its fixed arguments
  std::string option;   // the option under test
  std::string value;
};

TEST(OptionsTest, OutOfRangeValuesAreUsageErrors) {
  const std::string clip = Fixture("good/h264_420p.mp4");
  const std::string score = "score --format csv";
  const std::string frames = "frames -o /nonexistent/never_written";
  const std::string compare = "compare";
  const std::string check = "check --min laplacian_var=1";
  std::vector<Case> cases;
  // Every value on score; the other commands share AddDecoderOptions and
  // AddMetricOptions, so one value per option proves they are wired.
  auto add = [&](const std::string& option, std::vector<std::string> values) {
    for (const std::string& v : values) cases.push_back({score, option, v});
    for (const std::string& cmd : {frames, compare, check}) {
      cases.push_back({cmd, option, values.front()});
    }
  };
  add("--fps", {"1e300", "nan", "inf", "0", "-1"});
  add("--start", {"1e18", "inf", "nan", "-1"});
  add("--duration", {"1e300", "0", "nan"});
  add("--every", {"0", "1e18", "99999999999999999999999"});
  add("--max-frames", {"-3", "1e18"});
  add("--max-pixels", {"0", "1e18"});
  add("--threads", {"1000", "-1"});
  add("--brisque-every", {"0", "nan"});
  add("--face-every", {"0", "1e300"});
  for (const std::string& cmd : {score, compare, check}) {
    cases.push_back({cmd, "-j", "0"});
  }
  cases.push_back({score, "-j", "1e9"});
  for (const char* v : {"-1", "1e9"}) {
    cases.push_back({frames, "--sharpest", v});
    cases.push_back({frames, "--blurriest", v});
  }
  for (const char* v : {"-1", "nan", "inf"}) {
    cases.push_back({frames, "--min-gap", v});
  }
  for (const char* v : {"nan", "1"}) {
    cases.push_back({compare, "--confidence", v});
    cases.push_back({compare, "--alpha", v});
  }
  cases.push_back({compare, "--bootstrap", "1e300"});
  // One shell runs every case, 8 at a time (each is a process start, ~0.2 s
  // of mostly waiting for the loader): exit status and stderr per case.
  const std::string dir = std::string(ACUITY_BINARY_DIR) + "/options_test";
  std::string script = "rm -rf '" + dir + "' && mkdir -p '" + dir + "' && (";
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string inputs =
        c.command == compare ? "--before " + clip + " --after " + clip : clip;
    const std::string out = dir + "/" + std::to_string(i);
    script += "echo \"" + Cli() + " " + c.command + " " + c.option + " " +
              c.value + " " + inputs + " >/dev/null 2>" + out +
              ".err; echo \\$? >" + out + ".rc\";";
  }
  script += ") | xargs -P 8 -I CMD sh -c CMD";
  ASSERT_EQ(RunCommand(script).exit_code, 0);
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string out = dir + "/" + std::to_string(i);
    const std::string what = c.command + " " + c.option + " " + c.value;
    const std::string err = test::ReadFile(out + ".err");
    EXPECT_EQ(test::ReadFile(out + ".rc"), "2\n") << what << "\n" << err;
    EXPECT_NE(err.find(c.option), std::string::npos) << what << "\n" << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << what << "\n" << err;
  }
}

TEST(OptionsTest, ExtremesInsideTheRangesWork) {
  const std::string clip = Fixture("good/h264_420p.mp4");
  // Far past the end: no frame, a clean result.
  auto r = RunCommand(Cli() + " score --format csv --start 1e9 " + clip);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // no frame in the window: error row
  EXPECT_NE(r.out.find(",error,"), std::string::npos) << r.out;
  r = RunCommand(Cli() + " score --format csv --fps 1e6 --duration 1e9 " +
                 "--every 1099511627776 --max-frames 1099511627776 " + clip);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunCommand(Cli() + " score --format csv --fps 1e-6 " + clip);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(OptionsTest, LibraryRefusesWhatTheCliRefuses) {
  const std::string clip = Fixture("good/h264_420p.mp4");
  const double nan = std::nan("");
  const double inf = HUGE_VAL;
  std::vector<DecoderOptions> bad(12);
  bad[0].sampling.fps = 1e300;
  bad[1].sampling.fps = nan;
  bad[2].sampling.fps = -1;
  bad[3].sampling.start = 1e18;
  bad[4].sampling.start = nan;
  bad[5].sampling.start = -inf;
  bad[6].sampling.duration = inf;
  bad[7].sampling.duration = -1;
  bad[8].sampling.every = 0;
  bad[9].sampling.max_frames = -1;
  bad[10].threads = -1;
  bad[11].max_pixels = int64_t{1} << 50;
  for (size_t i = 0; i < bad.size(); ++i) {
    auto d = Decoder::Open(clip, bad[i]);
    ASSERT_FALSE(d.ok()) << i;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument) << i;
    EXPECT_EQ(d.status().message().rfind("--", 0), 0u)
        << i << ": " << d.status().message();
  }
  EXPECT_TRUE(ValidateDecoderOptions(DecoderOptions{}).ok());
}

// Metric options are declared once, in their registry entries: every one
// is a flag of each scoring command (with its help) and a Python keyword,
// named alike, and the registry lists each name once.
TEST(OptionsTest, MetricOptionsComeFromTheRegistry) {
  const auto& specs = MetricOptionSpecs();
  ASSERT_GE(specs.size(), 3u);  // brisque_every, face_every, face_model
  std::set<std::string> names;
  for (const MetricOptionSpec& spec : specs) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    EXPECT_EQ(spec.Flag().substr(0, 2), "--");
    EXPECT_EQ(spec.Flag().find('_'), std::string::npos) << spec.Flag();
    MetricOptions defaults;  // the declared default is valid
    EXPECT_TRUE(defaults.Set(spec.name, spec.default_value).ok()) << spec.name;
    for (const char* cmd : {"help score", "help frames", "help compare",
                            "help check", "track add --help"}) {
      const auto h = RunCommand(Cli() + " " + cmd);
      EXPECT_NE(h.out.find(spec.Flag()), std::string::npos) << cmd;
    }
  }
  EXPECT_EQ(MetricOptions().Set("no_such_option", "1").code(),
            StatusCode::kInvalidArgument);
  // A value set on the command line reaches the metric: the report's run
  // object records it.
  const std::string clip = Fixture("good/h264_420p.mp4");
  const std::string dir = std::string(ACUITY_BINARY_DIR) + "/options_test_run";
  const auto r = RunCommand("rm -rf '" + dir + "' && " + Cli() +
                            " score -q --metrics brisque --brisque-every 7 " +
                            "--max-frames 2 -o '" + dir + "' " + clip);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string report =
      nlohmann::json::parse(test::ReadFile(dir + "/h264_420p.acuity.json"))
          .dump();
  EXPECT_NE(report.find("\"brisque_every\":7"), std::string::npos) << report;
}

}  // namespace
}  // namespace cli_options_test
}  // namespace acuity
