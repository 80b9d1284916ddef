// Readers of earlier reports and summaries; see loaders.h.
#include "compare/loaders.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace acuity::loaders {
namespace {

using nlohmann::json;

std::string NameOf(const std::string& video_path) {
  return std::filesystem::path(video_path)
      .filename()
      .replace_extension()
      .string();
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void Fail(Batch* batch, const std::string& path, const std::string& message) {
  BatchRow row;
  row.path = path;
  row.status = InvalidData(message);
  batch->failed.push_back(std::move(row));
}

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string JsonMessage(const std::exception& e) {
  std::string m = e.what();
  const size_t close = m.find("] ");
  if (m.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
    m.erase(0, close + 2);
  }
  return m;
}

// A metric value in JSON: a finite number, or null (undetermined). Anything
// else is an error message naming `field`.
std::optional<std::string> JsonValueError(const json& value,
                                          const std::string& field) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_number()) {
    return "field " + field + ": " + Quote(value.dump()) + " is not a number";
  }
  if (!std::isfinite(value.get<double>())) {
    return "field " + field + ": " + Quote(value.dump()) +
           " is not a finite number";
  }
  return std::nullopt;
}

// Linear interpolation between order statistics, as the report summary
// (report.cc's Quantile); here so that the readers link on their own (the
// fuzz target).
double SortedQuantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] +
         (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace
}  // namespace acuity::loaders

namespace acuity {

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
  return loaders::SortedQuantile(
      v,
      name == "median" ? 0.5 : std::strtod(name.c_str() + 1, nullptr) / 100.0);
}

}  // namespace acuity

namespace acuity::loaders {

std::optional<double> ParseFinite(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] =
      std::from_chars(text.data(), end, v, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::string Quote(std::string_view text) {
  std::string out = "'";
  size_t n = 0;
  for (const char c : text) {
    if (++n > 40) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text,
                                        const std::string& file) {
  std::vector<CsvRecord> out;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  // States: at the start of a field, inside an unquoted field, inside a
  // quoted one, just after a quote inside a quoted field.
  enum { kStart, kPlain, kQuoted, kQuoteInQuoted } state = kStart;
  auto end_record = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    // A record that is one empty field is an empty line.
    if (!(record.fields.size() == 1 && record.fields[0].empty())) {
      out.push_back(std::move(record));
    }
    record = CsvRecord();
    record.line = line;
  };
  auto error = [&](const std::string& what) {
    return InvalidData(file + ":" + std::to_string(line) +
                       ": not CSV: " + what);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && state != kQuoted) {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      return error("a carriage return outside quotes");
    }
    switch (state) {
      case kStart:
      case kPlain:
        if (c == ',') {
          record.fields.push_back(std::move(field));
          field.clear();
          state = kStart;
        } else if (c == '\n') {
          ++line;
          end_record();
          state = kStart;
        } else if (c == '"') {
          if (state == kPlain) return error("a quote inside an unquoted field");
          state = kQuoted;
        } else {
          field += c;
          state = kPlain;
        }
        break;
      case kQuoted:
        if (c == '"') {
          state = kQuoteInQuoted;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
        break;
      case kQuoteInQuoted:
        if (c == '"') {
          field += '"';
          state = kQuoted;
        } else if (c == ',') {
          record.fields.push_back(std::move(field));
          field.clear();
          state = kStart;
        } else if (c == '\n') {
          ++line;
          end_record();
          state = kStart;
        } else {
          return error("characters after a closing quote");
        }
        break;
    }
  }
  if (state == kQuoted) return error("a quoted field is never closed");
  if (!field.empty() || !record.fields.empty() || state == kQuoteInQuoted) {
    end_record();
  }
  return out;
}

void ParseSummaryCsv(std::string_view text, const std::string& file,
                     Batch* batch) {
  auto parsed = ParseCsv(text, file);
  if (!parsed.ok()) {
    batch->input_errors.push_back(parsed.status().message());
    return;
  }
  const std::vector<CsvRecord>& records = parsed.value();
  if (records.empty()) {
    batch->input_errors.push_back(file + ": empty (no header, no rows)");
    return;
  }
  const std::vector<std::string>& header = records[0].fields;
  const auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) -
                               header.begin());
  };
  const size_t path_col = col("path"), status_col = col("status"),
               error_col = col("error");
  if (path_col >= header.size() || status_col >= header.size()) {
    batch->input_errors.push_back(
        file + ":1: not an acuity summary.csv (no path and status columns)");
    return;
  }
  if (records.size() == 1) {
    batch->input_errors.push_back(file + ": no rows (a header only)");
    return;
  }
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = file + ":" + std::to_string(rec.line) + ": ";
    const std::vector<std::string>& cells = rec.fields;
    if (cells.size() != header.size()) {
      Fail(batch, file + ":" + std::to_string(rec.line),
           where + "expected " + std::to_string(header.size()) +
               " fields as the header, got " + std::to_string(cells.size()));
      continue;
    }
    if (cells[status_col] != "ok") {
      Fail(batch, cells[path_col],
           error_col < cells.size() && !cells[error_col].empty()
               ? cells[error_col]
               : cells[path_col] + ": failed when scored");
      continue;
    }
    VideoValues v;
    v.path = cells[path_col];
    v.name = NameOf(v.path);
    std::string bad;
    for (size_t i = 0; i < header.size() && bad.empty(); ++i) {
      if (!EndsWith(header[i], "_median") || cells[i].empty()) continue;
      if (const auto x = ParseFinite(cells[i])) {
        v.values[header[i].substr(0, header[i].size() - 7)] = *x;
      } else {
        bad = where + "field " + header[i] + ": " + Quote(cells[i]) +
              " is not a finite number";
      }
    }
    if (!bad.empty()) {
      Fail(batch, v.path, bad);
      continue;
    }
    batch->videos.push_back(std::move(v));
  }
}

void ParseSummaryJsonl(std::string_view text, const std::string& file,
                       Batch* batch) {
  int line_no = 0, rows = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++rows;
    const std::string where = file + ":" + std::to_string(line_no) + ": ";
    json j;
    try {
      j = json::parse(line);
    } catch (const std::exception& e) {
      Fail(batch, file + ":" + std::to_string(line_no),
           where + "not JSON: " + JsonMessage(e));
      continue;
    }
    const auto string_field = [&](const char* key) -> const std::string* {
      if (!j.is_object()) return nullptr;
      const auto it = j.find(key);
      if (it == j.end() || !it->is_string()) return nullptr;
      return it->get_ptr<const std::string*>();
    };
    const std::string* path = string_field("path");
    const std::string* status = string_field("status");
    if (path == nullptr || status == nullptr) {
      Fail(batch, file + ":" + std::to_string(line_no),
           where + "field " + (path == nullptr ? "path" : "status") +
               ": missing or not a string");
      continue;
    }
    if (*status != "ok") {
      const std::string* error = string_field("error");
      Fail(batch, *path,
           error != nullptr ? *error : *path + ": failed when scored");
      continue;
    }
    const auto median = j.find("median");
    if (median == j.end() || !median->is_object()) {
      Fail(batch, *path, where + "field median: missing or not an object");
      continue;
    }
    VideoValues v;
    v.path = *path;
    v.name = NameOf(*path);
    std::optional<std::string> bad;
    for (const auto& [key, value] : median->items()) {
      bad = JsonValueError(value, "median." + key);
      if (bad) break;
      if (value.is_number()) v.values[key] = value.get<double>();
    }
    if (bad) {
      Fail(batch, *path, where + *bad);
      continue;
    }
    batch->videos.push_back(std::move(v));
  }
  if (rows == 0) batch->input_errors.push_back(file + ": empty (no rows)");
}

void ParseReport(std::string_view text, const std::string& file,
                 const PooledStat& stat, Batch* batch) {
  const std::string where = file + ": ";
  json j;
  try {
    j = json::parse(text);
  } catch (const std::exception& e) {
    Fail(batch, file, where + "not an acuity report: " + JsonMessage(e));
    return;
  }
  const json* video_path = nullptr;
  if (j.is_object() && j.contains("video") && j["video"].is_object() &&
      j["video"].contains("path") && j["video"]["path"].is_string()) {
    video_path = &j["video"]["path"];
  }
  if (video_path == nullptr) {
    Fail(batch, file,
         where +
             "not an acuity report: field video.path missing or not a "
             "string");
    return;
  }
  if (!j.contains("frames") || !j["frames"].is_array()) {
    Fail(batch, file,
         where + "not an acuity report: field frames missing or not an array");
    return;
  }
  VideoValues v;
  v.path = file;
  v.name = NameOf(video_path->get<std::string>());
  std::map<std::string, std::vector<double>> columns;
  const json& frames = j["frames"];
  for (size_t f = 0; f < frames.size(); ++f) {
    const std::string at = "frames[" + std::to_string(f) + "].metrics";
    const json& frame = frames[f];
    if (!frame.is_object() || !frame.contains("metrics") ||
        !frame["metrics"].is_object()) {
      Fail(batch, file, where + "field " + at + ": missing or not an object");
      return;
    }
    for (const auto& [key, value] : frame["metrics"].items()) {
      if (const auto bad = JsonValueError(value, at + "." + key)) {
        Fail(batch, file, where + *bad);
        return;
      }
      auto& col = columns[key];
      if (value.is_number()) col.push_back(value.get<double>());
    }
  }
  for (auto& [key, col] : columns) {
    if (auto s = stat.Of(std::move(col))) v.values[key] = *s;
  }
  batch->videos.push_back(std::move(v));
}

}  // namespace acuity::loaders
