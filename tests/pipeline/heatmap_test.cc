// The tile map (pipeline/heatmap.h, acuity/heatmap.h) and
// `acuity score --heatmap`.
#include "pipeline/heatmap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "acuity/heatmap_png.h"
#include "acuity/score.h"
#include "kernels/owned_plane.h"
#include "test_util.h"

namespace acuity {
namespace pipeline_heatmap_test {
namespace {

namespace fs = std::filesystem;
using kernels::test::MakePlane;

TEST(HeatmapTest, GridRule) {
  int c = 0, r = 0;
  HeatmapGrid(1920, 1080, &c, &r);
  EXPECT_EQ(c, 16);
  EXPECT_EQ(r, 9);
  HeatmapGrid(640, 480, &c, &r);
  EXPECT_EQ(c, 16);
  EXPECT_EQ(r, 12);
  HeatmapGrid(1080, 1920, &c, &r);  // portrait
  EXPECT_EQ(c, 16);
  EXPECT_EQ(r, 28);
  HeatmapGrid(40, 12, &c, &r);  // tiles stay >= 8 samples
  EXPECT_EQ(c, 5);
  EXPECT_EQ(r, 1);
  HeatmapGrid(3, 3, &c, &r);
  EXPECT_EQ(c, 1);
  EXPECT_EQ(r, 1);
}

// The tiles' interiors partition the frame's interior: their moments add up
// to the whole-frame moments exactly, at any size, depth and stride.
TEST(HeatmapTest, TilesPartitionTheFrame) {
  for (int depth : {8, 10}) {
    for (auto [w, h] : {std::pair{161, 97}, std::pair{1921, 17},
                        std::pair{3, 3}, std::pair{64, 36}}) {
      const uint32_t max = kernels::test::MaxValue(depth);
      auto p = MakePlane(
          w, h, depth, 7,
          [&](int, int, std::mt19937& rng) { return rng() % (max + 1); }, 5);
      int cols = 0, rows = 0;
      HeatmapGrid(w, h, &cols, &rows);
      std::vector<kernels::LaplacianMoments> tiles;
      ComputeTileMoments(p.view, cols, rows, &tiles);
      ASSERT_EQ(tiles.size(), static_cast<size_t>(cols) * rows);
      kernels::LaplacianMoments sum;
      for (const auto& m : tiles) {
        sum.count += m.count;
        sum.sum += m.sum;
        sum.sum_sq += m.sum_sq;
        sum.sum_px += m.sum_px;
        sum.sum_px_sq += m.sum_px_sq;
      }
      EXPECT_EQ(sum, kernels::ComputeLaplacianMomentsReference(p.view))
          << w << "x" << h << " " << depth << "-bit";
    }
  }
}

// A flat region has no reading (null), not a low one.
TEST(HeatmapTest, FlatTilesAreNull) {
  auto p = MakePlane(
      256, 144, 8, 0,
      [](int x, int, std::mt19937& rng) {
        return x < 128 ? 90u + rng() % 2 : rng() % 256;  // +-1: flat
      },
      9);
  StreamInfo info;
  info.width = 256;
  info.height = 144;
  info.scale = LumaScale::For(8, ColorRange::kFull);
  TileMapAccumulator acc;
  acc.Init(info);
  Frame f;
  f.y = p.view;
  acc.Add(f);
  acc.Add(f);
  const Heatmap map = acc.Finish({{0, 0.0, true, ""}, {1, 0.04, false, ""}});
  ASSERT_EQ(map.cols, 16);
  ASSERT_EQ(map.rows, 9);
  EXPECT_EQ(map.frames, 2);
  for (int r = 0; r < map.rows; ++r) {
    for (int c = 0; c < map.cols; ++c) {
      if (c < 8) {
        EXPECT_FALSE(map.At(c, r).has_value()) << c << "," << r;
      } else {
        ASSERT_TRUE(map.At(c, r).has_value()) << c << "," << r;
        EXPECT_GT(*map.At(c, r), 1000.0);
      }
    }
  }
}

// Pooling is the geometric mean of (v + 1), minus 1, over the frames where
// the tile had a reading; the representative frame is the one nearest the
// median whole-frame value.
TEST(HeatmapTest, PoolsGeometricallyAndPicksTheMedianFrame) {
  // Vertical gratings of period 8 (structured, no noise): the tile values
  // differ with the amplitude.
  auto noisy = [](int amplitude, uint32_t seed) {
    return MakePlane(
        64, 64, 8, 0,
        [=](int x, int, std::mt19937&) {
          return static_cast<uint32_t>(std::lround(
              128 + amplitude * std::sin(2 * M_PI * (x + seed) / 8.0)));
        },
        seed);
  };
  auto a = noisy(10, 1), b = noisy(40, 2), c = noisy(100, 3);
  StreamInfo info;
  info.width = info.height = 64;
  info.scale = LumaScale::For(8, ColorRange::kFull);
  TileMapAccumulator acc;
  acc.Init(info);
  std::vector<std::optional<double>> tile0;
  for (auto* p : {&a, &c, &b}) {  // the median frame (b) is the last
    Frame f;
    f.y = p->view;
    acc.Add(f);
    std::vector<kernels::LaplacianMoments> tiles;
    ComputeTileMoments(p->view, 8, 8, &tiles);
    tile0.push_back(TileValue(tiles[0], info.scale));
  }
  const Heatmap map = acc.Finish({{0, 0.0, false, ""}, {1, 0.5, false, ""},
                                  {2, 1.0, false, ""}});
  ASSERT_EQ(map.cols, 8);
  double mean_log = 0;
  for (const auto& v : tile0) mean_log += std::log(*v + 1) / 3;
  ASSERT_TRUE(map.values[0].has_value());
  EXPECT_NEAR(*map.values[0], std::exp(mean_log) - 1, 1e-9 * *map.values[0]);
  EXPECT_EQ(map.frame_index, 2);
  EXPECT_DOUBLE_EQ(map.frame_pts, 1.0);
}

double QuadrantMeanLog(const Heatmap& m, bool right, bool bottom) {
  // Tiles wholly inside the quadrant: the middle row/column of an odd
  // count straddles the edge and is left out.
  double sum = 0;
  int n = 0;
  for (int r = 0; r < m.rows; ++r) {
    const bool top_tile = m.TileY0(r + 1) <= m.height / 2;
    const bool bottom_tile = m.TileY0(r) >= m.height / 2;
    if (!(bottom ? bottom_tile : top_tile)) continue;
    for (int c = 0; c < m.cols; ++c) {
      const bool left_tile = m.TileX0(c + 1) <= m.width / 2;
      const bool right_tile = m.TileX0(c) >= m.width / 2;
      if (!(right ? right_tile : left_tile)) continue;
      if (const auto& v = m.At(c, r)) {
        sum += std::log1p(*v);
        ++n;
      }
    }
  }
  EXPECT_GT(n, 4) << "quadrant " << right << bottom << " mostly flat";
  return n > 0 ? sum / n : 0.0;
}

Heatmap MapOf(const std::string& path, int threads = 1) {
  ScoreOptions options;
  options.metrics = SelectMetrics("laplacian_var").value();
  options.decoder.threads = threads;
  options.heatmap = true;
  auto report = ScoreVideo(path, options);
  EXPECT_TRUE(report.ok()) << report.status().message();
  if (!report.ok() || !report->heatmap) return {};
  return *report->heatmap;
}

// Blurring one quadrant makes it the blurriest quadrant of the map, by a
// wide margin (log units: a factor e^1.5 ~ 4.5 at least).
void ExpectBlurriestQuadrant(const Heatmap& m, bool right, bool bottom) {
  const double blurred = QuadrantMeanLog(m, right, bottom);
  for (bool rr : {false, true}) {
    for (bool bb : {false, true}) {
      if (rr == right && bb == bottom) continue;
      EXPECT_LT(blurred + 1.5, QuadrantMeanLog(m, rr, bb))
          << "blurred quadrant vs " << rr << bb;
    }
  }
}

TEST(HeatmapTest, BlurredQuadrantIsBlurriestTestsrc) {
  // Top-right quadrant blurred; lossless, 5 frames.
  const std::string clip = test::Generated(
      "heatmap_testsrc_tr_blur.mkv",
      "-f lavfi -i testsrc2=s=640x360:r=10:d=0.5 -filter_complex "
      "\"[0]split[a][b];[b]crop=320:180:320:0,gblur=sigma=4[c];"
      "[a][c]overlay=320:0\" -c:v libx264 -qp 0 -pix_fmt yuv420p");
  ASSERT_FALSE(clip.empty());
  const Heatmap m = MapOf(clip);
  ASSERT_EQ(m.cols, 16);
  ASSERT_EQ(m.rows, 9);
  EXPECT_EQ(m.frames, 5);
  ExpectBlurriestQuadrant(m, /*right=*/true, /*bottom=*/false);
  // Same numbers whatever the decoder's thread count.
  const Heatmap m3 = MapOf(clip, 3);
  EXPECT_EQ(m3.values, m.values);
  EXPECT_EQ(m3.frame_index, m.frame_index);
}

TEST(HeatmapTest, BlurredQuadrantIsBlurriestPhoto) {
  // A real photo (868x600), bottom-left quadrant blurred mildly (sigma 2),
  // H.264 as a camera would store it.
  const std::string clip = test::Generated(
      "heatmap_building_bl_blur.mp4",
      "-loop 1 -i /usr/share/doc/opencv-doc/examples/data/building.jpg "
      "-filter_complex \"[0]split[a][b];[b]crop=434:300:0:300,"
      "gblur=sigma=2[c];[a][c]overlay=0:300,format=yuv420p\" -frames:v 2 "
      "-c:v libx264 -crf 18");
  ASSERT_FALSE(clip.empty());
  const Heatmap m = MapOf(clip);
  ASSERT_EQ(m.cols, 16);
  ASSERT_EQ(m.rows, 11);
  ExpectBlurriestQuadrant(m, /*right=*/false, /*bottom=*/true);
}

// Flat is not blurry: a picture of three vertical thirds, a smooth sky-like
// gradient, a sharp photo and the same photo blurred (sigma 2.5). The sky
// is flat (null, counted, grey in the PNG), the blurred third is where the
// coarsest detail is, and the sharp third the finest.
TEST(HeatmapTest, SkyIsFlatAndBlurredTextureIsBlurriest) {
  const std::string clip = test::Generated(
      "heatmap_sky_sharp_blurred.mp4",
      "-f lavfi -i color=c=0x6080c0:s=240x360:r=5:d=0.4 -loop 1 -framerate 5 "
      "-i /usr/share/doc/opencv-doc/examples/data/building.jpg "
      "-filter_complex \"[0]format=gray,geq=lum='70+Y*100/360',"
      "format=yuv420p[sky];[1]scale=480:360,setsar=1,format=yuv420p,"
      "split[a][b];[a]crop=240:360:0:0[sharp];"
      "[b]crop=240:360:240:0,gblur=sigma=2.5[blur];"
      "[sky][sharp][blur]hstack=3\" -frames:v 2 "
      "-c:v libx264 -crf 16");
  ASSERT_FALSE(clip.empty());
  const Heatmap m = MapOf(clip);
  ASSERT_EQ(m.width, 720);
  ASSERT_EQ(m.cols, 16);
  ASSERT_EQ(m.detail_scale.size(), m.values.size());
  int flat = 0, sky_tiles = 0;
  double sharp_log = 0, blur_log = 0;
  int sharp_n = 0, blur_n = 0;
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < m.cols; ++c) {
      const auto& v = m.detail_scale[static_cast<size_t>(r) * m.cols + c];
      EXPECT_EQ(v.has_value(), m.At(c, r).has_value());
      flat += v ? 0 : 1;
      const int x0 = m.TileX0(c), x1 = m.TileX0(c + 1);
      if (x1 <= 240) {
        ++sky_tiles;
        EXPECT_FALSE(v.has_value()) << "sky tile " << c << "," << r;
      } else if (x0 >= 240 && x1 <= 480 && v) {
        sharp_log += std::log(*v);
        ++sharp_n;
      } else if (x0 >= 480 && v) {
        blur_log += std::log(*v);
        ++blur_n;
      }
    }
  }
  EXPECT_EQ(m.flat_tiles, flat);
  EXPECT_GE(m.flat_tiles, sky_tiles);
  ASSERT_GT(sharp_n, 3 * m.rows);
  ASSERT_GT(blur_n, 3 * m.rows);
  // The blurred third's detail is coarser by far (log units: e^0.7 ~ 2x).
  EXPECT_GT(blur_log / blur_n, sharp_log / sharp_n + 0.7);
  std::printf("  sky flat %d tiles; detail scale sharp %.2f px, blurred %.2f\n",
              m.flat_tiles, std::exp(sharp_log / sharp_n),
              std::exp(blur_log / blur_n));

  // The picture: flat tiles grey (B = G = R), detailed tiles coloured.
  Picture grey;
  grey.width = m.width;
  grey.height = m.height;
  grey.bgr.assign(static_cast<size_t>(m.width) * m.height * 3, 128);
  const Picture png = RenderHeatmap(grey, m);
  auto pixel = [&](int x, int y) {
    const uint8_t* p = &png.bgr[(static_cast<size_t>(y) * png.width + x) * 3];
    return cv::Vec3b(p[0], p[1], p[2]);
  };
  const int mid_y = m.TileY0(m.rows / 2) + 3;
  const cv::Vec3b sky = pixel(m.TileX0(1) + 3, mid_y);
  EXPECT_TRUE(sky[0] == sky[1] && sky[1] == sky[2]) << sky;
  const cv::Vec3b blurred = pixel(m.TileX0(14) + 3, mid_y);
  EXPECT_FALSE(blurred[0] == blurred[1] && blurred[1] == blurred[2]) << blurred;
}

std::string FreshDir(const std::string& name) {
  const fs::path d = fs::path(ACUITY_BINARY_DIR) / "heatmap_test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

std::string PhotoClip() {
  // 512x480 (not 16:9), 2 frames.
  return test::Generated(
      "heatmap_fruits.mkv",
      "-loop 1 -i /usr/share/doc/opencv-doc/examples/data/fruits.jpg "
      "-frames:v 2 -c:v ffv1");
}

TEST(HeatmapTest, CliWritesPngWithTheFrameAspect) {
  const std::string clip = PhotoClip();
  ASSERT_FALSE(clip.empty());
  const std::string dir = FreshDir("png");
  auto r = test::RunCommand(test::Cli() + " score --heatmap -o '" + dir +
                            "' '" + clip + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string png = dir + "/heatmap_fruits.heatmap.png";
  EXPECT_NE(r.err.find("acuity: wrote " + png), std::string::npos) << r.err;
  const cv::Mat img = cv::imread(png, cv::IMREAD_COLOR);
  ASSERT_FALSE(img.empty());
  // The picture part is the frame at its own size (< 1920 wide), the
  // legend strip below it.
  EXPECT_EQ(img.cols, 512);
  EXPECT_EQ(img.rows - HeatmapLegendHeight(img.cols), 480);

  const auto json = nlohmann::json::parse(
      test::ReadFile(dir + "/heatmap_fruits.acuity.json"));
  ASSERT_TRUE(json.contains("heatmap"));
  const auto& h = json["heatmap"];
  EXPECT_EQ(h["cols"], 16);
  EXPECT_EQ(h["rows"], 15);
  EXPECT_EQ(h["values"].size(), 16u * 15u);
  EXPECT_EQ(h["frames"], 2);
  EXPECT_TRUE(h["frame"]["index"].is_number_integer());

  // Without -o: the current folder. -q: no "wrote" line.
  const std::string cwd = FreshDir("cwd");
  auto q = test::RunCommand("cd '" + cwd + "' && " + test::Cli() +
                            " score -q --heatmap '" + clip + "'");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.err, "");
  EXPECT_TRUE(fs::exists(cwd + "/heatmap_fruits.heatmap.png"));
}

// A 1920+ wide picture is drawn at 1920 wide, aspect kept.
TEST(HeatmapTest, WidePicturesAreScaledDown) {
  const std::string clip = test::Generated(
      "heatmap_wide.mkv", "-f lavfi -i testsrc2=s=2560x1080:r=1:d=1 -c:v ffv1");
  ASSERT_FALSE(clip.empty());
  const Heatmap m = MapOf(clip);
  const std::string dir = FreshDir("wide");
  ASSERT_TRUE(WriteHeatmapPng(dir + "/w.png", clip, {}, m).ok());
  const cv::Mat img = cv::imread(dir + "/w.png", cv::IMREAD_COLOR);
  ASSERT_EQ(img.cols, 1920);
  EXPECT_EQ(img.rows - HeatmapLegendHeight(1920), 810);  // 1920 * 1080/2560
}

TEST(HeatmapTest, OffByDefaultAndWriteErrorsNameTheFile) {
  const std::string clip = PhotoClip();
  ASSERT_FALSE(clip.empty());
  const std::string dir = FreshDir("off");
  auto r =
      test::RunCommand(test::Cli() + " score -o '" + dir + "' '" + clip + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(
      test::ReadFile(dir + "/heatmap_fruits.acuity.json"));
  EXPECT_FALSE(json.contains("heatmap"));
  EXPECT_FALSE(fs::exists(dir + "/heatmap_fruits.heatmap.png"));

  // The PNG's name is taken by a folder: one error line naming it, exit 1,
  // and no report for that input.
  const std::string bad = FreshDir("bad");
  fs::create_directories(bad + "/heatmap_fruits.heatmap.png");
  auto e = test::RunCommand(test::Cli() + " score -q --heatmap -o '" + bad +
                            "' '" + clip + "'");
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_EQ(std::count(e.err.begin(), e.err.end(), '\n'), 1) << e.err;
  EXPECT_NE(e.err.find(bad + "/heatmap_fruits.heatmap.png"), std::string::npos)
      << e.err;
  EXPECT_FALSE(fs::exists(bad + "/heatmap_fruits.acuity.json"));
  for (const auto& f : fs::directory_iterator(bad)) {
    EXPECT_EQ(f.path().filename().string().find(".tmp-"), std::string::npos);
  }
}

}  // namespace
}  // namespace pipeline_heatmap_test
}  // namespace acuity
