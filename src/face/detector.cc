#include "face/detector.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/objdetect/face.hpp>

namespace acuity::face {
namespace {

namespace fs = std::filesystem;

// Cascade parameters: a 1.1 scale step and 4 neighbours (OpenCV's sample
// face detector uses 1.1 and 3; 4 drops the odd textured false box at no
// cost in hits on the opencv-doc faces). The smallest face searched is 30
// samples in the (<= 480-sample) detection picture (detector.h says why).
constexpr double kScaleFactor = 1.1;
constexpr int kMinNeighbors = 4;
constexpr int kMinFace = 30;
// The profile passes are there to find the close-ups the frontal cascade
// misses, and the profile cascade is slow: at the frontal pass's settings
// each of its two passes cost 1.3x the frontal pass (100 ms against 75 ms of
// CPU on the bench frame). They run on the picture shrunk further, to a
// longer side of kProfileLongSide samples, for faces of at least
// kMinProfileFace samples there: 1/10 of the longer side (192 px in 1080p).
// Frontal + both profile passes then cost about 2x the frontal pass alone.
// (A 1.2 scale step would save another 15% but loses the three-quarter
// close-up of Megamind frame 87, FaceMetrics.ProfileCloseUp...)
constexpr int kProfileLongSide = 320;
constexpr int kMinProfileFace = 32;
constexpr double kProfileScaleFactor = 1.1;
// FaceDetectorYN: OpenCV's sample default score threshold and NMS.
constexpr float kYnScore = 0.9f;
constexpr float kYnNms = 0.3f;

bool DetectionBefore(const Detection& a, const Detection& b) {
  if (a.box.area() != b.box.area()) return a.box.area() > b.box.area();
  if (a.box.y != b.box.y) return a.box.y < b.box.y;
  return a.box.x < b.box.x;
}

// Cascade passes: OpenCV's "neighbours" of every box come back as its
// score (detectMultiScale2's numDetections). `back`: the factor from
// `gray`'s coordinates to the caller's.
void RunCascade(cv::CascadeClassifier& cascade, const cv::Mat& gray,
                FaceKind kind, bool mirrored, int min_face, double scale_factor,
                double back, std::vector<Detection>* out) {
  std::vector<cv::Rect> boxes;
  std::vector<int> neighbours;
  cascade.detectMultiScale(gray, boxes, neighbours, scale_factor, kMinNeighbors,
                           0, cv::Size(min_face, min_face));
  for (size_t i = 0; i < boxes.size(); ++i) {
    cv::Rect b = boxes[i];
    if (mirrored) b.x = gray.cols - b.x - b.width;
    const int x0 = static_cast<int>(std::lround(b.x * back));
    const int y0 = static_cast<int>(std::lround(b.y * back));
    const int x1 = static_cast<int>(std::lround((b.x + b.width) * back));
    const int y1 = static_cast<int>(std::lround((b.y + b.height) * back));
    Detection d;
    d.box = cv::Rect(x0, y0, x1 - x0, y1 - y0);
    d.kind = kind;
    d.score = i < neighbours.size() ? neighbours[i] : 0;
    out->push_back(d);
  }
}

class CascadeDetector final : public FaceDetector {
 public:
  CascadeDetector(cv::CascadeClassifier frontal, cv::CascadeClassifier profile)
      : frontal_(std::move(frontal)), profile_(std::move(profile)) {}
  std::vector<Detection> Detect(const cv::Mat& picture) override {
    if (picture.channels() == 3) {
      cv::cvtColor(picture, gray_, cv::COLOR_BGR2GRAY);
    } else {
      picture.copyTo(gray_);
    }
    // Histogram equalisation, as OpenCV's cascade samples do: the cascades
    // were trained on normalised windows, and it helps on dim, flat video.
    cv::equalizeHist(gray_, gray_);
    std::vector<Detection> found;
    RunCascade(frontal_, gray_, FaceKind::kFrontal, false, kMinFace,
               kScaleFactor, 1.0, &found);
    // The profile cascade knows faces turned one way; the mirrored picture
    // shows it the others.
    const int long_side = std::max(gray_.cols, gray_.rows);
    const double f = long_side > kProfileLongSide
                         ? static_cast<double>(kProfileLongSide) / long_side
                         : 1.0;
    if (f < 1.0) {
      cv::resize(
          gray_, small_,
          cv::Size(std::max(1, static_cast<int>(std::lround(gray_.cols * f))),
                   std::max(1, static_cast<int>(std::lround(gray_.rows * f)))),
          0, 0, cv::INTER_AREA);
    } else {
      gray_.copyTo(small_);
    }
    const double back = static_cast<double>(gray_.cols) / small_.cols;
    RunCascade(profile_, small_, FaceKind::kProfile, false, kMinProfileFace,
               kProfileScaleFactor, back, &found);
    cv::flip(small_, mirrored_, 1);
    RunCascade(profile_, mirrored_, FaceKind::kProfile, true, kMinProfileFace,
               kProfileScaleFactor, back, &found);
    return MergeDetections(std::move(found));
  }

 private:
  cv::CascadeClassifier frontal_, profile_;
  cv::Mat gray_, small_, mirrored_;
};

class YuNetDetector final : public FaceDetector {
 public:
  explicit YuNetDetector(cv::Ptr<cv::FaceDetectorYN> d) : yn_(std::move(d)) {}
  std::vector<Detection> Detect(const cv::Mat& picture) override {
    // YuNet takes BGR; luma-only pictures are replicated into 3 channels.
    if (picture.channels() == 1) {
      cv::cvtColor(picture, bgr_, cv::COLOR_GRAY2BGR);
    } else {
      picture.copyTo(bgr_);
    }
    yn_->setInputSize(bgr_.size());
    cv::Mat found;
    yn_->detect(bgr_, found);
    std::vector<Detection> faces;
    const cv::Rect frame(0, 0, bgr_.cols, bgr_.rows);
    for (int i = 0; i < found.rows; ++i) {
      // Row: x, y, w, h, 5 landmarks (x, y), score.
      const float* r = found.ptr<float>(i);
      cv::Rect box(cvRound(r[0]), cvRound(r[1]), cvRound(r[2]), cvRound(r[3]));
      box &= frame;
      if (box.area() > 0) faces.push_back({box, FaceKind::kModel, r[14]});
    }
    return MergeDetections(std::move(faces));
  }

 private:
  cv::Ptr<cv::FaceDetectorYN> yn_;
  cv::Mat bgr_;
};

Result<cv::CascadeClassifier> LoadCascade(const std::string& name) {
  const std::string path = (fs::path(CascadeDir()) / name).string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return NotFound("face cascade " + path +
                    ": no such file (install Debian's opencv-data, or set "
                    "ACUITY_CASCADE_DIR)");
  }
  cv::CascadeClassifier cascade;
  try {
    if (!cascade.load(path) || cascade.empty()) {
      return InvalidData("face cascade " + path + ": OpenCV could not load it");
    }
  } catch (const cv::Exception& e) {
    return InvalidData("face cascade " + path + ": OpenCV could not load it (" +
                       e.err + ")");
  }
  return cascade;
}

}  // namespace

const char* FaceKindName(FaceKind kind) {
  switch (kind) {
    case FaceKind::kFrontal:
      return "frontal";
    case FaceKind::kProfile:
      return "profile";
    case FaceKind::kModel:
      return "model";
  }
  return "model";
}

std::vector<Detection> MergeDetections(std::vector<Detection> found) {
  std::sort(found.begin(), found.end(),
            [](const Detection& a, const Detection& b) {
              if (a.score != b.score) return a.score > b.score;
              return DetectionBefore(a, b);
            });
  std::vector<Detection> kept;
  for (const Detection& d : found) {
    if (d.box.area() <= 0) continue;
    const bool absorbed =
        std::any_of(kept.begin(), kept.end(), [&](const Detection& k) {
          const double inter = (k.box & d.box).area();
          const double smaller = std::min(k.box.area(), d.box.area());
          return inter > kMergeOverlap * smaller;
        });
    if (!absorbed) kept.push_back(d);
  }
  std::sort(kept.begin(), kept.end(), DetectionBefore);
  return kept;
}

std::string CascadeDir() {
  const char* env = std::getenv("ACUITY_CASCADE_DIR");
  if (env != nullptr && *env != '\0') return env;
  return "/usr/share/opencv4/haarcascades";
}

std::string DetectorName(const MetricOptions& options) {
  const std::string model = options.File("face_model");
  if (!model.empty()) return "yunet:" + model;
  return "haar:" + (fs::path(CascadeDir()) / kDefaultCascade).string() + "+" +
         (fs::path(CascadeDir()) / kProfileCascade).string();
}

Result<std::unique_ptr<FaceDetector>> MakeDetector(
    const MetricOptions& options) {
  if (const std::string model = options.File("face_model"); !model.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(model, ec)) {
      return NotFound("face model " + model + ": no such file");
    }
    try {
      cv::Ptr<cv::FaceDetectorYN> yn = cv::FaceDetectorYN::create(
          model, "", cv::Size(320, 320), kYnScore, kYnNms);
      if (yn.empty()) {
        return InvalidArgument("face model " + model +
                               ": OpenCV could not load it as a YuNet model");
      }
      return std::unique_ptr<FaceDetector>(new YuNetDetector(std::move(yn)));
    } catch (const cv::Exception& e) {
      return InvalidArgument("face model " + model +
                             ": OpenCV could not load it as a YuNet ONNX "
                             "model (" +
                             e.err + ")");
    }
  }
  auto frontal = LoadCascade(kDefaultCascade);
  if (!frontal.ok()) return frontal.status();
  auto profile = LoadCascade(kProfileCascade);
  if (!profile.ok()) return profile.status();
  return std::unique_ptr<FaceDetector>(new CascadeDetector(
      std::move(frontal).value(), std::move(profile).value()));
}

}  // namespace acuity::face
