// Options and output helpers shared by the subcommands.
#ifndef ACUITY_CLI_COMMON_H_
#define ACUITY_CLI_COMMON_H_

#include <CLI/CLI.hpp>
#include <string>

#include "acuity/decoder.h"
#include "acuity/metric.h"

namespace acuity::cli {

// A number from lo to hi (inclusive), finite: CLI::Range lets NaN through
// (every comparison with NaN is false) and says nothing of the unit.
CLI::Validator FiniteRange(double lo, double hi, const std::string& unit);

// The decoding and sampling options (--threads, --fps, --every,
// --keyframes, --max-frames, --start, --duration, --max-pixels).
void AddDecoderOptions(CLI::App& app, DecoderOptions& options);

// Options of individual metrics (--brisque-every), shared like
// AddDecoderOptions by every command that scores videos.
void AddMetricOptions(CLI::App& app, MetricOptions& options);

// Frames of a video measured at once by default (ScoreOptions::
// frames_in_flight; `acuity score --frames-in-flight 0`): 2 when one video
// is scored at a time, so the next frame's metrics use the core the decoder
// leaves (25-30% less wall time on camera and generated video with 2 cores,
// docs/benchmarks.md); 1 when -j scores several side by side. Same numbers
// either way.
inline int AutoFramesInFlight(int jobs) { return jobs == 1 ? 2 : 1; }

// "Metrics (--metrics; * = default set): ..." for help footers.
std::string MetricsHelp();

// Parses argv; on --help prints help and returns 0, on a usage error prints
// one line and returns 2; returns -1 when the command should run.
int ParseOrExit(CLI::App& app, int argc, char** argv,
                const std::string& command);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_COMMON_H_
