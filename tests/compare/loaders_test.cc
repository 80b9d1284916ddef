// Readers of reports and summaries: full-string number parsing, RFC 4180
// CSV, and every malformed input of issue 10 through the CLI (error text,
// exit status: never PASS, never 0).
#include "compare/loaders.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acuity/check.h"
#include "test_util.h"

namespace acuity {
namespace compare_loaders_test {
namespace {

namespace fs = std::filesystem;
using loaders::ParseCsv;
using loaders::ParseFinite;

TEST(ParseFiniteTest, WholeStringFiniteDecimalsOnly) {
  EXPECT_EQ(ParseFinite("12"), 12.0);
  EXPECT_EQ(ParseFinite("-0.5"), -0.5);
  EXPECT_EQ(ParseFinite("1e-3"), 1e-3);
  EXPECT_EQ(ParseFinite("1885.0853953225896"), 1885.0853953225896);
  for (const char* bad : {"", "abc", "5abc", "0x1p3", "1e999", "-1e400", "nan",
                          "NaN", "inf", "-inf", " 5", "5 ", "+5", "1,5"}) {
    EXPECT_FALSE(ParseFinite(bad).has_value()) << bad;
  }
}

TEST(ParseCsvTest, QuotesCommasAndLineBreaks) {
  auto r = ParseCsv(
      "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nz,,\n", "f.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields,
            (std::vector<std::string>{"x,1", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[2].line, 5);  // after the quoted line break and a blank line
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"z", "", ""}));
  // No final line break.
  EXPECT_EQ(ParseCsv("a,b", "f.csv")->at(0).fields.size(), 2u);

  auto open = ParseCsv("a\n\"never closed\n", "f.csv");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().message(),
            "f.csv:3: not CSV: a quoted field is never closed");
  auto stray = ParseCsv("a\nb\"c\n", "f.csv");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.status().message(),
            "f.csv:2: not CSV: a quote inside an unquoted field");
  EXPECT_FALSE(ParseCsv("\"a\"b\n", "f.csv").ok());
}

constexpr char kHeader[] = "path,status,error,laplacian_var_median\n";

TEST(SummaryCsvTest, BadCellsAndRowsAreFailedRowsNamingLineAndField) {
  Batch b;
  loaders::ParseSummaryCsv(std::string(kHeader) +
                               "a.mp4,ok,,10\n"
                               "b.mp4,ok,,5abc\n"
                               "c.mp4,ok\n"
                               "\"d\nd.mp4\",ok,,20\n"
                               "e.mp4,error,e.mp4: empty file,\n"
                               "f.mp4,ok,,\n",
                           "s.csv", &b);
  EXPECT_TRUE(b.input_errors.empty());
  ASSERT_EQ(b.videos.size(), 3u);
  EXPECT_EQ(b.videos[1].path, "d\nd.mp4");
  EXPECT_EQ(b.videos[1].values.at("laplacian_var"), 20);
  EXPECT_TRUE(b.videos[2].values.empty());  // an empty cell is null
  ASSERT_EQ(b.failed.size(), 3u);
  EXPECT_EQ(b.failed[0].status.message(),
            "s.csv:3: field laplacian_var_median: '5abc' is not a finite "
            "number");
  EXPECT_EQ(b.failed[1].status.message(),
            "s.csv:4: expected 4 fields as the header, got 2");
  EXPECT_EQ(b.failed[2].status.message(), "e.mp4: empty file");
}

TEST(SummaryCsvTest, EmptyOrHeaderOnlyIsAnInputError) {
  for (const std::string& text :
       {std::string(""), std::string("\n\n"), std::string(kHeader),
        std::string("x,y\n1,2\n")}) {
    Batch b;
    loaders::ParseSummaryCsv(text, "s.csv", &b);
    EXPECT_EQ(b.input_errors.size(), 1u) << text;
    EXPECT_TRUE(b.videos.empty());
  }
}

TEST(SummaryJsonlTest, NonFiniteAndMalformedLines) {
  Batch b;
  loaders::ParseSummaryJsonl(
      R"({"path":"a.mp4","status":"ok","median":{"laplacian_var":10,"x":null}}
{"path":"b.mp4","status":"ok","median":{"laplacian_var":1e999}}
{"path":"c.mp4","status":"ok","median":{"laplacian_var":"abc"}}
not json

{"path":"d.mp4","status":"error","error":"d.mp4: cannot decode"}
{"status":"ok"}
)",
      "s.jsonl", &b);
  ASSERT_EQ(b.videos.size(), 1u);
  EXPECT_EQ(b.videos[0].values.size(), 1u);
  ASSERT_EQ(b.failed.size(), 5u);
  EXPECT_EQ(b.failed[0].status.message(),
            "s.jsonl:2: not JSON: number overflow parsing '1e999'");
  EXPECT_EQ(b.failed[1].status.message(),
            "s.jsonl:3: field median.laplacian_var: '\"abc\"' is not a number");
  EXPECT_EQ(b.failed[2].status.message().rfind("s.jsonl:4: not JSON: ", 0), 0u);
  EXPECT_EQ(b.failed[3].status.message(), "d.mp4: cannot decode");
  EXPECT_EQ(b.failed[4].status.message(),
            "s.jsonl:7: field path: missing or not a string");
  Batch empty;
  loaders::ParseSummaryJsonl(" \n\n", "e.jsonl", &empty);
  EXPECT_EQ(empty.input_errors,
            std::vector<std::string>{"e.jsonl: empty (no rows)"});
}

TEST(ReportTest, PoolsFramesAndRejectsNonFinite) {
  Batch b;
  const PooledStat median;
  loaders::ParseReport(
      R"({"video":{"path":"x/v1.mp4"},"frames":[{"metrics":{"a":1,"b":null}},
          {"metrics":{"a":3,"b":null}}]})",
      "v1.acuity.json", median, &b);
  ASSERT_EQ(b.videos.size(), 1u);
  EXPECT_EQ(b.videos[0].name, "v1");
  EXPECT_EQ(b.videos[0].values.at("a"), 2);
  EXPECT_FALSE(b.videos[0].values.count("b"));
  loaders::ParseReport(
      R"({"video":{"path":"v2.mp4"},"frames":[{"metrics":{"a":-1e400}}]})",
      "v2.acuity.json", median, &b);
  loaders::ParseReport(R"({"video":{}})", "v3.acuity.json", median, &b);
  loaders::ParseReport("", "v4.acuity.json", median, &b);
  ASSERT_EQ(b.failed.size(), 3u);
  EXPECT_EQ(b.failed[0].status.message(),
            "v2.acuity.json: not an acuity report: number overflow parsing "
            "'-1e400'");
  EXPECT_EQ(b.failed[1].status.message(),
            "v3.acuity.json: not an acuity report: field video.path missing or "
            "not a string");
  EXPECT_EQ(b.failed[2].status.message().rfind(
                "v4.acuity.json: not an acuity report: ", 0),
            0u);
}

// --- through the CLI ---------------------------------------------------------

std::string Write(const std::string& name, const std::string& text) {
  const fs::path path = fs::path(ACUITY_BINARY_DIR) / "loaders_test" / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string GoodRows() {
  std::string rows = kHeader;
  for (int i = 1; i <= 6; ++i) {
    rows +=
        "v" + std::to_string(i) + ".mp4,ok,," + std::to_string(100 + i) + "\n";
  }
  return rows;
}

TEST(LoadersCliTest, EveryMalformedInputIsAnErrorExitNeverPass) {
  const std::string check = test::Cli() + " check --min laplacian_var=1 ";
  // row: one row is unusable among good ones (check fails, compare leaves
  // it out and counts it); otherwise nothing is usable (both exit 1).
  struct Case {
    std::string file, text, error;
    bool row = true;
  };
  const std::vector<Case> cases = {
      {"abc/summary.csv", GoodRows() + "w.mp4,ok,,abc\n",
       "summary.csv:8: field laplacian_var_median: 'abc' is not a finite "
       "number"},
      {"5abc/summary.csv", GoodRows() + "w.mp4,ok,,5abc\n", "'5abc' is not a"},
      {"hex/summary.csv", GoodRows() + "w.mp4,ok,,0x1p3\n", "'0x1p3' is not a"},
      {"big/summary.csv", GoodRows() + "w.mp4,ok,,1e999\n", "'1e999' is not a"},
      {"small/summary.csv", GoodRows() + "w.mp4,ok,,-1e400\n",
       "'-1e400' is not a"},
      {"nan/summary.csv", GoodRows() + "w.mp4,ok,,nan\n", "'nan' is not a"},
      {"inf/summary.csv", GoodRows() + "w.mp4,ok,,inf\n", "'inf' is not a"},
      {"columns/summary.csv",
       std::string(kHeader) + "a.mp4,ok\nb.mp4,ok,,1,2\n",
       "summary.csv:2: expected 4 fields as the header, got 2", false},
      {"header/summary.csv", kHeader, "summary.csv: no rows (a header only)",
       false},
      {"empty/summary.csv", "", "summary.csv: empty (no header, no rows)",
       false},
      {"quote/summary.csv", GoodRows() + "\"w.mp4,ok,,1\n",
       "not CSV: a quoted field is never closed", false},
      {"empty.jsonl", "", "empty.jsonl: empty (no rows)", false},
      {"nan.jsonl",
       R"({"path":"a.mp4","status":"ok","median":{"laplacian_var":NaN}})",
       "nan.jsonl:1: not JSON: ", false},
      {"bad.acuity.json", "{",
       "bad.acuity.json: not an acuity report: ", false},
  };
  // All of them in one run (each process start costs a few hundred ms
  // under the sanitizers): one error line per bad input, naming it, and no
  // PASS for any video of theirs.
  std::string all_paths;
  std::vector<std::string> paths;
  for (const Case& c : cases) {
    paths.push_back(Write(c.file, c.text));
    all_paths += " " + paths.back();
  }
  auto r = test::RunCommand(check + all_paths);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.find("PASS w.mp4"), std::string::npos) << r.out;
  std::istringstream lines(r.err);
  std::vector<std::string> err_lines;
  for (std::string line; std::getline(lines, line);) err_lines.push_back(line);
  for (size_t i = 0; i < cases.size(); ++i) {
    bool found = false;
    for (const std::string& line : err_lines) {
      found |= line.rfind("acuity check: error: " + paths[i], 0) == 0 &&
               line.find(cases[i].error) != std::string::npos;
    }
    EXPECT_TRUE(found) << cases[i].file << " (" << cases[i].error << "):\n"
                       << r.err;
  }
  // Last, the count of what could not be used: 7 bad cells, 2 rows of the
  // wrong length, 2 unreadable JSON texts, 4 files without usable rows.
  ASSERT_FALSE(err_lines.empty());
  EXPECT_NE(err_lines.back().find(" failed, 15 could not be used"),
            std::string::npos)
      << err_lines.back();

  // The bypasses of issue 10, each alone: a missing summary (a run killed
  // before it wrote one), an empty one, one whose rows all have the wrong
  // number of fields.
  auto missing = test::RunCommand(check + "/no/such/summary.jsonl");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err,
            "acuity check: error: /no/such/summary.jsonl: no such file\n"
            "acuity check: 0 checked, 0 passed, 0 failed, 1 could not be "
            "used\n");
  for (const size_t i : {size_t{7}, size_t{9}}) {  // columns, empty
    auto alone = test::RunCommand(check + paths[i]);
    EXPECT_EQ(alone.exit_code, 1) << cases[i].file;
    EXPECT_EQ(alone.out, "") << cases[i].file;
  }

  // compare takes the same readers: a bad row is left out and counted, a
  // file without rows is an error.
  auto row = test::RunCommand(test::Cli() + " compare --format json " +
                              paths[0] + " " + paths[0]);
  EXPECT_EQ(row.exit_code, 0) << row.err;
  EXPECT_NE(row.err.find("acuity compare: left out: " + paths[0] + ":8: "),
            std::string::npos)
      << row.err;
  EXPECT_EQ(nlohmann::json::parse(row.out)["failed_before"].size(), 1u);
  auto header =
      test::RunCommand(test::Cli() + " compare " + paths[8] + " " + paths[0]);
  EXPECT_EQ(header.exit_code, 1);
  EXPECT_NE(header.err.find(cases[8].error), std::string::npos) << header.err;
}

TEST(LoadersCliTest, NonFiniteThresholdsAndProfilesAreUsageErrors) {
  for (const char* value : {"nan", "inf", "-inf", "1e999", "0x1p3", "5abc"}) {
    auto kv = ParseThresholdArg(std::string("laplacian_var=") + value);
    ASSERT_FALSE(kv.ok()) << value;
    EXPECT_EQ(kv.status().message(), std::string("threshold 'laplacian_var=") +
                                         value + "': '" + value +
                                         "' is not a finite number");
  }
  for (const char* value : {".nan", ".inf", "-.inf", ".NaN", "abc", "1e999"}) {
    const std::string profile =
        Write("p.yaml", std::string("min:\n  laplacian_var: ") + value + "\n");
    auto loaded = LoadCheckProfile(profile);
    ASSERT_FALSE(loaded.ok()) << value;
    EXPECT_EQ(loaded.status().message(),
              profile + ":2: field min.laplacian_var: '" + value +
                  "' is not a finite number");
  }
  // Through the CLI: usage errors (2), never a run.
  const std::string good = Write("good/summary.csv", GoodRows());
  const std::string nan_profile =
      Write("nan.yaml", "max:\n  laplacian_var: .nan\n");
  auto flag =
      test::RunCommand(test::Cli() + " check --min laplacian_var=nan " + good);
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_EQ(flag.out, "");
  auto profile = test::RunCommand(test::Cli() + " check --profile " +
                                  nan_profile + " " + good);
  EXPECT_EQ(profile.exit_code, 2);
  EXPECT_NE(profile.err.find("is not a finite number"), std::string::npos);
  auto alpha = test::RunCommand(test::Cli() + " compare --alpha nan " + good +
                                " " + good);
  EXPECT_EQ(alpha.exit_code, 2) << alpha.err;
}

TEST(LoadersCliTest, MetricsFlagLimitsSummariesAndReports) {
  // Reference and candidates as summaries: the candidates' edges are 50%
  // wider than their references', their texture is unchanged.
  std::string ref =
                  "path,status,error,laplacian_var_nc_median,"
                  "edge_width_px_median\n",
              cand = ref;
  for (int i = 1; i <= 6; ++i) {
    const std::string name = "v" + std::to_string(i) + ".mp4,ok,,";
    ref += name + std::to_string(100 * i) + ",2\n";
    cand += name + std::to_string(100 * i) + ",3\n";
  }
  const std::string ref_path = Write("metrics_ref/summary.csv", ref);
  const std::string cand_path = Write("metrics_cand/summary.csv", cand);
  const std::string cmd = test::Cli() + " check --relative-to " + ref_path;
  auto all = test::RunCommand(cmd + " " + cand_path);
  EXPECT_EQ(all.exit_code, 3) << all.err;
  EXPECT_NE(all.out.find("FAIL v1.mp4: edge sharpness: edge_width_px median 3 "
                         "is +50% against its reference v1 (2)"),
            std::string::npos)
      << all.out;
  auto texture =
      test::RunCommand(cmd + " --metrics laplacian_var_nc " + cand_path);
  EXPECT_EQ(texture.exit_code, 0) << texture.out << texture.err;
  EXPECT_EQ(texture.out.find("FAIL"), std::string::npos) << texture.out;
  // A path with a line break (quoted in the CSV) stays on one line.
  const std::string quoted = Write(
      "quoted/summary.csv", std::string(kHeader) + "\"a\nb.mp4\",ok,,5\n");
  auto one =
      test::RunCommand(test::Cli() + " check --min laplacian_var=1 " + quoted);
  EXPECT_EQ(one.out, "PASS a\\nb.mp4\n");
  // compare, likewise: only the texture criterion has a metric.
  auto cmp = test::RunCommand(test::Cli() +
                              " compare --format json --metrics "
                              "laplacian_var_nc " +
                              ref_path + " " + cand_path);
  EXPECT_EQ(cmp.exit_code, 0) << cmp.err;
  EXPECT_EQ(cmp.out.find("edge_width_px\""), std::string::npos) << cmp.out;
}

}  // namespace
}  // namespace compare_loaders_test
}  // namespace acuity
