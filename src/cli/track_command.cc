// `acuity track add|show|check`: argument parsing and output only; the
// database is src/track/db.cc, the analysis src/track/analysis.cc.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "acuity/compare.h"
#include "acuity/html_report.h"
#include "acuity/score.h"
#include "acuity/track.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {
namespace {

namespace fs = std::filesystem;
using track::AnalysisOptions;
using track::CriterionSeries;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string Percent(double rel) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.0f%%", 100.0 * rel);
  return buf;
}

std::string MtimeDate(const std::string& path, std::string* error) {
  std::error_code ec;
  const auto t = fs::last_write_time(path, ec);
  if (ec) {
    *error = "no modification time (" + ec.message() + ")";
    return "";
  }
  const auto sys = std::chrono::file_clock::to_sys(t);
  const std::time_t tt = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M", &tm);
  return buf;
}

const char* kDirections[] = {"higher is sharper", "higher is blurrier",
                             "neutral"};

const char* DirectionText(Direction d) {
  return kDirections[static_cast<int>(d)];
}

int RunAdd(int argc, char** argv) {
  CLI::App app{
      "Add one batch of videos to a track database (created when missing): "
      "each video is scored now, or read from existing reports or summaries "
      "without decoding again, and stored with its date and source.",
      "acuity track add"};
  app.get_formatter()->column_width(26);
  std::string db_path, date, date_regex, label, source, metrics = "default",
                                                        stat_text = "median";
  std::vector<std::string> paths;
  int jobs = 1;
  bool quiet = false;
  DecoderOptions dec;
  MetricOptions metric_options;
  app.add_option("DB", db_path, "the track database (an SQLite file)")
      ->required();
  app.add_option("PATH", paths,
                 "videos, folders of videos, NAME.acuity.json reports or "
                 "folders of them, summary.csv / summary.jsonl")
      ->required();
  app.add_option("--date", date,
                 "the batch's date, YYYY-MM-DD or YYYY-MM-DDTHH:MM; or "
                 "\"mtime\": each file's modification time (UTC)");
  app.add_option("--date-regex", date_regex,
                 "take each video's date from its file name: the first "
                 "capture group (or the whole match) of this regex, as "
                 "YYYY-MM-DD[THH:MM] or YYYYMMDD[_HHMM]");
  app.add_option("--label", label, "a name for this batch (free text)");
  app.add_option("--source", source,
                 "the service or pipeline the videos come from (\"sora\", "
                 "\"prod-720p\"): show and check analyse each source apart");
  app.add_option("--metrics", metrics,
                 "metrics to score videos with (default: default)");
  app.add_option("--stat", stat_text,
                 "pooled statistic per video: median, mean, min, max or pN");
  app.add_option("-j,--jobs", jobs, "score N videos in parallel (default 1)")
      ->check(CLI::Range(1, 256));
  AddDecoderOptions(app, dec);
  AddMetricOptions(app, metric_options);
  app.add_flag("-q,--quiet", quiet, "no progress or warnings on stderr");
  app.footer(
      "\nExamples:\n"
      "  acuity track add q.db --date 2026-01-08 --source sora today/\n"
      "  acuity track add q.db --date mtime --source veo downloads/*.mp4\n"
      "  acuity track add q.db --date-regex '(\\d{8}_\\d{4})' clips/\n"
      "  acuity track add q.db --date 2026-01-08 runs/0108/summary.jsonl\n"
      "\nExit status: 0 stored; 1 some inputs failed (stored as failures, the "
      "rest stored)\nor the database could not be written; 2 usage error.\n"
      "Docs: docs/track.md.\n");
  if (int rc = ParseOrExit(app, argc, argv, "track add"); rc >= 0) return rc;
  const int given = (date.empty() ? 0 : 1) + (date_regex.empty() ? 0 : 1);
  if (given != 1) {
    std::cerr << "acuity track add: error: give one of --date DATE, --date "
                 "mtime or --date-regex RE\n";
    return kExitUsage;
  }
  std::string fixed_date;
  if (!date.empty() && date != "mtime") {
    auto d = track::ParseDate(date);
    if (!d.ok()) {
      std::cerr << "acuity track add: error: --date: " << d.status().message()
                << "\n";
      return kExitUsage;
    }
    fixed_date = *d;
  }
  std::regex re;
  if (!date_regex.empty()) {
    try {
      re = std::regex(date_regex);
    } catch (const std::regex_error& e) {
      std::cerr << "acuity track add: error: --date-regex: " << e.what()
                << "\n";
      return kExitUsage;
    }
  }
  auto stat = PooledStat::Parse(stat_text);
  auto selected = SelectMetrics(metrics);
  if (!stat.ok() || !selected.ok()) {
    std::cerr << "acuity track add: error: "
              << (stat.ok() ? selected.status() : stat.status()).message()
              << "\n";
    return kExitUsage;
  }
  ScoreOptions score;
  score.decoder = dec;
  score.metric_options = metric_options;
  score.jobs = jobs;
  score.frames_in_flight = AutoFramesInFlight(jobs);
  score.metrics = selected.value();
  if (Status s = CheckScoreOptions(score); !s.ok()) {
    std::cerr << "acuity track add: error: " << s.message() << "\n";
    return kExitUsage;
  }
  // The database first: a path that cannot hold one fails before scoring.
  auto db = track::Db::Open(db_path, /*create=*/true);
  if (!db.ok()) {
    std::cerr << "acuity track add: error: " << db.status().message() << "\n";
    return kExitSomeFailed;
  }
  SetFfmpegLogging(false);
  Batch batch = LoadBatch(paths, ScoringWith(score), stat.value());
  if (!batch.input_errors.empty()) {
    for (const std::string& e : batch.input_errors) {
      std::cerr << "acuity track add: error: " << e << "\n";
    }
    std::cerr << "acuity track add: nothing stored\n";
    return kExitSomeFailed;
  }
  std::vector<track::TrackedVideo> videos;
  std::vector<BatchRow> failed = batch.failed;
  for (VideoValues& v : batch.videos) {
    std::string when = fixed_date, error;
    if (date == "mtime") {
      when = MtimeDate(v.path, &error);
    } else if (!date_regex.empty()) {
      const std::string name = fs::path(v.path).filename().string();
      std::smatch m;
      if (std::regex_search(name, m, re)) {
        auto d = track::ParseDate(m.size() > 1 && m[1].matched ? m[1].str()
                                                               : m[0].str());
        if (d.ok()) {
          when = *d;
        } else {
          error = d.status().message();
        }
      } else {
        error = "--date-regex does not match the file name";
      }
    }
    if (when.empty()) {
      BatchRow row;
      row.path = v.path;
      row.status = InvalidArgument(v.path + ": " + error);
      failed.push_back(std::move(row));
      continue;
    }
    videos.push_back({when, source, v.path, std::move(v.values)});
  }
  auto id = (*db)->AddBatch(label, videos, failed);
  if (!id.ok()) {
    std::cerr << "acuity track add: error: " << id.status().message() << "\n";
    return kExitSomeFailed;
  }
  for (const BatchRow& row : failed) {
    std::cerr << "acuity track add: " << row.status.message() << "\n";
  }
  if (!quiet) {
    std::cerr << "acuity track add: batch " << *id << ": " << videos.size()
              << " videos stored in " << db_path
              << (failed.empty() ? ""
                                 : ", " + std::to_string(failed.size()) +
                                       " failed (stored as failures)")
              << "\n";
  }
  return failed.empty() ? kExitOk : kExitSomeFailed;
}

struct SourceResult {
  std::string source;
  size_t videos = 0;
  std::vector<CriterionSeries> series;
};

nlohmann::json ToJson(const std::vector<SourceResult>& results,
                      const std::string& by) {
  nlohmann::json j;
  j["by"] = by;
  j["sources"] = nlohmann::json::array();
  for (const SourceResult& r : results) {
    nlohmann::json s;
    s["source"] = r.source;
    s["videos"] = r.videos;
    s["criteria"] = nlohmann::json::array();
    for (const CriterionSeries& c : r.series) {
      nlohmann::json cj;
      cj["criterion"] = c.criterion;
      cj["id"] = c.id;
      cj["key"] = c.key;
      cj["direction"] = DirectionName(c.direction);
      cj["min_effect"] = c.min_effect;
      cj["periods"] = nlohmann::json::array();
      for (const auto& p : c.periods) {
        cj["periods"].push_back({{"period", p.period},
                                 {"n", p.n},
                                 {"median", p.median},
                                 {"lo", p.lo},
                                 {"hi", p.hi},
                                 {"confidence", p.confidence},
                                 {"segment", p.segment}});
      }
      cj["changes"] = nlohmann::json::array();
      for (const auto& ch : c.changes) {
        cj["changes"].push_back({{"period", ch.period},
                                 {"before", ch.before},
                                 {"after", ch.after},
                                 {"rel", ch.rel},
                                 {"p_value", ch.p_value},
                                 {"verdict", ch.verdict}});
      }
      cj["alert"] = {{"raised", c.alert.raised},
                     {"bad_periods", c.alert.bad_periods},
                     {"baseline_median", c.alert.baseline_median},
                     {"message", c.alert.message}};
      s["criteria"].push_back(cj);
    }
    j["sources"].push_back(s);
  }
  return j;
}

void PrintTable(std::ostream& os, const std::vector<SourceResult>& results,
                const std::string& by, bool timeline) {
  for (const SourceResult& r : results) {
    os << "source: " << (r.source.empty() ? "(none)" : r.source) << "  ("
       << r.videos << " videos, by " << by << ")\n";
    for (const CriterionSeries& c : r.series) {
      os << "\n"
         << c.criterion << " (" << c.key << ", " << DirectionText(c.direction)
         << ")\n";
      char line[160];
      std::snprintf(line, sizeof line, "  %-14s %5s %10s  %-23s%s\n", "period",
                    "n", "median", "interval", timeline ? " level" : "");
      os << line;
      for (const auto& p : c.periods) {
        const std::string interval = Num(p.lo) + " .. " + Num(p.hi) + " (" +
                                     Num(100.0 * p.confidence) + "%)";
        std::snprintf(
            line, sizeof line, "  %-14s %5d %10s  %-23s%s\n", p.period.c_str(),
            p.n, Num(p.median).c_str(), interval.c_str(),
            timeline ? ("  " + std::to_string(p.segment + 1)).c_str() : "");
        os << line;
      }
      if (!timeline) continue;
      if (c.changes.empty()) {
        os << "  changes: none\n";
      }
      for (const auto& ch : c.changes) {
        os << "  change: " << ch.verdict << " from " << ch.period << ": "
           << Num(ch.before) << " -> " << Num(ch.after) << " ("
           << Percent(ch.rel) << ", p " << Num(ch.p_value) << ")\n";
      }
      if (c.alert.raised) os << "  ALERT: " << c.alert.message << "\n";
    }
    os << "\n";
  }
}

void PrintCsv(std::ostream& os, const std::vector<SourceResult>& results) {
  os << "source,criterion,key,period,n,median,lo,hi,confidence,segment\n";
  for (const SourceResult& r : results) {
    for (const CriterionSeries& c : r.series) {
      for (const auto& p : c.periods) {
        os << '"' << r.source << "\"," << c.id << ',' << c.key << ','
           << p.period << ',' << p.n << ',' << Num(p.median) << ',' << Num(p.lo)
           << ',' << Num(p.hi) << ',' << Num(p.confidence) << ','
           << p.segment + 1 << "\n";
      }
    }
  }
}

int RunShowOrCheck(int argc, char** argv, bool check) {
  const std::string name = check ? "track check" : "track show";
  CLI::App app{
      check ? "Alert when the newest periods of a track database are worse "
              "than the trailing baseline (for cron): exit 3 on alert."
            : "Quality over time from a track database: per period and "
              "criterion the median over videos with its interval, the "
              "change points (where quality dropped and recovered) and the "
              "alert for the newest periods.",
      "acuity " + name};
  app.get_formatter()->column_width(26);
  std::string db_path, by = "day", source, format = "table", html;
  AnalysisOptions opt;
  app.add_option("DB", db_path, "the track database")->required();
  app.add_option("--by", by, "day, hour, hour-of-day or weekday (default day)")
      ->check(CLI::IsMember({"day", "hour", "hour-of-day", "weekday"}));
  app.add_option("--source", source,
                 "only this source (default: each source on its own)");
  app.add_option("--format", format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  app.add_option("--alpha", opt.alpha,
                 "change points: permutation test level per criterion, the "
                 "false-alarm rate on a flat timeline (default 0.005)")
      ->check(FiniteRange(0.0001, 0.2, ""));
  app.add_option("--window", opt.window,
                 "alert: the newest N periods (default 3)")
      ->check(CLI::Range(1, 30));
  app.add_option("--needed", opt.needed,
                 "alert: how many of them must be worse (default 2)")
      ->check(CLI::Range(1, 30));
  app.add_option("--baseline", opt.baseline,
                 "alert: periods before the window that form the baseline "
                 "(default 14)")
      ->check(CLI::Range(3, 1000));
  app.add_option("--seed", opt.seed,
                 "permutation seed (default 1): same data, same answer");
  if (!check) {
    app.add_option("--html", html,
                   "also write the timeline as one HTML page (acuity report)");
  }
  app.footer(
      "\nA change point splits the timeline where the videos of the two sides "
      "differ most\n(rank-sum statistic), kept when a permutation test "
      "rejects at --alpha and the\nmedians differ by the criterion's minimum "
      "effect (docs/compare.md). The alert:\n--needed of the last --window "
      "periods worse than the baseline (one-sided\nMann-Whitney p < 0.025 and "
      "the minimum effect).\n"
      "\nExit status: 0 done" +
      std::string(check ? " (no alert); 3 alert" : "") +
      "; 1 the database cannot be read; 2 usage error.\nDocs: "
      "docs/track.md.\n");
  if (int rc = ParseOrExit(app, argc, argv, name); rc >= 0) return rc;
  if (opt.needed > opt.window) {
    std::cerr << "acuity " << name << ": error: --needed exceeds --window\n";
    return kExitUsage;
  }
  opt.by = track::ParsePeriodKind(by).value();
  const bool timeline = track::IsTimeline(opt.by);
  if (check && !timeline) {
    std::cerr << "acuity " << name
              << ": error: --by day or hour (alerts need a timeline)\n";
    return kExitUsage;
  }
  if (!fs::exists(db_path)) {
    std::cerr << "acuity " << name << ": error: " << db_path
              << ": no such file (create it with `acuity track add`)\n";
    return kExitSomeFailed;
  }
  auto db = track::Db::Open(db_path, /*create=*/false);
  if (!db.ok()) {
    std::cerr << "acuity " << name << ": error: " << db.status().message()
              << "\n";
    return kExitSomeFailed;
  }
  std::vector<std::string> sources;
  if (app.count("--source")) {
    sources = {source};
  } else {
    auto all = (*db)->Sources();
    if (!all.ok()) {
      std::cerr << "acuity " << name << ": error: " << all.status().message()
                << "\n";
      return kExitSomeFailed;
    }
    sources = *all;
  }
  std::vector<SourceResult> results;
  bool alert = false;
  for (const std::string& s : sources) {
    auto videos = (*db)->Videos(s);
    if (!videos.ok()) {
      std::cerr << "acuity " << name << ": error: " << videos.status().message()
                << "\n";
      return kExitSomeFailed;
    }
    if (videos->empty()) {
      std::cerr << "acuity " << name << ": error: " << db_path
                << ": no videos of source \"" << s << "\"\n";
      return kExitSomeFailed;
    }
    SourceResult r{s, videos->size(), track::Analyse(*videos, opt)};
    for (const auto& c : r.series) alert = alert || c.alert.raised;
    results.push_back(std::move(r));
  }
  if (check && format == "table") {
    for (const SourceResult& r : results) {
      for (const auto& c : r.series) {
        if (c.alert.raised) {
          std::cout << "ALERT " << (r.source.empty() ? "" : r.source + ": ")
                    << c.alert.message << " (periods";
          for (const auto& p : c.alert.bad_periods) std::cout << " " << p;
          std::cout << ")\n";
        }
      }
    }
    if (!alert) std::cout << "no alert\n";
  } else if (format == "json") {
    std::cout << ToJson(results, by).dump(1) << "\n";
  } else if (format == "csv") {
    PrintCsv(std::cout, results);
  } else {
    PrintTable(std::cout, results, by, timeline);
  }
  if (!html.empty()) {
    HtmlReportOptions ho;
    ho.title = "acuity track: " + fs::path(db_path).filename().string();
    if (Status st = WriteHtmlReport({db_path}, html, ho); !st.ok()) {
      std::cerr << "acuity " << name << ": error: " << st.message() << "\n";
      return kExitSomeFailed;
    }
  }
  return check && alert ? kExitRegression : kExitOk;
}

}  // namespace

int RunTrack(int argc, char** argv) {
  if (argc >= 2) {
    const std::string sub = argv[1];
    if (sub == "add") return RunAdd(argc - 1, argv + 1);
    if (sub == "show") return RunShowOrCheck(argc - 1, argv + 1, false);
    if (sub == "check") return RunShowOrCheck(argc - 1, argv + 1, true);
    if (sub != "--help" && sub != "-h") {
      std::cerr << "acuity track: unknown subcommand '" << sub
                << "' (add, show, check)\n";
      return kExitUsage;
    }
  }
  (argc >= 2 ? std::cout : std::cerr)
      << "acuity track: quality over time, in one SQLite file.\n\n"
         "  acuity track add DB --date YYYY-MM-DD [--source S] PATH...   "
         "score and store a batch\n"
         "  acuity track show DB [--by day|hour|hour-of-day|weekday]     "
         "medians, change points\n"
         "  acuity track check DB                                        "
         "exit 3 on alert (cron)\n\n"
         "`acuity track SUBCOMMAND --help` for each; docs/track.md for how to "
         "monitor a service.\n";
  return argc >= 2 ? kExitOk : kExitUsage;
}

}  // namespace acuity::cli
