// `acuity frames`: argument parsing and output only; scoring is
// acuity::ScoreVideo, the choice acuity::PickFrames, the pictures
// acuity::DecodePictures (acuity/frames.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "acuity/frames.h"
#include "acuity/metric.h"
#include "acuity/report.h"
#include "acuity/score.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {
namespace {

struct Row {
  FramePick pick;
  std::string file;  // PNG name inside the output folder
};

void WriteCsv(std::ostream& os, const std::vector<Row>& rows,
              const std::string& key) {
  os << "kind,rank,index,pts,key,value,file\n";
  for (const Row& r : rows) {
    os << r.pick.kind << ',' << r.pick.rank << ',' << r.pick.index << ','
       << FormatNumber(r.pick.pts) << ',' << key << ','
       << FormatNumber(r.pick.value) << ',' << r.file << '\n';
  }
}

void WriteJsonLines(std::ostream& os, const std::vector<Row>& rows,
                    const std::string& key) {
  // Kinds, keys and file names are plain ASCII without quotes.
  for (const Row& r : rows) {
    os << "{\"kind\":\"" << r.pick.kind << "\",\"rank\":" << r.pick.rank
       << ",\"index\":" << r.pick.index
       << ",\"pts\":" << FormatNumber(r.pick.pts) << ",\"key\":\"" << key
       << "\",\"value\":" << FormatNumber(r.pick.value) << ",\"file\":\""
       << r.file << "\"}\n";
  }
}

void WriteTable(std::ostream& os, const std::vector<Row>& rows,
                const std::string& key) {
  char line[512];
  std::snprintf(line, sizeof line, "%-10s %4s %8s %10s %14s  %s\n", "kind",
                "rank", "frame", "time_s", key.c_str(), "file");
  os << line;
  for (const Row& r : rows) {
    std::snprintf(line, sizeof line, "%-10s %4d %8lld %10.3f %14.6g  %s\n",
                  r.pick.kind.c_str(), r.pick.rank,
                  static_cast<long long>(r.pick.index), r.pick.pts,
                  r.pick.value, r.file.c_str());
    os << line;
  }
}

}  // namespace

int RunFrames(int argc, char** argv) {
  CLI::App app{
      "Write the sharpest and blurriest frames of a video as PNG.\n\n"
      "Scores FILE with the metric group of --metric, ranks the frames by "
      "that key (frames where it is null are skipped; ties go to the earlier "
      "frame), decodes the chosen frames again and writes them to DIR with "
      "their rank, time and frame index in the name, plus DIR/frames.csv "
      "listing them. "
      "The same listing goes to stdout. For picking thumbnails, and for "
      "showing the worst moment of a clip.",
      "acuity frames"};
  app.formatter(std::make_shared<CLI::Formatter>());
  app.get_formatter()->column_width(26);

  std::string path, out_dir, key = "detail_scale_px", format = "table";
  int sharpest = 0, blurriest = 0;
  double min_gap = 1.0;
  bool quiet = false, verbose = false;
  DecoderOptions dec;
  MetricOptions metric_options;

  app.add_option("FILE", path, "the video (or image)")->required();
  app.add_option("-o,--out", out_dir,
                 "write the PNGs and frames.csv to DIR (created if missing)")
      ->required();
  app.add_option("--sharpest", sharpest, "write the K sharpest frames")
      ->check(CLI::Range(0, 100000).description("integer >= 0"));
  app.add_option("--blurriest", blurriest, "write the K blurriest frames")
      ->check(CLI::Range(0, 100000).description("integer >= 0"));
  app.add_option("--metric", key,
                 "rank by this output key (default detail_scale_px: how fine "
                 "the detail is where there is any, so flat frames such as "
                 "sky, walls or fades are skipped, not called blurry); which "
                 "end is sharp follows its direction")
      ->capture_default_str();
  app.add_option("--min-gap", min_gap,
                 "seconds between picks of the same kind, so thumbnails are "
                 "not neighbouring frames (default 1; 0: any frames)")
      ->check(FiniteRange(0.0, kMaxSeconds, "seconds"));
  app.add_option("--format", format, "what stdout gets: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  AddDecoderOptions(app, dec);
  AddMetricOptions(app, metric_options);
  app.add_flag("-q,--quiet", quiet, "nothing on stderr but errors");
  app.add_flag("-v,--verbose", verbose, "also show FFmpeg's own warnings");
  app.footer(
      "\nFiles: DIR/KIND-RANK_tSECONDS_fINDEX.png, e.g. "
      "sharpest-01_t0012.345_f000370.png\n(KIND sharpest or blurriest; "
      "RANK 01 = most extreme; INDEX is the report's frames[].index),\n"
      "and DIR/frames.csv: kind,rank,index,pts,key,value,file.\n"
      "\nExamples:\n"
      "  acuity frames clip.mp4 --sharpest 5 --min-gap 2 -o thumbs/\n"
      "      five sharp thumbnails at least 2 s apart\n"
      "  acuity frames clip.mp4 --blurriest 1 -o worst/\n"
      "      the single blurriest moment (flat frames are not candidates)\n"
      "  acuity frames clip.mp4 --sharpest 3 --blurriest 3 --metric "
      "edge_width_px --fps 2 -o picks/\n"
      "      rank by edge width (higher is blurrier) on 2 frames a second\n"
      "\nDecoder options select frames as in `acuity score`; the indices "
      "match a report made with the same options.\n"
      "\nExit status: 0 frames written; 1 the file could not be scored or a "
      "file not written; 2 usage error.\n");

  if (int rc = ParseOrExit(app, argc, argv, "frames"); rc >= 0) return rc;
  auto usage = [](const std::string& why) {
    std::cerr << "acuity frames: error: " << why
              << " (see `acuity frames --help`)\n";
    return kExitUsage;
  };
  if (sharpest == 0 && blurriest == 0) {
    return usage("nothing to write: give --sharpest K and/or --blurriest K");
  }
  const MetricInfo* info = nullptr;
  for (const MetricEntry& e : MetricRegistry()) {
    for (const MetricInfo& m : e.outputs) {
      if (m.key == key) info = &m;
    }
  }
  if (info == nullptr) {
    return usage("unknown metric key '" + key +
                 "' (keys: `acuity score --help`)");
  }
  if (info->direction == Direction::kNeutral) {
    return usage("'" + key +
                 "' has no sharpness direction (it is descriptive); rank by "
                 "a sharpness key such as laplacian_var");
  }
  SetFfmpegLogging(verbose);
  ScoreOptions options;
  options.decoder = dec;
  options.metric_options = metric_options;
  options.frames_in_flight = AutoFramesInFlight(1);  // one video
  auto selected = SelectMetrics(key);
  if (!selected.ok()) return usage(selected.status().message());
  options.metrics = selected.value();

  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir)) {
    std::cerr << "acuity frames: error: " << out_dir
              << ": cannot create output folder: "
              << (ec ? ec.message() : "not a folder") << "\n";
    return kExitUsage;
  }

  auto fail = [](const Status& s) {
    std::cerr << "acuity frames: error: " << s.message() << "\n";
    return kExitSomeFailed;
  };
  Result<VideoReport> report = ScoreVideo(path, options);
  if (!report.ok()) return fail(report.status());
  auto picks = PickFrames(report.value(), key, sharpest, blurriest, min_gap);
  if (!picks.ok()) return fail(picks.status().WithContext(path));
  std::vector<int64_t> indices;
  for (const FramePick& p : picks.value()) indices.push_back(p.index);
  auto pictures = DecodePictures(path, dec, indices);
  if (!pictures.ok()) return fail(pictures.status());
  std::map<int64_t, const Picture*> by_index;
  for (const Picture& p : pictures.value()) by_index[p.index] = &p;

  std::vector<Row> rows;
  for (const FramePick& p : picks.value()) {
    Row r{p, FramePngName(p)};
    Status s =
        WritePng((fs::path(out_dir) / r.file).string(), *by_index[p.index]);
    if (!s.ok()) return fail(s);
    rows.push_back(std::move(r));
  }
  const std::string csv_path = (fs::path(out_dir) / "frames.csv").string();
  Status s = WriteFileAtomic(
      csv_path, [&](std::ostream& os) { WriteCsv(os, rows, key); });
  if (!s.ok()) return fail(s);

  if (format == "csv") {
    WriteCsv(std::cout, rows, key);
  } else if (format == "json") {
    WriteJsonLines(std::cout, rows, key);
  } else {
    WriteTable(std::cout, rows, key);
  }
  std::cout.flush();
  if (!quiet) {
    // Frames without a value: for detail_scale_px, flat frames (no detail
    // to judge), which are neither sharp nor blurry.
    size_t column = 0, nulls = 0;
    const VideoReport& rep = report.value();
    for (size_t i = 0; i < rep.metrics.size(); ++i) {
      if (rep.metrics[i].key == key) column = i;
    }
    for (const auto& v : rep.values[column]) nulls += v ? 0 : 1;
    if (nulls > 0) {
      std::cerr << "acuity frames: " << path << ": " << nulls << " of "
                << rep.values[column].size() << " frames have no " << key
                << (key == "detail_scale_px" ? " (flat: no detail to judge)"
                                             : "")
                << " and were not ranked\n";
    }
    const int wanted = sharpest + blurriest;
    if (static_cast<int>(rows.size()) < wanted) {
      std::cerr << "acuity frames: warning: " << path << ": " << rows.size()
                << " of " << wanted
                << " frames found (fewer frames with a value"
                << (min_gap > 0 ? ", or --min-gap too wide" : "") << ")\n";
    }
    std::cerr << "acuity: wrote " << rows.size() << " PNGs and " << csv_path
              << "\n";
  }
  return kExitOk;
}

}  // namespace acuity::cli
