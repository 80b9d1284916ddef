// acuity check: thresholds, profiles, the reference-relative gate and the
// exit codes on clips on both sides of a threshold.
#include "acuity/check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "acuity/score.h"
#include "test_util.h"

namespace acuity {
namespace compare_check_test {
namespace {

namespace fs = std::filesystem;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const fs::path dir = fs::path(ACUITY_BINARY_DIR) / "check_test";
  fs::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(CheckTest, ThresholdArguments) {
  auto kv = ParseThresholdArg("laplacian_var=50.5");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->first, "laplacian_var");
  EXPECT_DOUBLE_EQ(kv->second, 50.5);
  EXPECT_FALSE(ParseThresholdArg("laplacian_var").ok());
  EXPECT_FALSE(ParseThresholdArg("laplacian_var=abc").ok());
  EXPECT_FALSE(ParseThresholdArg("=3").ok());
}

TEST(CheckTest, YamlAndJsonProfiles) {
  auto yaml = LoadCheckProfile(WriteTemp(
      "gate.yaml",
      "stat: p10\nmin:\n  laplacian_var: 50\nmax:\n  laplacian_var: 9000\n"));
  ASSERT_TRUE(yaml.ok()) << yaml.status().message();
  EXPECT_EQ(yaml->stat.value_or(""), "p10");
  ASSERT_EQ(yaml->thresholds.size(), 1u);
  EXPECT_DOUBLE_EQ(*yaml->thresholds[0].min, 50);
  EXPECT_DOUBLE_EQ(*yaml->thresholds[0].max, 9000);
  auto json = LoadCheckProfile(
      WriteTemp("gate.json", R"({"min": {"luma_contrast": 100}})"));
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_DOUBLE_EQ(*json->thresholds[0].min, 100);
  auto bad = LoadCheckProfile(WriteTemp("bad.yaml", "minimum: {x: 1}\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown section 'minimum'"),
            std::string::npos);
  EXPECT_FALSE(LoadCheckProfile(WriteTemp("worse.yaml", "min: [1, 2]\n")).ok());
  EXPECT_EQ(LoadCheckProfile("/no/such/gate.yaml").status().code(),
            StatusCode::kNotFound);
}

TEST(CheckTest, ReasonsAndReferenceBounds) {
  Batch batch;
  for (double v : {10.0, 100.0, 1000.0}) {
    VideoValues x;
    x.path = std::to_string(static_cast<int>(v)) + ".mp4";
    x.values["laplacian_var"] = v;
    batch.videos.push_back(x);
  }
  auto results = CheckBatch(batch, "median", {{"laplacian_var", 50.0, 500.0}},
                            std::nullopt);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[0].pass);
  EXPECT_EQ(results[0].reasons.at(0), "laplacian_var median 10 < min 50");
  EXPECT_TRUE(results[1].pass);
  EXPECT_FALSE(results[2].pass);
  EXPECT_EQ(results[2].reasons.at(0), "laplacian_var median 1000 > max 500");

  Batch reference;
  for (int i = 1; i <= 11; ++i) {
    VideoValues x;
    x.name = "r" + std::to_string(i);
    x.values["laplacian_var"] = 10.0 * i;  // p10 = 20
    x.values["luma_mean"] = 100;           // decides no criterion
    reference.videos.push_back(x);
  }
  const auto gate = GateFromReference(reference, {});
  ASSERT_TRUE(gate.ok()) << gate.status().message();
  ASSERT_EQ(gate->criteria.size(), 1u);
  EXPECT_EQ(gate->criteria[0].criterion, "texture detail");
  EXPECT_NEAR(gate->criteria[0].batch_bound, 20.0, 1e-12);
  // 10 fails (below 20 less 25% = 15), 100 and 1000 pass.
  auto rel = CheckBatch(batch, "median", {}, gate.value());
  EXPECT_FALSE(rel[0].pass);
  EXPECT_EQ(rel[0].reasons.at(0),
            "texture detail: laplacian_var median 10 is -50% against the "
            "reference batch's p10 (20), beyond the 25% tolerance");
  EXPECT_TRUE(rel[1].pass);
  EXPECT_TRUE(rel[2].pass);
  // Too few reference videos for a percentile.
  reference.videos.resize(4);
  EXPECT_FALSE(GateFromReference(reference, {}).ok());
}

TEST(CheckTest, PairedGateComparesEachVideoWithItsOwnReference) {
  Batch reference, candidates;
  for (int i = 1; i <= 6; ++i) {
    VideoValues x;
    x.name = "v" + std::to_string(i);
    x.path = x.name + ".mp4";
    x.values["laplacian_var_nc"] = 100.0 * i;
    x.values["laplacian_var"] = 110.0 * i;  // not the deciding metric
    x.values["edge_width_px"] = 2.0;        // higher is blurrier
    reference.videos.push_back(x);
    // v6 lost 77% of its detail, yet stays above the batch's p10 (150).
    x.values["laplacian_var_nc"] *= i == 6 ? 0.23 : 0.85;
    x.values["laplacian_var"] *= 0.5;  // ignored: texture decides by _nc
    x.values["edge_width_px"] = i == 5 ? 2.8 : 2.3;
    candidates.videos.push_back(x);
  }
  auto gate = GateFromReference(reference, {});
  ASSERT_TRUE(gate.ok());
  auto r = CheckBatch(candidates, "median", {}, *gate);
  ASSERT_EQ(r.size(), 6u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(r[i].pass) << i;
  EXPECT_FALSE(r[4].pass);  // edges 40% wider than its own
  EXPECT_NE(r[4].reasons.at(0).find("edge sharpness: edge_width_px median "
                                    "2.8 is +40% against its reference v5"),
            std::string::npos)
      << r[4].reasons.at(0);
  EXPECT_FALSE(r[5].pass);
  EXPECT_NE(r[5].reasons.at(0).find("against its reference v6 (600)"),
            std::string::npos);
  // Unpaired, v6 (138) is above p10 less 25% (150 * 0.75): the batch
  // bound cannot see it, which is why pairing is the default.
  GateOptions none;
  none.pair_by = PairBy::kNone;
  auto u = CheckBatch(candidates, "median", {},
                      GateFromReference(reference, none).value());
  EXPECT_TRUE(u[5].pass);
  // A wider tolerance passes v5.
  GateOptions loose;
  loose.tolerance["edge sharpness"] = 0.45;
  EXPECT_TRUE(CheckBatch(candidates, "median", {},
                         GateFromReference(reference, loose).value())[4]
                  .pass);
}

std::string F(const std::string& name) {
  return test::Fixture("compare/" + name);
}

TEST(CheckCliTest, ExitCodesOnBothSidesOfAThreshold) {
  const std::string check = test::Cli() + " check ";
  // c1 (testsrc2): laplacian_var ~2000 sharp, ~27 after gblur 1.5.
  auto pass =
      test::RunCommand(check + "--min laplacian_var=200 " + F("sharp/c1.mp4"));
  EXPECT_EQ(pass.exit_code, 0) << pass.err;
  EXPECT_EQ(pass.out, "PASS " + F("sharp/c1.mp4") + "\n");
  auto fail = test::RunCommand(check + "--min laplacian_var=200 " +
                               F("sharp/c1.mp4") + " " + F("blur/c1.mp4"));
  EXPECT_EQ(fail.exit_code, 3) << fail.err;
  EXPECT_NE(
      fail.out.find("FAIL " + F("blur/c1.mp4") + ": laplacian_var median "),
      std::string::npos)
      << fail.out;
  EXPECT_NE(fail.out.find("< min 200"), std::string::npos);
  // An input that cannot be scored is an error (1), whatever the others do.
  auto error =
      test::RunCommand(check + "--min laplacian_var=200 " + F("sharp/c1.mp4") +
                       " " + test::Fixture("bad/empty.mp4"));
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_NE(error.err.find("empty file"), std::string::npos) << error.err;
  // Usage: nothing to check, unknown metric, bad statistic.
  EXPECT_EQ(test::RunCommand(check + F("sharp/c1.mp4")).exit_code, 2);
  EXPECT_EQ(test::RunCommand(check + "--min sharpness=1 " + F("sharp/c1.mp4"))
                .exit_code,
            2);
  EXPECT_EQ(test::RunCommand(check + "--stat p200 --min laplacian_var=1 " +
                             F("sharp/c1.mp4"))
                .exit_code,
            2);
}

TEST(CheckCliTest, ProfileStatAndRelativeGate) {
  const std::string profile =
      WriteTemp("p10.yaml", "stat: p10\nmin:\n  laplacian_var: 200\n");
  auto r = test::RunCommand(test::Cli() + " check --profile " + profile + " " +
                            F("blur/c2.mp4"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("laplacian_var p10 "), std::string::npos) << r.out;
  auto rel =
      test::RunCommand(test::Cli() + " check --relative-to " + F("sharp") +
                       " " + F("sharp/c1.mp4") + " " + F("blur/c1.mp4"));
  EXPECT_EQ(rel.exit_code, 3) << rel.err;
  EXPECT_NE(rel.out.find("PASS " + F("sharp/c1.mp4")), std::string::npos)
      << rel.out;
  EXPECT_NE(rel.out.find("FAIL " + F("blur/c1.mp4") +
                         ": effective resolution: resolution_ratio median "),
            std::string::npos)
      << rel.out;
  EXPECT_NE(rel.out.find("against its reference c1"), std::string::npos)
      << rel.out;
  // --metrics is honoured for reports too: with texture only, the edge
  // criterion is not gated.
  auto texture_only = test::RunCommand(
      test::Cli() + " check --metrics laplacian_var_nc --relative-to " +
      F("sharp") + " " + F("blur/c1.mp4"));
  EXPECT_EQ(texture_only.exit_code, 3);
  EXPECT_EQ(texture_only.out.find("edge sharpness"), std::string::npos)
      << texture_only.out;
  EXPECT_NE(texture_only.out.find("texture detail: laplacian_var_nc"),
            std::string::npos)
      << texture_only.out;
}

// The error rates of check --relative-to on real clips: 12 clips of one
// source (time offsets, noise seeds) as the reference; candidates from the
// same source must pass, the same clips at half resolution (scaled down and
// back up) or half saturation must fail, paired by name or not.
std::vector<VideoValues> Scored(const std::string& kind,
                                const std::string& filter) {
  std::vector<std::string> paths;
  for (int k = 1; k <= 12; ++k) {
    const std::string name = (k < 10 ? "s0" : "s") + std::to_string(k);
    paths.push_back(
        test::Generated("gate_" + kind + "_" + name + ".mp4",
                        "-i " + F("same/" + name + ".mp4") + " -vf " + filter +
                            " -c:v libx264 -crf 18 -preset ultrafast"));
  }
  ScoreOptions score;
  score.metrics = SelectMetrics("default").value();
  Batch b = LoadBatch(paths, ScoringWith(score), PooledStat{});
  EXPECT_EQ(b.videos.size(), 12u);
  for (VideoValues& v : b.videos) v.name = v.name.substr(v.name.size() - 3);
  return b.videos;
}

TEST(CheckGateTest, ErrorRatesOnSameSourceClips) {
  ScoreOptions score;
  score.metrics = SelectMetrics("default").value();
  const Batch all = LoadBatch({F("same")}, ScoringWith(score), PooledStat{});
  ASSERT_EQ(all.videos.size(), 12u);
  GateOptions paired, unpaired;
  unpaired.pair_by = PairBy::kNone;

  // False fails. Each clip against the other 11 (never seen by the gate).
  int false_fails = 0;
  for (size_t i = 0; i < all.videos.size(); ++i) {
    Batch ref, one;
    for (size_t j = 0; j < all.videos.size(); ++j) {
      (j == i ? one : ref).videos.push_back(all.videos[j]);
    }
    const auto r =
        CheckBatch(one, "median", {}, GateFromReference(ref, unpaired).value());
    false_fails += r[0].pass ? 0 : 1;
  }
  EXPECT_EQ(false_fails, 0);
  // The reference batch against itself, paired and unpaired.
  for (const GateOptions& o : {paired, unpaired}) {
    for (const CheckResult& r :
         CheckBatch(all, "median", {}, GateFromReference(all, o).value())) {
      EXPECT_TRUE(r.pass) << r.path << ": " << r.reasons.at(0);
    }
  }

  // Misses: every degraded clip must fail, on the criterion that lost.
  Batch half, desat;
  half.videos = Scored("half", "scale=160:90,scale=320:180");
  desat.videos = Scored("desat", "hue=s=0.5");
  for (const GateOptions& o : {paired, unpaired}) {
    const ReferenceGate gate = GateFromReference(all, o).value();
    for (const CheckResult& r : CheckBatch(half, "median", {}, gate)) {
      EXPECT_FALSE(r.pass) << r.path;
      ASSERT_FALSE(r.reasons.empty());
      // Caught by the effective resolution (-33%) and by edge width.
      // Not asserted: a texture fail. laplacian_var_nc works on 8x8 box
      // means (so grain and coding blocks cannot fake detail) and loses only
      // ~15% when a 320x180 clip is halved, inside the 25% tolerance.
      ASSERT_GE(r.reasons.size(), 2u) << r.path;
      EXPECT_NE(r.reasons[0].find("effective resolution: resolution_ratio"),
                std::string::npos)
          << r.reasons[0];
      EXPECT_NE(r.reasons[1].find("edge sharpness: edge_width_px"),
                std::string::npos)
          << r.reasons[1];
    }
    for (const CheckResult& r : CheckBatch(desat, "median", {}, gate)) {
      EXPECT_FALSE(r.pass) << r.path;
      ASSERT_EQ(r.reasons.size(), 1u) << r.path;  // colour only
      EXPECT_NE(r.reasons[0].find("colour: saturation_mean"), std::string::npos)
          << r.reasons[0];
    }
  }
}

// The same by simulation (the model of bench/compare_power.cc, which prints
// the table of docs/compare.md): three criteria, each deciding metric
// log-normal with a log-sd of 0.1 across videos (three times the spread of
// the compare/same clips), 12 reference videos. Same-distribution
// candidates fail at most 5% of the time; half saturation (x0.5) and half
// resolution (texture x0.1, edges x1.7) never pass.
TEST(CheckGateTest, SimulatedErrorRates) {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> z(0.0, 0.1);
  auto draw = [&] {
    VideoValues v;
    v.values["laplacian_var_nc"] = 1000 * std::exp(z(rng));
    v.values["edge_width_px"] = 2.3 * std::exp(z(rng));
    v.values["saturation_mean"] = 120 * std::exp(z(rng));
    return v;
  };
  for (const bool paired : {true, false}) {
    int same_fails = 0, misses = 0, candidates = 0;
    for (int r = 0; r < 40; ++r) {
      Batch ref;
      for (int i = 0; i < 12; ++i) {
        ref.videos.push_back(draw());
        ref.videos.back().name = "v" + std::to_string(i);
      }
      GateOptions o;
      o.pair_by = paired ? PairBy::kAuto : PairBy::kNone;
      const ReferenceGate gate = GateFromReference(ref, o).value();
      Batch same, half_sat, half_res;
      for (int i = 0; i < 12; ++i) {
        VideoValues v = paired ? ref.videos[i] : draw();
        for (auto& [k, x] : v.values) x *= paired ? std::exp(z(rng)) : 1.0;
        same.videos.push_back(v);
        v.values["saturation_mean"] *= 0.5;
        half_sat.videos.push_back(v);
        v = same.videos.back();
        v.values["laplacian_var_nc"] *= 0.1;
        v.values["edge_width_px"] *= 1.7;
        half_res.videos.push_back(v);
      }
      for (const auto& c : CheckBatch(same, "median", {}, gate)) {
        same_fails += c.pass ? 0 : 1;
        ++candidates;
      }
      for (const Batch* b : {&half_sat, &half_res}) {
        for (const auto& c : CheckBatch(*b, "median", {}, gate)) {
          misses += c.pass ? 1 : 0;
        }
      }
    }
    EXPECT_LE(same_fails, candidates * 5 / 100)
        << (paired ? "paired: " : "unpaired: ") << same_fails << " of "
        << candidates;
    EXPECT_EQ(misses, 0) << (paired ? "paired" : "unpaired");
  }
}

}  // namespace
}  // namespace compare_check_test
}  // namespace acuity
