// Frames as pictures (acuity/frames.h, ffmpeg/picture.h) and
// `acuity frames`.
#include "acuity/frames.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "acuity/score.h"
#include "test_util.h"

namespace acuity {
namespace pipeline_frames_test {
namespace {

namespace fs = std::filesystem;

std::string FreshDir(const std::string& name) {
  const fs::path d = fs::path(ACUITY_BINARY_DIR) / "frames_test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

// Mean absolute difference per channel value between acuity's picture of
// frame 0 and FFmpeg's own PNG of it (ffmpeg -frames:v 1 x.png).
double DiffToFfmpegPng(const std::string& clip, const std::string& name) {
  const std::string png =
      test::Generated(name, "-i '" + clip + "' -frames:v 1");
  EXPECT_FALSE(png.empty());
  const cv::Mat ref = cv::imread(png, cv::IMREAD_COLOR);
  auto pics = DecodePictures(clip, {}, {0});
  EXPECT_TRUE(pics.ok()) << pics.status().message();
  if (!pics.ok() || ref.empty()) return 1e9;
  const Picture& p = pics->front();
  EXPECT_EQ(p.width, ref.cols);
  EXPECT_EQ(p.height, ref.rows);
  if (p.width != ref.cols || p.height != ref.rows) return 1e9;
  const cv::Mat mine(p.height, p.width, CV_8UC3,
                     const_cast<uint8_t*>(p.bgr.data()));
  cv::Mat diff;
  cv::absdiff(mine, ref, diff);
  const cv::Scalar m = cv::mean(diff);
  const double mad = (m[0] + m[1] + m[2]) / 3;
  std::printf("  %s: mean abs difference to ffmpeg's PNG %.3f\n", name.c_str(),
              mad);
  return mad;
}

// Limited-range BT.601 (untagged SD), limited-range BT.709 (tagged HD),
// full-range JPEG and 10-bit: the matrix and range are honoured, so the
// pictures are FFmpeg's own: identical on 8-bit input (measured 0.000),
// 0.35 code values apart on 10-bit (libswscale's >8-bit input path differs
// between planes handed over and its own frame). Reading BT.709 bars as
// BT.601 would be several code values off.
TEST(FrameImageTest, MatchesFfmpegPng) {
  const std::string sd = test::Generated(
      "frameimage_sd.mp4",
      "-f lavfi -i testsrc2=s=640x360:d=0.1 -pix_fmt yuv420p -c:v libx264 "
      "-qp 0");
  EXPECT_LT(DiffToFfmpegPng(sd, "frameimage_sd_ref.png"), 0.01);
  const std::string hd = test::Generated(
      "frameimage_hd709.mkv",
      "-f lavfi -i smptehdbars=s=1280x720:d=0.1 -vf "
      "scale=out_color_matrix=bt709,format=yuv422p -colorspace bt709 "
      "-color_primaries bt709 -color_trc bt709 -c:v ffv1");
  EXPECT_LT(DiffToFfmpegPng(hd, "frameimage_hd709_ref.png"), 0.01);
  const std::string jpg = "/usr/share/doc/opencv-doc/examples/data/fruits.jpg";
  EXPECT_LT(DiffToFfmpegPng(jpg, "frameimage_fruits_ref.png"), 0.01);
  const std::string ten = test::Generated(
      "frameimage_10bit.mkv",
      "-f lavfi -i testsrc2=s=320x240:d=0.1 -pix_fmt yuv420p10le -c:v ffv1");
  EXPECT_LT(DiffToFfmpegPng(ten, "frameimage_10bit_ref.png"), 0.6);
}

// RGB and gray stills: the decoder turns RGB into full-range BT.601 4:4:4
// for the metrics; the picture turns it back to within one code value
// (measured mean 0.175 on testsrc2); gray comes back exactly.
TEST(FrameImageTest, RgbAndGrayStillsRoundTrip) {
  const std::string rgb = test::Generated(
      "frameimage_rgb.png", "-f lavfi -i testsrc2=s=320x240:d=0.1 -frames:v 1");
  const std::string gray = test::Generated(
      "frameimage_gray.png",
      "-f lavfi -i testsrc2=s=320x240:d=0.1 -frames:v 1 -pix_fmt gray");
  for (const auto& [path, bound] :
       {std::pair{rgb, 0.3}, std::pair{gray, 0.0001}}) {
    auto pics = DecodePictures(path, {}, {0});
    ASSERT_TRUE(pics.ok()) << pics.status().message();
    const Picture& p = pics->front();
    const cv::Mat ref = cv::imread(path, cv::IMREAD_COLOR);
    ASSERT_EQ(p.width, ref.cols);
    ASSERT_EQ(p.height, ref.rows);
    const cv::Mat mine(p.height, p.width, CV_8UC3,
                       const_cast<uint8_t*>(p.bgr.data()));
    cv::Mat diff;
    cv::absdiff(mine, ref, diff);
    const cv::Scalar m = cv::mean(diff);
    double max = 0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &max);
    EXPECT_LT((m[0] + m[1] + m[2]) / 3, bound) << path;
    EXPECT_LE(max, 1.0) << path;
  }
}

TEST(FrameImageTest, ScalesDownToMaxWidth) {
  const std::string sd = test::Generated(
      "frameimage_sd.mp4",
      "-f lavfi -i testsrc2=s=640x360:d=0.1 -pix_fmt yuv420p -c:v libx264 "
      "-qp 0");
  auto pics = DecodePictures(sd, {}, {0}, 320);
  ASSERT_TRUE(pics.ok()) << pics.status().message();
  EXPECT_EQ(pics->front().width, 320);
  EXPECT_EQ(pics->front().height, 180);
  EXPECT_EQ(pics->front().bgr.size(), 320u * 180u * 3u);
}

// 10 frames of testsrc2; frames 2 and 7 strongly blurred, 4 mildly.
std::string SeriesClip() {
  return test::Generated("frames_series.mkv",
                         "-f lavfi -i testsrc2=s=320x180:r=10:d=1 -vf "
                         "\"gblur=sigma=3:enable='eq(n,2)+eq(n,7)',"
                         "gblur=sigma=1:enable='eq(n,4)'\" -c:v ffv1");
}

TEST(FramesTest, DecodePicturesReturnsTheAskedFrames) {
  const std::string clip = SeriesClip();
  ASSERT_FALSE(clip.empty());
  DecoderOptions opt;
  opt.sampling.every = 2;  // indices are decode indices: 0, 2, 4...
  auto pics = DecodePictures(clip, opt, {6, 2, 6});
  ASSERT_TRUE(pics.ok()) << pics.status().message();
  ASSERT_EQ(pics->size(), 2u);
  EXPECT_EQ((*pics)[0].index, 2);
  EXPECT_EQ((*pics)[1].index, 6);
  EXPECT_NEAR((*pics)[1].pts, 0.6, 1e-6);
  // Frame 3 is not sampled with --every 2; frame 40 does not exist.
  for (int64_t missing : {3, 40}) {
    auto bad = DecodePictures(clip, opt, {missing});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find(clip), std::string::npos);
  }
}

VideoReport FakeReport(Direction dir,
                       const std::vector<std::optional<double>>& v) {
  VideoReport r;
  r.metrics.push_back({"m", "", "", dir, ""});
  r.values.emplace_back(v);
  for (size_t i = 0; i < v.size(); ++i) {
    r.frames.push_back({static_cast<int64_t>(10 + i), 0.1 * i, false, ""});
  }
  return r;
}

TEST(FramesTest, PickFramesRanksByDirectionSkipsNullsBreaksTies) {
  const std::vector<std::optional<double>> v = {5, std::nullopt, 9, 1, 9, 1, 3};
  auto up = PickFrames(FakeReport(Direction::kHigherIsSharper, v), "m", 2, 3);
  ASSERT_TRUE(up.ok());
  std::vector<std::pair<std::string, int64_t>> got;
  for (const auto& p : *up) got.emplace_back(p.kind, p.index);
  const std::vector<std::pair<std::string, int64_t>> want = {
      {"sharpest", 12},
      {"sharpest", 14},  // tie 9/9: lower index first
      {"blurriest", 13},
      {"blurriest", 15},
      {"blurriest", 16}};
  EXPECT_EQ(got, want);
  EXPECT_EQ((*up)[1].rank, 2);
  EXPECT_DOUBLE_EQ((*up)[4].value, 3);

  // Higher is blurrier: the ends swap.
  auto down =
      PickFrames(FakeReport(Direction::kHigherIsBlurrier, v), "m", 1, 1);
  ASSERT_TRUE(down.ok());
  ASSERT_EQ(down->size(), 2u);
  EXPECT_EQ((*down)[0].index, 13);
  EXPECT_EQ((*down)[1].index, 12);

  // --min-gap 0.25 s: 14 (t 0.4) is too near 12 (t 0.2); 16 is far enough.
  auto gap =
      PickFrames(FakeReport(Direction::kHigherIsSharper, v), "m", 2, 0, 0.25);
  ASSERT_TRUE(gap.ok());
  ASSERT_EQ(gap->size(), 2u);
  EXPECT_EQ((*gap)[0].index, 12);
  EXPECT_EQ((*gap)[1].index, 16);

  // More than there are: what there is.
  auto many = PickFrames(FakeReport(Direction::kHigherIsSharper, v), "m", 9, 0);
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->size(), 6u);

  EXPECT_FALSE(PickFrames(FakeReport(Direction::kNeutral, v), "m", 1, 0).ok());
  EXPECT_FALSE(
      PickFrames(FakeReport(Direction::kHigherIsSharper, v), "x", 1, 0).ok());
  EXPECT_FALSE(
      PickFrames(FakeReport(Direction::kHigherIsSharper, v), "m", -1, 0).ok());
  FramePick p{"sharpest", 1, 370, 12.345, 1.0};
  EXPECT_EQ(FramePngName(p), "sharpest-01_t0012.345_f000370.png");
}

std::vector<std::string> CsvLines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// `acuity frames` picks exactly the frames the per-frame series of
// `acuity score -o` says are extreme (same sampling options).
TEST(FramesTest, CliPicksTheExtremesOfTheScoreSeries) {
  const std::string clip = SeriesClip();
  ASSERT_FALSE(clip.empty());
  for (const std::string key : {"laplacian_var", "edge_width_px"}) {
    const std::string scored = FreshDir("scored_" + key);
    auto s = test::RunCommand(test::Cli() + " score -q --every 2 --metrics " +
                              key + " -o '" + scored + "' '" + clip + "'");
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const auto json = nlohmann::json::parse(
        test::ReadFile(scored + "/frames_series.acuity.json"));
    const bool high_sharp =
        json["metrics"][key]["direction"] == "higher_is_sharper";
    std::vector<std::pair<double, int64_t>> series;  // (sharpness, index)
    for (const auto& f : json["frames"]) {
      if (f["metrics"][key].is_null()) continue;
      const double v = f["metrics"][key].get<double>();
      series.emplace_back(high_sharp ? v : -v, f["index"].get<int64_t>());
    }
    ASSERT_EQ(series.size(), 5u);
    auto by_sharp = series;
    std::sort(by_sharp.begin(), by_sharp.end(), [](auto& a, auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    auto by_blur = series;
    std::sort(by_blur.begin(), by_blur.end(), [](auto& a, auto& b) {
      return a.first != b.first ? a.first < b.first : a.second < b.second;
    });

    const std::string out = FreshDir("picks_" + key);
    auto r =
        test::RunCommand(test::Cli() + " frames --every 2 --metric " + key +
                         " --sharpest 2 --blurriest 2 --min-gap 0 "
                         "--format csv "
                         "-o '" +
                         out + "' '" + clip + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(test::ReadFile(out + "/frames.csv"), r.out);
    const auto lines = CsvLines(r.out);
    ASSERT_EQ(lines.size(), 5u) << r.out;
    EXPECT_EQ(lines[0], "kind,rank,index,pts,key,value,file");
    for (int i = 0; i < 4; ++i) {
      std::vector<std::string> f;
      std::stringstream ss(lines[1 + i]);
      std::string cell;
      while (std::getline(ss, cell, ',')) f.push_back(cell);
      ASSERT_EQ(f.size(), 7u);
      const bool sharp = i < 2;
      const int rank = sharp ? i + 1 : i - 1;
      const int64_t want = (sharp ? by_sharp : by_blur)[rank - 1].second;
      EXPECT_EQ(f[0], sharp ? "sharpest" : "blurriest");
      EXPECT_EQ(f[1], std::to_string(rank));
      EXPECT_EQ(std::stoll(f[2]), want) << key << " " << lines[1 + i];
      EXPECT_EQ(f[4], key);
      const cv::Mat img = cv::imread(out + "/" + f[6], cv::IMREAD_COLOR);
      ASSERT_FALSE(img.empty()) << f[6];
      EXPECT_EQ(img.cols, 320);
      EXPECT_EQ(img.rows, 180);
    }
  }
  // The strongly blurred frame 2 is the blurriest of 0, 2, 4, 6, 8 by the
  // Laplacian.
  const auto csv =
      CsvLines(test::ReadFile(fs::path(ACUITY_BINARY_DIR) /
                              "frames_test/picks_laplacian_var/frames.csv"));
  EXPECT_EQ(csv[3].substr(0, 16), "blurriest,1,2,0.");
}

// Flat is not blurry: a clip of a plain, evenly lit wall with faint grain
// (frames 0-9), a
// sharp photo (10-19) and the same photo out of focus (20-29), 10 fps.
std::string FlatSharpBlurredClip() {
  return test::Generated(
      "frames_flat_sharp_blurred.mp4",
      "-f lavfi -i color=c=0x8a6a4a:s=480x270:r=10:d=1 -loop 1 -framerate 10 "
      "-i /usr/share/doc/opencv-doc/examples/data/building.jpg "
      "-filter_complex "
      "\"[0]format=gray,geq=lum='100+X/16+Y/16',noise=alls=2:allf=t,"
      "format=yuv420p[flat];"
      "[1]scale=480:270,setsar=1,trim=duration=2,split[s][b0];"
      "[s]trim=duration=1,setpts=PTS-STARTPTS,format=yuv420p[sharp];"
      "[b0]trim=duration=1,setpts=PTS-STARTPTS,gblur=sigma=2.5,"
      "format=yuv420p[blur];[flat][sharp][blur]concat=n=3\" "
      "-c:v libx264 -crf 16 -g 10");
}

TEST(FramesTest, FlatFramesAreNotBlurriest) {
  const std::string clip = FlatSharpBlurredClip();
  ASSERT_FALSE(clip.empty());
  ScoreOptions options;
  options.metrics = SelectMetrics("detail_scale_px,laplacian_var").value();
  auto report = ScoreVideo(clip, options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_EQ(report->frames.size(), 30u);
  // What the old default did: the wall has the lowest Laplacian variance.
  auto old = PickFrames(*report, "laplacian_var", 0, 1, 0.0);
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  EXPECT_LT(old->front().index, 10);
  // detail_scale_px: the wall is flat (null), so never a candidate; the ten
  // blurriest are the out-of-focus frames, the ten sharpest the sharp ones.
  auto picks = PickFrames(*report, "detail_scale_px", 10, 20, 0.0);
  ASSERT_TRUE(picks.ok()) << picks.status().message();
  ASSERT_EQ(picks->size(), 30u);
  for (const FramePick& p : *picks) {
    EXPECT_GE(p.index, 10) << p.kind << " " << p.rank;
    if (p.kind == "sharpest") {
      EXPECT_LT(p.index, 20) << p.rank;
    }
    if (p.kind == "blurriest" && p.rank <= 10) {
      EXPECT_GE(p.index, 20);
    }
  }
  // The CLI with its defaults (detail_scale_px, --min-gap 1).
  const std::string out = FreshDir("flat");
  auto r = test::RunCommand(test::Cli() +
                            " frames --sharpest 1 --blurriest 1 --format csv "
                            "-o '" +
                            out + "' '" + clip + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = CsvLines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  auto index_of = [](const std::string& line) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    return f.size() > 4 && f[4] == "detail_scale_px" ? std::stoll(f[2]) : -1;
  };
  EXPECT_GE(index_of(lines[1]), 10);  // sharpest
  EXPECT_LT(index_of(lines[1]), 20);
  EXPECT_GE(index_of(lines[2]), 20);  // blurriest
  EXPECT_NE(r.err.find("10 of 30 frames have no detail_scale_px"),
            std::string::npos)
      << r.err;
}

// --min-gap defaults to 1 s: two blurriest picks of the 3 s clip are at
// least 1 s apart.
TEST(FramesTest, MinGapDefaultsToOneSecond) {
  const std::string clip = FlatSharpBlurredClip();
  ASSERT_FALSE(clip.empty());
  const std::string out = FreshDir("gap");
  auto r =
      test::RunCommand(test::Cli() + " frames --blurriest 2 --format csv -o '" +
                       out + "' '" + clip + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = CsvLines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  auto pts_of = [](const std::string& line) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    return f.size() > 3 ? std::stod(f[3]) : -100.0;
  };
  EXPECT_GE(std::abs(pts_of(lines[1]) - pts_of(lines[2])), 1.0 - 1e-9);
  auto h = test::RunCommand(test::Cli() + " frames --help");
  EXPECT_NE(h.out.find("default 1"), std::string::npos) << h.out;
}

TEST(FramesTest, CliErrors) {
  const std::string clip = SeriesClip();
  ASSERT_FALSE(clip.empty());
  const std::string dir = FreshDir("errors");
  const std::string cli = test::Cli() + " frames ";
  struct Case {
    std::string args;
    int code;
  };
  for (const Case& c : std::vector<Case>{
           {"--sharpest -1 -o '" + dir + "' '" + clip + "'", 2},
           {"--sharpest 1 '" + clip + "'", 2},      // no -o
           {"-o '" + dir + "' '" + clip + "'", 2},  // nothing asked
           {"--sharpest 1 --metric luma_mean -o '" + dir + "' '" + clip + "'",
            2},  // neutral
           {"--sharpest 1 --metric nope -o '" + dir + "' '" + clip + "'", 2},
           {"--sharpest 1 -o '" + dir + "' /nonexistent/x.mp4", 1}}) {
    auto r = test::RunCommand(cli + c.args);
    EXPECT_EQ(r.exit_code, c.code) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n"
                                                               << r.err;
    EXPECT_EQ(r.out, "") << c.args;
  }
  EXPECT_TRUE(fs::is_empty(dir)) << "files written on error";
  auto h = test::RunCommand(test::Cli() + " help frames");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("Examples"), std::string::npos);
  EXPECT_NE(h.out.find("--min-gap"), std::string::npos);
}

}  // namespace
}  // namespace pipeline_frames_test
}  // namespace acuity

namespace acuity {
namespace pipeline_frames_test {
namespace {

// Regression: with sampling that skips frames (--every 2), the frame handed
// out by Decoder::Next() must stay intact while the next selected one is
// decoded. It used to be overwritten by the skipped frame's successor, so
// the measuring thread sometimes scored frame N+2 as frame N.
TEST(FramesTest, SampledFramesAreMeasuredIntact) {
  const std::string clip = SeriesClip();
  ASSERT_FALSE(clip.empty());
  ScoreOptions all;
  all.metrics = SelectMetrics("laplacian_var").value();
  ScoreOptions every2 = all;
  every2.decoder.sampling.every = 2;
  for (int run = 0; run < 6; ++run) {  // a race: several tries
    auto full = ScoreVideo(clip, all);
    auto half = ScoreVideo(clip, every2);
    ASSERT_TRUE(full.ok() && half.ok());
    ASSERT_EQ(half->frames.size(), 5u);
    for (size_t i = 0; i < half->frames.size(); ++i) {
      const int64_t index = half->frames[i].index;
      EXPECT_EQ(index, static_cast<int64_t>(2 * i));
      EXPECT_EQ(half->values[0][i], full->values[0][index])
          << "frame " << index;
    }
  }
}

}  // namespace
}  // namespace pipeline_frames_test
}  // namespace acuity
