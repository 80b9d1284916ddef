// acuity._acuity: the pybind11 binding under the Python package `acuity`
// (python/acuity/__init__.py holds the documented entry points). Every call
// into the library runs with the GIL released, so Python threads scoring
// different clips run in parallel. A Status becomes an exception of the
// acuity.Error family whose message is the CLI's one-line message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "acuity/metric.h"
#include "acuity/report.h"
#include "acuity/score.h"
#include "acuity/scorer.h"
#include "acuity/version.h"

namespace py = pybind11;

namespace acuity::python {
namespace {

// Exception types, created at import (PyErr_NewException with two bases so
// that `except ValueError` catches a bad option and `except OSError` a file
// that cannot be read).
PyObject* g_error = nullptr;
PyObject* g_invalid_argument = nullptr;
PyObject* g_not_found = nullptr;
PyObject* g_io = nullptr;
PyObject* g_cancelled = nullptr;

[[noreturn]] void Raise(const Status& s) {
  PyObject* type = g_error;
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      type = g_invalid_argument;
      break;
    case StatusCode::kNotFound:
      type = g_not_found;
      break;
    case StatusCode::kIo:
      type = g_io;
      break;
    case StatusCode::kCancelled:
      type = g_cancelled;
      break;
    default:
      break;
  }
  py::object exc = py::reinterpret_steal<py::object>(
      PyObject_CallFunction(type, "s", s.message().c_str()));
  if (!exc) throw py::error_already_set();
  exc.attr("code") = py::str(StatusCodeName(s.code()));
  PyErr_SetObject(type, exc.ptr());
  throw py::error_already_set();
}

void Check(const Status& s) {
  if (!s.ok()) Raise(s);
}

// Options named as the CLI's flags (python/acuity/__init__.py checks the
// names and documents them; here they are read by name from a dict).
template <typename T>
void Read(const py::dict& d, const char* key, T* out) {
  if (!d.contains(key) || d[key].is_none()) return;
  py::object v = d[key];
  // Only what the CLI's flag would take: no str for a number, no float for
  // an integer, no number for a flag.
  bool fits;
  if constexpr (std::is_same_v<T, bool>) {
    fits = py::isinstance<py::bool_>(v);
  } else if constexpr (std::is_integral_v<T>) {
    fits = py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    fits = (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v)) &&
           !py::isinstance<py::bool_>(v);
  } else {
    fits = py::isinstance<py::str>(v);
  }
  if (!fits) {
    throw py::type_error(std::string(key) + " must be " +
                         (std::is_same_v<T, bool>       ? "a bool"
                          : std::is_integral_v<T>       ? "an int"
                          : std::is_floating_point_v<T> ? "a number"
                                                        : "a str") +
                         ", got " +
                         std::string(py::str(v.get_type().attr("__name__"))));
  }
  try {
    *out = v.cast<T>();
  } catch (const py::cast_error&) {
    throw py::value_error(std::string(key) + ": out of range");
  }
}

// The metric options the registry declares (MetricOptionSpecs), by their
// Python names, checked as the CLI checks its flags.
MetricOptions ReadMetricOptions(const py::dict& d) {
  MetricOptions m;
  for (const MetricOptionSpec& spec : MetricOptionSpecs()) {
    const char* key = spec.name.c_str();
    if (!d.contains(key) || d[key].is_none()) continue;
    std::string text;
    if (spec.kind == MetricOptionSpec::Kind::kEvery) {
      int64_t v = 0;  // an int, as the CLI's flag takes
      Read(d, key, &v);
      text = std::to_string(v);
    } else {
      Read(d, key, &text);
    }
    if (Status s = m.Set(spec.name, text); !s.ok()) {
      Raise(InvalidArgument(spec.name + ": " + s.message()));
    }
  }
  return m;
}

ScoreOptions ReadScoreOptions(const std::string& metrics, const py::dict& d) {
  ScoreOptions o;
  Result<std::vector<const MetricEntry*>> selected = SelectMetrics(metrics);
  Check(selected.status());
  o.metrics = selected.value();
  o.metric_options = ReadMetricOptions(d);
  DecoderOptions& dec = o.decoder;
  Read(d, "fps", &dec.sampling.fps);
  Read(d, "every", &dec.sampling.every);
  Read(d, "keyframes", &dec.sampling.keyframes);
  Read(d, "max_frames", &dec.sampling.max_frames);
  Read(d, "start", &dec.sampling.start);
  Read(d, "duration", &dec.sampling.duration);
  Read(d, "threads", &dec.threads);
  Read(d, "max_pixels", &dec.max_pixels);
  Read(d, "sequence_fps", &dec.sequence_fps);
  Read(d, "sequence", &dec.folder_is_sequence);
  Read(d, "io_timeout", &dec.io_timeout);
  Read(d, "heatmap", &o.heatmap);
  Read(d, "metric_threads", &o.metric_threads);
  Read(d, "frames_in_flight", &o.frames_in_flight);
  Check(ValidateDecoderOptions(dec));
  Check(CheckScoreOptions(o));
  return o;
}

// A scored video: the VideoReport and what produced it.
class PyResult {
 public:
  PyResult(VideoReport report, RunInfo run)
      : report_(std::move(report)), run_(std::move(run)) {}

  // The report's "summary" object (NAME.acuity.json), parsed from the
  // report's own JSON writer rather than rebuilt field by field here.
  py::dict Summary() const {
    return py::module_::import("json").attr("loads")(Json())["summary"];
  }

  py::dict Frames() const {
    const size_t n = report_.frames.size();
    py::dict out;
    py::array_t<int64_t> index(n);
    py::array_t<double> pts(n);
    py::array_t<bool> key(n);
    auto* pi = index.mutable_data();
    auto* pp = pts.mutable_data();
    auto* pk = key.mutable_data();
    bool any_file = false;
    for (size_t f = 0; f < n; ++f) {
      pi[f] = report_.frames[f].index;
      pp[f] = report_.frames[f].pts;
      pk[f] = report_.frames[f].key_frame;
      any_file = any_file || !report_.frames[f].file.empty();
    }
    out["index"] = index;
    out["pts"] = pts;
    out["key_frame"] = key;
    if (any_file) {
      py::list files;
      for (const FrameRecord& r : report_.frames) files.append(r.file);
      out["file"] = files;
    }
    for (size_t c = 0; c < report_.metrics.size(); ++c) {
      py::array_t<double> col(n);
      auto* p = col.mutable_data();
      for (size_t f = 0; f < n; ++f) {
        const auto& v = report_.values[c][f];
        p[f] = v ? *v : std::numeric_limits<double>::quiet_NaN();
      }
      out[py::str(report_.metrics[c].key)] = col;
    }
    return out;
  }

  // The report's "video" object, from the same JSON writer (fps null where
  // unknown, the scale object of scaled inputs): no second copy here.
  py::dict Video() const {
    return py::module_::import("json").attr("loads")(Json())["video"];
  }

  std::vector<std::string> Metrics() const {
    std::vector<std::string> keys;
    for (const MetricInfo& m : report_.metrics) keys.push_back(m.key);
    return keys;
  }

  std::string Json() const {
    py::gil_scoped_release nogil;
    return VideoReportJson(report_, run_);
  }

  std::string FramesCsv() const {
    py::gil_scoped_release nogil;
    std::ostringstream os;
    WriteFramesCsv(os, report_);
    return os.str();
  }

 private:
  VideoReport report_;
  RunInfo run_;
};

// Runs `work` on a helper thread with the GIL released while this thread
// looks for Python signals every 100 ms: on Ctrl-C (KeyboardInterrupt, or
// whatever a handler raises) it sets `cancel`, waits for the work to stop at
// its next frame and raises. Only the main thread receives signals; on other
// threads this is a plain wait.
template <typename Work>
void RunInterruptible(Work work, std::atomic<bool>& cancel) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::exception_ptr failure;  // bad_alloc and the like, rethrown below
  std::thread worker([&] {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_all();
  });
  bool interrupted = false;
  {
    py::gil_scoped_release nogil;
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::milliseconds(100),
                        [&] { return done; })) {
      lock.unlock();
      {
        py::gil_scoped_acquire gil;
        interrupted = PyErr_CheckSignals() != 0;  // leaves the error set
      }
      lock.lock();
      if (interrupted) {
        cancel.store(true);
        cv.wait(lock, [&] { return done; });
        break;
      }
    }
  }
  worker.join();
  if (interrupted) throw py::error_already_set();
  if (failure) std::rethrow_exception(failure);
}

PyResult ScoreFile(const std::string& path, const std::string& metrics,
                   const py::dict& opts) {
  const ScoreOptions options = ReadScoreOptions(metrics, opts);
  Result<VideoReport> r = Status::Ok();
  BatchProgress progress(1);  // its cancel flag stops ScoreVideo on Ctrl-C
  RunInterruptible(
      [&] {
        // As `acuity score PATH` sees PATH: FIFOs and devices are refused
        // before opening, a folder of videos is not one video.
        const std::vector<Input> inputs =
            ExpandInputs({path}, options.decoder.folder_is_sequence);
        if (inputs.size() != 1 || inputs[0].path != path) {
          r = InvalidArgument(path + ": a folder of " +
                              std::to_string(inputs.size()) +
                              " files, not one video: score each file "
                              "(acuity.dask.score_files scores many)");
        } else if (!inputs[0].error.ok()) {
          r = inputs[0].error;
        } else {
          r = ScoreVideo(path, options, &progress, 0);
        }
      },
      progress.cancel);
  Check(r.status());
  return PyResult(std::move(r).value(), MakeRunInfo(options));
}

// summary.csv for `paths` (header + one row per input, failures as error
// rows), scored as `acuity score -j 1` scores them: acuity.dask's task.
std::string SummaryCsv(const std::vector<std::string>& paths,
                       const std::string& metrics, const py::dict& opts) {
  ScoreOptions options = ReadScoreOptions(metrics, opts);
  py::gil_scoped_release nogil;
  const std::vector<Input> inputs =
      ExpandInputs(paths, options.decoder.folder_is_sequence);
  Status batch_status;
  const std::vector<BatchRow> rows =
      ScoreBatch(inputs, options, nullptr, batch_status);
  std::ostringstream os;
  WriteSummaryCsv(os, rows, SelectedOutputs(options));
  return os.str();
}

// The header of summary.csv for a metric selection.
std::string SummaryCsvHeader(const std::string& metrics) {
  Result<std::vector<const MetricEntry*>> selected = SelectMetrics(metrics);
  Check(selected.status());
  ScoreOptions o;
  o.metrics = selected.value();
  std::ostringstream os;
  WriteSummaryCsv(os, {}, SelectedOutputs(o));
  return os.str();
}

// Incremental scoring of arrays (acuity.Scorer).
class PyScorer {
 public:
  PyScorer(const std::string& metrics, double fps, const std::string& channels,
           std::optional<int> bit_depth, const std::string& range,
           const py::dict& opts, std::string name)
      : fps_(fps), bit_depth_(bit_depth), name_(std::move(name)) {
    if (!std::isfinite(fps) || fps < 0) {
      Raise(InvalidArgument("fps must be a finite number >= 0, got " +
                            std::to_string(fps)));
    }
    if (channels == "rgb") {
      colour_ = PixelLayout::kRgb;
    } else if (channels == "bgr") {
      colour_ = PixelLayout::kBgr;
    } else {
      Raise(InvalidArgument("channels must be 'rgb' or 'bgr', got '" +
                            channels + "'"));
    }
    if (range == "full") {
      range_ = ColorRange::kFull;
    } else if (range == "limited") {
      range_ = ColorRange::kLimited;
    } else {
      Raise(InvalidArgument("range must be 'full' or 'limited', got '" + range +
                            "'"));
    }
    options_ = ReadScoreOptions(metrics, opts);
    ScorerOptions so;
    so.metrics = options_.metrics;
    so.metric_options = options_.metric_options;
    so.heatmap = options_.heatmap;
    so.metric_threads = options_.metric_threads;
    so.frames_in_flight = options_.frames_in_flight;
    Result<std::unique_ptr<Scorer>> s = Scorer::Create(so);
    Check(s.status());
    scorer_ = std::move(s).value();
  }

  void Push(py::array frame, std::optional<double> pts) {
    const PackedImage image = Describe(frame);  // `frame` keeps any copy alive
    Status s;
    {
      // The lock is taken without the GIL: a thread waiting for it while
      // holding the GIL would keep the pushing thread from ever returning.
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> lock(mu_);
      s = PushLocked(image, pts);
    }
    Check(s);
  }

  PyResult Finish() {
    Result<VideoReport> r = Status::Ok();
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> lock(mu_);
      r = scorer_->Finish(
          MemoryVideoInfo(name_, first_, fps_, scorer_->frames_pushed()));
    }
    Check(r.status());
    return PyResult(std::move(r).value(), MakeRunInfo(options_));
  }

  void Cancel() { scorer_->Cancel(); }
  int64_t FramesPushed() {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    return scorer_->frames_pushed();
  }

 private:
  static std::string Shape(const PackedImage& im) {
    std::string s = std::to_string(im.height) + "x" + std::to_string(im.width);
    if (im.layout != PixelLayout::kGray) s += "x3";
    return s + (im.bit_depth > 8 ? " uint16" : " uint8");
  }

  Status PushLocked(const PackedImage& image, std::optional<double> pts) {
    const int64_t n = scorer_->frames_pushed();
    if (!started_) {
      ACUITY_RETURN_IF_ERROR(
          scorer_->Start(FrameConverter::StreamOf(image, fps_)));
      first_ = image;
      started_ = true;
    } else if (image.width != first_.width || image.height != first_.height ||
               image.layout != first_.layout ||
               image.bit_depth != first_.bit_depth) {
      return InvalidArgument("frame " + std::to_string(n) + " is " +
                             Shape(image) + ", not " + Shape(first_) +
                             " like the first frame: a clip is one size and "
                             "format");
    }
    Result<Frame> f = converter_.Convert(image);
    if (!f.ok()) return f.status();
    f->index = n;
    f->pts_seconds =
        pts ? *pts : static_cast<double>(n) / (fps_ > 0 ? fps_ : 1.0);
    f->key_frame = true;  // every picture from memory stands alone
    return scorer_->Push(f.value());
  }

  // The array as packed pixels; a layout acuity cannot view in place
  // (a channel slice, a negative or odd stride) is copied to C order first
  // and the copy kept alive in `frame`.
  PackedImage Describe(py::array& frame) {
    if (frame.dtype().byteorder() == '>') {  // big-endian: native copy
      frame = frame.attr("astype")(frame.dtype().attr("newbyteorder")("="));
    }
    const bool u8 = frame.dtype().num() == py::dtype::of<uint8_t>().num();
    const bool u16 = frame.dtype().num() == py::dtype::of<uint16_t>().num();
    if (!u8 && !u16) {
      Raise(InvalidArgument("frames must be uint8 or uint16 arrays, got " +
                            std::string(py::str(frame.dtype()))));
    }
    const ssize_t nd = frame.ndim();
    const bool gray = nd == 2 || (nd == 3 && frame.shape(2) == 1);
    if (!gray && !(nd == 3 && frame.shape(2) == 3)) {
      std::string shape;
      for (ssize_t i = 0; i < nd; ++i) {
        shape += (i ? "x" : "") + std::to_string(frame.shape(i));
      }
      Raise(InvalidArgument("a frame is HxW (gray) or HxWx3 (RGB/BGR), got " +
                            (shape.empty() ? std::string("a scalar") : shape)));
    }
    if (!gray && u16) {
      Raise(InvalidArgument(
          "RGB/BGR frames are uint8; uint16 is for gray (HxW) frames"));
    }
    const ssize_t item = frame.itemsize();
    const ssize_t channels = gray ? 1 : 3;
    const bool viewable =
        frame.strides(1) == item * channels &&
        (nd == 2 || frame.strides(2) == item) &&
        frame.strides(0) >= frame.shape(1) * item * channels &&
        reinterpret_cast<uintptr_t>(frame.data()) % item == 0;
    if (!viewable) {
      frame = py::array::ensure(frame, py::array::c_style);
      if (!frame) throw py::error_already_set();
    }
    PackedImage im;
    im.data = static_cast<const uint8_t*>(frame.data());
    im.stride = frame.strides(0);
    im.height = static_cast<int>(frame.shape(0));
    im.width = static_cast<int>(frame.shape(1));
    im.layout = gray ? PixelLayout::kGray : colour_;
    im.range = range_;
    if (u8) {
      if (bit_depth_ && *bit_depth_ != 8) {
        Raise(InvalidArgument("bit_depth=" + std::to_string(*bit_depth_) +
                              " needs uint16 frames; uint8 is 8-bit"));
      }
      im.bit_depth = 8;
    } else {
      im.bit_depth = bit_depth_.value_or(16);
      if (im.bit_depth < 9 || im.bit_depth > 16) {
        Raise(
            InvalidArgument("bit_depth must be 9..16 for uint16 frames, got " +
                            std::to_string(im.bit_depth)));
      }
    }
    return im;
  }

  double fps_;
  std::optional<int> bit_depth_;
  std::string name_;
  PixelLayout colour_ = PixelLayout::kRgb;
  ColorRange range_ = ColorRange::kFull;
  ScoreOptions options_;
  std::unique_ptr<Scorer> scorer_;
  FrameConverter converter_;
  std::mutex mu_;  // one push at a time, whatever the Python threads do
  bool started_ = false;
  PackedImage first_;
};

PyObject* NewError(const char* name, PyObject* bases, py::module_& m,
                   const char* doc) {
  PyObject* type = PyErr_NewExceptionWithDoc(name, doc, bases, nullptr);
  if (type == nullptr) throw py::error_already_set();
  const std::string full = name;
  m.add_object(full.substr(full.rfind('.') + 1).c_str(),
               py::reinterpret_borrow<py::object>(type));
  return type;
}

}  // namespace
}  // namespace acuity::python

PYBIND11_MODULE(_acuity, m) {
  using namespace acuity;
  using namespace acuity::python;
  m.doc() = "acuity's C++ core; use the `acuity` package, not this module.";

  g_error = NewError("acuity.Error", PyExc_RuntimeError, m,
                     "An acuity call failed; the message is the CLI's "
                     "one-line message. `code` names the cause.");
  auto bases = [](PyObject* a, PyObject* b) { return PyTuple_Pack(2, a, b); };
  g_invalid_argument =
      NewError("acuity.InvalidArgumentError", bases(g_error, PyExc_ValueError),
               m, "A bad option, metric name or frame.");
  g_not_found =
      NewError("acuity.NotFoundError", bases(g_error, PyExc_FileNotFoundError),
               m, "No such file, no video stream, unknown metric.");
  g_io = NewError("acuity.IoError", bases(g_error, PyExc_OSError), m,
                  "Reading or writing failed.");
  g_cancelled = NewError("acuity.CancelledError", g_error, m,
                         "The run was cancelled (Scorer.cancel()).");

  py::class_<PyResult>(
      m, "Result", R"(A scored clip (acuity.score, score_frames, Scorer.result).

summary   dict per output key: n, n_null, mean, median, p5, p10, p95, std,
          min, max, min_time, max_time (None where undefined)
frames    dict of NumPy arrays, one value per scored frame: "index" (int64),
          "pts" (seconds), "key_frame" (bool), one float64 array per output
          key (NaN where the report has null); "file" for image sequences
video     the report's "video" object (path, codec, size, fps...)
metrics   output keys in column order
to_dict() the same JSON as NAME.acuity.json, parsed
to_json() that JSON as text
frames_csv() the same text as NAME.frames.csv)")
      .def_property_readonly("summary", &PyResult::Summary,
                             "Summary statistics per output key (dict).")
      .def_property_readonly("frames", &PyResult::Frames,
                             "Per-frame NumPy arrays (NaN for null).")
      .def_property_readonly("video", &PyResult::Video,
                             "The report's \"video\" object (dict).")
      .def_property_readonly("metrics", &PyResult::Metrics,
                             "Output keys, in column order.")
      .def("to_json", &PyResult::Json,
           "The same JSON text as NAME.acuity.json.")
      .def(
          "to_dict",
          [](const PyResult& r) {
            return py::module_::import("json").attr("loads")(r.Json());
          },
          "The same JSON as NAME.acuity.json, as a dict.")
      .def("frames_csv", &PyResult::FramesCsv,
           "The same text as NAME.frames.csv.")
      .def("__repr__", [](const PyResult& r) {
        py::dict v = r.Video();
        return "<acuity.Result " + std::string(py::repr(v["path"])) + ": " +
               std::string(py::str(v["frames_used"])) + " frames, " +
               std::to_string(r.Metrics().size()) + " outputs>";
      });

  py::class_<PyScorer>(m, "Scorer")
      .def(py::init<const std::string&, double, const std::string&,
                    std::optional<int>, const std::string&, const py::dict&,
                    std::string>(),
           py::arg("metrics"), py::arg("fps"), py::arg("channels"),
           py::arg("bit_depth"), py::arg("range"), py::arg("options"),
           py::arg("name"))
      .def("push", &PyScorer::Push, py::arg("frame"),
           py::arg("pts") = py::none())
      .def("result", &PyScorer::Finish)
      .def("cancel", &PyScorer::Cancel)
      .def_property_readonly("frames_pushed", &PyScorer::FramesPushed);

  m.def("score_file", &ScoreFile, py::arg("path"), py::arg("metrics"),
        py::arg("options"));
  m.def("summary_csv", &SummaryCsv, py::arg("paths"), py::arg("metrics"),
        py::arg("options"));
  m.def("summary_csv_header", &SummaryCsvHeader, py::arg("metrics"));
  m.def(
      "metric_options",
      [] {
        std::vector<std::string> names;
        for (const MetricOptionSpec& spec : MetricOptionSpecs()) {
          names.push_back(spec.name);
        }
        return names;
      },
      "The metric options (keyword names) the registry declares.");
  m.def("metric_keys", [](const std::string& metrics) {
    Result<std::vector<const MetricEntry*>> selected = SelectMetrics(metrics);
    Check(selected.status());
    std::vector<std::string> keys;
    for (const MetricEntry* e : selected.value()) {
      for (const MetricInfo& i : e->outputs) keys.push_back(i.key);
    }
    return keys;
  });
  m.def("set_ffmpeg_logging", &SetFfmpegLogging, py::arg("verbose"));
  m.attr("__version__") = ACUITY_VERSION;
}
