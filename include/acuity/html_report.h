// `acuity report`: one self-contained HTML file (no network at view time)
// from acuity's outputs: a `score -o` folder and/or a track database.
// Charts are drawn by Chart.js (Debian's libjs-chart.js), inlined into the
// file; the tables are plain HTML, readable without JavaScript.
#ifndef ACUITY_HTML_REPORT_H_
#define ACUITY_HTML_REPORT_H_

#include <string>
#include <vector>

#include "acuity/status.h"

namespace acuity {

struct HtmlReportOptions {
  std::string title = "acuity report";
  // Chart.js to inline ("" = the build's default, ACUITY_CHARTJS overrides).
  std::string chartjs_path;
  // Per-frame curves are thinned to at most this many points per video.
  int max_points = 1500;
  // The sharpest and blurriest frame of every video as thumbnails (the
  // videos are decoded again; skipped for videos no longer there).
  bool thumbnails = true;
};

// Each input is a `score -o` folder (summary.jsonl and its reports), a
// `compare -o` folder (compare.json, videos.json) or a
// track database (an SQLite file made by `acuity track add`). Writes the
// page to `out_path` atomically.
Status WriteHtmlReport(const std::vector<std::string>& inputs,
                       const std::string& out_path,
                       const HtmlReportOptions& options);

}  // namespace acuity

#endif  // ACUITY_HTML_REPORT_H_
