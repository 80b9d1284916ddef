// Face metrics on real faces from Debian's opencv-doc (installed by
// scripts/setup): a Megamind.avi frame with a hand-annotated face box, placed,
// panned and zoomed with ffmpeg; messi5.jpg; the Megamind clip itself.
#include "metrics/face.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "acuity/score.h"
#include "face/detector.h"
#include "test_util.h"

namespace acuity {
namespace metrics_face_test {
namespace {

const std::string kData = "/usr/share/doc/opencv-doc/examples/data/";

struct Box {
  double x, y, w, h;
};

double IoU(const Box& a, const FaceBox& b) {
  const double x0 = std::max(a.x, static_cast<double>(b.x));
  const double y0 = std::max(a.y, static_cast<double>(b.y));
  const double x1 = std::min(a.x + a.w, static_cast<double>(b.x + b.width));
  const double y1 = std::min(a.y + a.h, static_cast<double>(b.y + b.height));
  const double inter = std::max(0.0, x1 - x0) * std::max(0.0, y1 - y0);
  const double uni =
      a.w * a.h + static_cast<double>(b.width) * b.height - inter;
  return uni > 0 ? inter / uni : 0.0;
}

// Best IoU of `truth` against the faces of one frame.
double BestIoU(const Box& truth, const std::vector<FaceBox>& faces) {
  double best = 0.0;
  for (const FaceBox& f : faces) best = std::max(best, IoU(truth, f));
  return best;
}

// Frame 180 of Megamind.avi (720x528): a frontal face whose box was
// annotated by hand on the picture (hairline to chin, cheek to cheek).
const Box kMegamindFace{225, 140, 180, 195};
// messi5.jpg (548x342): Messi's face, annotated by hand.
const Box kMessiFace{220, 93, 37, 39};

std::string MegamindFrame() {
  return test::Generated("face_megamind_f180.png",
                         "-i " + kData +
                             "Megamind.avi -vf select='eq(n\\,180)' "
                             "-frames:v 1");
}

// 12 frames at 25 fps; the frame moves 12 px right per frame over a
// 1280x720 canvas, starting at (100, 100). H.264.
std::string PanClip() {
  return test::Generated(
      "face_pan.mp4",
      "-f lavfi -i color=c=0x303030:s=1280x720:r=25:d=0.48 -loop 1 -i " +
          MegamindFrame() +
          " -filter_complex [0][1]overlay=x='100+12*n':y=100:shortest=1 "
          "-frames:v 12 -c:v libx264 -crf 16 -pix_fmt yuv420p");
}

std::optional<VideoReport> Score(const std::string& path,
                                 const std::string& metrics = "face_count",
                                 int face_every = 10, int threads = 1) {
  auto selected = SelectMetrics(metrics);
  EXPECT_TRUE(selected.ok());
  if (!selected.ok()) return std::nullopt;
  ScoreOptions options;
  options.metrics = *selected;
  EXPECT_TRUE(
      options.metric_options.Set("face_every", std::to_string(face_every))
          .ok());
  options.decoder.threads = threads;
  auto r = ScoreVideo(path, options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return std::nullopt;
  return std::move(r).value();
}

// Column of output `key` in a report.
const std::vector<std::optional<double>>& Column(const VideoReport& r,
                                                 const std::string& key) {
  for (size_t i = 0; i < r.metrics.size(); ++i) {
    if (r.metrics[i].key == key) return r.values[i];
  }
  ADD_FAILURE() << "no column " << key;
  static const std::vector<std::optional<double>> kNone;
  return kNone;
}

TEST(FaceDetect, FindsTheAnnotatedFaceOnAMegamindFrame) {
  ASSERT_FALSE(MegamindFrame().empty());
  auto r = Score(MegamindFrame());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->faces.size(), 1u);
  EXPECT_GE(BestIoU(kMegamindFace, r->faces[0]), 0.5);
  EXPECT_EQ(*Column(*r, "face_count")[0],
            static_cast<double>(r->faces[0].size()));
  EXPECT_TRUE(r->faces[0][0].detected);
  EXPECT_TRUE(Column(*r, "face_laplacian_var")[0].has_value());
  EXPECT_TRUE(Column(*r, "face_edge_width_px")[0].has_value());
  EXPECT_TRUE(Column(*r, "face_vs_frame")[0].has_value());
}

TEST(FaceDetect, FindsMessi) {
  auto r = Score(kData + "messi5.jpg");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->faces.size(), 1u);
  EXPECT_GE(BestIoU(kMessiFace, r->faces[0]), 0.5);
}

TEST(FaceDetect, FindsThePlacedFaceOnABiggerCanvas) {
  // The frame pasted at (400, 120) on a 1280x720 grey canvas, H.264.
  const std::string clip = test::Generated(
      "face_placed.mp4", "-i " + MegamindFrame() +
                             " -vf pad=1280:720:400:120:color=0x303030 "
                             "-c:v libx264 -crf 16 -pix_fmt yuv420p");
  ASSERT_FALSE(clip.empty());
  auto r = Score(clip);
  ASSERT_TRUE(r);
  const Box truth{kMegamindFace.x + 400, kMegamindFace.y + 120, kMegamindFace.w,
                  kMegamindFace.h};
  EXPECT_GE(BestIoU(truth, r->faces.at(0)), 0.5);
}

TEST(FaceDetect, FollowsAPanAndCarriesBoxesBetweenDetections) {
  const std::string clip = PanClip();
  ASSERT_FALSE(clip.empty());
  auto every = Score(clip, "face_count", 1);
  ASSERT_TRUE(every);
  ASSERT_EQ(every->faces.size(), 12u);
  for (size_t f = 0; f < every->faces.size(); ++f) {
    const Box truth{kMegamindFace.x + 100 + 12.0 * f, kMegamindFace.y + 100,
                    kMegamindFace.w, kMegamindFace.h};
    EXPECT_GE(BestIoU(truth, every->faces[f]), 0.5) << "frame " << f;
    for (const FaceBox& b : every->faces[f]) EXPECT_TRUE(b.detected);
  }
  // Every 5th frame: frames 0, 5, 10 detect; the others carry the boxes of
  // the last detection, measured anew on their own pixels.
  auto sparse = Score(clip, "face_count", 5);
  ASSERT_TRUE(sparse);
  for (size_t f = 0; f < sparse->faces.size(); ++f) {
    const auto& faces = sparse->faces[f];
    const auto& last = sparse->faces[f - f % 5];
    ASSERT_EQ(faces.size(), last.size()) << "frame " << f;
    for (size_t k = 0; k < faces.size(); ++k) {
      EXPECT_EQ(faces[k].detected, f % 5 == 0);
      EXPECT_EQ(faces[k].x, last[k].x);
      EXPECT_EQ(faces[k].width, last[k].width);
    }
    if (f % 5 == 0) {
      EXPECT_EQ(faces.size(), every->faces[f].size());
      for (size_t k = 0; k < faces.size() && k < every->faces[f].size(); ++k) {
        EXPECT_EQ(faces[k].x, every->faces[f][k].x);
        EXPECT_EQ(faces[k].laplacian_var, every->faces[f][k].laplacian_var);
      }
    }
  }
}

TEST(FaceDetect, FollowsAZoom) {
  for (double zoom : {0.6, 1.5}) {
    const int w = static_cast<int>(720 * zoom) / 2 * 2;
    const int h = static_cast<int>(528 * zoom) / 2 * 2;
    const std::string still = test::Generated(
        "face_zoom_" + std::to_string(w) + ".png",
        "-i " + MegamindFrame() + " -vf scale=" + std::to_string(w) + ":" +
            std::to_string(h) + ":flags=bicubic");
    ASSERT_FALSE(still.empty());
    auto r = Score(still);
    ASSERT_TRUE(r);
    const double sx = w / 720.0, sy = h / 528.0;
    const Box truth{kMegamindFace.x * sx, kMegamindFace.y * sy,
                    kMegamindFace.w * sx, kMegamindFace.h * sy};
    EXPECT_GE(BestIoU(truth, r->faces.at(0)), 0.5) << "zoom " << zoom;
  }
}

TEST(FaceMetrics, BlurringOnlyTheFaceLowersTheFaceMetrics) {
  // The Megamind face (with a margin) pasted on a sharp 1280x720 street
  // scene (building.jpg), so that most of the frame's detail is not the
  // face; then the same with a Gaussian blur (sigma 3) inside the face box.
  const std::string scene =
      "-i " + kData + "building.jpg -i " + MegamindFrame() +
      " -filter_complex '[0]scale=1280:720[bg];[1]crop=260:280:185:100[f];"
      "[bg][f]overlay=500:200";
  const std::string sharp_path =
      test::Generated("face_on_building.png", scene + "'");
  const std::string blurred = test::Generated(
      "face_on_building_blurred.png",
      scene +
          ",split[a][b];[b]crop=180:195:540:240,gblur=sigma=3[g];"
          "[a][g]overlay=540:240'");
  ASSERT_FALSE(sharp_path.empty());
  ASSERT_FALSE(blurred.empty());
  const Box face{540, 240, 180, 195};
  const std::string metrics = "face_count,laplacian_var,edge_width_px";
  auto sharp = Score(sharp_path, metrics);
  auto soft = Score(blurred, metrics);
  ASSERT_TRUE(sharp && soft);
  ASSERT_GE(BestIoU(face, sharp->faces.at(0)), 0.5);
  ASSERT_GE(BestIoU(face, soft->faces.at(0)), 0.5);
  auto v = [](const VideoReport& r, const char* key) {
    const auto& c = Column(r, key);
    EXPECT_TRUE(!c.empty() && c[0].has_value()) << key;
    return !c.empty() && c[0] ? *c[0] : 0.0;
  };
  const double lap_ratio =
      v(*soft, "face_laplacian_var") / v(*sharp, "face_laplacian_var");
  const double frame_ratio =
      v(*soft, "laplacian_var") / v(*sharp, "laplacian_var");
  std::printf(
      "face_laplacian_var x%.3f, face_edge_width_px %.2f -> %.2f, "
      "face_vs_frame %.3f -> %.3f; laplacian_var x%.3f, "
      "edge_width_px %.3f -> %.3f\n",
      lap_ratio, v(*sharp, "face_edge_width_px"),
      v(*soft, "face_edge_width_px"), v(*sharp, "face_vs_frame"),
      v(*soft, "face_vs_frame"), frame_ratio, v(*sharp, "edge_width_px"),
      v(*soft, "edge_width_px"));
  EXPECT_LT(lap_ratio, 0.5);
  EXPECT_GT(v(*soft, "face_edge_width_px"),
            1.3 * v(*sharp, "face_edge_width_px"));
  EXPECT_LT(v(*soft, "face_vs_frame"), 0.6 * v(*sharp, "face_vs_frame"));
  // The whole frame barely moves: the face is 4% of the picture.
  EXPECT_NEAR(frame_ratio, 1.0, 0.1);
  EXPECT_NEAR(v(*soft, "edge_width_px") / v(*sharp, "edge_width_px"), 1.0, 0.1);
}

// The salience rule (metrics/face.cc): size x confidence x centre.
TEST(FaceRule, SalienceFavoursSizeConfidenceAndCentre) {
  using face::FaceKind;
  const int w = 1280, h = 720;
  auto sal = [&](cv::Rect r, double n, FaceKind k = FaceKind::kFrontal) {
    return metrics::FaceSalience(r, w, h, k, n);
  };
  const cv::Rect centre(590, 310, 100, 100), corner(0, 0, 100, 100);
  // Position: the same face in the centre beats it in a corner (x2 at most).
  EXPECT_GT(sal(centre, 10), sal(corner, 10));
  EXPECT_GT(sal(centre, 10) / sal(corner, 10), 1.5);
  EXPECT_LE(sal(centre, 10) / sal(corner, 10), 2.0);
  // Confidence: more merged windows, more salient.
  EXPECT_GT(sal(centre, 30), sal(centre, 6));
  // Size dominates: a face with 3x the side in a corner with few windows
  // beats a small centred face with many.
  EXPECT_GT(sal(cv::Rect(0, 0, 300, 300), 6), sal(centre, 40));
  // The model's score is its confidence directly.
  EXPECT_NEAR(
      sal(centre, 0.9, FaceKind::kModel) / sal(centre, 1.0, FaceKind::kModel),
      0.9, 1e-9);
  // Bounded 0..1.
  EXPECT_LE(sal(cv::Rect(0, 0, w, h), 1000), 1.0);
  EXPECT_EQ(sal(cv::Rect(0, 0, 0, 0), 10), 0.0);
}

// Overlapping boxes of the frontal and the two profile passes are one face:
// the one with more neighbours is kept, with its kind; others stay.
TEST(FaceDetect, MergesOverlappingDetections) {
  using face::Detection;
  using face::FaceKind;
  std::vector<Detection> found = {
      {cv::Rect(100, 100, 80, 80), FaceKind::kFrontal, 7},
      {cv::Rect(110, 95, 90, 95), FaceKind::kProfile, 15},  // same face
      {cv::Rect(400, 50, 40, 40), FaceKind::kFrontal, 6},   // another
      {cv::Rect(95, 105, 60, 60), FaceKind::kProfile, 5},   // inside the 1st
  };
  const std::vector<Detection> kept = face::MergeDetections(found);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].box, cv::Rect(110, 95, 90, 95));
  EXPECT_EQ(kept[0].kind, FaceKind::kProfile);
  EXPECT_EQ(kept[0].score, 15);
  EXPECT_EQ(kept[1].box, cv::Rect(400, 50, 40, 40));
  // Order of the input does not matter.
  std::reverse(found.begin(), found.end());
  const std::vector<Detection> again = face::MergeDetections(found);
  ASSERT_EQ(again.size(), kept.size());
  for (size_t i = 0; i < kept.size(); ++i) EXPECT_EQ(again[i].box, kept[i].box);
}

// A sharp close-up is the face that matters, not a small out-of-focus face
// in the background, even one right in the centre: the headline values are
// the close-up's, and each face keeps its own.
TEST(FaceMetrics, SharpCloseUpBeatsSmallBlurredBackgroundFace) {
  // building.jpg at 1280x720; the Megamind face (crop with margin) large
  // and sharp on the left, and small with a sigma 2.5 blur in the centre.
  const std::string scene = test::Generated(
      "face_closeup_and_background.png",
      "-i " + kData + "building.jpg -i " + MegamindFrame() +
          " -filter_complex '[0]scale=1280:720[bg];[1]crop=260:280:185:100,"
          "split[f][g];[f]scale=416:448[big];[g]scale=156:168,"
          "gblur=sigma=2.5[small];[bg][small]overlay=562:276[t];"
          "[t][big]overlay=60:150'");
  ASSERT_FALSE(scene.empty());
  auto r = Score(scene);
  ASSERT_TRUE(r);
  const auto& faces = r->faces.at(0);
  // Face boxes inside the crops (the annotated box, scaled).
  const Box big{60 + 40 * 1.6, 150 + 40 * 1.6, 180 * 1.6, 195 * 1.6};
  const Box small{562 + 40 * 0.6, 276 + 40 * 0.6, 180 * 0.6, 195 * 0.6};
  ASSERT_GE(BestIoU(big, faces), 0.4);
  ASSERT_GE(BestIoU(small, faces), 0.4) << "background face not found";
  int mains = 0;
  const FaceBox* main_face = nullptr;
  const FaceBox* small_face = nullptr;
  for (const FaceBox& f : faces) {
    std::printf(
        "  face %dx%d at (%d,%d) %s score %.0f salience %.4f "
        "laplacian_var %.1f%s\n",
        f.width, f.height, f.x, f.y, f.kind.c_str(), f.score, f.salience,
        f.laplacian_var.value_or(-1), f.main ? " main" : "");
    if (f.main) {
      ++mains;
      main_face = &f;
    }
    if (IoU(small, f) >= 0.4) small_face = &f;
  }
  ASSERT_EQ(mains, 1);
  ASSERT_NE(small_face, nullptr);
  EXPECT_GE(IoU(big, *main_face), 0.4);
  EXPECT_GT(main_face->salience, small_face->salience);
  ASSERT_TRUE(main_face->laplacian_var && small_face->laplacian_var);
  EXPECT_GT(*main_face->laplacian_var, 2 * *small_face->laplacian_var);
  EXPECT_EQ(Column(*r, "face_laplacian_var")[0], main_face->laplacian_var);
  EXPECT_EQ(Column(*r, "face_edge_width_px")[0], main_face->edge_width_px);
}

// The case of the issue, on a real frame: Megamind.avi frame 87 has a sharp
// close-up turned three-quarters (the frontal cascade misses it; the
// profile pass finds it) and an out-of-focus man in the background. The
// close-up is the main face and the headline values are its own.
TEST(FaceMetrics, ProfileCloseUpIsTheMainFaceOnAMegamindFrame) {
  const std::string frame = test::Generated(
      "face_megamind_f87.png",
      "-i " + kData + "Megamind.avi -vf select='eq(n\\,87)' -frames:v 1");
  ASSERT_FALSE(frame.empty());
  auto r = Score(frame);
  ASSERT_TRUE(r);
  const Box close_up{210, 117, 215, 225};  // hairline to chin, by hand
  const Box background{445, 145, 105, 115};
  const auto& faces = r->faces.at(0);
  const FaceBox* main_face = nullptr;
  const FaceBox* back = nullptr;
  for (const FaceBox& f : faces) {
    if (f.main) main_face = &f;
    if (IoU(background, f) >= 0.4) back = &f;
  }
  ASSERT_NE(main_face, nullptr);
  ASSERT_NE(back, nullptr) << "the background face is not found";
  EXPECT_GE(IoU(close_up, *main_face), 0.5);
  EXPECT_EQ(main_face->kind, "profile");
  ASSERT_TRUE(main_face->laplacian_var && back->laplacian_var);
  EXPECT_GT(*main_face->laplacian_var, 10 * *back->laplacian_var);
  EXPECT_EQ(Column(*r, "face_laplacian_var")[0], main_face->laplacian_var);
}

TEST(FaceMetrics, NoFaceGivesZeroCountAndNulls) {
  const std::string clip =
      test::Generated("face_none.mp4",
                      "-f lavfi -i testsrc2=s=640x360:r=25:d=0.2 -c:v libx264 "
                      "-pix_fmt yuv420p");
  ASSERT_FALSE(clip.empty());
  auto r = Score(clip);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->faces.size(), r->frames.size());
  for (size_t f = 0; f < r->frames.size(); ++f) {
    EXPECT_TRUE(r->faces[f].empty());
    EXPECT_EQ(Column(*r, "face_count")[f], 0.0);
    EXPECT_FALSE(Column(*r, "face_laplacian_var")[f].has_value());
    EXPECT_FALSE(Column(*r, "face_edge_width_px")[f].has_value());
    EXPECT_FALSE(Column(*r, "face_vs_frame")[f].has_value());
  }
}

TEST(FaceMetrics, MegamindClipFindsFacesAndMeasuresThem) {
  // The first 4 s of the real clip (MPEG-4 part 2, 720x528, 24 fps):
  // close-ups of two characters.
  auto selected = SelectMetrics("face_count");
  ASSERT_TRUE(selected.ok());
  ScoreOptions options;
  options.metrics = *selected;
  options.decoder.sampling.max_frames = 96;
  auto r = ScoreVideo(kData + "Megamind.avi", options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& count = Column(*r, "face_count");
  const auto& lap = Column(*r, "face_laplacian_var");
  int with_face = 0, measured = 0;
  for (size_t f = 0; f < count.size(); ++f) {
    if (count[f].value_or(0) > 0) ++with_face;
    if (lap[f]) ++measured;
  }
  std::printf("Megamind, 96 frames: %d with a face, %d measured\n", with_face,
              measured);
  EXPECT_GE(with_face, 48);
  EXPECT_GE(measured, 48);
}

TEST(FaceMetrics, SameNumbersWhateverTheThreadCount) {
  const std::string path = PanClip();
  ASSERT_FALSE(path.empty());
  auto one = Score(path, "face_count", 3, 1);
  auto two = Score(path, "face_count", 3, 2);
  ASSERT_TRUE(one && two);
  EXPECT_EQ(one->values, two->values);
  ASSERT_EQ(one->faces.size(), two->faces.size());
  for (size_t f = 0; f < one->faces.size(); ++f) {
    ASSERT_EQ(one->faces[f].size(), two->faces[f].size());
    for (size_t k = 0; k < one->faces[f].size(); ++k) {
      EXPECT_EQ(one->faces[f][k].x, two->faces[f][k].x);
      EXPECT_EQ(one->faces[f][k].laplacian_var, two->faces[f][k].laplacian_var);
    }
  }
}

TEST(FaceDetector, BadModelsAndCascadesGiveOneLineErrorsNamingTheFile) {
  MetricOptions missing;
  ASSERT_TRUE(missing.Set("face_model", "/nonexistent/yunet.onnx").ok());
  auto a = face::MakeDetector(missing);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("/nonexistent/yunet.onnx"),
            std::string::npos);
  EXPECT_EQ(a.status().message().find('\n'), std::string::npos);

  const std::string junk =
      std::string(ACUITY_BINARY_DIR) + "/fixtures/gen/junk_model.onnx";
  { std::ofstream(junk) << "this is not an ONNX model\n"; }
  MetricOptions bad;
  ASSERT_TRUE(bad.Set("face_model", junk).ok());
  auto b = face::MakeDetector(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(junk), std::string::npos);
  EXPECT_EQ(b.status().message().find('\n'), std::string::npos)
      << b.status().message();

  ::setenv("ACUITY_CASCADE_DIR", "/nonexistent-cascades", 1);
  auto c = face::MakeDetector(MetricOptions{});
  ::unsetenv("ACUITY_CASCADE_DIR");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("opencv-data"), std::string::npos);
  EXPECT_TRUE(face::MakeDetector(MetricOptions{}).ok());
}

TEST(FaceCli, BadFaceModelIsAUsageErrorBeforeAnyVideo) {
  const test::RunResult r = test::RunCommand(
      test::Cli() +
      " score --metrics face_count --face-model /nonexistent/m.onnx " + kData +
      "messi5.jpg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/m.onnx"), std::string::npos);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(FaceCli, ReportCarriesBoxesAndDetectorOptions) {
  const std::string dir = std::string(ACUITY_BINARY_DIR) + "/face_cli_out";
  const test::RunResult r =
      test::RunCommand("rm -rf '" + dir + "' && " + test::Cli() +
                       " score -q --metrics face_count --face-every 4 -o '" +
                       dir + "' " + MegamindFrame());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string json =
      test::ReadFile(dir + "/face_megamind_f180.acuity.json");
  EXPECT_NE(json.find(std::string("\"schema_version\": \"") + kSchemaVersion +
                      "\""),
            std::string::npos);
  EXPECT_NE(json.find("\"face_every\":4"), std::string::npos);
  EXPECT_NE(json.find("haarcascade_frontalface_alt2.xml"), std::string::npos);
  EXPECT_NE(json.find("haarcascade_profileface.xml"), std::string::npos);
  EXPECT_NE(json.find("\"kind\":\"frontal\""), std::string::npos);
  EXPECT_NE(json.find("\"main\":true"), std::string::npos);
  EXPECT_NE(json.find("\"faces\":[{\"x\":"), std::string::npos);
  EXPECT_NE(json.find("\"detected\":true"), std::string::npos);
}

}  // namespace
}  // namespace metrics_face_test
}  // namespace acuity
