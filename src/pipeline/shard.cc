// Input lists, shards and their merge (acuity/shard.h).
#include "acuity/shard.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "acuity/report.h"
#include "acuity/version.h"

namespace acuity {
namespace fs = std::filesystem;

std::vector<std::string> ReadInputList(std::istream& in) {
  std::vector<std::string> paths;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    paths.push_back(line);
  }
  return paths;
}

uint64_t Fnv1a64(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

bool ParseInt(const std::string& s, int64_t* v) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string Hex(uint64_t h) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

}  // namespace

Result<ShardSpec> ParseShard(
    const std::string& text,
    const std::function<const char*(const char*)>& getenv) {
  const std::string usage =
      "--shard wants I/N (0 <= I < N) or auto/N, got '" + text + "'";
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return InvalidArgument(usage);
  std::string index_text = text.substr(0, slash);
  int64_t count = 0;
  if (!ParseInt(text.substr(slash + 1), &count) || count < 1 ||
      count > kMaxShards) {
    return InvalidArgument(usage + " (N from 1 to " +
                           std::to_string(kMaxShards) + ")");
  }
  std::string from;
  if (index_text == "auto") {
    for (const char* var : {"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"}) {
      const char* v = getenv(var);
      if (v != nullptr && *v != '\0') {
        index_text = v;
        from = std::string(" (from ") + var + ")";
        break;
      }
    }
    if (from.empty()) {
      return InvalidArgument(
          "--shard auto/" + std::to_string(count) +
          ": neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set "
          "(run it in a Slurm job array or a Kubernetes Indexed Job, or give "
          "I/N)");
    }
  }
  int64_t index = 0;
  if (!ParseInt(index_text, &index) || index < 0 || index >= count) {
    return InvalidArgument("--shard: index '" + index_text + "'" + from +
                           " is not from 0 to " + std::to_string(count - 1) +
                           " (shards of " + std::to_string(count) +
                           " are numbered from 0)");
  }
  return ShardSpec{static_cast<int>(index), static_cast<int>(count)};
}

int ShardOf(const std::string& path, int count) {
  return static_cast<int>(Fnv1a64(path) % static_cast<uint64_t>(count));
}

std::vector<Input> SelectShard(const std::vector<Input>& all, ShardSpec spec,
                               std::vector<size_t>* positions) {
  const std::vector<std::string> stems = ReportStems(all);
  std::vector<Input> out;
  for (size_t i = 0; i < all.size(); ++i) {
    if (ShardOf(all[i].path, spec.count) != spec.index) continue;
    out.push_back(all[i]);
    out.back().stem = stems[i];
    if (positions != nullptr) positions->push_back(i);
  }
  return out;
}

std::string InputsHash(const std::vector<Input>& all) {
  std::string text;
  for (const Input& in : all) {
    text += in.path;
    text += '\0';
  }
  return Hex(Fnv1a64(text));
}

Status WriteShardMarker(const std::string& dir, const ShardMarker& m) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const ShardMarker::Row& r : m.rows) {
    rows.push_back({{"index", r.index},
                    {"path", r.path},
                    {"stem", r.stem},
                    {"status", r.ok ? "ok" : "error"},
                    {"report", r.has_report}});
  }
  const nlohmann::ordered_json j = {{"acuity_shard", 1},
                                    {"tool_version", m.tool_version},
                                    {"shard", m.shard.index},
                                    {"shards", m.shard.count},
                                    {"hash", "fnv1a64(path) % shards"},
                                    {"options_hash", m.options_hash},
                                    {"inputs_total", m.inputs_total},
                                    {"inputs_hash", m.inputs_hash},
                                    {"rows", std::move(rows)}};
  std::string text;
  try {
    text = j.dump(1) + "\n";
  } catch (const std::exception& e) {  // a path that is not UTF-8
    return InvalidData(dir + "/" + kShardMarker + ": " + e.what());
  }
  return WriteFileAtomic((fs::path(dir) / kShardMarker).string(), text);
}

void RemoveShardMarker(const std::string& dir) {
  std::error_code ec;
  fs::remove(fs::path(dir) / kShardMarker, ec);
}

Result<ShardMarker> LoadShardMarker(const std::string& dir) {
  const std::string path = (fs::path(dir) / kShardMarker).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgument(dir + ": no completion marker (" + kShardMarker +
                           "): that shard has not finished; run it again "
                           "(with --resume)");
  }
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    ShardMarker m;
    if (j.at("acuity_shard").get<int>() != 1) {
      return InvalidArgument(path + ": marker format " +
                             j.at("acuity_shard").dump() +
                             " is not one this acuity reads");
    }
    m.tool_version = j.at("tool_version").get<std::string>();
    m.shard.index = j.at("shard").get<int>();
    m.shard.count = j.at("shards").get<int>();
    m.options_hash = j.at("options_hash").get<std::string>();
    m.inputs_total = j.at("inputs_total").get<int64_t>();
    m.inputs_hash = j.at("inputs_hash").get<std::string>();
    for (const auto& r : j.at("rows")) {
      m.rows.push_back({r.at("index").get<int64_t>(),
                        r.at("path").get<std::string>(),
                        r.at("stem").get<std::string>(),
                        r.at("status").get<std::string>() == "ok",
                        r.at("report").get<bool>()});
    }
    if (m.shard.count < 1 || m.shard.index < 0 ||
        m.shard.index >= m.shard.count) {
      return InvalidArgument(path + ": shard index out of range");
    }
    return m;
  } catch (const std::exception& e) {
    return InvalidArgument(path + ": not a shard marker: " + e.what());
  }
}

namespace {

// Records of a CSV text: split at line ends outside double quotes (an
// error message or a path may hold a quoted newline). Each record keeps
// its '\n'.
std::vector<std::string> CsvRecords(const std::string& text) {
  std::vector<std::string> out;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '\n' && !quoted) {
      out.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(path + ": cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces the value of "report" in one summary.jsonl line (null or a JSON
// string) with `value` (JSON text). The writer puts "report" on every line
// and the bytes `"report":` cannot occur inside a JSON string (a quote
// there is escaped), so the first match is the key.
bool ReplaceReportValue(std::string& line, const std::string& value) {
  const std::string key = "\"report\":";
  const size_t at = line.find(key);
  if (at == std::string::npos) return false;
  size_t begin = at + key.size(), end = begin;
  if (line.compare(begin, 4, "null") == 0) {
    end = begin + 4;
  } else if (begin < line.size() && line[begin] == '"') {
    for (end = begin + 1; end < line.size() && line[end] != '"'; ++end) {
      if (line[end] == '\\') ++end;
    }
    if (end >= line.size()) return false;
    ++end;
  } else {
    return false;
  }
  line.replace(begin, end - begin, value);
  return true;
}

// `to` gets the bytes of `from` atomically: a hard link when both are on
// one file system (reports are never modified in place, only replaced), a
// copy otherwise.
Status LinkOrCopy(const fs::path& from, const fs::path& to) {
  const fs::path tmp = to.parent_path() / ("." + to.filename().string() +
                                           ".tmp-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_hard_link(from, tmp, ec);
  if (!ec) {
    fs::rename(tmp, to, ec);
    if (!ec) return Status::Ok();
    fs::remove(tmp, ec);
  }
  Result<std::string> bytes = ReadAll(from.string());
  if (!bytes.ok()) return IoError(from.string() + ": cannot read");
  return WriteFileAtomic(to.string(), bytes.value());
}

}  // namespace

Result<MergeResult> MergeShards(const std::vector<std::string>& shard_dirs,
                                const std::string& out_dir) {
  if (shard_dirs.empty()) return InvalidArgument("no shard folders given");
  std::vector<ShardMarker> markers;
  for (const std::string& dir : shard_dirs) {
    std::error_code ec;
    if (fs::exists(out_dir, ec) && fs::equivalent(dir, out_dir, ec)) {
      return InvalidArgument(dir + ": the output folder cannot be a shard");
    }
    Result<ShardMarker> m = LoadShardMarker(dir);
    if (!m.ok()) return m.status();
    markers.push_back(std::move(m).value());
  }
  const ShardMarker& first = markers[0];
  std::map<int, size_t> by_shard;  // shard index -> position in shard_dirs
  for (size_t k = 0; k < markers.size(); ++k) {
    const ShardMarker& m = markers[k];
    const std::string& dir = shard_dirs[k];
    const std::string vs = " than " + shard_dirs[0];
    if (m.shard.count != first.shard.count) {
      return InvalidArgument(
          dir + ": shard of " + std::to_string(m.shard.count) + ", not of " +
          std::to_string(first.shard.count) + " as " + shard_dirs[0]);
    }
    if (m.options_hash != first.options_hash) {
      return InvalidArgument(dir + ": scored with other options (" +
                             m.options_hash + ")" + vs + " (" +
                             first.options_hash + ")");
    }
    if (m.inputs_hash != first.inputs_hash ||
        m.inputs_total != first.inputs_total) {
      return InvalidArgument(dir + ": given another input list (" +
                             std::to_string(m.inputs_total) + " inputs, " +
                             m.inputs_hash + ")" + vs + " (" +
                             std::to_string(first.inputs_total) + ", " +
                             first.inputs_hash + ")");
    }
    const auto [it, added] = by_shard.emplace(m.shard.index, k);
    if (!added) {
      return InvalidArgument("overlapping inputs: " + shard_dirs[it->second] +
                             " and " + dir + " are both shard " +
                             std::to_string(m.shard.index) + "/" +
                             std::to_string(m.shard.count));
    }
  }
  for (int i = 0; i < first.shard.count; ++i) {
    if (by_shard.count(i) == 0) {
      return InvalidArgument("shard " + std::to_string(i) + "/" +
                             std::to_string(first.shard.count) +
                             " is missing (no folder given holds it)");
    }
  }

  // Every input of the batch in exactly one shard: its summary lines.
  struct Item {
    size_t shard = 0;
    const ShardMarker::Row* row = nullptr;
    std::string csv, jsonl;
  };
  std::vector<Item> items(static_cast<size_t>(first.inputs_total));
  std::vector<bool> seen(items.size(), false);
  std::string csv_header;
  for (size_t k = 0; k < markers.size(); ++k) {
    const ShardMarker& m = markers[k];
    const fs::path dir(shard_dirs[k]);
    Result<std::string> csv = ReadAll((dir / "summary.csv").string());
    if (!csv.ok()) return csv.status();
    Result<std::string> jsonl = ReadAll((dir / "summary.jsonl").string());
    if (!jsonl.ok()) return jsonl.status();
    const std::vector<std::string> records = CsvRecords(csv.value());
    const std::vector<std::string> lines = Lines(jsonl.value());
    if (records.empty() || records.size() - 1 < m.rows.size() ||
        lines.size() < m.rows.size()) {
      return InvalidArgument(shard_dirs[k] +
                             ": summary.csv/summary.jsonl hold fewer rows "
                             "than the marker lists");
    }
    if (k == 0) {
      csv_header = records[0];
    } else if (records[0] != csv_header) {
      return InvalidArgument(shard_dirs[k] + ": summary.csv columns differ" +
                             " from " + shard_dirs[0]);
    }
    for (size_t r = 0; r < m.rows.size(); ++r) {
      const ShardMarker::Row& row = m.rows[r];
      if (row.index < 0 || row.index >= first.inputs_total) {
        return InvalidArgument(shard_dirs[k] + ": row index out of range");
      }
      const size_t g = static_cast<size_t>(row.index);
      if (seen[g]) {
        return InvalidArgument("overlapping inputs: " + row.path +
                               " is in two shards (" + shard_dirs[k] + ", " +
                               shard_dirs[items[g].shard] + ")");
      }
      seen[g] = true;
      items[g] = {k, &row, records[r + 1], lines[r]};
    }
  }
  for (size_t g = 0; g < items.size(); ++g) {
    if (!seen[g]) {
      return InvalidArgument("input " + std::to_string(g) + " of " +
                             std::to_string(items.size()) +
                             " is in no shard (markers do not cover the "
                             "batch)");
    }
  }

  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir)) {
    return IoError(out_dir + ": cannot create output folder" +
                   (ec ? ": " + ec.message() : std::string()));
  }
  MergeResult result;
  std::string csv = csv_header, jsonl;
  for (Item& item : items) {
    const ShardMarker::Row& row = *item.row;
    const fs::path from_dir(shard_dirs[item.shard]);
    if (row.has_report) {
      for (const char* suffix :
           {".acuity.json", ".frames.csv", ".heatmap.png"}) {
        const fs::path from = from_dir / (row.stem + suffix);
        if (!fs::exists(from, ec) && std::strcmp(suffix, ".acuity.json")) {
          continue;  // heatmap (and frames) only when the shard made them
        }
        ACUITY_RETURN_IF_ERROR(
            LinkOrCopy(from, fs::path(out_dir) / (row.stem + suffix)));
      }
      const std::string report =
          (fs::path(out_dir) / (row.stem + ".acuity.json")).string();
      if (!ReplaceReportValue(item.jsonl,
                              nlohmann::ordered_json(report).dump())) {
        return InvalidArgument(shard_dirs[item.shard] +
                               "/summary.jsonl: a line without \"report\"");
      }
    }
    if (!row.ok) ++result.failed;
    ++result.rows;
    csv += item.csv;
    jsonl += item.jsonl;
  }
  ACUITY_RETURN_IF_ERROR(
      WriteFileAtomic((fs::path(out_dir) / "summary.csv").string(), csv));
  ACUITY_RETURN_IF_ERROR(
      WriteFileAtomic((fs::path(out_dir) / "summary.jsonl").string(), jsonl));
  return result;
}

}  // namespace acuity
