// Metric: the interface every measurement implements, and the registry.
//
// A metric is one class in src/metrics/ plus one line in
// src/metrics/registry.cc (an explicit table: no self-registering statics,
// which vanish from static libraries). A metric produces one or more named
// outputs per frame; each output has a stable snake_case key that users
// parse, so keys never change once released.
//
// Threading: a Metric instance serves one video and is called by one
// thread at a time, each call finished before the next starts (successive
// calls may come from different threads of the scorer's pools; the metrics
// of one frame run side by side). An instance of a MetricEntry::temporal
// entry sees every frame, in presentation order; any other instance may
// see only some frames of the video, in presentation order (one instance
// per frame slot when several frames are in flight), so it must not carry
// a result from one frame to the next. Different instances may run on
// different threads at once; metrics keep no global mutable state.
#ifndef ACUITY_METRIC_H_
#define ACUITY_METRIC_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acuity/frame.h"
#include "acuity/status.h"

namespace acuity {

// One frame and the per-frame products several metrics share (noise sigma,
// whole-frame Laplacian moments...), computed once per frame by the
// pipeline: src/metrics/frame_analysis.h. Internal to the library.
class FrameAnalysis;

enum class Direction {
  kHigherIsSharper,
  kHigherIsBlurrier,
  kNeutral,  // descriptive (brightness, contrast): no sharpness direction
};
const char* DirectionName(Direction d);  // "higher_is_sharper", ...

struct MetricInfo {
  std::string key;    // stable snake_case key, e.g. "laplacian_var"
  std::string unit;   // e.g. "8-bit code values^2"
  std::string range;  // e.g. "0..inf"
  Direction direction = Direction::kNeutral;
  std::string help;  // one line
};

// A face the face metrics found and measured in one frame. Coordinates are
// luma samples of the decoded picture as coded (before rotation), x to the
// right and y down from the top-left corner.
struct FaceBox {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  // True on frames where the detector ran; false when the box is carried
  // over from the last detection (--face-every N detects every Nth frame).
  bool detected = true;
  // Which detector pass found it: "frontal", "profile" (Haar cascades) or
  // "model" (--face-model).
  std::string kind = "frontal";
  // The detector's confidence: cascades, the number of merged detection
  // windows ("neighbours", >= 5); --face-model, the model's score 0..1.
  double score = 0.0;
  // How much a viewer looks at this face (src/metrics/face.cc has the rule:
  // size x confidence x closeness to the centre), 0..1.
  double salience = 0.0;
  // True for the face the headline face measures come from: the measured
  // face with the highest salience. At most one per frame.
  bool main = false;
  // This face's own measures (face_laplacian_var, face_edge_width_px); null
  // when the face is too small or too flat to measure.
  std::optional<double> laplacian_var;
  std::optional<double> edge_width_px;
};

// Per-frame values of one metric, one slot per output. An undefined value
// (flat frame, no face) is std::nullopt and is written as JSON null, never
// as NaN or 0. Metrics whose entry has reports_faces also list the faces
// they measured, which go into the per-frame report.
class FrameValues {
 public:
  explicit FrameValues(size_t n) : values_(n) {}
  void Set(size_t output, std::optional<double> v) { values_.at(output) = v; }
  const std::vector<std::optional<double>>& values() const { return values_; }
  std::vector<FaceBox>& faces() { return faces_; }
  const std::vector<FaceBox>& faces() const { return faces_; }
  void Clear() {
    for (auto& v : values_) v.reset();
    faces_.clear();
  }

 private:
  std::vector<std::optional<double>> values_;
  std::vector<FaceBox> faces_;
};

// An option of a metric (--brisque-every N on the command line,
// brisque_every=N in Python), declared once, in the metric's registry entry
// (MetricEntry::options). Every scoring command of the CLI, the Python
// module and the metric itself read that declaration: adding an option is
// one line in the metric's file.
struct MetricOptionSpec {
  enum class Kind {
    kEvery,  // an integer from 1 to kMaxEvery ("every Nth frame")
    kFile,   // a path; "" for none
  };
  static constexpr int kMaxEvery = 1 << 30;
  std::string name;  // the Python keyword; the CLI flag is Flag()
  Kind kind = Kind::kEvery;
  std::string default_value;  // as it would be typed
  std::string help;           // one line, for --help and the docs
  // "--" + name with '_' as '-': "--brisque-every".
  std::string Flag() const;
};

// The metric options of a run, set once (CLI flags, Python keywords) and
// handed to every metric instance by Configure(): what the user set, the
// declared default otherwise. A metric reads the options it declares.
class MetricOptions {
 public:
  // Sets an option declared by some registry entry. kInvalidArgument naming
  // the flag for a value outside its kind ("--brisque-every must be an
  // integer from 1 to 1073741824, got '0'") or for an undeclared name.
  Status Set(const std::string& name, const std::string& value);
  // The value of a kEvery / kFile option. Asking for an undeclared option,
  // or for one of another kind, is a programming error: it aborts.
  int Every(const std::string& name) const;
  std::string File(const std::string& name) const;

 private:
  std::map<std::string, std::string> set_;  // name -> value, valid
};

class Metric {
 public:
  virtual ~Metric() = default;
  // Called once per video right after creation, before Init(). A non-OK
  // Status (an option out of range) stops scoring of the video.
  virtual Status Configure(const MetricOptions& options) {
    (void)options;
    return Status::Ok();
  }
  // Called once per video before the first frame.
  virtual Status Init(const StreamInfo& info) {
    (void)info;
    return Status::Ok();
  }
  // Measures one frame: analysis.frame() and the stream's
  // analysis.scale() (the StreamInfo::scale Init() saw; no need to keep a
  // copy), plus the shared products the registry entry lists in
  // MetricEntry::needs (prepared before the call, read-only here). `out` has
  // one slot per output of the registry entry, all unset on entry.
  virtual void Process(const FrameAnalysis& analysis, FrameValues& out) = 0;
};

struct MetricEntry {
  std::string name;                 // selection name (--metrics), = first key
  std::vector<MetricInfo> outputs;  // what Process() fills, in slot order
  bool in_default_set = false;
  std::unique_ptr<Metric> (*create)() = nullptr;
  bool reports_faces = false;  // Process() fills FrameValues::faces()
  // The metric reads Frame::motion_vectors: the decoder exports them when
  // any selected entry sets this (it costs decode time, so only then).
  bool needs_motion_vectors = false;
  // The FrameAnalysis products Process() reads (Need bits of
  // src/metrics/frame_analysis.h); the pipeline prepares the union of the
  // selected entries' needs once per frame.
  unsigned needs = 0;
  // The options Configure() reads (several entries may declare the same
  // one: it is one option). The run object of a report ("options") records
  // each kEvery option of the selected entries by its name, null when no
  // selected entry declares it.
  std::vector<MetricOptionSpec> options;
  // One more field for the run object, when not empty: its key and what to
  // record there (face_count: "face_detector", the detector its options
  // choose); null when the entry is not selected.
  std::string run_field;
  std::string (*run_value)(const MetricOptions&) = nullptr;
  // Process() depends on the frames before this one (it keeps state across
  // frames: motion_mean the previous frame, face_count the boxes of its
  // last detection, brisque the count of frames seen). The scorer calls its
  // one instance on every frame in frame order; with frames in flight
  // (ScorerOptions::frames_in_flight) every other entry gets one instance
  // per frame slot, measuring several frames at once.
  bool temporal = false;
};

// All metrics acuity knows, in a fixed order (the report's column order).
const std::vector<MetricEntry>& MetricRegistry();

// Every metric option of the registry, once each by name, in registry order.
const std::vector<MetricOptionSpec>& MetricOptionSpecs();

// Direction of a metric output by key; kNeutral for keys acuity does not
// know (reports from other versions).
Direction MetricDirection(const std::string& key);

// Resolves a comma-separated list of metric names; "default" stands for the
// default set and "all" for every metric. Returns the entries in registry
// order without duplicates, or kInvalidArgument naming the unknown metric.
Result<std::vector<const MetricEntry*>> SelectMetrics(const std::string& list);

}  // namespace acuity

#endif  // ACUITY_METRIC_H_
