#include "cli/common.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "acuity/metric.h"
#include "cli/exit_codes.h"

namespace acuity::cli {

CLI::Validator FiniteRange(double lo, double hi, const std::string& unit) {
  char range[96];
  std::snprintf(range, sizeof range, "%g to %g", lo, hi);
  const std::string text = range + (unit.empty() ? "" : " " + unit);
  return CLI::Validator(
      [lo, hi, text](std::string& value) -> std::string {
        double v = 0.0;
        if (!CLI::detail::lexical_cast(value, v) || !std::isfinite(v) ||
            v < lo || v > hi) {
          return "'" + value + "' is not a number from " + text;
        }
        return std::string();
      },
      "NUMBER in [" + text + "]");
}

void AddDecoderOptions(CLI::App& app, DecoderOptions& dec) {
  SamplingOptions& s = dec.sampling;
  app.add_option(
         "--threads", dec.threads,
         "decoding threads per video: N cores' worth (FFmpeg runs N + 1 "
         "frame threads, one to cover the metrics thread; 1: no FFmpeg "
         "threads, decoding on one thread; default 0: FFmpeg's cores + 1)")
      ->check(CLI::Range(0, kMaxDecoderThreads));
  app.add_option("--fps", s.fps,
                 "sample N frames per second (first frame of each 1/N s)")
      ->check(FiniteRange(kMinSamplingFps, kMaxSamplingFps, "frames/s"));
  app.add_option("--every", s.every, "use every Nth decoded frame")
      ->check(CLI::Range(int64_t{1}, kMaxFrameCount));
  app.add_flag("--keyframes", s.keyframes,
               "key frames only; other frames are never decoded (fast)");
  app.add_option("--max-frames", s.max_frames,
                 "stop after N used frames per video")
      ->check(CLI::Range(int64_t{1}, kMaxFrameCount));
  app.add_option("--start", s.start, "seek to T seconds before scoring")
      ->check(FiniteRange(0.0, kMaxSeconds, "seconds"));
  app.add_option("--duration", s.duration, "score T seconds from --start")
      ->check(FiniteRange(kMinDuration, kMaxSeconds, "seconds"));
  app.add_option("--sequence-fps", dec.sequence_fps,
                 "frame rate of image sequences (f%04d.png, --sequence): "
                 "their timestamps and the time options above (default 25)")
      ->check(FiniteRange(kMinSequenceFps, kMaxSequenceFps, "frames/s"));
  app.add_flag("--sequence", dec.folder_is_sequence,
               "a folder is one clip: its images (.png .jpg .bmp .tif .webp) "
               "in name order, one frame each, rows named by file (without: "
               "a folder of stills is a set, one row per image)");
  app.add_option("--max-pixels", dec.max_pixels,
                 "refuse frames with more pixels than N (default 8192*8192)")
      ->check(CLI::Range(int64_t{1}, kMaxFrameCount));
}

void AddMetricOptions(CLI::App& app, MetricOptions& options) {
  // One flag per option the registry declares (MetricEntry::options).
  for (const MetricOptionSpec& spec : MetricOptionSpecs()) {
    const bool every = spec.kind == MetricOptionSpec::Kind::kEvery;
    app.add_option_function<std::string>(
           spec.Flag(),
           [&options, spec](const std::string& value) {
             if (Status s = options.Set(spec.name, value); !s.ok()) {
               throw CLI::ValidationError(s.message());  // names the flag
             }
           },
           spec.help)
        ->type_name(every ? "N" : "FILE");
  }
}

std::string MetricsHelp() {
  std::ostringstream os;
  os << "Metrics (--metrics; * = default set; naming any key of a group "
        "selects the group,\nwhose keys are measured together):\n";
  for (const MetricEntry& e : MetricRegistry()) {
    const bool group = e.outputs.size() > 1;
    for (size_t i = 0; i < e.outputs.size(); ++i) {
      const MetricInfo& m = e.outputs[i];
      os << "  " << (e.in_default_set ? "* " : "  ")
         << (group && i > 0 ? "  " : "") << m.key << "  [" << m.unit << ", "
         << m.range << ", " << DirectionName(m.direction) << "]\n      "
         << (group && i > 0 ? "  " : "") << m.help << "\n";
    }
  }
  return os.str();
}

int ParseOrExit(CLI::App& app, int argc, char** argv,
                const std::string& command) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << "acuity " << command << ": error: " << e.what()
              << " (see `acuity " << command << " --help`)\n";
    return kExitUsage;
  }
  return -1;
}

}  // namespace acuity::cli
