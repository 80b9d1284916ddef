// face_count: how sharp the faces are, measured inside detected face boxes.
//
// A whole-frame number hides a blurry face on a sharp background. This
// metric finds faces (src/face/detector.h: OpenCV's frontal and profile Haar
// cascades from opencv-data by default, cv::FaceDetectorYN with
// --face-model) on frames
// 0, N, 2N... of those it sees (--face-every N, default 10), carries the
// boxes over the frames in between (a face moves little in N/fps seconds),
// and measures every box on every frame. Each face is resampled to
// kFaceCanonicalSize x kFaceCanonicalSize luma samples first (area
// averaging when shrinking, bicubic when enlarging), so a close-up and a
// distant face of the same sharpness read alike.
//
// The face that matters (the "main" face): the largest face is not always
// the one a viewer looks at (a small background face in focus, a sharp
// close-up beside an out-of-focus crowd). Every face gets a salience
//   salience = size * confidence * centre, each factor in 0..1:
//   size       = sqrt(box area / frame area): the box's side relative to
//                the frame's;
//   confidence = n / (n + kSalienceHalfNeighbours) for the cascades (n =
//                merged detection windows, detector.h), the model's score
//                for --face-model;
//   centre     = 1 - 0.5 * r^2, r^2 = (dx^2 + dy^2) / 2, with dx, dy the
//                offset of the box centre from the frame centre in half
//                frame widths and heights (1 at the centre, 0.5 in a
//                corner).
// The main face is the measured face (see Null below) with the highest
// salience (ties: the larger, then the upper-left one); the headline
// outputs are its values. Size dominates on purpose: a face with half the
// side needs more than twice the confidence x centre to win.
//
// Outputs:
//  - face_count: faces in the frame (detected or carried). Faces, 0..inf.
//    Neutral. Never null.
//  - face_laplacian_var: laplacian_var (metrics/laplacian_var.h: variance of
//    the 4-neighbour Laplacian, full-range 8-bit units^2) of the main face,
//    at the canonical size. 0..inf; higher is sharper.
//  - face_edge_width_px: edge_width_px (metrics/edges.h: mean Marziliano
//    edge width, every row, every edge) of the same face at the canonical
//    size. Pixels of the canonical face; higher is blurrier.
//  - face_vs_frame: laplacian_var of the same face at its native size over
//    laplacian_var of the whole frame: how detailed the face is relative to
//    the picture around it (both at the frame's own sampling). Ratio,
//    0..inf; higher is sharper. Faces are smoother than most backgrounds,
//    so a sharp face on a sharp, textured scene reads well below 1; the
//    number is for following one video over time or comparing like scenes.
// Per face, the box, the detector pass (kind), its confidence (score), the
// salience, whether it is the main face, and its own laplacian_var and
// edge_width_px go into the per-frame report (FrameValues::faces).
// Border rule: as the whole-frame metrics, inside each box (the box's outer
// ring of samples is not a Laplacian centre).
// Null: the three face measures when no face is measured: no face, or every
// face's shorter side below kFaceMinMeasuredSide, or the face too flat
// (laplacian_var's flat rule); face_edge_width_px also with < 32 edges;
// face_vs_frame also when the frame's laplacian_var is null or 0.
#include "metrics/face.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "face/detector.h"
#include "kernels/laplacian.h"
#include "metrics/cv_plane.h"
#include "metrics/edge_analysis.h"
#include "metrics/frame_analysis.h"
#include "metrics/moments.h"

namespace acuity::metrics {

double FaceSalience(const cv::Rect& box, int frame_width, int frame_height,
                    face::FaceKind kind, double score) {
  if (frame_width <= 0 || frame_height <= 0 || box.area() <= 0) return 0.0;
  const double size =
      std::sqrt(static_cast<double>(box.area()) /
                (static_cast<double>(frame_width) * frame_height));
  const double confidence =
      kind == face::FaceKind::kModel
          ? std::clamp(score, 0.0, 1.0)
          : std::max(0.0, score) /
                (std::max(0.0, score) + kSalienceHalfNeighbours);
  const double dx =
      (box.x + 0.5 * box.width - 0.5 * frame_width) / (0.5 * frame_width);
  const double dy =
      (box.y + 0.5 * box.height - 0.5 * frame_height) / (0.5 * frame_height);
  const double r2 = std::min(1.0, (dx * dx + dy * dy) / 2.0);
  const double centre = 1.0 - 0.5 * r2;
  return std::min(1.0, size) * confidence * centre;
}

namespace {

PlaneView Crop(const PlaneView& p, const cv::Rect& r) {
  PlaneView v = p;
  v.data = p.data + static_cast<ptrdiff_t>(r.y) * p.stride +
           static_cast<ptrdiff_t>(r.x) * p.bytes_per_sample();
  v.width = r.width;
  v.height = r.height;
  return v;
}

cv::Mat Wrap(const PlaneView& p) {
  return cv::Mat(p.height, p.width, p.bit_depth > 8 ? CV_16UC1 : CV_8UC1,
                 const_cast<uint8_t*>(p.data), static_cast<size_t>(p.stride));
}

class Face final : public Metric {
 public:
  Status Configure(const MetricOptions& options) override {
    every_ = options.Every("face_every");
    auto made = face::MakeDetector(options);
    if (!made.ok()) return made.status();
    detector_ = std::move(made).value();
    return Status::Ok();
  }
  Status Init(const StreamInfo& info) override {
    scale_ = info.scale;
    // Configure() is optional for callers: default options then.
    if (!detector_) return Configure(MetricOptions{});
    return Status::Ok();
  }

  void Process(const FrameAnalysis& analysis, FrameValues& out) override {
    const Frame& frame = analysis.frame();
    const PlaneView& y = frame.y;
    if (y.empty()) return;
    const cv::Size size(y.width, y.height);
    if (size != last_size_) {
      seen_ = 0;  // a new picture size: detect now, forget the old boxes
      last_size_ = size;
    }
    if (seen_ % every_ == 0) {
      boxes_ = Detect(y);
      detected_ = true;
    } else {
      detected_ = false;
    }
    ++seen_;

    std::vector<FaceBox>& faces = out.faces();
    const cv::Rect bounds(0, 0, y.width, y.height);
    int measured = -1;  // index of the main face (highest salience)
    std::optional<double> native_lapvar;
    for (const face::Detection& d : boxes_) {
      const cv::Rect r = d.box & bounds;
      if (r.area() == 0) continue;
      FaceBox b;
      b.x = r.x;
      b.y = r.y;
      b.width = r.width;
      b.height = r.height;
      b.detected = detected_;
      b.kind = face::FaceKindName(d.kind);
      b.score = d.score;
      b.salience = FaceSalience(r, y.width, y.height, d.kind, d.score);
      if (std::min(r.width, r.height) >= kFaceMinMeasuredSide) {
        const PlaneView crop = Crop(y, r);
        const bool shrink =
            r.width >= kFaceCanonicalSize && r.height >= kFaceCanonicalSize;
        cv::resize(Wrap(crop), canonical_,
                   cv::Size(kFaceCanonicalSize, kFaceCanonicalSize), 0, 0,
                   shrink ? cv::INTER_AREA : cv::INTER_CUBIC);
        const PlaneView c = PlaneOf(canonical_, y.bit_depth);
        b.laplacian_var = LaplacianVarFromMoments(
            kernels::ComputeLaplacianMoments(c), scale_);
        EdgeSampling every_edge;
        every_edge.row_step = 1;
        every_edge.max_walks = 0;
        b.edge_width_px = edges_.Analyse(c, scale_, every_edge).width_mean;
        // Boxes come largest first: a strictly higher salience is needed
        // to pass a larger face (the tie rule).
        if (b.laplacian_var &&
            (measured < 0 ||
             b.salience > faces[static_cast<size_t>(measured)].salience)) {
          measured = static_cast<int>(faces.size());
        }
      }
      faces.push_back(b);
    }
    out.Set(0, static_cast<double>(faces.size()));
    if (measured < 0) return;
    FaceBox& main = faces[static_cast<size_t>(measured)];
    main.main = true;
    native_lapvar = LaplacianVarFromMoments(
        kernels::ComputeLaplacianMoments(
            Crop(y, cv::Rect(main.x, main.y, main.width, main.height))),
        scale_);
    out.Set(1, main.laplacian_var);
    out.Set(2, main.edge_width_px);
    // The frame's moments: shared when another selected entry (laplacian_var)
    // had them prepared; computed here otherwise (only on frames with a
    // measured face).
    const std::optional<double> frame_lapvar =
        LaplacianVarFromMoments(analysis.Has(kNeedLaplacianMoments)
                                    ? analysis.laplacian_moments()
                                    : kernels::ComputeLaplacianMoments(y),
                                scale_);
    if (native_lapvar && frame_lapvar && *frame_lapvar > 0) {
      out.Set(3, *native_lapvar / *frame_lapvar);
    }
  }

 private:
  // Faces in luma samples of `y`, largest first.
  std::vector<face::Detection> Detect(const PlaneView& y) {
    const int long_side = std::max(y.width, y.height);
    const double s =
        long_side > face::kDetectLongSide
            ? static_cast<double>(face::kDetectLongSide) / long_side
            : 1.0;
    const cv::Size small(
        std::max(1, static_cast<int>(std::lround(y.width * s))),
        std::max(1, static_cast<int>(std::lround(y.height * s))));
    std::vector<face::Detection> found;
    try {
      if (small.width != y.width || small.height != y.height) {
        cv::resize(Wrap(y), shrunk_, small, 0, 0, cv::INTER_AREA);
      } else {
        Wrap(y).copyTo(shrunk_);
      }
      // To full-range 8 bits: (v - black) * gain, saturated.
      shrunk_.convertTo(picture_, CV_8U, scale_.gain,
                        -scale_.black * scale_.gain);
      found = detector_->Detect(picture_);
    } catch (const cv::Exception&) {
      return {};  // an OpenCV failure on one frame: no face found there
    }
    const double fx = static_cast<double>(y.width) / small.width;
    const double fy = static_cast<double>(y.height) / small.height;
    std::vector<face::Detection> boxes;
    for (const face::Detection& d : found) {
      const cv::Rect& r = d.box;
      const int x0 = static_cast<int>(std::lround(r.x * fx));
      const int y0 = static_cast<int>(std::lround(r.y * fy));
      const int x1 = static_cast<int>(std::lround((r.x + r.width) * fx));
      const int y1 = static_cast<int>(std::lround((r.y + r.height) * fy));
      boxes.push_back({cv::Rect(x0, y0, x1 - x0, y1 - y0), d.kind, d.score});
    }
    return boxes;
  }

  int every_ = 10;
  std::unique_ptr<face::FaceDetector> detector_;
  LumaScale scale_;
  int64_t seen_ = 0;
  cv::Size last_size_;
  std::vector<face::Detection> boxes_;
  bool detected_ = false;
  cv::Mat shrunk_, picture_, canonical_;  // reused: no allocation per frame
  EdgeAnalyzer edges_;
};

}  // namespace

MetricEntry FaceEntry() {
  MetricEntry e{
      "face_count",
      {{"face_count", "faces", "0..inf", Direction::kNeutral,
        "faces found (frontal and profile Haar cascades, or --face-model "
        "YuNet) on every --face-every Nth frame, boxes carried in between"},
       {"face_laplacian_var", "8-bit code values^2", "0..inf",
        Direction::kHigherIsSharper,
        "laplacian_var of the main face (highest salience: size x "
        "confidence x centre) resampled to 128x128; null without a "
        "measurable face"},
       {"face_edge_width_px", "px", "1..64", Direction::kHigherIsBlurrier,
        "edge_width_px of the main face resampled to 128x128"},
       {"face_vs_frame", "ratio", "0..inf", Direction::kHigherIsSharper,
        "laplacian_var of the main face over that of the whole frame, both "
        "at native size"}},
      false,
      [] { return std::unique_ptr<Metric>(new Face()); }};
  e.reports_faces = true;
  e.run_field = "face_detector";
  e.run_value = [](const MetricOptions& o) { return face::DetectorName(o); };
  e.options = {
      {"face_every", MetricOptionSpec::Kind::kEvery, "10",
       "face_count detects faces on frames 0, N, 2N... of the sampled frames "
       "and carries the boxes in between (default 10)"},
      {"face_model", MetricOptionSpec::Kind::kFile, "",
       "face_count uses cv::FaceDetectorYN with this YuNet .onnx model "
       "instead of the Haar cascade from opencv-data"}};
  e.temporal = true;  // the boxes of the last detection (face_every)
  return e;
}

}  // namespace acuity::metrics
