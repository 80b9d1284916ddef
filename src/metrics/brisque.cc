// brisque: BRISQUE, the Blind/Referenceless Image Spatial QUality
// Evaluator (Mittal, Moorthy, Bovik, "No-reference image quality assessment
// in the spatial domain", IEEE Trans. Image Processing 21(12), 2012): 36
// natural-scene statistics of the luma (generalised Gaussian fits to the
// mean-subtracted contrast-normalised coefficients and to their products
// with the 4 neighbours, at full and half resolution) fed to an SVR trained
// on the LIVE database's human opinion scores. Computed by OpenCV-contrib's
// cv::quality::QualityBRISQUE with the LIVE model of Debian's opencv-data
// (see FindBrisqueModelDir), so the value equals
// QualityBRISQUE::compute(cvtColor(bgr, COLOR_BGR2GRAY)) for the same luma.
// Input: the luma plane as 8-bit full-range gray, the data the model was
// trained on: other depths and limited range are mapped per sample to
// round((v - black) * gain) clamped to 0..255 (LumaScale); chroma unused.
// Unit: BRISQUE score (the SVR's DMOS-like output, clamped to 0..100 as
// OpenCV does). Higher is worse: more distortion of any kind (blur, noise,
// blocking), so the direction is "higher is blurrier" in the broad sense.
// Borders: OpenCV's (replicated for the Gaussian windows, zero-padded
// neighbour products). Cost ~0.1 s per 1080p frame, so only the frames
// 0, N, 2N... (N = MetricOptions::brisque_every, --brisque-every) of those
// the metric sees are measured. Null: the other frames; frames where the
// statistics are undefined (non-finite features: flat frames, pure ramps
// and steps, where OpenCV would answer a meaningless 100); frames under
// 2x2 samples; any OpenCV failure.
#include "metrics/brisque.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>
#include <opencv2/quality.hpp>
#include <opencv2/quality/quality_utils.hpp>
#include <optional>
#include <string>
#include <vector>

#include "metrics/frame_analysis.h"

namespace acuity::metrics {
namespace {

class Brisque final : public Metric {
 public:
  Status Configure(const MetricOptions& options) override {
    every_ = options.Every("brisque_every");
    return Status::Ok();
  }

  Status Init(const StreamInfo& info) override {
    auto dir = FindBrisqueModelDir();
    if (!dir.ok()) return dir.status();
    const std::string model_path = *dir + "/" + kBrisqueModelFile;
    const std::string range_path = *dir + "/" + kBrisqueRangeFile;
    try {
      model_ = cv::ml::SVM::load(model_path);
      range_ =
          cv::FileStorage(range_path, cv::FileStorage::READ)["range"].mat();
    } catch (const cv::Exception& e) {
      return InvalidData("brisque: cannot read the model in " + *dir + ": " +
                         e.what());
    }
    if (model_.empty() || !model_->isTrained() || range_.rows != 2 ||
        range_.type() != CV_32F) {
      return InvalidData("brisque: " + model_path + " / " + range_path +
                         " are not a BRISQUE model and range (reinstall "
                         "opencv-data: apt-get install --reinstall "
                         "opencv-data)");
    }
    // Sample -> 8-bit full range gray, once per video. Identity for 8-bit
    // full range, which Process() then wraps without copying.
    const LumaScale& s = info.scale;
    identity_ = info.bit_depth == 8 && s.black == 0.0 && s.gain == 1.0;
    lut_.resize(size_t{1} << info.bit_depth);
    for (size_t v = 0; v < lut_.size(); ++v) {
      const double full =
          std::round((static_cast<double>(v) - s.black) * s.gain);
      lut_[v] = static_cast<uint8_t>(std::clamp(full, 0.0, 255.0));
    }
    return Status::Ok();
  }

  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const int64_t position = seen_++;
    if (position % every_ != 0) return;
    const PlaneView& y = frame.y;
    if (y.empty() || y.width < 2 || y.height < 2) return;
    try {
      out.Set(0, Score(Gray(y)));
    } catch (const cv::Exception&) {
      // Data, not an error: an unmeasurable frame is null.
    }
  }

 private:
  // The luma as CV_8UC1 full-range gray: a view of the plane when it is
  // already that (OpenCV only reads its input), else mapped into gray_.
  cv::Mat Gray(const PlaneView& y) {
    if (identity_ && y.bit_depth == 8) {
      return cv::Mat(y.height, y.width, CV_8UC1, const_cast<uint8_t*>(y.data),
                     static_cast<size_t>(y.stride));
    }
    gray_.create(y.height, y.width, CV_8UC1);
    for (int r = 0; r < y.height; ++r) {
      uint8_t* dst = gray_.ptr<uint8_t>(r);
      if (y.bit_depth > 8) {
        const uint16_t* src = y.Row16(r);
        for (int x = 0; x < y.width; ++x) dst[x] = lut_[src[x]];
      } else {
        const uint8_t* src = y.Row8(r);
        for (int x = 0; x < y.width; ++x) dst[x] = lut_[src[x]];
      }
    }
    return gray_;
  }

  // QualityBRISQUE::compute split in two so that undefined statistics
  // become null: computeFeatures(), then the same scaling to [-1, 1], SVR
  // prediction and clamp to [0, 100] as OpenCV's computescore().
  std::optional<double> Score(const cv::Mat& gray) {
    cv::quality::QualityBRISQUE::computeFeatures(gray, features_);
    for (int i = 0; i < features_.cols; ++i) {
      if (!std::isfinite(features_.at<float>(0, i))) return std::nullopt;
    }
    cv::quality::quality_utils::scale(features_, range_, -1.f, 1.f);
    model_->predict(features_, prediction_);
    const float raw = prediction_.at<float>(0, 0);
    if (!std::isfinite(raw)) return std::nullopt;
    return std::min(std::max(raw, 0.f), 100.f);
  }

  int every_ = 1;  // set by Configure() (brisque_every)
  int64_t seen_ = 0;  // frames handed to Process() so far
  cv::Ptr<cv::ml::SVM> model_;
  cv::Mat range_;  // 2 x 36: per-feature min (row 0) and max (row 1)
  bool identity_ = false;
  std::vector<uint8_t> lut_;              // native sample -> full-range 8-bit
  cv::Mat gray_, features_, prediction_;  // reused across frames
};

}  // namespace

Result<std::string> FindBrisqueModelDir() {
  const char* env = std::getenv(kBrisqueModelDirEnv);
  const bool from_env = env != nullptr && env[0] != '\0';
  const std::string dir = from_env ? env : kBrisqueDebianModelDir;
  for (const char* name : {kBrisqueModelFile, kBrisqueRangeFile}) {
    std::error_code ec;
    const std::string path = dir + "/" + name;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return NotFound(
          "brisque: model file " + path + " not found" +
          (from_env ? std::string(" (") + kBrisqueModelDirEnv + " is set)"
                    : std::string()) +
          "; install it with `apt-get install opencv-data` or set " +
          kBrisqueModelDirEnv + " to the folder holding " + kBrisqueModelFile +
          " and " + kBrisqueRangeFile);
    }
  }
  return dir;
}

MetricEntry BrisqueEntry() {
  MetricEntry e{
      "brisque",
      {{"brisque", "BRISQUE score", "0..100", Direction::kHigherIsBlurrier,
        "BRISQUE no-reference quality (LIVE model): higher = worse (more "
        "distortion, incl. blur); every Nth frame (--brisque-every)"}},
      false,
      [] { return std::unique_ptr<Metric>(new Brisque()); }};
  e.options = {{"brisque_every", MetricOptionSpec::Kind::kEvery, "30",
                "brisque measures frames 0, N, 2N... of the sampled frames "
                "(others null; default 30: ~0.1 s per 1080p frame)"}};
  e.temporal = true;  // counts the frames seen (brisque_every)
  return e;
}

}  // namespace acuity::metrics
