// The streaming Scorer (acuity/scorer.h): frames from memory give the same
// numbers as the same frames decoded from lossless files, cancel, and the
// checks on what is pushed.
#include "acuity/scorer.h"

#include <gtest/gtest.h>

#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <vector>

#include "acuity/score.h"
#include "test_util.h"

namespace acuity {
namespace pipeline_scorer_test {
namespace {

// Textured colour pictures that change from frame to frame (so temporal
// metrics see motion), at an odd size to exercise odd chroma and strides.
std::vector<cv::Mat> MakeBgrFrames(int n) {
  std::vector<cv::Mat> out;
  cv::RNG rng(7);
  cv::Mat base(97, 161, CV_8UC3);
  rng.fill(base, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(base, base, cv::Size(0, 0), 1.5);
  for (int i = 0; i < n; ++i) {
    cv::Mat f;
    const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, 2 * i, 0, 1, i);
    cv::warpAffine(base, f, shift, base.size(), cv::INTER_LINEAR,
                   cv::BORDER_REFLECT);
    cv::rectangle(f, {20 + 5 * i, 30}, {70 + 5 * i, 60}, {30, 200, 90},
                  cv::FILLED);
    out.push_back(f);
  }
  return out;
}

// Writes f0000.png... into a fresh folder; returns the sequence pattern.
std::string WriteSequence(const std::vector<cv::Mat>& frames,
                          const std::string& name) {
  const std::string dir = test::TestDir("scorer_test", name);
  for (size_t i = 0; i < frames.size(); ++i) {
    char file[32];
    std::snprintf(file, sizeof file, "/f%04zu.png", i);
    EXPECT_TRUE(cv::imwrite(dir + file, frames[i]));
  }
  return dir + "/f%04d.png";
}

VideoReport ScoreFile(const std::string& path, const std::string& metrics,
                      int metric_threads = 1, int frames_in_flight = 1) {
  ScoreOptions options;
  options.metrics = SelectMetrics(metrics).value();
  options.decoder.threads = 1;
  options.metric_threads = metric_threads;
  options.frames_in_flight = frames_in_flight;
  Result<VideoReport> r = ScoreVideo(path, options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : VideoReport{};
}

VideoReport ScoreMemory(const std::vector<cv::Mat>& frames, PixelLayout layout,
                        const std::string& metrics, double fps = 25.0,
                        int frames_in_flight = 1, bool heatmap = false) {
  ScorerOptions options;
  options.metrics = SelectMetrics(metrics).value();
  options.frames_in_flight = frames_in_flight;
  options.heatmap = heatmap;
  auto scorer = Scorer::Create(options);
  EXPECT_TRUE(scorer.ok()) << scorer.status().message();
  FrameConverter converter;
  PackedImage image;
  for (size_t i = 0; i < frames.size(); ++i) {
    const cv::Mat& m = frames[i];
    image.data = m.data;
    image.stride = static_cast<ptrdiff_t>(m.step);
    image.width = m.cols;
    image.height = m.rows;
    image.layout = layout;
    image.bit_depth = m.depth() == CV_16U ? 16 : 8;
    if (i == 0) {
      EXPECT_TRUE(
          scorer.value()->Start(FrameConverter::StreamOf(image, fps)).ok());
    }
    Result<Frame> f = converter.Convert(image);
    EXPECT_TRUE(f.ok()) << f.status().message();
    f->index = static_cast<int64_t>(i);
    f->pts_seconds = static_cast<double>(i) / fps;
    f->key_frame = true;
    Status s = scorer.value()->Push(f.value());
    EXPECT_TRUE(s.ok()) << s.message();
  }
  Result<VideoReport> r = scorer.value()->Finish(MemoryVideoInfo(
      "<memory>", image, fps, static_cast<int64_t>(frames.size())));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : VideoReport{};
}

// Same columns, same per-frame values, bit for bit (null where null).
void ExpectSameValues(const VideoReport& a, const VideoReport& b) {
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  ASSERT_FALSE(a.values.empty());
  for (size_t c = 0; c < a.metrics.size(); ++c) {
    EXPECT_EQ(a.metrics[c].key, b.metrics[c].key);
    ASSERT_EQ(a.values[c].size(), b.values[c].size()) << a.metrics[c].key;
    for (size_t f = 0; f < a.values[c].size(); ++f) {
      EXPECT_EQ(a.values[c][f], b.values[c][f])
          << a.metrics[c].key << " frame " << f;
    }
  }
}

TEST(ScorerTest, BgrFromMemoryEqualsPngSequence) {
  const std::vector<cv::Mat> frames = MakeBgrFrames(4);
  const std::string pattern = WriteSequence(frames, "bgr");
  const VideoReport file = ScoreFile(pattern, "all");
  const VideoReport memory = ScoreMemory(frames, PixelLayout::kBgr, "all");
  ExpectSameValues(file, memory);
  // At least one metric has values (not everything null on both sides).
  size_t defined = 0;
  for (const auto& column : memory.values) {
    for (const auto& v : column) defined += v.has_value();
  }
  EXPECT_GT(defined, memory.values.size());
  EXPECT_EQ(memory.video.frames_used, 4);
  EXPECT_EQ(memory.video.analysed_pix_fmt, "yuv444p");
  EXPECT_EQ(file.video.analysed_pix_fmt, "yuv444p");
}

TEST(ScorerTest, RgbOrderGivesTheSameAsBgr) {
  const std::vector<cv::Mat> bgr = MakeBgrFrames(3);
  std::vector<cv::Mat> rgb;
  for (const cv::Mat& m : bgr) {
    cv::Mat r;
    cv::cvtColor(m, r, cv::COLOR_BGR2RGB);
    rgb.push_back(r);
  }
  ExpectSameValues(ScoreMemory(bgr, PixelLayout::kBgr, "default"),
                   ScoreMemory(rgb, PixelLayout::kRgb, "default"));
}

TEST(ScorerTest, GrayFromMemoryEqualsPng) {
  const std::vector<cv::Mat> bgr = MakeBgrFrames(3);
  std::vector<cv::Mat> gray;
  for (const cv::Mat& m : bgr) {
    cv::Mat g;
    cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
    gray.push_back(g);
  }
  const std::string pattern = WriteSequence(gray, "gray");
  const VideoReport file = ScoreFile(pattern, "default");
  const VideoReport memory = ScoreMemory(gray, PixelLayout::kGray, "default");
  EXPECT_EQ(file.video.analysed_pix_fmt, "gray");
  ExpectSameValues(file, memory);
}

TEST(ScorerTest, Gray16FromMemoryEqualsPng) {
  std::vector<cv::Mat> gray16;
  for (const cv::Mat& m : MakeBgrFrames(2)) {
    cv::Mat g, g16;
    cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
    g.convertTo(g16, CV_16U, 257.0);
    gray16.push_back(g16);
  }
  const std::string pattern = WriteSequence(gray16, "gray16");
  const VideoReport file = ScoreFile(pattern, "laplacian_var,edge_width_px");
  EXPECT_EQ(file.video.bit_depth, 16);
  ExpectSameValues(file, ScoreMemory(gray16, PixelLayout::kGray,
                                     "laplacian_var,edge_width_px"));
}

TEST(ScorerTest, MetricThreadsGiveTheSameNumbers) {
  // Every metric (--metrics all) measured one after the other and side by
  // side on 2 and 5 threads: the same per-frame values and faces, bit for
  // bit.
  const std::string clip =
      std::string(ACUITY_SOURCE_DIR) + "/samples/ladder_sigma1.mp4";
  const VideoReport serial = ScoreFile(clip, "all", 1);
  ASSERT_FALSE(serial.frames.empty());
  for (const int threads : {2, 5}) {
    const VideoReport parallel = ScoreFile(clip, "all", threads);
    ExpectSameValues(serial, parallel);
    ASSERT_EQ(serial.faces.size(), parallel.faces.size());
    for (size_t f = 0; f < serial.faces.size(); ++f) {
      ASSERT_EQ(serial.faces[f].size(), parallel.faces[f].size());
    }
  }
}

// Every face of every frame, field for field.
void ExpectSameFaces(const VideoReport& a, const VideoReport& b) {
  ASSERT_EQ(a.faces.size(), b.faces.size());
  for (size_t f = 0; f < a.faces.size(); ++f) {
    ASSERT_EQ(a.faces[f].size(), b.faces[f].size()) << "frame " << f;
    for (size_t k = 0; k < a.faces[f].size(); ++k) {
      const FaceBox& x = a.faces[f][k];
      const FaceBox& y = b.faces[f][k];
      EXPECT_EQ(x.x, y.x);
      EXPECT_EQ(x.y, y.y);
      EXPECT_EQ(x.width, y.width);
      EXPECT_EQ(x.height, y.height);
      EXPECT_EQ(x.detected, y.detected) << "frame " << f;
      EXPECT_EQ(x.kind, y.kind);
      EXPECT_EQ(x.score, y.score);
      EXPECT_EQ(x.salience, y.salience);
      EXPECT_EQ(x.main, y.main);
      EXPECT_EQ(x.laplacian_var, y.laplacian_var);
      EXPECT_EQ(x.edge_width_px, y.edge_width_px);
    }
  }
}

void ExpectSameFrames(const VideoReport& a, const VideoReport& b) {
  ASSERT_EQ(a.frames.size(), b.frames.size());
  for (size_t f = 0; f < a.frames.size(); ++f) {
    EXPECT_EQ(a.frames[f].index, b.frames[f].index);
    EXPECT_EQ(a.frames[f].pts, b.frames[f].pts);
  }
}

TEST(ScorerTest, FramesInFlightGiveTheSameNumbers) {
  // Every metric on a real clip with motion and faces (the first 40 frames
  // of Megamind.avi), faces detected every 3rd frame and brisque every 4th
  // so that the temporal entries' state matters: 1, 2 and 4 frames in
  // flight, on 1 and 2 metric threads, give the same values and faces, bit
  // for bit, in frame order.
  const std::string clip =
      "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";
  auto score = [&](int frames_in_flight, int metric_threads) {
    ScoreOptions options;
    options.metrics = SelectMetrics("all").value();
    EXPECT_TRUE(options.metric_options.Set("face_every", "3").ok());
    EXPECT_TRUE(options.metric_options.Set("brisque_every", "4").ok());
    options.decoder.sampling.max_frames = 40;
    options.metric_threads = metric_threads;
    options.frames_in_flight = frames_in_flight;
    options.heatmap = true;
    Result<VideoReport> r = ScoreVideo(clip, options);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : VideoReport{};
  };
  const VideoReport serial = score(1, 1);
  ASSERT_EQ(serial.frames.size(), 40u);
  size_t with_face = 0;
  for (const auto& faces : serial.faces) with_face += faces.empty() ? 0 : 1;
  EXPECT_GT(with_face, 10u);  // the faces are really there
  for (const int in_flight : {2, 4}) {
    for (const int threads : {1, 2}) {
      SCOPED_TRACE("frames in flight " + std::to_string(in_flight) +
                   ", metric threads " + std::to_string(threads));
      const VideoReport r = score(in_flight, threads);
      ExpectSameFrames(serial, r);
      ExpectSameValues(serial, r);
      ExpectSameFaces(serial, r);
      ASSERT_TRUE(serial.heatmap && r.heatmap);
      EXPECT_EQ(serial.heatmap->values, r.heatmap->values);
      EXPECT_EQ(serial.heatmap->detail_scale, r.heatmap->detail_scale);
      EXPECT_EQ(serial.heatmap->frame_index, r.heatmap->frame_index);
    }
  }
}

TEST(ScorerTest, FramesInFlightFromMemoryCopyTheFrame) {
  // The converter reuses its planes for every frame: with frames in flight
  // the scorer measures its own copy, so the numbers do not change (five
  // frames over three slots: every slot reused, a partial round at Finish).
  const std::vector<cv::Mat> frames = MakeBgrFrames(5);
  const VideoReport one =
      ScoreMemory(frames, PixelLayout::kBgr, "all", 25.0, 1, true);
  const VideoReport three =
      ScoreMemory(frames, PixelLayout::kBgr, "all", 25.0, 3, true);
  ExpectSameFrames(one, three);
  ExpectSameValues(one, three);
  ExpectSameFaces(one, three);
  ASSERT_TRUE(one.heatmap && three.heatmap);
  EXPECT_EQ(one.heatmap->values, three.heatmap->values);
  EXPECT_EQ(one.heatmap->detail_scale, three.heatmap->detail_scale);
}

TEST(ScorerTest, FramesInFlightKeepErrorsAndPartialResults) {
  // Damaged and unusual inputs: the same status (code and message) and the
  // same per-frame values with 3 frames in flight as with one.
  for (const std::string name :
       {"bad/truncated.mp4", "bad/truncated_faststart.mp4", "bad/random.mp4",
        "good/vfr.mkv", "good/odd_1281x721.mp4", "good/hevc_10bit.mp4"}) {
    SCOPED_TRACE(name);
    ScoreOptions options;
    options.metrics = SelectMetrics("all").value();
    options.decoder.threads = 1;
    Result<VideoReport> one = ScoreVideo(test::Fixture(name), options);
    options.frames_in_flight = 3;
    Result<VideoReport> three = ScoreVideo(test::Fixture(name), options);
    ASSERT_EQ(one.ok(), three.ok());
    if (!one.ok()) {
      EXPECT_EQ(one.status().code(), three.status().code());
      EXPECT_EQ(one.status().message(), three.status().message());
      continue;
    }
    EXPECT_EQ(one->video.decode_errors, three->video.decode_errors);
    ExpectSameFrames(*one, *three);
    ExpectSameValues(*one, *three);
  }
}

// A started scorer for 32x32 mid-gray frames and one such frame, for the
// cancel and refusal tests. Lives where it is made (FrameConverter does not
// move); Start fails the calling test on an error.
struct GrayScorer {
  cv::Mat gray = cv::Mat(32, 32, CV_8UC1, cv::Scalar(100));
  PackedImage image{gray.data, static_cast<ptrdiff_t>(gray.step), 32, 32};
  FrameConverter converter;
  std::unique_ptr<Scorer> scorer;
  std::optional<Frame> frame;

  void Start(const ScorerOptions& options) {
    Result<std::unique_ptr<Scorer>> created = Scorer::Create(options);
    ASSERT_TRUE(created.ok());
    scorer = std::move(created.value());
    ASSERT_TRUE(scorer->Start(FrameConverter::StreamOf(image)).ok());
    Result<Frame> f = converter.Convert(image);
    ASSERT_TRUE(f.ok());
    frame = std::move(f.value());
  }
};

TEST(ScorerTest, FramesInFlightCancelAndRefuse) {
  ScorerOptions options;
  options.metrics = SelectMetrics("laplacian_var,motion_mean").value();
  options.frames_in_flight = 4;
  GrayScorer fixture;
  ASSERT_NO_FATAL_FAILURE(fixture.Start(options));
  Scorer& s = *fixture.scorer;
  const Frame& f = *fixture.frame;
  const PackedImage& image = fixture.image;
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(s.Push(f).ok());
  // A frame of another size is refused at once, as with one frame in flight.
  cv::Mat other(16, 32, CV_8UC1, cv::Scalar(100));
  FrameConverter other_converter;
  Result<Frame> g = other_converter.Convert(
      {other.data, static_cast<ptrdiff_t>(other.step), 32, 16});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(s.Push(g.value()).code(), StatusCode::kInvalidArgument);
  s.Cancel();
  EXPECT_EQ(s.Push(f).code(), StatusCode::kCancelled);
  EXPECT_EQ(
      s.Finish(MemoryVideoInfo("<memory>", image, 25.0, 6)).status().code(),
      StatusCode::kCancelled);
  // Bounds of the option.
  options.frames_in_flight = 0;
  EXPECT_FALSE(Scorer::Create(options).ok());
  options.frames_in_flight = 65;
  EXPECT_FALSE(Scorer::Create(options).ok());
}

TEST(ScorerTest, FramesInFlightScorerDestroyedMidway) {
  // Frames still in flight when the scorer goes (an error elsewhere, an
  // interrupted run): the destructor waits for them; nothing leaks or
  // races (ASan and TSan builds run this).
  ScorerOptions options;
  options.metrics = SelectMetrics("default,motion_mean").value();
  options.frames_in_flight = 3;
  options.metric_threads = 2;
  const std::vector<cv::Mat> frames = MakeBgrFrames(4);
  auto scorer = Scorer::Create(options);
  ASSERT_TRUE(scorer.ok());
  FrameConverter converter;
  const cv::Mat& m = frames[0];
  PackedImage image{m.data, static_cast<ptrdiff_t>(m.step), m.cols, m.rows,
                    PixelLayout::kBgr};
  ASSERT_TRUE(scorer.value()->Start(FrameConverter::StreamOf(image)).ok());
  for (const cv::Mat& frame : frames) {
    image.data = frame.data;
    Result<Frame> f = converter.Convert(image);
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(scorer.value()->Push(f.value()).ok());
  }
  EXPECT_EQ(scorer.value()->frames_pushed(), 4);
  scorer.value().reset();
}

TEST(ScorerTest, CancelStopsPushAndFinish) {
  ScorerOptions options;
  options.metrics = SelectMetrics("laplacian_var").value();
  GrayScorer fixture;
  ASSERT_NO_FATAL_FAILURE(fixture.Start(options));
  Scorer& s = *fixture.scorer;
  const Frame& f = *fixture.frame;
  EXPECT_TRUE(s.Push(f).ok());
  s.Cancel();
  EXPECT_TRUE(s.cancelled());
  EXPECT_EQ(s.Push(f).code(), StatusCode::kCancelled);
  Result<VideoReport> r = s.Finish(MemoryVideoInfo("x", fixture.image, 0.0, 1));
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(s.frames_pushed(), 1);
}

TEST(ScorerTest, RefusesFramesThatDoNotFitTheStream) {
  ScorerOptions options;
  options.metrics = SelectMetrics("laplacian_var").value();
  auto scorer = Scorer::Create(options);
  ASSERT_TRUE(scorer.ok());
  cv::Mat small(16, 16, CV_8UC1, cv::Scalar(0));
  cv::Mat big(32, 32, CV_8UC1, cv::Scalar(0));
  PackedImage a{small.data, 16, 16, 16};
  PackedImage b{big.data, 32, 32, 32};
  FrameConverter converter;
  EXPECT_EQ(scorer.value()->Push(converter.Convert(a).value()).code(),
            StatusCode::kInternal);  // before Start
  ASSERT_TRUE(scorer.value()->Start(FrameConverter::StreamOf(a)).ok());
  EXPECT_TRUE(scorer.value()->Push(converter.Convert(a).value()).ok());
  Status s = scorer.value()->Push(converter.Convert(b).value());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("32x32"), std::string::npos) << s.message();
  // Nothing pushed: Finish says so instead of summarising nothing.
  auto empty = Scorer::Create(options);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty.value()->Finish(VideoInfo{}).ok());
}

TEST(ScorerTest, NoMetricGivesFramesWithoutColumns) {
  auto scorer = Scorer::Create(ScorerOptions{});
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  cv::Mat gray(8, 8, CV_8UC1, cv::Scalar(3));
  PackedImage image{gray.data, 8, 8, 8};
  ASSERT_TRUE(scorer.value()->Start(FrameConverter::StreamOf(image)).ok());
  FrameConverter converter;
  ASSERT_TRUE(scorer.value()->Push(converter.Convert(image).value()).ok());
  Result<VideoReport> r =
      scorer.value()->Finish(MemoryVideoInfo("x", image, 0.0, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->frames.size(), 1u);
  EXPECT_TRUE(r->metrics.empty());
  EXPECT_TRUE(r->summary.empty());
}

TEST(ScorerTest, ConverterChecksImages) {
  FrameConverter converter;
  uint8_t px[12] = {};
  PackedImage rgb{px, 5, 2, 2, PixelLayout::kRgb};  // stride < 2 * 3
  EXPECT_EQ(converter.Convert(rgb).status().code(),
            StatusCode::kInvalidArgument);
  PackedImage deep{px, 6, 2, 2, PixelLayout::kRgb, 16};
  EXPECT_EQ(converter.Convert(deep).status().code(),
            StatusCode::kInvalidArgument);
  PackedImage none{nullptr, 6, 2, 2, PixelLayout::kRgb};
  EXPECT_FALSE(converter.Convert(none).ok());
}

TEST(ScorerTest, CreateRefusesBadOptions) {
  ScorerOptions options;
  options.metrics = SelectMetrics("default").value();
  options.metric_threads = 0;
  EXPECT_FALSE(Scorer::Create(options).ok());  // no thread to measure on
  options.metric_threads = 1;
  options.metrics = SelectMetrics("brisque").value();
  // A bad metric option cannot be set at all (MetricOptions::Set checks it
  // against the registry's declaration); a good one is taken.
  EXPECT_FALSE(options.metric_options.Set("brisque_every", "0").ok());
  ASSERT_TRUE(options.metric_options.Set("brisque_every", "5").ok());
  EXPECT_TRUE(Scorer::Create(options).ok());
}

// --resolution-every N (MetricOptions "resolution_every"): the
// effective_height group measures frames 0, N, 2N... of the sampled frames,
// exactly as when it measures every frame, and leaves the others null; by
// the frame's position, so frames in flight pick the same frames.
TEST(ScorerTest, ResolutionEveryMeasuresEveryNthSampledFrame) {
  const std::string clip =
      "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";
  const auto score = [&](const std::string& every, int in_flight) {
    ScoreOptions options;
    options.metrics = SelectMetrics("effective_height,laplacian_var").value();
    options.decoder.threads = 1;
    options.decoder.sampling.every = 2;  // of the sampled frames
    options.decoder.sampling.max_frames = 14;
    options.frames_in_flight = in_flight;
    EXPECT_TRUE(options.metric_options.Set("resolution_every", every).ok());
    Result<VideoReport> r = ScoreVideo(clip, options);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : VideoReport{};
  };
  const VideoReport all = score("1", 1);
  ASSERT_EQ(all.frames.size(), 14u);
  for (const int in_flight : {1, 3}) {
    const VideoReport some = score("3", in_flight);
    ASSERT_EQ(some.metrics.size(), all.metrics.size());
    size_t measured = 0;
    for (size_t c = 0; c < all.metrics.size(); ++c) {
      // The entry's outputs; laplacian_var's (and noise_sigma, ...) are on
      // every frame.
      const std::string& key = all.metrics[c].key;
      const bool sampled =
          key == "effective_height" || key == "effective_width" ||
          key == "resolution_ratio" || key == "blur_sigma_px" ||
          key == "upscaled_from_height";
      for (size_t f = 0; f < all.frames.size(); ++f) {
        if (!sampled || f % 3 == 0) {
          EXPECT_EQ(some.values[c][f], all.values[c][f])
              << all.metrics[c].key << " frame " << f;
          measured += sampled && all.values[c][f].has_value();
        } else {
          EXPECT_FALSE(some.values[c][f].has_value())
              << all.metrics[c].key << " frame " << f;
        }
      }
    }
    EXPECT_GE(measured, 5u * 3u);  // 5 frames x (height, width, ratio, ...)
  }
  // Out of range: refused, naming the flag.
  MetricOptions bad;
  const Status s = bad.Set("resolution_every", "0");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--resolution-every"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace pipeline_scorer_test
}  // namespace acuity
