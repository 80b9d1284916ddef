// Face detection for the face metrics: one interface, two OpenCV detectors.
//
//  - The default needs no download: OpenCV's Haar cascades from Debian's
//    opencv-data (/usr/share/opencv4/haarcascades):
//    haarcascade_frontalface_alt2.xml for frontal faces and
//    haarcascade_profileface.xml for profiles. The profile cascade was
//    trained on faces looking one way (to the viewer's left), so it runs a
//    second time on the mirrored picture and those boxes are mirrored back.
//    Overlapping boxes of the three passes are merged (MergeDetections:
//    the box with more neighbours wins). Why alt2 (docs/metrics.md has the
//    figures): on messi5.jpg and frames of Megamind.avi (opencv-doc) it
//    finds every frontal face that `default` finds and more than `alt`,
//    with fewer false boxes than `default` and the LBP cascades; the LBP
//    cascades are 2-3x faster but miss Messi and several Megamind faces.
//  - With --face-model FILE.onnx, cv::FaceDetectorYN (YuNet, OpenCV >= 4.5.4)
//    runs the user's model, which is far better on profiles, small faces and
//    hard light; acuity cannot ship it (no downloads), so it is opt-in.
//
// Detectors see the luma, converted to full-range 8 bits and shrunk (area
// averaging) so that its longer side is at most kDetectLongSide samples:
// the cascade's cost is per pixel (40-55 ms per 480x270 picture on one
// core of the 2-core bench machine, docs/benchmarks.md). The smallest face
// searched is 30 samples there: 1/16 of the picture's longer side, 120 px in
// 1080p (a 24-sample floor finds 1/20 but costs a third more: most windows
// are at the smallest scales). Boxes come back in the coordinates of the
// picture handed in.
#ifndef ACUITY_FACE_DETECTOR_H_
#define ACUITY_FACE_DETECTOR_H_

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "acuity/status.h"

namespace acuity::face {

// The cascades acuity uses without --face-model, inside the cascade folder.
inline constexpr const char* kDefaultCascade =
    "haarcascade_frontalface_alt2.xml";
inline constexpr const char* kProfileCascade = "haarcascade_profileface.xml";
// Two boxes are one face when their intersection covers more than this
// share of the smaller box (a profile box and a frontal box of a
// three-quarter face overlap that way, with different sizes, so IoU alone
// would keep both).
inline constexpr double kMergeOverlap = 0.5;

enum class FaceKind { kFrontal, kProfile, kModel };
// "frontal", "profile" (either side) or "model" (--face-model: YuNet does
// not say which way the face looks).
const char* FaceKindName(FaceKind kind);

// One face found in a picture.
struct Detection {
  cv::Rect box;
  FaceKind kind = FaceKind::kFrontal;
  // The detector's confidence. Cascades: the number of raw detection
  // windows merged into the box (OpenCV's "neighbours",
  // detectMultiScale2's numDetections; at least kMinNeighbors + 1). YuNet:
  // its face score, 0..1.
  double score = 0.0;
};

// Merges overlapping detections (overlap rule above): greedy, highest
// score first (ties: larger box, then position), the kept box absorbs
// every later box it overlaps. Returns the kept ones sorted by area,
// largest first, ties by position. Deterministic.
std::vector<Detection> MergeDetections(std::vector<Detection> found);
// Longer side of the picture the detector sees (samples).
inline constexpr int kDetectLongSide = 480;

class FaceDetector {
 public:
  virtual ~FaceDetector() = default;
  // Faces in an 8-bit, full-range picture: CV_8UC1 luma (cascades) or
  // CV_8UC3 BGR. Merged (MergeDetections), sorted by area, largest first;
  // ties by position, so the order is deterministic.
  virtual std::vector<Detection> Detect(const cv::Mat& picture) = 0;
};

// The folder the default cascade is read from: $ACUITY_CASCADE_DIR when
// set, else /usr/share/opencv4/haarcascades (Debian's opencv-data).
std::string CascadeDir();

// The detector `options` ask for (face_model empty: the default cascade).
// Errors name the file and the cause: a missing cascade says which package
// provides it; a model OpenCV cannot load says so.
Result<std::unique_ptr<FaceDetector>> MakeDetector(
    const MetricOptions& options);

// What the report records as options.face_detector:
// "haar:FRONTAL_PATH+PROFILE_PATH" or "yunet:PATH".
std::string DetectorName(const MetricOptions& options);

}  // namespace acuity::face

#endif  // ACUITY_FACE_DETECTOR_H_
