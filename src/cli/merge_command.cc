// `acuity merge`: joins the output folders of `acuity score --shard I/N`
// into the reports and summary one unsharded run would have written. The
// work is in acuity::MergeShards.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "acuity/score.h"
#include "acuity/shard.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace acuity::cli {

int RunMerge(int argc, char** argv) {
  CLI::App app{
      "Join the shards of a batch.\n\n"
      "Each SHARD_DIR is the -o folder of one `acuity score --shard I/N` run "
      "over the same inputs and options. Checks that every shard finished "
      "(its completion marker), that all used the same options and input "
      "list and that each of shards 0..N-1 is there exactly once; then "
      "links (or copies) every report into OUT and writes OUT/summary.csv "
      "and OUT/summary.jsonl: the same rows, values and order as one "
      "unsharded `acuity score -o OUT` run.",
      "acuity merge"};
  app.formatter(std::make_shared<CLI::Formatter>());
  app.get_formatter()->column_width(26);
  std::string out_dir;
  std::vector<std::string> dirs;
  bool quiet = false;
  app.add_option("-o,--out", out_dir, "the merged folder (created if missing)")
      ->required();
  app.add_option("SHARD_DIR", dirs, "output folders of the shards")->required();
  app.add_flag("-q,--quiet", quiet, "no summary line on stderr");
  app.footer(
      "\nExample (docs/scale.md has Slurm, Kubernetes and GNU parallel "
      "recipes):\n"
      "  for i in 0 1 2; do acuity score --shard $i/3 -o part$i "
      "--from-list all.txt; done\n"
      "  acuity merge -o merged part0 part1 part2\n"
      "\nExit status: 0 merged, every input scored; 1 merged, some inputs "
      "are error rows (or OUT cannot\nbe written: not a folder, no "
      "permission); 2 usage error or shards that do not fit together "
      "(a marker missing: that shard did not finish; other options;\n"
      "another input list; a shard twice or missing); 75 retry (OUT could "
      "not be written: disk full...).\n");
  if (int rc = ParseOrExit(app, argc, argv, "merge"); rc >= 0) return rc;

  Result<MergeResult> merged = MergeShards(dirs, out_dir);
  if (!merged.ok()) {
    std::cerr << "acuity merge: error: " << merged.status().message() << "\n";
    if (IsTransientWriteError(merged.status())) return kExitRetry;
    return merged.status().code() == StatusCode::kIo ? kExitSomeFailed
                                                     : kExitUsage;
  }
  if (!quiet) {
    std::cerr << "acuity merge: " << dirs.size() << " shards, " << merged->rows
              << " inputs (" << merged->failed << " failed) into " << out_dir
              << "\n";
  }
  return merged->failed > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace acuity::cli
