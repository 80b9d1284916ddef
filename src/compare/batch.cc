// Loading one side of a comparison: videos scored now, or reports and
// summaries written earlier (so nothing is decoded twice).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acuity/compare.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string NameOf(const std::string& video_path) {
  return fs::path(video_path).filename().replace_extension().string();
}

// Splits one CSV line (RFC 4180 quoting).
std::vector<std::string> CsvSplit(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

void AddReport(const std::string& file, const PooledStat& stat, Batch* batch) {
  try {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read");
    const json j = json::parse(in);
    VideoValues v;
    v.path = file;
    v.name = NameOf(j.at("video").at("path").get<std::string>());
    std::map<std::string, std::vector<double>> columns;
    for (const auto& frame : j.at("frames")) {
      for (const auto& [key, value] : frame.at("metrics").items()) {
        auto& col = columns[key];
        if (value.is_number()) col.push_back(value.get<double>());
      }
    }
    for (auto& [key, col] : columns) {
      if (auto s = stat.Of(std::move(col))) v.values[key] = *s;
    }
    batch->videos.push_back(std::move(v));
  } catch (const std::exception& e) {
    BatchRow row;
    row.path = file;
    row.status = InvalidData(file + ": not an acuity report: " + e.what());
    batch->failed.push_back(std::move(row));
  }
}

void AddSummaryJsonl(const std::string& file, Batch* batch) {
  std::ifstream in(file);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    try {
      const json j = json::parse(line);
      const std::string path = j.at("path");
      if (j.at("status") != "ok") {
        BatchRow row;
        row.path = path;
        row.status =
            InvalidData(j.value("error", path + ": failed when scored"));
        batch->failed.push_back(std::move(row));
        continue;
      }
      VideoValues v;
      v.path = path;
      v.name = NameOf(path);
      for (const auto& [key, value] : j.at("median").items()) {
        if (value.is_number()) v.values[key] = value.get<double>();
      }
      batch->videos.push_back(std::move(v));
    } catch (const std::exception& e) {
      BatchRow row;
      row.path = file;
      row.status = InvalidData(file + ":" + std::to_string(line_no) +
                               ": not a summary.jsonl line: " + e.what());
      batch->failed.push_back(std::move(row));
    }
  }
}

void AddSummaryCsv(const std::string& file, Batch* batch) {
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line)) return;
  const std::vector<std::string> header = CsvSplit(line);
  const auto col = [&](const std::string& name) {
    return std::find(header.begin(), header.end(), name) - header.begin();
  };
  const size_t path_col = col("path"), status_col = col("status"),
               error_col = col("error");
  if (path_col >= header.size() || status_col >= header.size()) {
    BatchRow row;
    row.path = file;
    row.status = InvalidData(
        file + ": not an acuity summary.csv (no path/status columns)");
    batch->failed.push_back(std::move(row));
    return;
  }
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = CsvSplit(line);
    if (cells.size() != header.size()) continue;
    if (cells[status_col] != "ok") {
      BatchRow row;
      row.path = cells[path_col];
      row.status =
          InvalidData(error_col < cells.size() ? cells[error_col]
                                               : cells[path_col] + ": failed");
      batch->failed.push_back(std::move(row));
      continue;
    }
    VideoValues v;
    v.path = cells[path_col];
    v.name = NameOf(v.path);
    for (size_t i = 0; i < header.size(); ++i) {
      if (!EndsWith(header[i], "_median") || cells[i].empty()) continue;
      v.values[header[i].substr(0, header[i].size() - 7)] = std::stod(cells[i]);
    }
    batch->videos.push_back(std::move(v));
  }
}

}  // namespace

Result<PooledStat> PooledStat::Parse(const std::string& text) {
  if (text == "median" || text == "mean" || text == "min" || text == "max") {
    return PooledStat{text};
  }
  if (text.size() >= 2 && text[0] == 'p') {
    char* end = nullptr;
    const double q = std::strtod(text.c_str() + 1, &end);
    if (end != nullptr && *end == '\0' && q >= 0 && q <= 100)
      return PooledStat{text};
  }
  return InvalidArgument("unknown statistic '" + text +
                         "' (use median, mean, min, max or pN such as p10)");
}

std::optional<double> PooledStat::Of(std::vector<double> v) const {
  if (v.empty()) return std::nullopt;
  if (name == "mean") {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  }
  std::sort(v.begin(), v.end());
  if (name == "min") return v.front();
  if (name == "max") return v.back();
  return Quantile(v, name == "median"
                         ? 0.5
                         : std::strtod(name.c_str() + 1, nullptr) / 100.0);
}

Batch LoadBatch(const std::vector<std::string>& paths,
                const ScoreOptions& score, const PooledStat& stat) {
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
        BatchRow row;
        row.path = p;
        row.status = InvalidArgument(
            p + ": a summary holds medians only; use " +
            "the NAME.acuity.json reports for --stat " + stat.name);
        batch.failed.push_back(std::move(row));
      } else if (EndsWith(p, ".jsonl")) {
        AddSummaryJsonl(p, &batch);
      } else {
        AddSummaryCsv(p, &batch);
      }
    } else {
      to_score.push_back(p);
    }
  }
  if (!to_score.empty()) {
    Status batch_status;
    std::vector<BatchRow> rows =
        ScoreBatch(ExpandInputs(to_score), score, nullptr, batch_status);
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

}  // namespace acuity
