// Report pooling and writers (JSON, CSV, JSON lines, table).
#include "acuity/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "acuity/headline.h"

namespace acuity {
namespace {

using nlohmann::ordered_json;

ordered_json Num(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The optional "heatmap" object (acuity score --heatmap; acuity/heatmap.h).
ordered_json HeatmapJson(const Heatmap& h) {
  ordered_json values = ordered_json::array();
  for (const auto& v : h.values) values.push_back(Num(v));
  ordered_json scales = ordered_json::array();
  for (const auto& v : h.detail_scale) scales.push_back(Num(v));
  return {
      {"cols", h.cols},
      {"rows", h.rows},
      {"width", h.width},
      {"height", h.height},
      {"tile_width", h.cols > 0 ? static_cast<double>(h.width) / h.cols : 0},
      {"tile_height", h.rows > 0 ? static_cast<double>(h.height) / h.rows : 0},
      {"unit", "8-bit code values^2"},
      {"pooling", "geometric_mean_plus_1"},
      {"flat_luma_std", kHeatmapFlatLumaStd},
      {"frames", h.frames},
      {"frame", {{"index", h.frame_index}, {"pts", h.frame_pts}}},
      {"values", std::move(values)},
      {"flat_min_gradient", kHeatmapFlatMinGradient},
      {"flat_tiles", h.flat_tiles},
      {"detail_scale_px", std::move(scales)}};
}

ordered_json HeadlineJson(const Headline& h) {
  return {{"verdict",
           h.verdict.empty() ? ordered_json(nullptr) : ordered_json(h.verdict)},
          {"looks_like",
           h.looks_like ? ordered_json(*h.looks_like) : ordered_json(nullptr)},
          {"effective_height", Num(h.effective_height)},
          {"resolution_ratio", Num(h.resolution_ratio)},
          {"resolution_ratio_p10", Num(h.resolution_ratio_p10)},
          {"edge_width_px", Num(h.edge_width_px)},
          {"laplacian_var_nc", Num(h.laplacian_var_nc)},
          {"colorfulness", Num(h.colorfulness)}};
}

ordered_json SummaryJson(const SummaryStats& s) {
  ordered_json j;
  j["n"] = s.n;
  j["n_null"] = s.n_null;
  j["mean"] = Num(s.mean);
  j["median"] = Num(s.median);
  j["p5"] = Num(s.p5);
  j["p10"] = Num(s.p10);
  j["p95"] = Num(s.p95);
  j["std"] = Num(s.std);
  j["min"] = Num(s.min);
  j["min_time"] = Num(s.min_time);
  j["max"] = Num(s.max);
  j["max_time"] = Num(s.max_time);
  return j;
}

std::optional<double> MedianOf(const BatchRow& row, const std::string& key) {
  if (!row.report) return std::nullopt;
  const VideoReport& r = *row.report;
  for (size_t i = 0; i < r.metrics.size(); ++i) {
    if (r.metrics[i].key == key) return r.summary[i].median;
  }
  return std::nullopt;
}

const char* RowStatus(const BatchRow& row) {
  return row.status.ok() ? "ok" : "error";
}

ordered_json OptionsJson(const RunInfo& run) {
  const SamplingOptions& s = run.decoder.sampling;
  ordered_json j = {
      {"metrics", run.metrics},
      {"fps", s.fps > 0 ? ordered_json(s.fps) : ordered_json(nullptr)},
      {"every", s.every},
      {"keyframes", s.keyframes},
      {"max_frames",
       s.max_frames > 0 ? ordered_json(s.max_frames) : ordered_json(nullptr)},
      {"start", s.start},
      {"duration",
       s.duration > 0 ? ordered_json(s.duration) : ordered_json(nullptr)},
      {"threads", run.decoder.threads},
      {"max_pixels", run.decoder.max_pixels}};
  // The metric options the registry declares: every kEvery option by name
  // (sorted), then the entries' run fields (registry order); null where
  // the run does not use them, so every report has the same keys.
  std::set<std::string> every;
  for (const MetricOptionSpec& o : MetricOptionSpecs()) {
    if (o.kind == MetricOptionSpec::Kind::kEvery) every.insert(o.name);
  }
  for (const std::string& name : every) {
    const auto it = run.every.find(name);
    j[name] = it != run.every.end() ? ordered_json(it->second)
                                    : ordered_json(nullptr);
  }
  for (const MetricEntry& e : MetricRegistry()) {
    if (e.run_field.empty()) continue;
    const auto it = run.fields.find(e.run_field);
    j[e.run_field] = it != run.fields.end() ? ordered_json(it->second)
                                            : ordered_json(nullptr);
  }
  // Only when not the default: reports of runs without sequences (and
  // their options_hash) stay as they were.
  if (run.decoder.sequence_fps != DecoderOptions{}.sequence_fps) {
    j["sequence_fps"] = run.decoder.sequence_fps;
  }
  return j;
}

std::optional<double> NumberOrNull(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  return std::nullopt;
}

}  // namespace

std::string OptionsHash(const RunInfo& run) {
  // Everything that can change a value: the options as the report writes
  // them less "threads" (same numbers whatever the thread count), the
  // heatmap switch, the schema and the tool version. FNV-1a 64 over it.
  ordered_json options = OptionsJson(run);
  options.erase("threads");
  const std::string text = std::string(kSchemaVersion) + "\n" +
                           run.tool_version + "\n" + options.dump() + "\n" +
                           (run.heatmap ? "heatmap" : "");
  uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

Result<VideoReport> LoadReportSummary(const std::string& json_path,
                                      std::string* options_hash) {
  try {
    std::ifstream in(json_path, std::ios::binary);
    if (!in) return IoError(json_path + ": cannot read");
    const nlohmann::json j = nlohmann::json::parse(in);
    VideoReport r;
    const nlohmann::json& v = j.at("video");
    r.video.path = v.at("path").get<std::string>();
    r.video.container = v.value("container", "");
    r.video.codec = v.at("codec").get<std::string>();
    r.video.width = v.at("width").get<int>();
    r.video.height = v.at("height").get<int>();
    r.video.fps = NumberOrNull(v.at("fps")).value_or(0.0);
    r.video.duration = NumberOrNull(v.at("duration")).value_or(0.0);
    r.video.frames_decoded = v.at("frames_decoded").get<int64_t>();
    r.video.frames_used = v.at("frames_used").get<int64_t>();
    r.video.decode_errors = v.at("decode_errors").get<int64_t>();
    for (const auto& [key, m] : j.at("metrics").items()) {
      MetricInfo info;
      info.key = key;
      info.unit = m.value("unit", "");
      info.range = m.value("range", "");
      info.help = m.value("help", "");
      const nlohmann::json& st = j.at("summary").at(key);
      SummaryStats s;
      s.n = st.at("n").get<int64_t>();
      s.n_null = st.at("n_null").get<int64_t>();
      s.mean = NumberOrNull(st.at("mean"));
      s.median = NumberOrNull(st.at("median"));
      s.p5 = NumberOrNull(st.at("p5"));
      s.p10 = NumberOrNull(st.at("p10"));
      s.p95 = NumberOrNull(st.at("p95"));
      s.std = NumberOrNull(st.at("std"));
      s.min = NumberOrNull(st.at("min"));
      s.min_time = NumberOrNull(st.at("min_time"));
      s.max = NumberOrNull(st.at("max"));
      s.max_time = NumberOrNull(st.at("max_time"));
      r.metrics.push_back(std::move(info));
      r.summary.push_back(s);
    }
    if (options_hash != nullptr) {
      *options_hash = j.value("options_hash", "");
    }
    return r;
  } catch (const std::exception& e) {
    return InvalidData(json_path +
                       ": not a complete acuity report: " + e.what());
  }
}

std::string FormatNumber(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "null";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), *v);
  return std::string(buf, res.ptr);
}

double Quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

SummaryStats Summarize(const std::vector<std::optional<double>>& values,
                       const std::vector<double>& times) {
  SummaryStats s;
  std::vector<double> valid;
  valid.reserve(values.size());
  double sum = 0.0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i] || !std::isfinite(*values[i])) {
      ++s.n_null;
      continue;
    }
    const double v = *values[i];
    valid.push_back(v);
    sum += v;  // fixed (frame) order: deterministic
    const double t = i < times.size() ? times[i] : 0.0;
    if (!s.min || v < *s.min) {
      s.min = v;
      s.min_time = t;
    }
    if (!s.max || v > *s.max) {
      s.max = v;
      s.max_time = t;
    }
  }
  s.n = static_cast<int64_t>(valid.size());
  if (valid.empty()) return s;
  const double mean = sum / static_cast<double>(valid.size());
  double ss = 0.0;
  for (double v : valid) ss += (v - mean) * (v - mean);
  s.mean = mean;
  s.std = std::sqrt(ss / static_cast<double>(valid.size()));
  std::sort(valid.begin(), valid.end());
  s.median = Quantile(valid, 0.5);
  s.p5 = Quantile(valid, 0.05);
  s.p10 = Quantile(valid, 0.10);
  s.p95 = Quantile(valid, 0.95);
  return s;
}

void WriteVideoReportJson(std::ostream& os, const VideoReport& r,
                          const RunInfo& run) {
  // Streamed: one line per frame, so writing a 10-minute report needs no
  // more memory than a 10-second one (no document tree of every frame).
  ordered_json tool = {{"name", "acuity"},
                       {"version", run.tool_version},
                       {"simd_target", run.simd_target},
                       {"ffmpeg", run.ffmpeg}};
  const ordered_json options = OptionsJson(run);
  const VideoInfo& v = r.video;
  const LumaScale scale = LumaScale::For(v.bit_depth, v.range);
  ordered_json video = {
      {"path", v.path},
      {"container", v.container},
      {"codec", v.codec},
      {"width", v.width},
      {"height", v.height},
      {"pix_fmt", v.pix_fmt},
      {"analysed_pix_fmt", v.analysed_pix_fmt},
      {"bit_depth", v.bit_depth},
      {"range", ColorRangeName(v.range)},
      {"scale", {{"black", scale.black}, {"gain", scale.gain}}},
      {"fps", Num(v.fps > 0 ? std::optional(v.fps) : std::nullopt)},
      {"duration",
       Num(v.duration > 0 ? std::optional(v.duration) : std::nullopt)},
      {"bitrate",
       v.bitrate > 0 ? ordered_json(v.bitrate) : ordered_json(nullptr)},
      {"rotation", v.rotation},
      {"still_image", v.still_image},
      {"frames_decoded", v.frames_decoded},
      {"frames_used", v.frames_used},
      {"decode_errors", v.decode_errors}};
  if (v.image_sequence) video["image_sequence"] = true;
  ordered_json metrics = ordered_json::object();
  for (const MetricInfo& m : r.metrics) {
    metrics[m.key] = {{"unit", m.unit},
                      {"range", m.range},
                      {"direction", DirectionName(m.direction)},
                      {"help", m.help}};
  }
  os << "{\n \"schema_version\": " << ordered_json(kSchemaVersion).dump()
     << ",\n \"tool\": " << tool.dump() << ",\n \"options\": " << options.dump()
     << ",\n \"options_hash\": " << ordered_json(OptionsHash(run)).dump()
     << ",\n \"video\": " << video.dump()
     << ",\n \"metrics\": " << metrics.dump() << ",\n \"frames\": [";
  ordered_json fr;
  for (size_t f = 0; f < r.frames.size(); ++f) {
    fr["index"] = r.frames[f].index;
    fr["pts"] = r.frames[f].pts;
    fr["key_frame"] = r.frames[f].key_frame;
    if (!r.frames[f].file.empty()) fr["file"] = r.frames[f].file;
    ordered_json vals = ordered_json::object();
    for (size_t m = 0; m < r.metrics.size(); ++m) {
      vals[r.metrics[m].key] = Num(r.values[m][f]);
    }
    fr["metrics"] = std::move(vals);
    if (!r.faces.empty()) {
      ordered_json faces = ordered_json::array();
      for (const FaceBox& b : r.faces[f]) {
        faces.push_back({{"x", b.x},
                         {"y", b.y},
                         {"width", b.width},
                         {"height", b.height},
                         {"detected", b.detected},
                         {"kind", b.kind},
                         {"score", b.score},
                         {"salience", b.salience},
                         {"main", b.main},
                         {"laplacian_var", Num(b.laplacian_var)},
                         {"edge_width_px", Num(b.edge_width_px)}});
      }
      fr["faces"] = std::move(faces);
    }
    os << (f == 0 ? "\n  " : ",\n  ") << fr.dump();
  }
  ordered_json summary = ordered_json::object();
  for (size_t m = 0; m < r.metrics.size(); ++m) {
    summary[r.metrics[m].key] = SummaryJson(r.summary[m]);
  }
  os << "\n ],\n \"summary\": " << summary.dump(1, ' ');
  os << ",\n \"headline\": " << HeadlineJson(MakeHeadline(r)).dump();
  if (r.heatmap) os << ",\n \"heatmap\": " << HeatmapJson(*r.heatmap).dump();
  os << "\n}\n";
}

std::string VideoReportJson(const VideoReport& r, const RunInfo& run) {
  std::ostringstream os;
  WriteVideoReportJson(os, r, run);
  return os.str();
}

void WriteFramesCsv(std::ostream& os, const VideoReport& r) {
  // Image sequences name each frame's file (a column only for them).
  const bool files = r.video.image_sequence;
  os << "index,pts,key_frame" << (files ? ",file" : "");
  for (const MetricInfo& m : r.metrics) os << ',' << m.key;
  os << '\n';
  for (size_t f = 0; f < r.frames.size(); ++f) {
    os << r.frames[f].index << ',' << FormatNumber(r.frames[f].pts) << ','
       << (r.frames[f].key_frame ? 1 : 0);
    if (files) os << ',' << CsvField(r.frames[f].file);
    for (size_t m = 0; m < r.metrics.size(); ++m) {
      const auto& v = r.values[m][f];
      os << ',' << (v ? FormatNumber(v) : "");
    }
    os << '\n';
  }
}

void WriteSummaryCsv(std::ostream& os, const std::vector<BatchRow>& rows,
                     const std::vector<MetricInfo>& metrics) {
  os << "path,status,error,verdict,looks_like,effective_height,"
        "resolution_ratio,resolution_ratio_p10,edge_width_px,"
        "laplacian_var_nc,colorfulness,codec,width,height,fps,duration,"
        "frames_used";
  for (const MetricInfo& m : metrics) os << ',' << m.key << "_median";
  os << '\n';
  for (const BatchRow& row : rows) {
    os << CsvField(row.path) << ',' << RowStatus(row) << ','
       << CsvField(row.status.message());
    if (row.report) {
      const Headline h = MakeHeadline(*row.report);
      auto cell = [&](std::optional<double> v) {
        os << ',' << (v ? FormatNumber(v) : "");
      };
      os << ',' << CsvField(h.verdict) << ','
         << (h.looks_like ? std::to_string(*h.looks_like) : "");
      cell(h.effective_height);
      cell(h.resolution_ratio);
      cell(h.resolution_ratio_p10);
      cell(h.edge_width_px);
      cell(h.laplacian_var_nc);
      cell(h.colorfulness);
    } else {
      os << ",,,,,,,,";
    }
    if (row.report) {
      const VideoInfo& v = row.report->video;
      os << ',' << v.codec << ',' << v.width << ',' << v.height << ','
         << (v.fps > 0 ? FormatNumber(v.fps) : "") << ','
         << (v.duration > 0 ? FormatNumber(v.duration) : "") << ','
         << v.frames_used;
    } else {
      os << ",,,,,,";
    }
    for (size_t m = 0; m < metrics.size(); ++m) {
      const auto med = MedianOf(row, metrics[m].key);
      os << ',' << (med ? FormatNumber(med) : "");
    }
    os << '\n';
  }
}

void WriteSummaryJsonl(std::ostream& os, const std::vector<BatchRow>& rows,
                       const std::vector<MetricInfo>& metrics) {
  for (const BatchRow& row : rows) {
    ordered_json j;
    j["path"] = row.path;
    j["status"] = RowStatus(row);
    j["error"] = row.status.ok() ? ordered_json(nullptr)
                                 : ordered_json(row.status.message());
    if (row.report) {
      const ordered_json h = HeadlineJson(MakeHeadline(*row.report));
      j["verdict"] = h["verdict"];
      j["headline"] = h;
    } else {
      j["verdict"] = nullptr;
      j["headline"] = nullptr;
    }
    j["report"] = row.report_file.empty() ? ordered_json(nullptr)
                                          : ordered_json(row.report_file);
    if (row.report) {
      const VideoInfo& v = row.report->video;
      j["codec"] = v.codec;
      j["width"] = v.width;
      j["height"] = v.height;
      j["fps"] = Num(v.fps > 0 ? std::optional(v.fps) : std::nullopt);
      j["duration"] =
          Num(v.duration > 0 ? std::optional(v.duration) : std::nullopt);
      j["frames_used"] = v.frames_used;
    } else {
      for (const char* k :
           {"codec", "width", "height", "fps", "duration", "frames_used"}) {
        j[k] = nullptr;
      }
    }
    ordered_json med = ordered_json::object();
    for (size_t m = 0; m < metrics.size(); ++m) {
      med[metrics[m].key] = Num(MedianOf(row, metrics[m].key));
    }
    j["median"] = med;
    os << j.dump() << '\n';
  }
}

namespace {

// Aligned columns: columns marked in `left_aligned` (path, words) are
// left-aligned, the others (numbers) right-aligned; the last column is not
// padded. A row with fewer cells (an error) is printed unaligned after its
// path.
void WriteAligned(std::ostream& os, const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& cells,
                  const std::vector<bool>& left_aligned) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& c : cells) {
    if (c.size() != header.size()) {
      width[0] = std::max(width[0], c[0].size());
      continue;
    }
    for (size_t i = 0; i < c.size(); ++i)
      width[i] = std::max(width[i], c[i].size());
  }
  auto line = [&](const std::vector<std::string>& c) {
    for (size_t i = 0; i < c.size(); ++i) {
      if (i > 0) os << "  ";
      if (c.size() != header.size() && i > 0) {
        os << c[i];  // error text: no alignment
      } else if (left_aligned[i]) {
        if (i + 1 == c.size()) {
          os << c[i];
        } else {
          os << std::left << std::setw(static_cast<int>(width[i])) << c[i];
        }
      } else {
        os << std::right << std::setw(static_cast<int>(width[i])) << c[i];
      }
    }
    os << '\n';
  };
  line(header);
  for (const auto& c : cells) line(c);
}

std::string TableNumber(std::optional<double> v) {
  if (!v) return "null";
  std::ostringstream o;
  o << std::fixed << std::setprecision(*v >= 1000 ? 1 : 2) << *v;
  return o.str();
}

std::string Lines(std::optional<double> lines, int height) {
  if (!lines) return "null";
  return std::to_string(static_cast<long long>(std::lround(*lines))) + "/" +
         std::to_string(height);
}

}  // namespace

void WriteSummaryTable(std::ostream& os, const std::vector<BatchRow>& rows,
                       const std::vector<MetricInfo>& metrics) {
  // Column widths from content; paths are printed in full.
  std::vector<std::string> header = {"path", "frames"};
  for (const MetricInfo& m : metrics) header.push_back(m.key);
  std::vector<std::vector<std::string>> cells;
  for (const BatchRow& row : rows) {
    std::vector<std::string> c = {row.path};
    if (!row.report) {
      c.push_back("error: " + row.status.message());
      cells.push_back(std::move(c));
      continue;
    }
    c.push_back(std::to_string(row.report->video.frames_used));
    for (size_t m = 0; m < metrics.size(); ++m) {
      c.push_back(TableNumber(MedianOf(row, metrics[m].key)));
    }
    cells.push_back(std::move(c));
  }
  std::vector<bool> left(header.size(), false);
  left[0] = true;
  WriteAligned(os, header, cells, left);
  if (!metrics.empty()) os << "(values are per-video medians over frames)\n";
}

void WriteHeadlineTable(std::ostream& os, const std::vector<BatchRow>& rows) {
  const std::vector<std::string> header = {
      "path",          "frames",           "lines",        "p10_lines",
      "edge_width_px", "laplacian_var_nc", "colorfulness", "verdict"};
  std::vector<std::vector<std::string>> cells;
  for (const BatchRow& row : rows) {
    std::vector<std::string> c = {row.path};
    if (!row.report) {
      c.push_back("error: " + row.status.message());
      cells.push_back(std::move(c));
      continue;
    }
    const Headline h = MakeHeadline(*row.report);
    const int height = row.report->video.height;
    c.push_back(std::to_string(row.report->video.frames_used));
    c.push_back(Lines(h.effective_height, height));
    c.push_back(Lines(h.resolution_ratio_p10
                          ? std::optional(*h.resolution_ratio_p10 * height)
                          : std::nullopt,
                      height));
    c.push_back(TableNumber(h.edge_width_px));
    c.push_back(TableNumber(h.laplacian_var_nc));
    c.push_back(TableNumber(h.colorfulness));
    c.push_back(h.verdict.empty() ? "-" : h.verdict);
    cells.push_back(std::move(c));
  }
  std::vector<bool> left(header.size(), false);
  left.front() = left.back() = true;  // path and verdict
  WriteAligned(os, header, cells, left);
  os << "(lines: effective lines of detail / nominal lines, per-video median;"
        " p10_lines: the worst 10% of frames; verdict rules in "
        "docs/headline.md)\n";
}

}  // namespace acuity
