// Loading one side of a comparison: videos scored now, or reports and
// summaries written earlier (so nothing is decoded twice).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "acuity/compare.h"
#include "compare/loaders.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string NameOf(const std::string& video_path) {
  return fs::path(video_path).filename().replace_extension().string();
}

// The whole file, or an input error naming it.
std::optional<std::string> ReadWhole(const std::string& file, Batch* batch) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    batch->input_errors.push_back(file + ": no such file");
    return std::nullopt;
  }
  if (fs::is_directory(file, ec)) {
    batch->input_errors.push_back(file + ": a folder, not a file");
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    batch->input_errors.push_back(file + ": cannot read");
    return std::nullopt;
  }
  return std::move(text).str();
}

void AddReport(const std::string& file, const PooledStat& stat, Batch* batch) {
  if (auto text = ReadWhole(file, batch)) {
    loaders::ParseReport(*text, file, stat, batch);
  }
}

}  // namespace

Batch LoadBatch(const std::vector<std::string>& paths, const ScoreVideos& score,
                const PooledStat& stat) {
  Batch batch;
  std::vector<std::string> to_score;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> reports;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (EndsWith(e.path().filename().string(), ".acuity.json")) {
          reports.push_back(e.path().string());
        }
      }
      if (!reports.empty()) {
        std::sort(reports.begin(), reports.end());
        for (const auto& r : reports) AddReport(r, stat, &batch);
        continue;
      }
      to_score.push_back(p);
    } else if (EndsWith(p, ".acuity.json")) {
      AddReport(p, stat, &batch);
    } else if (EndsWith(p, ".jsonl") ||
               fs::path(p).filename() == "summary.csv") {
      if (stat.name != "median") {
        batch.input_errors.push_back(
            p + ": a summary holds medians only; use " +
            "the NAME.acuity.json reports for --stat " + stat.name);
      } else if (auto text = ReadWhole(p, &batch)) {
        if (EndsWith(p, ".jsonl")) {
          loaders::ParseSummaryJsonl(*text, p, &batch);
        } else {
          loaders::ParseSummaryCsv(*text, p, &batch);
        }
      }
    } else {
      to_score.push_back(p);
    }
  }
  if (!to_score.empty()) {
    std::vector<BatchRow> rows = score(to_score);
    for (BatchRow& row : rows) {
      if (!row.report) {
        batch.failed.push_back(std::move(row));
        continue;
      }
      VideoValues v;
      v.path = row.path;
      v.name = NameOf(row.path);
      const VideoReport& r = *row.report;
      for (size_t m = 0; m < r.metrics.size(); ++m) {
        std::vector<double> col;
        for (const auto& x : r.values[m]) {
          if (x) col.push_back(*x);
        }
        if (auto s = stat.Of(std::move(col))) v.values[r.metrics[m].key] = *s;
      }
      batch.videos.push_back(std::move(v));
    }
  }
  return batch;
}

void KeepKeys(const std::vector<const MetricEntry*>& metrics, Batch* batch) {
  std::set<std::string> keep;
  for (const MetricEntry* e : metrics) {
    for (const MetricInfo& m : e->outputs) keep.insert(m.key);
  }
  for (VideoValues& v : batch->videos) {
    std::erase_if(v.values,
                  [&](const auto& kv) { return !keep.count(kv.first); });
  }
}

}  // namespace acuity
