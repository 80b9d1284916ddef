// edge_width_px, edge_width_p90, edge_acutance, halo_overshoot, halo_share:
// synthetic edges with known answers, blur and sharpening ladders made with
// ffmpeg (ranked against FFmpeg's blurdetect), real photos, range/depth
// invariance, and the row-step/walk-cap sampling against the full analysis.
#include "metrics/edges.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "acuity/metric.h"
#include "metrics/frame_analysis.h"
#include "test_util.h"

namespace acuity {
namespace metrics_edges_test {
namespace {

using metrics::EdgeAnalyzer;
using metrics::EdgeFrameResult;
using metrics::EdgeSampling;

// An 8-bit plane that owns its samples.
struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> px;
  PlaneView view() const {
    return {px.data(), static_cast<ptrdiff_t>(width), width, height, 8};
  }
};

double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Vertical bars: steps from `lo` up to lo + h at x = 40 k + 10.3 and back
// down at x = 40 k + 30.3, each blurred by a Gaussian of `sigma` px
// (0: perfectly sharp), rounded to integers. Edges are 20 px apart, far
// more than the widths measured here.
Image Bars(double sigma, int lo, int h, int width = 400, int height = 64) {
  Image img{width, height, std::vector<uint8_t>(width * height)};
  for (int x = 0; x < width; ++x) {
    const double u = std::fmod(x, 40.0);
    double v;
    if (sigma == 0) {
      v = (u >= 10.3 && u < 30.3) ? 1.0 : 0.0;
    } else {
      // This bar, the previous one's falling edge and the next one's rise.
      v = Phi((u - 10.3) / sigma) - Phi((u - 30.3) / sigma) +
          (1 - Phi((u + 9.7) / sigma)) + Phi((u - 50.3) / sigma);
    }
    const uint8_t s = static_cast<uint8_t>(std::lround(lo + h * v));
    for (int y = 0; y < height; ++y) img.px[y * width + x] = s;
  }
  return img;
}

EdgeFrameResult Analyse(const Image& img, EdgeSampling sampling = {1, 0}) {
  EdgeAnalyzer a;
  return a.Analyse(img.view(), LumaScale{}, sampling);
}

// The quantised Marziliano width of a Gaussian-blurred step of height h
// (8-bit code values): the walk stops where the per-pixel rise h phi(u) /
// sigma of the profile falls below half a code value, so
//   W = 2 sigma sqrt(2 ln(2 h / (sigma sqrt(2 pi)))).
double TheoreticalWidth(double sigma, double h) {
  return 2 * sigma *
         std::sqrt(2 * std::log(2 * h / (sigma * std::sqrt(2 * M_PI))));
}

TEST(EdgeWidthTest, SharpStepIsOnePixelWide) {
  const EdgeFrameResult r = Analyse(Bars(0, 50, 150));
  ASSERT_TRUE(r.width_mean.has_value());
  EXPECT_EQ(*r.width_mean, 1.0);
  EXPECT_EQ(*r.width_p90, 1.0);
  EXPECT_EQ(*r.acutance, 255.0);  // one step carrying the whole height
  EXPECT_EQ(*r.overshoot, 0.0);
  EXPECT_EQ(*r.halo_share, 0.0);
  // 10 bars x 2 edges x 60 rows.
  EXPECT_EQ(r.edges, 10 * 2 * 60);
}

TEST(EdgeWidthTest, GaussianStepWidthFollowsTheory) {
  double prev_width = 1.0, prev_acutance = 255.0;
  for (double sigma : {0.7, 1.0, 1.5, 2.0, 3.0, 4.0}) {
    for (int h : {40, 150}) {
      const EdgeFrameResult r = Analyse(Bars(sigma, 50, h));
      ASSERT_TRUE(r.width_mean.has_value()) << sigma;
      const double want = TheoreticalWidth(sigma, h);
      std::printf(
          "sigma %.1f h %d: width %.3f (theory %.3f, 10-90%% %.3f) "
          "p90 %.3f acutance %.3f\n",
          sigma, h, *r.width_mean, want, 2.5631 * sigma, *r.width_p90,
          *r.acutance);
      EXPECT_NEAR(*r.width_mean, want, 0.15 * want + 0.5)
          << "sigma " << sigma << " h " << h;
      EXPECT_EQ(*r.halo_share, 0.0) << "a Gaussian edge has no rim";
      if (h == 150) {
        EXPECT_GT(*r.width_mean, prev_width) << sigma;
        EXPECT_LT(*r.acutance, prev_acutance) << sigma;
        prev_width = *r.width_mean;
        prev_acutance = *r.acutance;
      }
    }
  }
}

// The same edges at a third of the contrast: widths stay within the
// theory's log dependence on h, acutance is normalised to the step.
TEST(EdgeWidthTest, AcutanceDoesNotScaleWithContrast) {
  const EdgeFrameResult high = Analyse(Bars(1.5, 40, 180));
  const EdgeFrameResult low = Analyse(Bars(1.5, 100, 60));
  ASSERT_TRUE(high.acutance && low.acutance);
  EXPECT_NEAR(*low.acutance / *high.acutance, 1.0, 0.35);
}

// A rim of known size: a step from 60 to 160 with a 20-code-value
// overshoot and undershoot, one pixel each.
TEST(HaloTest, SyntheticRimIsMeasured) {
  // Profile around each rising edge (then mirrored for the falling one).
  const int rise[] = {60, 60, 60, 60, 60, 40, 110, 180, 160, 160, 160, 160};
  Image img{480, 40, std::vector<uint8_t>(480 * 40)};
  for (int x = 0; x < 480; ++x) {
    const int u = x % 48;
    int v;
    if (u < 12) {
      v = rise[u];
    } else if (u < 24) {
      v = 160;
    } else if (u < 36) {
      v = 220 - rise[u - 24];  // mirrored: 160 down to 60 with rims
    } else {
      v = 60;
    }
    for (int y = 0; y < 40; ++y) img.px[y * 480 + x] = static_cast<uint8_t>(v);
  }
  const EdgeFrameResult r = Analyse(img);
  ASSERT_TRUE(r.overshoot.has_value());
  // Extremum step 40 -> 180 = 140, rims 20 each, plateau step 100: 20 %.
  EXPECT_NEAR(*r.overshoot, 20.0, 0.01);
  EXPECT_EQ(*r.halo_share, 1.0);
  EXPECT_EQ(*r.width_mean, 2.0);  // 40 -> 110 -> 180
}

// A plain step every 48 px (60 -> 160 and back), with `extra` drawn into
// the plateaus of each period: thin lines, outlines... Edges of the steps
// are the frame's isolated step edges.
Image StepsWith(const std::function<int(int u, int plain)>& extra) {
  Image img{480, 40, std::vector<uint8_t>(480 * 40)};
  for (int x = 0; x < 480; ++x) {
    const int u = x % 48;
    const int plain = (u >= 12 && u < 36) ? 160 : 60;
    const int v = extra(u, plain);
    for (int y = 0; y < 40; ++y) img.px[y * 480 + x] = static_cast<uint8_t>(v);
  }
  return img;
}

// Thin lines and bars return all the way to the level they left: they are
// not isolated steps, and the steps beside them carry no halo.
TEST(HaloTest, ThinLinesAreNotHalos) {
  Image img{400, 40, std::vector<uint8_t>(400 * 40, 80)};
  for (int y = 0; y < 40; ++y) {
    for (int x = 5; x < 400; x += 20) {
      img.px[y * 400 + x] = 200;  // 1-px line
      img.px[y * 400 + x + 10] = 200;
      img.px[y * 400 + x + 11] = 200;  // 2-px line
    }
  }
  const EdgeFrameResult lines = Analyse(img);
  ASSERT_TRUE(lines.width_mean.has_value());
  EXPECT_EQ(lines.step_edges, 0);  // no edge of a line is a step
  EXPECT_FALSE(lines.overshoot.has_value());
  EXPECT_FALSE(lines.halo_share.has_value());
  // Lines between clean steps: the steps are measured, without halo.
  const EdgeFrameResult mixed = Analyse(StepsWith(
      [](int u, int plain) { return u == 24 || u == 0 ? plain + 90 : plain; }));
  ASSERT_TRUE(mixed.overshoot.has_value());
  EXPECT_GT(mixed.step_edges, 0);
  EXPECT_EQ(*mixed.overshoot, 0.0);
  EXPECT_EQ(*mixed.halo_share, 0.0);
}

// An outline (a dark 2-px line on one side of each step, as in cartoons and
// drop shadows) is a rim on one side only: not a halo. The same rim on both
// sides (what a sharpening filter draws) is one.
TEST(HaloTest, OneSidedOutlinesAreNotHalos) {
  const auto outlined = [](int u, int plain) {
    return (u == 10 || u == 11 || u == 36 || u == 37) ? 40 : plain;
  };
  const EdgeFrameResult r = Analyse(StepsWith(outlined));
  ASSERT_TRUE(r.overshoot.has_value());
  EXPECT_EQ(*r.overshoot, 0.0);
  EXPECT_EQ(*r.halo_share, 0.0);
  const auto haloed = [](int u, int plain) {
    if (u == 10 || u == 11 || u == 36 || u == 37) return 40;   // dark rim
    if (u == 12 || u == 13 || u == 34 || u == 35) return 180;  // bright rim
    return plain;
  };
  const EdgeFrameResult h = Analyse(StepsWith(haloed));
  ASSERT_TRUE(h.overshoot.has_value());
  EXPECT_NEAR(*h.overshoot, 20.0, 0.01);  // rims 20 of a 100 step
  EXPECT_EQ(*h.halo_share, 1.0);
}

// ---------------------------------------------------------------------------
// Through the registry's Metric, as the pipeline runs it.

const MetricEntry& Entry() {
  for (const MetricEntry& e : MetricRegistry()) {
    if (e.name == "edge_width_px") return e;
  }
  ADD_FAILURE() << "edge_width_px not registered";
  return MetricRegistry().front();
}

std::vector<std::optional<double>> RunMetric(const PlaneView& y,
                                             ColorRange range) {
  auto m = Entry().create();
  StreamInfo info;
  info.width = y.width;
  info.height = y.height;
  info.bit_depth = y.bit_depth;
  info.range = range;
  info.scale = LumaScale::For(y.bit_depth, range);
  EXPECT_TRUE(m->Init(info).ok());
  Frame f;
  f.y = y;
  FrameValues out(Entry().outputs.size());
  ProcessFrame(*m, f, info.scale, out);
  return out.values();
}

TEST(EdgeWidthTest, RegistryEntry) {
  const MetricEntry& e = Entry();
  ASSERT_EQ(e.outputs.size(), 5u);
  EXPECT_EQ(e.outputs[0].key, "edge_width_px");
  EXPECT_EQ(e.outputs[1].key, "edge_width_p90");
  EXPECT_EQ(e.outputs[2].key, "edge_acutance");
  EXPECT_EQ(e.outputs[3].key, "halo_overshoot");
  EXPECT_EQ(e.outputs[4].key, "halo_share");
  EXPECT_TRUE(e.in_default_set);
  EXPECT_EQ(e.outputs[0].direction, Direction::kHigherIsBlurrier);
  EXPECT_EQ(e.outputs[1].direction, Direction::kHigherIsBlurrier);
  EXPECT_EQ(e.outputs[2].direction, Direction::kHigherIsSharper);
  EXPECT_EQ(e.outputs[3].direction, Direction::kNeutral);
  EXPECT_EQ(e.outputs[4].direction, Direction::kNeutral);
}

TEST(EdgeWidthTest, FlatAndEdgelessFramesAreNull) {
  Image flat{320, 180, std::vector<uint8_t>(320 * 180, 128)};
  for (const auto& v : RunMetric(flat.view(), ColorRange::kFull)) {
    EXPECT_FALSE(v.has_value());
  }
  // Faint noise (+-3): gradients pass nothing but the noise floor, steps
  // stay below 10 code values.
  Image faint = flat;
  uint32_t seed = 1;
  for (uint8_t& p : faint.px) {
    seed = seed * 1664525u + 1013904223u;
    p = static_cast<uint8_t>(125 + (seed >> 24) % 7);
  }
  for (const auto& v : RunMetric(faint.view(), ColorRange::kFull)) {
    EXPECT_FALSE(v.has_value());
  }
  // Too few edges: one short vertical step (fewer than kMinEdges rows).
  Image one{320, 20, std::vector<uint8_t>(320 * 20, 60)};
  for (int y = 0; y < 20; ++y) {
    for (int x = 160; x < 320; ++x) one.px[y * 320 + x] = 200;
  }
  for (const auto& v : RunMetric(one.view(), ColorRange::kFull)) {
    EXPECT_FALSE(v.has_value());
  }
  // Tiny planes.
  Image tiny{4, 4, std::vector<uint8_t>(16, 7)};
  for (const auto& v : RunMetric(tiny.view(), ColorRange::kFull)) {
    EXPECT_FALSE(v.has_value());
  }
  // A real edge pattern is measured.
  const Image bars = Bars(1.0, 50, 150, 320, 180);
  for (const auto& v : RunMetric(bars.view(), ColorRange::kFull)) {
    ASSERT_TRUE(v.has_value());
    EXPECT_TRUE(std::isfinite(*v));
  }
}

// ---------------------------------------------------------------------------
// Clips made by ffmpeg.

struct ClipValues {
  double width, p90, acutance, overshoot, share;
};

ClipValues MeasureClip(const std::string& path) {
  EXPECT_FALSE(path.empty());
  const auto m = test::Measure(path, "edge_width_px");
  EXPECT_TRUE(m.has_value()) << path;
  if (!m) return {};
  const auto med = [&](const char* key) {
    const auto& s = m->Of(key);
    EXPECT_EQ(s.n_null, 0) << key << " " << path;
    return s.median.value_or(NAN);
  };
  return {med("edge_width_px"), med("edge_width_p90"), med("edge_acutance"),
          med("halo_overshoot"), med("halo_share")};
}

// FFmpeg's blurdetect: mean of lavfi.blur over the clip's frames.
double BlurdetectMean(const std::string& path) {
  const std::string out = path + ".blurdetect.txt";
  const test::RunResult r = test::RunCommand(
      "ffmpeg -nostdin -v error -i '" + path +
      "' -vf blurdetect,metadata=mode=print:file='" + out + "' -f null -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(test::ReadFile(out));
  std::remove(out.c_str());
  std::string line;
  double sum = 0;
  int n = 0;
  while (std::getline(in, line)) {
    const size_t at = line.find("lavfi.blur=");
    if (at == std::string::npos) continue;
    sum += std::atof(line.c_str() + at + 11);
    ++n;
  }
  EXPECT_GT(n, 0) << path;
  return n ? sum / n : NAN;
}

constexpr char kTestsrc2[] = "-f lavfi -i testsrc2=s=640x360:r=25 -frames:v 4";

std::string BlurClip(int sigma, const std::string& codec) {
  const std::string blur =
      sigma == 0 ? "null" : "gblur=sigma=" + std::to_string(sigma);
  const bool lossless = codec == "qp0";
  return test::Generated(
      "edges_gblur" + std::to_string(sigma) + "_" + codec + ".mkv",
      std::string(kTestsrc2) + " -vf " + blur +
          ",format=yuv420p -c:v libx264 " +
          (lossless ? "-qp 0" : "-crf 23 -preset fast"));
}

TEST(EdgeWidthTest, BlurLadderRanksLikeBlurdetect) {
  std::vector<ClipValues> ours;
  std::vector<double> theirs;
  for (int sigma : {0, 1, 2, 3, 4}) {
    const std::string clip = BlurClip(sigma, "qp0");
    ours.push_back(MeasureClip(clip));
    theirs.push_back(BlurdetectMean(clip));
    std::printf(
        "gblur %d: width %.3f p90 %.3f acutance %.3f | blurdetect %.3f\n",
        sigma, ours.back().width, ours.back().p90, ours.back().acutance,
        theirs.back());
  }
  for (size_t i = 1; i < ours.size(); ++i) {
    EXPECT_GT(ours[i].width, ours[i - 1].width) << "step " << i;
    EXPECT_GT(ours[i].p90, ours[i - 1].p90) << "step " << i;
    EXPECT_LT(ours[i].acutance, ours[i - 1].acutance) << "step " << i;
    // Same ranking as blurdetect (which increases strictly here too).
    EXPECT_GT(theirs[i], theirs[i - 1]) << "step " << i;
  }
}

// The same two ladder steps through a lossy H.264 encode (crf 23).
TEST(EdgeWidthTest, LossyH264KeepsTheOrder) {
  const ClipValues sharp = MeasureClip(BlurClip(0, "crf23"));
  const ClipValues soft = MeasureClip(BlurClip(2, "crf23"));
  EXPECT_GT(soft.width, 1.5 * sharp.width);
  EXPECT_LT(soft.acutance, 0.5 * sharp.acutance);
}

// unsharp=5:5:A (luma) on a slightly blurred source: stronger sharpening,
// stronger and more frequent halos.
TEST(HaloTest, UnsharpLadderRaisesHalos) {
  std::vector<ClipValues> v;
  for (const char* amount : {"0", "0.5", "1.0", "1.5", "2.5"}) {
    const std::string clip = test::Generated(
        std::string("edges_unsharp_") + amount + ".mkv",
        std::string(kTestsrc2) + " -vf gblur=sigma=0.8,unsharp=5:5:" + amount +
            ",format=yuv420p -c:v libx264 -qp 0");
    v.push_back(MeasureClip(clip));
    std::printf("unsharp %s: overshoot %.3f %% share %.4f width %.3f\n", amount,
                v.back().overshoot, v.back().share, v.back().width);
  }
  // The unsharpened source: no step edge with a symmetric rim.
  EXPECT_LT(v[0].share, 0.03);
  EXPECT_LT(v[0].overshoot, 1.0);
  for (size_t i = 1; i < v.size(); ++i) {
    EXPECT_GT(v[i].overshoot, v[i - 1].overshoot) << "step " << i;
    EXPECT_GE(v[i].share, v[i - 1].share) << "step " << i;
  }
  // Below amount 1 the rims of this slightly blurred source stay under 5 %
  // of the step (not visible); from 1.5 most step edges carry one.
  EXPECT_GT(v[3].share, 0.5);
  EXPECT_GT(v.back().share, 0.8);
}

std::string Photo(const std::string& name) {
  const std::string path =
      "/usr/share/doc/opencv-doc/examples/data/" + name + ".jpg";
  return ::access(path.c_str(), R_OK) == 0 ? path : "";
}

// The ladders: unsharp luma 5x5 and 13x13 at amounts 0..3 raise
// halo_overshoot strictly, on a synthetic pattern, a camera photo and a
// frame of real footage; Gaussian blur (sigma 1, 2, 4) never raises it above
// the unblurred picture. One frame each (ffv1, lossless).
TEST(HaloTest, UnsharpLaddersRiseAndBlurDoesNot) {
  const std::string building = Photo("building");
  if (building.empty()) GTEST_SKIP() << "opencv-doc not installed";
  const std::string data = "/usr/share/doc/opencv-doc/examples/data/";
  const struct {
    const char* name;
    std::string input;
  } sources[] = {
      {"smpte", "-f lavfi -i smptehdbars=s=640x360"},
      {"building", "-i " + building},
      {"megamind", "-ss 8 -i " + data + "Megamind.avi"},
  };
  for (const auto& src : sources) {
    const auto measure = [&](const std::string& tag, const std::string& vf) {
      const std::string clip = test::Generated(
          std::string("halo640_") + src.name + "_" + tag + ".mkv",
          src.input + " -frames:v 1 -vf 'scale=640:-2," + vf +
              ",format=yuv420p' -c:v ffv1");
      return MeasureClip(clip).overshoot;
    };
    const double base = measure("u0", "null");
    for (int size : {5, 13}) {
      double prev = base;
      for (int amount : {1, 2, 3}) {
        const std::string n = std::to_string(size);
        const double o =
            measure("u" + n + "_" + std::to_string(amount),
                    "unsharp=" + n + ":" + n + ":" + std::to_string(amount));
        std::printf("%s unsharp %dx%d amount %d: overshoot %.2f %%\n", src.name,
                    size, size, amount, o);
        EXPECT_GT(o, prev) << src.name << " size " << size << " amount "
                           << amount;
        prev = o;
      }
      EXPECT_GT(prev, base + 10.0) << src.name << " size " << size;
    }
    for (int sigma : {1, 2, 4}) {
      const double o = measure("g" + std::to_string(sigma),
                               "gblur=sigma=" + std::to_string(sigma));
      std::printf("%s gblur %d: overshoot %.2f %% (unblurred %.2f)\n", src.name,
                  sigma, o, base);
      // 0.05 percentage points: the resolution of a mean over a few
      // hundred edges whose rims are whole code values.
      EXPECT_LE(o, base + 0.05) << src.name << " gblur " << sigma;
    }
  }
}

TEST(EdgeWidthTest, BlurringRealPhotosWidensEdges) {
  for (const char* name : {"building", "fruits", "baboon"}) {
    const std::string sharp = Photo(name);
    if (sharp.empty()) GTEST_SKIP() << "opencv-doc not installed";
    const std::string blurred =
        test::Generated(std::string("edges_") + name + "_gblur2.png",
                        "-i " + sharp + " -vf gblur=sigma=2");
    const ClipValues a = MeasureClip(sharp);
    const ClipValues b = MeasureClip(blurred);
    std::printf("%s: width %.3f -> %.3f, acutance %.3f -> %.3f\n", name,
                a.width, b.width, a.acutance, b.acutance);
    EXPECT_GT(b.width, 1.4 * a.width) << name;
    EXPECT_LT(b.acutance, 0.5 * a.acutance) << name;
  }
}

// The same pictures as 8-bit limited, 8-bit full and 10-bit limited range.
TEST(EdgeWidthTest, RangeAndBitDepthGiveCloseValues) {
  const std::string src = std::string(kTestsrc2) + " -vf gblur=sigma=1";
  const std::string clips[] = {
      test::Generated("edges_range_l8.mkv", src + ",format=yuv420p -c:v ffv1"),
      test::Generated("edges_range_f8.mkv",
                      src + ",scale=out_range=full,format=yuv420p "
                            "-color_range pc -c:v ffv1"),
      test::Generated("edges_range_l10.mkv",
                      src + ",format=yuv420p10le -c:v ffv1")};
  std::vector<ClipValues> v;
  std::vector<double> luma;
  for (const std::string& clip : clips) {
    v.push_back(MeasureClip(clip));
    const auto m = test::Measure(clip, "luma_mean");
    ASSERT_TRUE(m.has_value());
    luma.push_back(m->Of("luma_mean").median.value_or(NAN));
    std::printf(
        "%s: width %.3f p90 %.3f acutance %.3f overshoot %.3f share "
        "%.4f luma %.2f\n",
        clip.c_str(), v.back().width, v.back().p90, v.back().acutance,
        v.back().overshoot, v.back().share, luma.back());
  }
  for (size_t i = 1; i < v.size(); ++i) {
    // The fixtures are what they claim: the same picture after range
    // normalisation (a full-range clip read as limited would be 7% off).
    EXPECT_NEAR(luma[i], luma[0], 1.0) << clips[i];
    EXPECT_NEAR(v[i].width, v[0].width, 0.02 * v[0].width) << clips[i];
    EXPECT_NEAR(v[i].p90, v[0].p90, std::max(1.0, 0.15 * v[0].p90)) << clips[i];
    EXPECT_NEAR(v[i].acutance, v[0].acutance, 0.05 * v[0].acutance) << clips[i];
    EXPECT_NEAR(v[i].overshoot, v[0].overshoot, 0.3) << clips[i];
    EXPECT_NEAR(v[i].share, v[0].share, 0.01) << clips[i];
  }
  // Blurred natively at 10 bits: the tails are quantised 4x finer, so the
  // walks go a little further (kMinRise is half an 8-bit code value).
  const ClipValues native8 = MeasureClip(
      test::Generated("edges_native8.mkv",
                      std::string(kTestsrc2) +
                          " -vf format=yuv420p,gblur=sigma=1.5 -c:v ffv1"));
  const ClipValues native10 = MeasureClip(
      test::Generated("edges_native10.mkv",
                      std::string(kTestsrc2) +
                          " -vf format=yuv420p10le,gblur=sigma=1.5 -c:v ffv1"));
  std::printf(
      "blurred at 8 / 10 bits: width %.3f / %.3f, acutance %.3f / "
      "%.3f\n",
      native8.width, native10.width, native8.acutance, native10.acutance);
  EXPECT_NEAR(native10.width, native8.width, 0.08 * native8.width);
  EXPECT_NEAR(native10.acutance, native8.acutance, 0.10 * native8.acutance);
}

// ---------------------------------------------------------------------------
// Production samples rows and caps the walks; the full analysis walks every
// edge pixel of every row. They must agree.

Image DecodeLuma(const std::string& path, int width, int height) {
  Image img{width, height, {}};
  img.px.resize(static_cast<size_t>(width) * height);
  const std::string cmd = "ffmpeg -nostdin -v error -i '" + path +
                          "' -frames:v 1 -vf format=gray -f rawvideo -";
  FILE* p = popen(cmd.c_str(), "r");
  const size_t got = p ? fread(img.px.data(), 1, img.px.size(), p) : 0;
  if (p) pclose(p);
  EXPECT_EQ(got, img.px.size()) << path;
  return img;
}

void ExpectSamplingAgrees(const Image& img, const EdgeSampling& sampling,
                          const std::string& what) {
  const EdgeFrameResult full = Analyse(img, {1, 0});
  const EdgeFrameResult part = Analyse(img, sampling);
  ASSERT_TRUE(full.width_mean && part.width_mean) << what;
  std::printf(
      "%s: full %lld edges, sampled %lld (rows 1/%d): width %.3f vs "
      "%.3f, acutance %.3f vs %.3f, overshoot %.3f vs %.3f\n",
      what.c_str(), static_cast<long long>(full.edges),
      static_cast<long long>(part.edges), part.row_step, *full.width_mean,
      *part.width_mean, *full.acutance, *part.acutance, *full.overshoot,
      *part.overshoot);
  EXPECT_NEAR(*part.width_mean, *full.width_mean, 0.05 * *full.width_mean)
      << what;
  // p90 is one of the discrete widths n or n sqrt(2): within a class.
  EXPECT_NEAR(*part.width_p90, *full.width_p90,
              std::max(1.0, 0.15 * *full.width_p90))
      << what;
  EXPECT_NEAR(*part.acutance, *full.acutance, 0.10 * *full.acutance) << what;
  EXPECT_NEAR(*part.overshoot, *full.overshoot, 0.5 + 0.15 * *full.overshoot)
      << what;
  EXPECT_NEAR(*part.halo_share, *full.halo_share,
              0.02 + 0.15 * *full.halo_share)
      << what;
}

TEST(EdgeWidthTest, RowStepAndWalkCapAgreeWithFullAnalysis) {
  for (int sigma : {0, 2}) {
    const Image img = DecodeLuma(BlurClip(sigma, "qp0"), 640, 360);
    for (int k : {2, 4}) {
      ExpectSamplingAgrees(
          img, {k, 0},
          "gblur " + std::to_string(sigma) + " rows 1/" + std::to_string(k));
    }
    ExpectSamplingAgrees(
        img, {}, "gblur " + std::to_string(sigma) + ", production sampling");
  }
  // 1080p, as production samples it (rows 1/4, kMaxWalks).
  const std::string hd = test::Generated(
      "edges_testsrc2_1080p.mkv",
      "-f lavfi -i testsrc2=s=1920x1080:r=25,noise=alls=3:allf=t -frames:v 1 "
      "-vf format=yuv420p -c:v libx264 -qp 0");
  const Image img = DecodeLuma(hd, 1920, 1080);
  ExpectSamplingAgrees(img, {}, "1080p testsrc2+noise, production sampling");
  const std::string photo = Photo("building");
  if (!photo.empty()) {
    const std::string big = test::Generated(
        "edges_building_1080p.png", "-i " + photo + " -vf scale=1920:1080");
    ExpectSamplingAgrees(DecodeLuma(big, 1920, 1080), {},
                         "1080p building.jpg, production sampling");
  }
}

// Threads and repeated runs give identical numbers (the kernels are exact
// and the walks run in a fixed order).
TEST(EdgeWidthTest, Deterministic) {
  const std::string clip = BlurClip(1, "qp0");
  const auto a = test::Measure(clip, "edge_width_px", 1);
  const auto b = test::Measure(clip, "edge_width_px", 2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->values, b->values);
}

}  // namespace
}  // namespace metrics_edges_test
}  // namespace acuity
