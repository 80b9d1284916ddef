// Decoder: pixel formats, sampling modes and bad input, on real encoded
// files made by scripts/make-fixtures.
#include "acuity/decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "test_util.h"

namespace acuity {
namespace ffmpeg_decoder_test {
namespace {

using test::Fixture;

struct Decoded {
  StreamInfo stream;
  VideoInfo info;
  std::vector<double> pts;
  std::vector<bool> key;
  std::vector<int> widths;
  int64_t checksum = 0;  // sum of a few luma samples, to see real pixels
};

Decoded DecodeAll(const std::string& path, DecoderOptions opt = {}) {
  auto d = Decoder::Open(path, opt);
  EXPECT_TRUE(d.ok()) << d.status().message();
  Decoded out;
  if (!d.ok()) return out;
  Frame f;
  while (true) {
    auto got = d.value()->Next(&f);
    EXPECT_TRUE(got.ok()) << got.status().message();
    if (!got.ok() || !got.value()) break;
    out.pts.push_back(f.pts_seconds);
    out.key.push_back(f.key_frame);
    out.widths.push_back(f.y.width);
    out.checksum += f.y.At(f.y.width / 2, f.y.height / 2) + f.y.At(0, 0);
    EXPECT_GE(f.y.stride, f.y.width * f.y.bytes_per_sample());
  }
  out.stream = d.value()->stream();
  out.info = d.value()->info();
  return out;
}

TEST(DecoderTest, H264Yuv420pLimited) {
  const Decoded d = DecodeAll(Fixture("good/h264_420p.mp4"));
  EXPECT_EQ(d.info.codec, "h264");
  EXPECT_EQ(d.info.pix_fmt, "yuv420p");
  EXPECT_EQ(d.info.width, 320);
  EXPECT_EQ(d.info.height, 180);
  EXPECT_EQ(d.info.bit_depth, 8);
  EXPECT_EQ(d.info.range, ColorRange::kLimited);
  EXPECT_EQ(d.stream.chroma_shift_x, 1);
  EXPECT_EQ(d.stream.chroma_shift_y, 1);
  EXPECT_NEAR(d.stream.scale.gain, 255.0 / 219.0, 1e-12);
  EXPECT_EQ(d.info.frames_decoded, 50);
  EXPECT_EQ(d.info.frames_used, 50);
  EXPECT_NEAR(d.info.fps, 25.0, 1e-9);
  EXPECT_NEAR(d.info.duration, 2.0, 0.05);
  ASSERT_EQ(d.pts.size(), 50u);
  EXPECT_NEAR(d.pts[0], 0.0, 1e-9);
  EXPECT_NEAR(d.pts[49], 49 / 25.0, 1e-6);
  for (size_t i = 1; i < d.pts.size(); ++i) EXPECT_GT(d.pts[i], d.pts[i - 1]);
  EXPECT_TRUE(d.key[0]);
  EXPECT_GT(d.checksum, 0);
}

TEST(DecoderTest, FullRangeIsRecorded) {
  const Decoded d = DecodeAll(Fixture("good/h264_fullrange.mp4"));
  EXPECT_EQ(d.info.range, ColorRange::kFull);
  EXPECT_DOUBLE_EQ(d.stream.scale.gain, 1.0);
  EXPECT_DOUBLE_EQ(d.stream.scale.black, 0.0);
}

TEST(DecoderTest, Yuv444HasFullSizeChroma) {
  const Decoded d = DecodeAll(Fixture("good/h264_444p.mp4"));
  EXPECT_EQ(d.info.pix_fmt, "yuv444p");
  EXPECT_EQ(d.stream.chroma_shift_x, 0);
  EXPECT_EQ(d.stream.chroma_shift_y, 0);
  EXPECT_GT(d.info.frames_used, 0);
}

TEST(DecoderTest, OddSizes) {
  for (const char* name :
       {"good/odd_1281x721.mp4", "good/odd_vp9_1281x721.webm"}) {
    SCOPED_TRACE(name);
    const Decoded d = DecodeAll(Fixture(name));
    EXPECT_EQ(d.info.width, 1281);
    EXPECT_EQ(d.info.height, 721);
    ASSERT_FALSE(d.widths.empty());
    EXPECT_EQ(d.widths[0], 1281);
  }
}

TEST(DecoderTest, Hevc10Bit) {
  const Decoded d = DecodeAll(Fixture("good/hevc_10bit.mp4"));
  EXPECT_EQ(d.info.codec, "hevc");
  EXPECT_EQ(d.info.pix_fmt, "yuv420p10le");
  EXPECT_EQ(d.info.bit_depth, 10);
  EXPECT_EQ(d.stream.bit_depth, 10);
  EXPECT_NEAR(d.stream.scale.black, 64.0, 1e-12);
  EXPECT_NEAR(d.stream.scale.gain, 255.0 / 876.0, 1e-12);
  EXPECT_GT(d.info.frames_used, 0);
}

TEST(DecoderTest, TwelveBitAnd422) {
  const Decoded d12 = DecodeAll(Fixture("good/hevc_12bit.mkv"));
  EXPECT_EQ(d12.info.pix_fmt, "yuv420p12le");
  EXPECT_EQ(d12.stream.bit_depth, 12);
  EXPECT_NEAR(d12.stream.scale.black, 256.0, 1e-12);
  EXPECT_NEAR(d12.stream.scale.gain, 255.0 / (219.0 * 16), 1e-15);
  EXPECT_GT(d12.info.frames_used, 0);
  const Decoded d422 = DecodeAll(Fixture("good/h264_422p10.mkv"));
  EXPECT_EQ(d422.info.pix_fmt, "yuv422p10le");
  EXPECT_EQ(d422.stream.chroma_shift_x, 1);
  EXPECT_EQ(d422.stream.chroma_shift_y, 0);
  EXPECT_GT(d422.info.frames_used, 0);
}

TEST(DecoderTest, SameLumaAtEveryBitDepth) {
  // One source coded at 8, 10 and 12 bits: after normalisation the mean luma
  // agrees to a fraction of a code value.
  auto mean = [](const std::string& name) {
    auto d = Decoder::Open(Fixture(name), {});
    EXPECT_TRUE(d.ok());
    Frame f;
    EXPECT_TRUE(d.value()->Next(&f).value());
    double sum = 0;
    for (int y = 0; y < f.y.height; ++y) {
      for (int x = 0; x < f.y.width; ++x) sum += f.y.At(x, y);
    }
    return d.value()->stream().scale.ToFull8(sum / (f.y.width * f.y.height));
  };
  const double m8 = mean("good/h264_420p.mp4");
  EXPECT_NEAR(mean("good/hevc_10bit.mp4"), m8, 1.0);
  EXPECT_NEAR(mean("good/hevc_12bit.mkv"), m8, 1.0);
}

TEST(DecoderTest, Vp9AndAv1) {
  const Decoded vp9 = DecodeAll(Fixture("good/vp9.webm"));
  EXPECT_EQ(vp9.info.codec, "vp9");
  EXPECT_GT(vp9.info.frames_used, 1);
  const Decoded av1 = DecodeAll(Fixture("good/av1.mkv"));
  EXPECT_NE(av1.info.codec.find("av1"), std::string::npos) << av1.info.codec;
  EXPECT_GT(av1.info.frames_used, 1);
}

TEST(DecoderTest, GrayAndRgbSources) {
  const Decoded gray = DecodeAll(Fixture("good/gray8.mkv"));
  EXPECT_EQ(gray.info.pix_fmt, "gray");
  EXPECT_FALSE(gray.stream.has_chroma);
  EXPECT_EQ(gray.info.range, ColorRange::kFull);

  // RGB is converted once to planar YUV 4:4:4, full range.
  const Decoded rgb = DecodeAll(Fixture("good/ffv1_rgb.mkv"));
  EXPECT_NE(rgb.info.pix_fmt, rgb.info.analysed_pix_fmt);
  EXPECT_EQ(rgb.info.analysed_pix_fmt, "yuv444p");
  EXPECT_EQ(rgb.info.range, ColorRange::kFull);
  EXPECT_GT(rgb.info.frames_used, 0);
}

TEST(DecoderTest, StillImagesAreOneFrameVideos) {
  for (const char* name :
       {"good/still.png", "good/still.jpg", "good/still.bmp"}) {
    SCOPED_TRACE(name);
    const Decoded d = DecodeAll(Fixture(name));
    EXPECT_TRUE(d.info.still_image);
    EXPECT_EQ(d.info.frames_used, 1);
    EXPECT_EQ(d.info.width, 320);
    EXPECT_EQ(d.info.height, 240);
  }
}

TEST(DecoderTest, RotationIsReported) {
  const Decoded d = DecodeAll(Fixture("good/rotated.mp4"));
  EXPECT_EQ(d.info.rotation, 90);
  const Decoded plain = DecodeAll(Fixture("good/h264_420p.mp4"));
  EXPECT_EQ(plain.info.rotation, 0);
}

TEST(DecoderTest, VariableFrameRateKeepsTimestamps) {
  const Decoded d = DecodeAll(Fixture("good/vfr.mkv"));
  ASSERT_GT(d.pts.size(), 3u);
  std::set<long> steps;
  for (size_t i = 1; i < d.pts.size(); ++i) {
    ASSERT_GT(d.pts[i], d.pts[i - 1]);
    steps.insert(std::lround((d.pts[i] - d.pts[i - 1]) * 1000));
  }
  EXPECT_GT(steps.size(), 1u) << "frame durations should differ";
}

// --- Sampling ---------------------------------------------------------------

TEST(DecoderSamplingTest, Every) {
  DecoderOptions o;
  o.sampling.every = 7;
  const Decoded d = DecodeAll(Fixture("good/h264_420p.mp4"), o);
  EXPECT_EQ(d.info.frames_decoded, 50);
  EXPECT_EQ(d.info.frames_used, 8);  // frames 0, 7, ..., 49
  ASSERT_EQ(d.pts.size(), 8u);
  EXPECT_NEAR(d.pts[1], 7 / 25.0, 1e-6);
}

TEST(DecoderSamplingTest, Fps) {
  DecoderOptions o;
  o.sampling.fps = 5;
  const Decoded d = DecodeAll(Fixture("good/h264_420p.mp4"), o);
  EXPECT_EQ(d.info.frames_used, 10);
  for (size_t i = 0; i < d.pts.size(); ++i)
    EXPECT_NEAR(d.pts[i], i * 0.2, 1e-6);
}

TEST(DecoderSamplingTest, MaxFrames) {
  DecoderOptions o;
  o.sampling.max_frames = 3;
  const Decoded d = DecodeAll(Fixture("good/h264_420p.mp4"), o);
  EXPECT_EQ(d.info.frames_used, 3);
  EXPECT_LT(d.info.frames_decoded, 50);
}

TEST(DecoderSamplingTest, KeyframesH264) {
  DecoderOptions o;
  o.sampling.keyframes = true;
  const Decoded d = DecodeAll(Fixture("good/h264_420p.mp4"), o);
  EXPECT_EQ(d.info.frames_used, 2);  // -g 25 over 2 s
  EXPECT_EQ(d.info.frames_decoded, 2) << "non-key frames must not be decoded";
  for (bool k : d.key) EXPECT_TRUE(k);
  ASSERT_EQ(d.pts.size(), 2u);
  EXPECT_NEAR(d.pts[1], 1.0, 1e-6);
}

TEST(DecoderSamplingTest, KeyframesVp9AndAv1NeverDecodeOthers) {
  for (const char* name : {"good/vp9.webm", "good/av1.mkv"}) {
    SCOPED_TRACE(name);
    const Decoded all = DecodeAll(Fixture(name));
    size_t keys = 0;
    for (bool k : all.key) keys += k ? 1 : 0;
    ASSERT_GT(keys, 1u);
    ASSERT_LT(keys, all.key.size());
    DecoderOptions o;
    o.sampling.keyframes = true;
    const Decoded d = DecodeAll(Fixture(name), o);
    EXPECT_EQ(static_cast<size_t>(d.info.frames_decoded), keys);
    EXPECT_EQ(static_cast<size_t>(d.info.frames_used), keys);
  }
}

TEST(DecoderSamplingTest, StartAndDurationSeek) {
  DecoderOptions o;
  o.sampling.start = 2.0;
  o.sampling.duration = 1.0;
  const Decoded d = DecodeAll(Fixture("good/gop2s_1080p.mp4"), o);
  ASSERT_FALSE(d.pts.empty());
  EXPECT_NEAR(d.pts.front(), 2.0, 1e-6);
  EXPECT_LT(d.pts.back(), 3.0);
  EXPECT_EQ(d.info.frames_used, 25);
  // Seeking lands on the key frame at 2 s: frames before it are not decoded.
  EXPECT_LE(d.info.frames_decoded, 26);
}

TEST(DecoderSamplingTest, StartBetweenKeyFrames) {
  DecoderOptions o;
  o.sampling.start = 1.0;
  o.sampling.duration = 0.2;
  const Decoded d = DecodeAll(Fixture("good/gop2s_1080p.mp4"), o);
  ASSERT_EQ(d.pts.size(), 5u);
  EXPECT_NEAR(d.pts.front(), 1.0, 1e-6);
  // Decoding starts at the key frame at or before 1 s (here 0 s) and stops
  // right after the window (frame threading may deliver one frame more).
  EXPECT_LE(d.info.frames_decoded, 32);
}

// --- Bad input --------------------------------------------------------------

Status OpenAndDrain(const std::string& path, DecoderOptions opt = {}) {
  auto d = Decoder::Open(path, opt);
  if (!d.ok()) return d.status();
  Frame f;
  while (true) {
    auto got = d.value()->Next(&f);
    if (!got.ok()) return got.status();
    if (!got.value()) break;
  }
  if (d.value()->info().frames_used == 0) return InvalidData("no frames");
  return Status::Ok();
}

void ExpectOneLineError(const Status& s, const std::string& path,
                        StatusCode code, const std::string& fragment) {
  ASSERT_FALSE(s.ok()) << path;
  EXPECT_EQ(s.code(), code) << s.message();
  EXPECT_EQ(s.message().rfind(path + ": ", 0), 0u) << s.message();
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
}

TEST(DecoderBadInputTest, EmptyFile) {
  const std::string p = Fixture("bad/empty.mp4");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kInvalidData,
                     "empty file");
}

TEST(DecoderBadInputTest, RandomBytes) {
  const std::string p = Fixture("bad/random.mp4");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kInvalidData,
                     "cannot open");
}

TEST(DecoderBadInputTest, TextFile) {
  const std::string p = Fixture("bad/not_a_video.txt");
  const Status s = OpenAndDrain(p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind(p + ": ", 0), 0u) << s.message();
}

TEST(DecoderBadInputTest, TruncatedMoovAtEnd) {
  const std::string p = Fixture("bad/truncated.mp4");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kInvalidData,
                     "cannot open");
}

TEST(DecoderBadInputTest, TruncatedFaststartDecodesWhatIsThere) {
  auto d = Decoder::Open(Fixture("bad/truncated_faststart.mp4"), {});
  ASSERT_TRUE(d.ok()) << d.status().message();
  Frame f;
  int64_t n = 0;
  while (true) {
    auto got = d.value()->Next(&f);
    ASSERT_TRUE(got.ok()) << got.status().message();
    if (!got.value()) break;
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(DecoderBadInputTest, AudioOnly) {
  const std::string p = Fixture("bad/audio_only.m4a");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kNotFound,
                     "no video stream (streams found: audio)");
}

TEST(DecoderBadInputTest, UnknownCodec) {
  const std::string p = Fixture("bad/unknown_codec.avi");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kUnsupported,
                     "no decoder");
}

TEST(DecoderBadInputTest, MissingPath) {
  const std::string p = Fixture("bad/does_not_exist.mp4");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kNotFound,
                     "No such file or directory");
}

TEST(DecoderBadInputTest, Directory) {
  const std::string p = Fixture("bad/empty_dir");
  ExpectOneLineError(OpenAndDrain(p), p, StatusCode::kInvalidArgument,
                     "is a directory");
}

TEST(DecoderBadInputTest, GarbageHeaderDoesNotCrash) {
  const std::string p = Fixture("bad/garbage_header.mkv");
  const Status s = OpenAndDrain(p);
  if (!s.ok()) {
    EXPECT_EQ(s.message().rfind(p + ": ", 0), 0u) << s.message();
  }
}

TEST(DecoderBadInputTest, PixelLimitRefusesBeforeAllocating) {
  const std::string p = Fixture("good/gop2s_1080p.mp4");
  DecoderOptions o;
  o.max_pixels = 1'000'000;
  ExpectOneLineError(OpenAndDrain(p, o), p, StatusCode::kResourceLimit,
                     "1920x1080 (2073600 pixels) exceeds the limit of 1000000");
}

}  // namespace
}  // namespace ffmpeg_decoder_test
}  // namespace acuity
