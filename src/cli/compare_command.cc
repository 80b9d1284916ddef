// `acuity compare BEFORE AFTER`: argument parsing and output only; the
// statistics are in src/compare/.
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "acuity/compare.h"
#include "acuity/html_report.h"
#include "acuity/score.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {

int RunCompare(int argc, char** argv) {
  CLI::App app{
      "Compare a \"before\" batch of videos with an \"after\" batch: is the "
      "change real, and how big is it?\n\n"
      "Each video counts once (its median over frames, or --stat). When the "
      "same file names appear on both sides the videos are paired (Wilcoxon "
      "signed-rank, Hodges-Lehmann shift); otherwise the batches are compared "
      "as groups (difference of medians with a bootstrap interval, "
      "Mann-Whitney U, Cliff's delta); relative changes of positive metrics "
      "are estimated on the log scale. p-values are Holm-adjusted across "
      "metrics. Prints one verdict per criterion: edge sharpness, texture "
      "detail, motion sharpness, colour, face detail: better or worse, \"no "
      "meaningful change\" (significant but below --min-effect), \"no "
      "significant change\", or \"too few videos to decide\" when the test "
      "cannot reach --alpha with so few.",
      "acuity compare"};
  app.get_formatter()->column_width(26);
  std::vector<std::string> sides, before_paths, after_paths;
  std::string out_dir, metrics = "default", format = "markdown",
                       stat_text = "median", pair_by = "auto";
  int jobs = 1;
  bool fail_on_regression = false, quiet = false;
  CompareOptions opt;
  DecoderOptions dec;

  app.add_option("BEFORE_AFTER", sides,
                 "two paths: the before side and the after side (a folder of "
                 "videos, a folder of NAME.acuity.json reports, or a "
                 "summary.jsonl/summary.csv)")
      ->expected(0, 2);
  app.add_option("--before", before_paths,
                 "before side as a list of paths (up to the next option)");
  app.add_option("--after", after_paths,
                 "after side as a list of paths (up to the next option)");
  app.add_option("-o,--out", out_dir,
                 "write compare.md, compare.json, compare.csv to DIR, and the "
                 "reports of videos scored now to DIR/before and DIR/after");
  app.add_option("--pair-by", pair_by,
                 "auto (pair when most names match), name, or none")
      ->check(CLI::IsMember({"auto", "name", "none"}));
  app.add_option("--stat", stat_text,
                 "pooled statistic per video: median, mean, min, max or pN "
                 "(default median)");
  app.add_option("--confidence", opt.confidence,
                 "interval confidence (default 0.95)")
      ->check(FiniteRange(0.5, 0.999, ""));
  app.add_option("--alpha", opt.alpha,
                 "significance level on Holm-adjusted p-values (default 0.05)")
      ->check(FiniteRange(0.0001, 0.5, ""));
  app.add_option("--bootstrap", opt.bootstrap,
                 "bootstrap resamples (default 2000)")
      ->check(CLI::Range(100, 1000000));
  app.add_option("--seed", opt.seed,
                 "bootstrap seed (default 1): same seed, same interval");
  app.add_option("--format", format, "what stdout gets: markdown, json or csv")
      ->check(CLI::IsMember({"markdown", "json", "csv"}));
  app.add_flag("--fail-on-regression", fail_on_regression,
               "exit 3 when any criterion got significantly worse (for CI)");
  std::vector<std::string> min_effects;
  app.add_option(
         "--min-effect", min_effects,
         "smallest change that counts, as 5% or 0.05: for every criterion, "
         "or CRITERION=5% for one (edge, texture, motion, colour, face); "
         "repeatable; defaults: texture, motion and face 10%, edge and "
         "colour 5%. A significant change below it is \"no meaningful "
         "change\"")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  app.add_option("--metrics", metrics,
                 "metrics to score videos with (default: default); with "
                 "reports and summaries, the metrics compared");
  app.add_option("-j,--jobs", jobs, "score N videos in parallel (default 1)")
      ->check(CLI::Range(1, 256));
  AddDecoderOptions(app, dec);
  MetricOptions metric_options;
  AddMetricOptions(app, metric_options);
  app.add_flag("-q,--quiet", quiet, "no warnings on stderr");
  std::string html;
  app.add_option("--html", html,
                 "also write one HTML page (acuity report): verdicts, "
                 "distributions, paired lines (needs -o)");
  app.footer(
      "\nExamples:\n"
      "  acuity compare old/ new/                      videos scored now, "
      "paired by name\n"
      "  acuity compare runs/a/summary.jsonl runs/b/   earlier reports: "
      "nothing re-decoded\n"
      "  acuity compare --before a1.mp4 a2.mp4 --after b1.mp4 b2.mp4 --pair-by "
      "none\n"
      "  acuity compare --fail-on-regression -o cmp/ baseline/ candidate/\n"
      "\nHow to read the table and what the statistics assume: "
      "docs/compare.md.\n"
      "\nExit status: 0 compared (inputs that failed to decode or had "
      "unreadable "
      "rows are\n"
      "left out, named on stderr and counted in the output); 1 error (a "
      "missing, empty or\n"
      "unreadable input, or nothing to compare); 2 usage error; 3 with\n"
      "--fail-on-regression, some criterion got significantly and meaningfully "
      "worse.\n");
  if (int rc = ParseOrExit(app, argc, argv, "compare"); rc >= 0) return rc;
  const bool metrics_given = app.count("--metrics") > 0;
  // CLI11's range checks let NaN through (every comparison with NaN is
  // false).
  if (!std::isfinite(opt.confidence) || !std::isfinite(opt.alpha)) {
    std::cerr << "acuity compare: error: --confidence and --alpha must be "
                 "finite numbers\n";
    return kExitUsage;
  }

  if (!sides.empty()) {
    if (sides.size() != 2 || !before_paths.empty() || !after_paths.empty()) {
      std::cerr << "acuity compare: error: give BEFORE AFTER, or --before ... "
                   "--after ...\n";
      return kExitUsage;
    }
    before_paths = {sides[0]};
    after_paths = {sides[1]};
  }
  if (app.count("--html") && out_dir.empty()) {
    std::cerr << "acuity compare: error: --html needs -o DIR (the page is "
                 "made from DIR)\n";
    return kExitUsage;
  }
  if (before_paths.empty() || after_paths.empty()) {
    std::cerr
        << "acuity compare: error: both a before and an after side are needed "
           "(see `acuity compare --help`)\n";
    return kExitUsage;
  }
  auto stat = PooledStat::Parse(stat_text);
  if (!stat.ok()) {
    std::cerr << "acuity compare: error: " << stat.status().message() << "\n";
    return kExitUsage;
  }
  auto selected = SelectMetrics(metrics);
  if (!selected.ok()) {
    std::cerr << "acuity compare: error: " << selected.status().message()
              << "\n";
    return kExitUsage;
  }
  for (const std::string& arg : min_effects) {
    const size_t eq = arg.find('=');
    auto value =
        ParseFraction(eq == std::string::npos ? arg : arg.substr(eq + 1));
    if (!value.ok()) {
      std::cerr << "acuity compare: error: --min-effect " << arg << ": "
                << value.status().message() << "\n";
      return kExitUsage;
    }
    if (eq == std::string::npos) {
      for (const Criterion& c : Criteria()) opt.min_effect[c.name] = *value;
      continue;
    }
    const Criterion* c = FindCriterion(arg.substr(0, eq));
    if (c == nullptr) {
      std::cerr << "acuity compare: error: --min-effect " << arg
                << ": unknown criterion (edge, texture, motion, colour, "
                   "face)\n";
      return kExitUsage;
    }
    opt.min_effect[c->name] = *value;
  }
  opt.pair_by = pair_by == "name"   ? PairBy::kName
                : pair_by == "none" ? PairBy::kNone
                                    : PairBy::kAuto;
  SetFfmpegLogging(false);

  ScoreOptions score;
  score.decoder = dec;
  score.metric_options = metric_options;
  score.jobs = jobs;
  score.frames_in_flight = AutoFramesInFlight(jobs);
  score.metrics = selected.value();
  if (Status s = CheckScoreOptions(score); !s.ok()) {
    std::cerr << "acuity compare: error: " << s.message() << "\n";
    return kExitUsage;
  }
  auto side_options = [&](const char* name) {
    ScoreOptions s = score;
    if (!out_dir.empty()) {
      s.out_dir = (std::filesystem::path(out_dir) / name).string();
      std::error_code ec;
      std::filesystem::create_directories(s.out_dir, ec);
    }
    return s;
  };
  if (!out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec || !std::filesystem::is_directory(out_dir)) {
      std::cerr << "acuity compare: error: " << out_dir
                << ": cannot create output folder\n";
      return kExitUsage;
    }
  }
  Batch before =
      LoadBatch(before_paths, ScoringWith(side_options("before")), *stat);
  Batch after =
      LoadBatch(after_paths, ScoringWith(side_options("after")), *stat);
  bool input_error = false;
  for (Batch* b : {&before, &after}) {
    if (metrics_given) KeepKeys(score.metrics, b);
    for (const std::string& e : b->input_errors) {
      input_error = true;
      std::cerr << "acuity compare: error: " << e << "\n";
    }
    for (const BatchRow& row : b->failed) {
      if (!quiet) {
        std::cerr << "acuity compare: left out: " << row.status.message()
                  << "\n";
      }
    }
  }
  // A missing or unreadable input is never compared around.
  if (input_error) return kExitSomeFailed;
  auto result = Compare(before, after, opt);
  if (!result.ok()) {
    std::cerr << "acuity compare: error: " << result.status().message() << "\n";
    return kExitSomeFailed;
  }
  const Comparison& c = result.value();
  if (!out_dir.empty()) {
    const std::filesystem::path dir(out_dir);
    Status s = WriteFileAtomic(
        (dir / "compare.md").string(),
        [&](std::ostream& os) { WriteComparisonMarkdown(os, c); });
    if (s.ok()) {
      s = WriteFileAtomic(
          (dir / "compare.json").string(),
          [&](std::ostream& os) { WriteComparisonJson(os, c); });
    }
    if (s.ok()) {
      s = WriteFileAtomic((dir / "compare.csv").string(),
                          [&](std::ostream& os) { WriteComparisonCsv(os, c); });
    }
    if (s.ok()) {
      // The pooled value of every video of both sides, for acuity report's
      // distributions and paired lines.
      s = WriteFileAtomic((dir / "videos.json").string(),
                          [&](std::ostream& os) {
                            WriteBatchValuesJson(os, before, after, c.paired);
                          });
    }
    if (!s.ok()) {
      std::cerr << "acuity: error: " << s.message() << "\n";
      return kExitSomeFailed;
    }
  }
  if (!html.empty()) {
    HtmlReportOptions ho;
    ho.title = "acuity compare";
    if (Status st = WriteHtmlReport({out_dir}, html, ho); !st.ok()) {
      std::cerr << "acuity compare: error: " << st.message() << "\n";
      return kExitSomeFailed;
    }
  }
  if (format == "json") {
    WriteComparisonJson(std::cout, c);
  } else if (format == "csv") {
    WriteComparisonCsv(std::cout, c);
  } else {
    WriteComparisonMarkdown(std::cout, c);
  }
  if (fail_on_regression && c.any_regression()) return kExitRegression;
  return kExitOk;
}

}  // namespace acuity::cli
