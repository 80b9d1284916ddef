// `acuity report INPUT... -o FILE.html`: argument parsing only; the page is
// built by src/report/html_report.cc.
#include <iostream>

#include "acuity/html_report.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {

int RunReport(int argc, char** argv) {
  CLI::App app{
      "One self-contained HTML page from acuity's outputs, to look at: the "
      "headline table with verdicts (sortable), per-frame curves of every "
      "video, and for a track database the timeline per criterion with its "
      "change points and an hour-of-day view. No network is needed to view "
      "it (Chart.js is inlined); the tables read without JavaScript.",
      "acuity report"};
  app.get_formatter()->column_width(26);
  std::vector<std::string> inputs;
  std::string out;
  HtmlReportOptions options;
  app.add_option("INPUT", inputs,
                 "`acuity score -o` folders and/or track databases "
                 "(`acuity track add`)")
      ->required();
  app.add_option("-o,--out", out, "the HTML file to write")->required();
  app.add_option("--title", options.title,
                 "page title (default: acuity report)");
  bool no_thumbnails = false;
  app.add_flag("--no-thumbnails", no_thumbnails,
               "no sharpest/blurriest frame pictures (they decode every video "
               "again)");
  app.footer(
      "\nExamples:\n"
      "  acuity score -o runs/today/ today/ && acuity report runs/today/ -o "
      "today.html\n"
      "  acuity report q.db -o quality.html\n"
      "\nChart.js comes from Debian's libjs-chart.js "
      "(/usr/share/javascript/chart.js/chart.min.js; ACUITY_CHARTJS points "
      "elsewhere).\nExit status: 0 written; 1 an input cannot be read or the "
      "file cannot be written; 2 usage error.\nDocs: docs/report.md.\n");
  if (int rc = ParseOrExit(app, argc, argv, "report"); rc >= 0) return rc;
  options.thumbnails = !no_thumbnails;
  if (Status s = WriteHtmlReport(inputs, out, options); !s.ok()) {
    std::cerr << "acuity report: error: " << s.message() << "\n";
    return kExitSomeFailed;
  }
  return kExitOk;
}

}  // namespace acuity::cli
