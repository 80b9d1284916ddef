#include "face/detector.h"

#include <algorithm>
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
// FaceDetectorYN: OpenCV's sample default score threshold and NMS.
constexpr float kYnScore = 0.9f;
constexpr float kYnNms = 0.3f;

void SortFaces(std::vector<cv::Rect>& faces) {
  std::sort(faces.begin(), faces.end(), [](const cv::Rect& a, const cv::Rect& b) {
    if (a.area() != b.area()) return a.area() > b.area();
    if (a.y != b.y) return a.y < b.y;
    return a.x < b.x;
  });
}

class CascadeDetector final : public FaceDetector {
 public:
  explicit CascadeDetector(cv::CascadeClassifier c) : cascade_(std::move(c)) {}
  std::vector<cv::Rect> Detect(const cv::Mat& picture) override {
    if (picture.channels() == 3) {
      cv::cvtColor(picture, gray_, cv::COLOR_BGR2GRAY);
    } else {
      picture.copyTo(gray_);
    }
    // Histogram equalisation, as OpenCV's cascade samples do: the cascades
    // were trained on normalised windows, and it helps on dim, flat video.
    cv::equalizeHist(gray_, gray_);
    std::vector<cv::Rect> faces;
    cascade_.detectMultiScale(gray_, faces, kScaleFactor, kMinNeighbors, 0,
                              cv::Size(kMinFace, kMinFace));
    SortFaces(faces);
    return faces;
  }

 private:
  cv::CascadeClassifier cascade_;
  cv::Mat gray_;
};

class YuNetDetector final : public FaceDetector {
 public:
  explicit YuNetDetector(cv::Ptr<cv::FaceDetectorYN> d) : yn_(std::move(d)) {}
  std::vector<cv::Rect> Detect(const cv::Mat& picture) override {
    // YuNet takes BGR; luma-only pictures are replicated into 3 channels.
    if (picture.channels() == 1) {
      cv::cvtColor(picture, bgr_, cv::COLOR_GRAY2BGR);
    } else {
      picture.copyTo(bgr_);
    }
    yn_->setInputSize(bgr_.size());
    cv::Mat found;
    yn_->detect(bgr_, found);
    std::vector<cv::Rect> faces;
    const cv::Rect frame(0, 0, bgr_.cols, bgr_.rows);
    for (int i = 0; i < found.rows; ++i) {
      // Row: x, y, w, h, 5 landmarks (x, y), score.
      const float* r = found.ptr<float>(i);
      cv::Rect box(cvRound(r[0]), cvRound(r[1]), cvRound(r[2]), cvRound(r[3]));
      box &= frame;
      if (box.area() > 0) faces.push_back(box);
    }
    SortFaces(faces);
    return faces;
  }

 private:
  cv::Ptr<cv::FaceDetectorYN> yn_;
  cv::Mat bgr_;
};

}  // namespace

std::string CascadeDir() {
  const char* env = std::getenv("ACUITY_CASCADE_DIR");
  if (env != nullptr && *env != '\0') return env;
  return "/usr/share/opencv4/haarcascades";
}

std::string DetectorName(const MetricOptions& options) {
  if (!options.face_model.empty()) return "yunet:" + options.face_model;
  return "haar:" + (fs::path(CascadeDir()) / kDefaultCascade).string();
}

Result<std::unique_ptr<FaceDetector>> MakeDetector(
    const MetricOptions& options) {
  if (!options.face_model.empty()) {
    const std::string& model = options.face_model;
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
  const std::string path = (fs::path(CascadeDir()) / kDefaultCascade).string();
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
    return InvalidData("face cascade " + path +
                       ": OpenCV could not load it (" + e.err + ")");
  }
  return std::unique_ptr<FaceDetector>(new CascadeDetector(std::move(cascade)));
}

}  // namespace acuity::face
