// motion_vector_px and the motion-vector path of the decoder: a photo panned
// by a known number of pixels per frame, coded with H.264 (x264 defaults:
// B-frames, B-pyramid, 3 references; and IPPP) and MPEG-4 part 2, must read
// close to the true speed; a still clip reads ~0; codecs without vectors
// (FFV1, VP9) give null; threads do not change anything.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/metric.h"
#include "metrics/motion.h"
#include "test_util.h"

namespace acuity {
namespace metrics_motion_vector_test {
namespace {

const std::string kPhoto =
    "/usr/share/doc/opencv-doc/examples/data/building.jpg";

bool HavePhoto() {
  if (std::FILE* f = std::fopen(kPhoto.c_str(), "rb")) {
    std::fclose(f);
    return true;
  }
  return false;
}

// building.jpg (868x600) panned by (4, 2) px per frame: |v| = sqrt(20).
const double kTrueSpeed = std::sqrt(20.0);

std::string Pan(const std::string& name, const std::string& codec) {
  return test::Generated(
      name, "-loop 1 -framerate 25 -i " + kPhoto +
                " -vf \"crop=320:240:x='n*4':y='n*2',format=yuv420p\" "
                "-frames:v 16 " +
                codec);
}

std::vector<std::optional<double>> Values(const std::string& path,
                                          const std::string& key,
                                          int threads = 1) {
  EXPECT_FALSE(path.empty());
  const auto m = test::Measure(path, "motion_mean", threads);
  EXPECT_TRUE(m.has_value());
  if (!m) return {};
  return m->Series(key);
}

// Picture types in presentation order, and the vectors of every frame, read
// through the Decoder directly.
struct Decoded {
  std::string types;
  std::vector<size_t> vector_counts;
};
Decoded Decode(const std::string& path, bool export_mvs, int threads = 1) {
  DecoderOptions o;
  o.export_motion_vectors = export_mvs;
  o.threads = threads;
  auto d = Decoder::Open(path, o);
  EXPECT_TRUE(d.ok()) << d.status().message();
  Decoded out;
  if (!d.ok()) return out;
  Frame f;
  while (true) {
    auto got = d.value()->Next(&f);
    EXPECT_TRUE(got.ok());
    if (!got.ok() || !got.value()) break;
    out.types += f.picture_type;
    out.vector_counts.push_back(f.motion_vectors.size());
  }
  return out;
}

void ExpectSpeed(const std::string& path, const std::string& what,
                 double tolerance) {
  const Decoded d = Decode(path, true);
  const auto v = Values(path, "motion_vector_px");
  ASSERT_EQ(v.size(), d.types.size());
  ASSERT_EQ(v.size(), 16u);
  std::printf("[ motion_vector_px ] %s (%s):", what.c_str(), d.types.c_str());
  double worst = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (d.types[i] != 'P') {
      EXPECT_FALSE(v[i].has_value()) << d.types[i] << " frame " << i;
      std::printf(" -");
      continue;
    }
    // MPEG-4 part 2: FFmpeg exports no vectors for the last picture (the
    // one flushed out at the end of the stream).
    if (i + 1 == v.size() && !v[i]) {
      std::printf(" (null)");
      continue;
    }
    ASSERT_TRUE(v[i].has_value()) << what << " frame " << i;
    std::printf(" %.3f", *v[i]);
    worst = std::max(worst, std::abs(*v[i] / kTrueSpeed - 1));
  }
  std::printf("; true %.3f, worst %.1f%%\n", kTrueSpeed, 100 * worst);
  EXPECT_LT(worst, tolerance) << what;
}

TEST(MotionVectorTest, H264IpppReadsTheTrueSpeed) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  ExpectSpeed(Pan("mv_pan_h264_bf0.mp4", "-c:v libx264 -bf 0 -crf 20"),
              "H.264 IPPP", 0.05);
}

TEST(MotionVectorTest, H264DefaultGopReadsTheTrueSpeed) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  ExpectSpeed(Pan("mv_pan_h264.mp4", "-c:v libx264 -crf 20"),
              "H.264 x264 defaults", 0.10);
}

TEST(MotionVectorTest, Mpeg4Part2ReadsTheTrueSpeed) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  ExpectSpeed(Pan("mv_pan_mpeg4.avi", "-c:v mpeg4 -q:v 3 -bf 2"),
              "MPEG-4 part 2, 2 B-frames", 0.05);
}

TEST(MotionVectorTest, StillClipReadsZero) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  const std::string path = test::Generated(
      "mv_still_h264.mp4",
      "-loop 1 -framerate 25 -i " + kPhoto +
          " -vf \"crop=320:240:0:0,format=yuv420p\" -frames:v 8 -c:v libx264 "
          "-bf 0 -crf 20");
  const auto v = Values(path, "motion_vector_px");
  ASSERT_EQ(v.size(), 8u);
  EXPECT_FALSE(v[0].has_value());
  for (size_t i = 1; i < v.size(); ++i) {
    ASSERT_TRUE(v[i].has_value()) << i;  // skip blocks: zero vectors
    EXPECT_LT(*v[i], 0.05) << i;
  }
}

TEST(MotionVectorTest, CodecsWithoutVectorsGiveNull) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  std::vector<std::pair<std::string, std::string>> clips = {
      {"mv_pan_ffv1.mkv", "-c:v ffv1"},
      {"mv_pan_vp9.webm", "-c:v libvpx-vp9 -b:v 0 -crf 40 -deadline realtime"},
      {"mv_pan_hevc.mp4", "-c:v libx265 -x265-params log-level=none"}};
  for (const auto& [name, codec] : clips) {
    const std::string path = Pan(name, codec);
    if (path.empty()) continue;  // encoder not in this FFmpeg build
    const Decoded d = Decode(path, true);
    for (size_t n : d.vector_counts) EXPECT_EQ(n, 0u) << name;
    const auto v = Values(path, "motion_vector_px");
    ASSERT_EQ(v.size(), 16u) << name;
    for (const auto& x : v) EXPECT_FALSE(x.has_value()) << name;
    // The rest of the group does not care.
    const auto mean = Values(path, "motion_mean");
    EXPECT_TRUE(mean[1].has_value()) << name;
  }
}

TEST(MotionVectorTest, OnlyExportedWhenAsked) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  const std::string path = Pan("mv_pan_h264.mp4", "-c:v libx264 -crf 20");
  const Decoded off = Decode(path, false);
  const Decoded on = Decode(path, true);
  ASSERT_EQ(off.types, on.types);
  size_t total = 0;
  for (size_t i = 0; i < on.types.size(); ++i) {
    EXPECT_EQ(off.vector_counts[i], 0u);
    if (on.types[i] == 'I') {
      EXPECT_EQ(on.vector_counts[i], 0u) << i;
    }
    total += on.vector_counts[i];
  }
  EXPECT_GT(total, 0u);
  // Only the motion group asks for them.
  for (const MetricEntry& e : MetricRegistry()) {
    EXPECT_EQ(e.needs_motion_vectors, e.name == "motion_mean") << e.name;
  }
}

TEST(MotionVectorTest, FrameThreadsGiveIdenticalValues) {
  if (!HavePhoto()) GTEST_SKIP() << "opencv-doc not installed";
  for (const std::string& path :
       {Pan("mv_pan_h264.mp4", "-c:v libx264 -crf 20"),
        Pan("mv_pan_mpeg4.avi", "-c:v mpeg4 -q:v 3 -bf 2")}) {
    const auto a = test::Measure(path, "motion_mean", 1);
    const auto b = test::Measure(path, "motion_mean", 2);
    const auto c = test::Measure(path, "motion_mean", 4);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->values, b->values) << path;
    EXPECT_EQ(a->values, c->values) << path;
  }
}

// MotionFromVectors on hand-made vectors: area weighting, past only,
// distance normalisation and the block grid (block (bx, by) covers
// [1 + 32 bx, 33 + 32 bx)).
TEST(MotionVectorTest, FromVectorsWeightsByAreaAndDistance) {
  std::vector<MotionVector> mvs(3);
  // 16x16 at the top-left macroblock, (3, 4) px in quarter-pel: |mv| 5.
  mvs[0].dst_x = 8, mvs[0].dst_y = 8, mvs[0].w = 16, mvs[0].h = 16;
  mvs[0].motion_x = 12, mvs[0].motion_y = 16, mvs[0].motion_scale = 4;
  // 8x8 far right, zero motion.
  mvs[1].dst_x = 100, mvs[1].dst_y = 4, mvs[1].w = 8, mvs[1].h = 8;
  mvs[1].motion_scale = 4;
  // A future-referencing vector: ignored.
  mvs[2] = mvs[0];
  mvs[2].source = 1;
  mvs[2].motion_x = 400;
  std::vector<double> px, area;
  auto v = metrics::MotionFromVectors(mvs, 1, 4, 2, &px, &area);
  ASSERT_TRUE(v.has_value());
  EXPECT_DOUBLE_EQ(*v, 5.0 * 256 / (256 + 64));
  ASSERT_EQ(px.size(), 8u);
  // Block (0,0) covers [1, 33): 15x15 of the first vector.
  EXPECT_DOUBLE_EQ(area[0], 15.0 * 15.0);
  EXPECT_DOUBLE_EQ(px[0], 5.0);
  // x 96..104 lies in block 2 ([65, 97)) for one column and block 3 for 7.
  EXPECT_DOUBLE_EQ(area[2], 1.0 * 7);
  EXPECT_DOUBLE_EQ(area[3], 7.0 * 7);
  EXPECT_DOUBLE_EQ(px[3], 0.0);
  EXPECT_LT(px[1], 0.0);  // not covered
  EXPECT_LT(px[4], 0.0);
  // Two frames back: half the speed.
  v = metrics::MotionFromVectors(mvs, 2, 4, 2, &px, &area);
  EXPECT_DOUBLE_EQ(*v, 2.5 * 256 / (256 + 64));
  // No distance known, or only future vectors: null.
  EXPECT_FALSE(metrics::MotionFromVectors(mvs, 0, 4, 2, &px, &area));
  EXPECT_FALSE(metrics::MotionFromVectors(std::span(mvs).subspan(2), 1, 4, 2,
                                          &px, &area));
}

// moving_sharpness_ratio keeps the frame-difference rule when vectors
// exist: the same sliding patch (motion_test.cc's Overlay) reads the same
// ratio coded as FFV1 (no vectors) and H.264 (vectors), frame by frame.
// Classifying by the vectors instead gave 0.133 / 0.143 on H.264 frames 2
// and 5 of the blurred clip where FFV1 reads 0.258 / 0.386 (docs).
TEST(MotionVectorTest, MovingSharpnessRatioSameWithAndWithoutVectors) {
  const std::string tex = test::Generated(
      "motion_texture.png",
      "-f lavfi -i nullsrc=s=640x360 -vf "
      "\"geq=lum='random(1)*255':cb=128:cr=128,gblur=sigma=0.7\" "
      "-frames:v 1");
  ASSERT_FALSE(tex.empty());
  for (const std::string vf : {"", ",dblur=angle=0:radius=12"}) {
    std::vector<std::optional<double>> ratio[2];
    for (int k = 0; k < 2; ++k) {
      const std::string name = std::string("mv_overlay_") +
                               (vf.empty() ? "sharp" : "dblur") +
                               (k == 0 ? ".mkv" : ".mp4");
      const std::string path = test::Generated(
          name, "-loop 1 -framerate 25 -i " + tex +
                    " -loop 1 -framerate 25 -i " + tex +
                    " -filter_complex \"[1]crop=128:128:300:150" + vf +
                    "[p];[0][p]overlay=x='40+t*300':y=100,format=yuv420p\" "
                    "-frames:v 6 " +
                    (k == 0 ? "-c:v ffv1" : "-c:v libx264 -bf 0 -crf 18"));
      ratio[k] = Values(path, "moving_sharpness_ratio");
      if (k == 1) {
        // The H.264 copy has vectors: 128x128 px at 12 px/frame over
        // 640x360, 0.85 px/frame on average.
        const auto mv = Values(path, "motion_vector_px");
        ASSERT_EQ(mv.size(), 6u);
        ASSERT_TRUE(mv[1].has_value());
        EXPECT_NEAR(*mv[1], 12.0 * 128 * 128 / (640 * 360), 0.15);
      }
    }
    ASSERT_EQ(ratio[0].size(), 6u);
    ASSERT_EQ(ratio[1].size(), 6u);
    for (size_t i = 1; i < 6; ++i) {
      ASSERT_TRUE(ratio[0][i] && ratio[1][i]) << i;
      std::printf(
          "[ moving_sharpness_ratio ]%s frame %zu: ffv1 %.3f h264 %.3f\n",
          vf.c_str(), i, *ratio[0][i], *ratio[1][i]);
      EXPECT_NEAR(*ratio[1][i] / *ratio[0][i], 1.0, 0.05) << vf << " " << i;
    }
  }
}

// MotionFromSums with per-block vector motion (the rule not used by the
// metric, kept for comparison): vectors decide where they cover a block,
// the frame difference elsewhere.
TEST(MotionVectorTest, FromSumsClassifiesByVectorsWhenGiven) {
  kernels::MotionSums s;
  s.diff_count = 1;
  std::vector<kernels::MotionBlock> blocks(4);
  for (auto& b : blocks) b.energy = 1024 * 100;
  blocks[0].energy = 1024 * 25;        // the blurred one
  blocks[0].sum_abs_diff = 0;          // no difference, but moving by vector
  blocks[1].sum_abs_diff = 1024 * 10;  // difference, but static by vector
  LumaScale scale;
  // By difference: block 1 moving (energy 100) / others (50).
  auto v = metrics::MotionFromSums(s, blocks, true, scale, nullptr);
  ASSERT_TRUE(v.moving_sharpness_ratio);
  EXPECT_DOUBLE_EQ(*v.moving_sharpness_ratio, 100.0 / 75.0);
  // By vector: block 0 moves (2 px), block 1 still (0 px), 2 and 3 not
  // covered and no difference: static.
  const std::vector<double> px = {2.0, 0.0, -1.0, -1.0};
  v = metrics::MotionFromSums(s, blocks, true, scale, nullptr, &px);
  ASSERT_TRUE(v.moving_sharpness_ratio);
  EXPECT_DOUBLE_EQ(*v.moving_sharpness_ratio, 25.0 / 100.0);
}

}  // namespace
}  // namespace metrics_motion_vector_test
}  // namespace acuity
