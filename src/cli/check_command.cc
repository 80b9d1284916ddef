// `acuity check FILE...`: pass/fail gates. Parsing and output only.
#include <iostream>

#include "acuity/check.h"
#include "acuity/score.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {
namespace {

// One line per video on stdout, whatever its path holds (a summary.csv may
// quote a path with a line break in it).
std::string OneLine(std::string path) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '\n' || path[i] == '\r') {
      path.replace(i, 1, path[i] == '\n' ? "\\n" : "\\r");
    }
  }
  return path;
}

}  // namespace

int RunCheck(int argc, char** argv) {
  CLI::App app{
      "Pass or fail each video against sharpness thresholds: the gate of a "
      "generate -> check -> regenerate loop.\n\n"
      "Each video is scored (or its NAME.acuity.json read), pooled over its "
      "frames with --stat, and compared with fixed thresholds (--min, --max, "
      "--profile) and/or with a reference batch (--relative-to), since fixed "
      "thresholds do not transfer between kinds of content. The reference "
      "gate checks each criterion once, with its deciding metric (texture: "
      "laplacian_var_nc, edges: edge_width_px, colour: saturation_mean, ...): "
      "a video whose name is in the reference is compared with that video, "
      "others with the batch's 10th percentile; it fails when worse by more "
      "than the criterion's tolerance (default 25%, colour 20%).",
      "acuity check"};
  app.get_formatter()->column_width(26);
  std::vector<std::string> paths, mins, maxs, reference_paths;
  std::string profile_path, stat_text, metrics = "default";
  int jobs = 1;
  DecoderOptions dec;
  app.add_option("FILE", paths,
                 "videos, folders of videos, or NAME.acuity.json reports")
      ->required();
  // One value per flag, repeatable: a list would swallow the FILE arguments.
  const auto one_each = CLI::MultiOptionPolicy::TakeAll;
  app.add_option(
         "--min", mins,
         "KEY=VALUE: fail when the pooled KEY is below VALUE (repeatable)")
      ->expected(1)
      ->multi_option_policy(one_each)
      ->allow_extra_args(false);
  app.add_option(
         "--max", maxs,
         "KEY=VALUE: fail when the pooled KEY is above VALUE (repeatable)")
      ->expected(1)
      ->multi_option_policy(one_each)
      ->allow_extra_args(false);
  app.add_option("--profile", profile_path,
                 "YAML or JSON file with stat, min and max sections");
  app.add_option(
      "--stat", stat_text,
      "pooled statistic per video: median (default), mean, min, max or "
      "pN (p10 = the softest tenth of the frames)");
  app.add_option(
         "--relative-to", reference_paths,
         "reference batch (videos, reports or a summary; repeatable): per "
         "criterion, fail when worse than the video of the same name, or "
         "else than the batch's 10th percentile (90th for higher-is-blurrier "
         "metrics), by more than --tolerance")
      ->expected(1)
      ->multi_option_policy(one_each)
      ->allow_extra_args(false);
  std::string pair_by = "auto";
  app.add_option("--pair-by", pair_by,
                 "with --relative-to: auto (a video whose name is in the "
                 "reference is compared with that video), name (every video "
                 "must have one), none (always the batch percentile)")
      ->check(CLI::IsMember({"auto", "name", "none"}));
  std::vector<std::string> tolerances;
  app.add_option("--tolerance", tolerances,
                 "with --relative-to: how much worse than the reference "
                 "passes, as 25% or 0.25: for every criterion, or "
                 "CRITERION=25% for one (edge, texture, motion, colour, "
                 "face); repeatable (default 25%, colour 20%)")
      ->expected(1)
      ->multi_option_policy(one_each)
      ->allow_extra_args(false);
  app.add_option(
      "--metrics", metrics,
      "metrics to score with; threshold keys are added (default: default)");
  app.add_option("-j,--jobs", jobs, "score N videos in parallel (default 1)")
      ->check(CLI::Range(1, 256));
  AddDecoderOptions(app, dec);
  MetricOptions metric_options;
  AddMetricOptions(app, metric_options);
  app.footer(
      "\nExamples:\n"
      "  acuity check --min laplacian_var=200 out/*.mp4\n"
      "  acuity check --stat p10 --min laplacian_var=50 clip.mp4\n"
      "  acuity check --profile gate.yaml --relative-to good_batch/ new/\n"
      "\nPrints PASS or FAIL per file with the reasons on stdout.\n"
      "Exit status: 0 every file passed; 3 some failed a threshold; 1 error (a "
      "file\n"
      "could not be scored); 2 usage error.\n");
  if (int rc = ParseOrExit(app, argc, argv, "check"); rc >= 0) return rc;
  const bool metrics_given = app.count("--metrics") > 0;

  auto usage = [](const std::string& message) {
    std::cerr << "acuity check: error: " << message << "\n";
    return kExitUsage;
  };
  std::vector<Threshold> thresholds;
  if (!profile_path.empty()) {
    auto profile = LoadCheckProfile(profile_path);
    if (!profile.ok()) return usage(profile.status().message());
    thresholds = profile->thresholds;
    if (stat_text.empty() && profile->stat) stat_text = *profile->stat;
  }
  for (const auto* list : {&mins, &maxs}) {
    for (const std::string& arg : *list) {
      auto kv = ParseThresholdArg(arg);
      if (!kv.ok()) return usage(kv.status().message());
      Threshold& t = ThresholdFor(thresholds, kv->first);
      (list == &mins ? t.min : t.max) = kv->second;
    }
  }
  if (thresholds.empty() && reference_paths.empty()) {
    return usage(
        "nothing to check: give --min, --max, --profile or --relative-to");
  }
  auto stat = PooledStat::Parse(stat_text.empty() ? "median" : stat_text);
  if (!stat.ok()) return usage(stat.status().message());

  // Score with the chosen metrics plus the metric behind every threshold
  // key (a key may be a secondary output of its metric).
  std::string list = metrics;
  for (const Threshold& t : thresholds) {
    const MetricEntry* owner = nullptr;
    for (const MetricEntry& e : MetricRegistry()) {
      for (const MetricInfo& m : e.outputs) {
        if (m.key == t.key) owner = &e;
      }
    }
    if (owner == nullptr) {
      return usage("unknown metric '" + t.key +
                   "' in a threshold (see `acuity score --help`)");
    }
    list += "," + owner->name;
  }
  auto selected = SelectMetrics(list);
  if (!selected.ok()) return usage(selected.status().message());
  SetFfmpegLogging(false);
  ScoreOptions score;
  score.decoder = dec;
  score.metric_options = metric_options;
  score.jobs = jobs;
  score.frames_in_flight = AutoFramesInFlight(jobs);
  score.metrics = selected.value();
  if (Status s = CheckScoreOptions(score); !s.ok()) return usage(s.message());

  // Every input problem is named on stderr and makes the exit status 1:
  // a gate must never pass because its input was missing or unreadable.
  bool error = false;
  auto report_problems = [&](const Batch& b) {
    for (const std::string& e : b.input_errors) {
      error = true;
      std::cerr << "acuity check: error: " << e << "\n";
    }
    for (const BatchRow& row : b.failed) {
      error = true;
      std::cerr << "acuity check: error: " << row.status.message() << "\n";
    }
  };
  if (reference_paths.empty() &&
      (!tolerances.empty() || app.count("--pair-by") > 0)) {
    return usage("--tolerance and --pair-by go with --relative-to");
  }
  std::optional<ReferenceGate> reference;
  if (!reference_paths.empty()) {
    GateOptions gate;
    gate.pair_by = pair_by == "name"   ? PairBy::kName
                   : pair_by == "none" ? PairBy::kNone
                                       : PairBy::kAuto;
    for (const std::string& arg : tolerances) {
      const size_t eq = arg.find('=');
      auto value =
          ParseFraction(eq == std::string::npos ? arg : arg.substr(eq + 1));
      if (!value.ok()) {
        return usage("--tolerance " + arg + ": " + value.status().message());
      }
      if (eq == std::string::npos) {
        for (const Criterion& c : Criteria()) gate.tolerance[c.name] = *value;
        continue;
      }
      const Criterion* c = FindCriterion(arg.substr(0, eq));
      if (c == nullptr) {
        return usage("--tolerance " + arg +
                     ": unknown criterion (edge, texture, motion, colour, "
                     "face)");
      }
      gate.tolerance[c->name] = *value;
    }
    Batch ref = LoadBatch(reference_paths, ScoringWith(score), *stat);
    if (metrics_given) KeepKeys(score.metrics, &ref);
    report_problems(ref);
    auto built = GateFromReference(ref, gate);
    if (!built.ok()) {
      std::cerr << "acuity check: error: " << built.status().message() << "\n";
      return kExitSomeFailed;
    }
    reference = std::move(built).value();
  }
  Batch batch = LoadBatch(paths, ScoringWith(score), *stat);
  if (metrics_given) KeepKeys(score.metrics, &batch);
  report_problems(batch);
  if (batch.videos.empty() && !error) {
    std::cerr << "acuity check: error: no video to check\n";
    error = true;
  }
  bool any_fail = false;
  const std::vector<CheckResult> results =
      CheckBatch(batch, stat->name, thresholds, reference);
  for (const CheckResult& r : results) {
    if (r.pass) {
      std::cout << "PASS " << OneLine(r.path) << "\n";
      continue;
    }
    any_fail = true;
    std::cout << "FAIL " << OneLine(r.path) << ":";
    for (size_t i = 0; i < r.reasons.size(); ++i) {
      std::cout << (i == 0 ? " " : "; ") << r.reasons[i];
    }
    std::cout << "\n";
  }
  std::cout.flush();
  // What was and was not checked, so that a short stdout is never mistaken
  // for a full pass.
  size_t unusable = batch.failed.size() + batch.input_errors.size(), passed = 0,
         failed = 0;
  for (const CheckResult& r : results) (r.pass ? passed : failed)++;
  std::cerr << "acuity check: " << results.size() << " checked, " << passed
            << " passed, " << failed << " failed, " << unusable
            << " could not be used\n";
  if (error) return kExitSomeFailed;
  return any_fail ? kExitRegression : kExitOk;
}

}  // namespace acuity::cli
