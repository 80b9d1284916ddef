// acuity: command-line entry point. Subcommand dispatch only.
#include <cstring>
#include <iostream>
#include <string>

#include "acuity/decoder.h"
#include "acuity/score.h"
#include "acuity/version.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace {

void PrintUsage(std::ostream& os) {
  os << "acuity " << ACUITY_VERSION
     << ": measures how sharp a video really is.\n\n"
        "Usage:\n"
        "  acuity score [OPTIONS] PATH...   score videos, images or folders\n"
        "  acuity compare BEFORE AFTER      is the after batch really "
        "sharper?\n"
        "  acuity check [OPTIONS] FILE...   pass/fail gate: regenerate what is "
        "too soft\n"
        "  acuity frames FILE -o DIR        the sharpest/blurriest frames as "
        "PNG\n"
        "  acuity track add|show|check DB   quality over time: a history of "
        "batches\n"
        "  acuity report INPUT -o F.html    one HTML page: tables, curves, "
        "timelines\n"
        "  acuity merge -o OUT SHARD_DIR... join the shards of a batch "
        "(score --shard I/N)\n"
        "  acuity help [COMMAND]            this text, or a command's help\n"
        "  acuity --version                 version, SIMD target, FFmpeg "
        "libraries\n\n"
        "Start with:\n"
        "  acuity score clip.mp4                  sharpness table on stdout\n"
        "  acuity score -o reports/ videos/       per-video JSON/CSV reports\n"
        "  acuity score --help                    every option and metric\n\n"
        "Docs: docs/metrics.md (what each number means), "
        "docs/report-schema.md\n"
        "(report fields), docs/compare.md (compare and check), "
        "docs/heatmap.md\n"
        "(heatmaps and frames), docs/scale.md (pipes, lists, shards),\n"
        "docs/track.md and docs/report.md (quality over time, HTML pages),\n"
        "docs/benchmarks.md (speed).\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace acuity::cli;
  if (argc < 2) {
    PrintUsage(std::cerr);
    return kExitUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    const acuity::BuildInfo build = acuity::GetBuildInfo();
    std::cout << "acuity " << build.version << "\n"
              << "simd: " << build.simd_target << "\n"
              << "ffmpeg: " << build.ffmpeg << "\n";
    return kExitOk;
  }
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    if (argc >= 3) {
      char arg1[] = "--help";
      char* args[] = {argv[2], arg1};
      if (std::strcmp(argv[2], "score") == 0) return RunScore(2, args);
      if (std::strcmp(argv[2], "compare") == 0) return RunCompare(2, args);
      if (std::strcmp(argv[2], "check") == 0) return RunCheck(2, args);
      if (std::strcmp(argv[2], "frames") == 0) return RunFrames(2, args);
      if (std::strcmp(argv[2], "track") == 0) return RunTrack(2, args);
      if (std::strcmp(argv[2], "report") == 0) return RunReport(2, args);
      if (std::strcmp(argv[2], "merge") == 0) return RunMerge(2, args);
    }
    if (argc >= 3) {
      std::cerr << "acuity: unknown command '" << argv[2] << "'\n";
      PrintUsage(std::cerr);
      return kExitUsage;
    }
    PrintUsage(std::cout);
    return kExitOk;
  }
  if (cmd == "score") return RunScore(argc - 1, argv + 1);
  if (cmd == "compare") return RunCompare(argc - 1, argv + 1);
  if (cmd == "check") return RunCheck(argc - 1, argv + 1);
  if (cmd == "frames") return RunFrames(argc - 1, argv + 1);
  if (cmd == "track") return RunTrack(argc - 1, argv + 1);
  if (cmd == "report") return RunReport(argc - 1, argv + 1);
  if (cmd == "merge") return RunMerge(argc - 1, argv + 1);
  std::cerr << "acuity: unknown command '" << cmd << "' (see `acuity help`)\n";
  return kExitUsage;
}
