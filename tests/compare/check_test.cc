// acuity check: thresholds, profiles, the reference-relative gate and the
// exit codes on clips on both sides of a threshold.
#include "acuity/check.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace acuity {
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
    x.values["laplacian_var"] = 10.0 * i;  // p10 = 20
    x.values["luma_mean"] = 100;           // neutral: never a bound
    reference.videos.push_back(x);
  }
  const ReferenceBounds b = BoundsFromReference(reference);
  ASSERT_EQ(b.bound.size(), 1u);
  EXPECT_NEAR(b.bound.at("laplacian_var"), 20.0, 1e-12);
  auto rel = CheckBatch(batch, "median", {}, b);
  EXPECT_FALSE(rel[0].pass);
  EXPECT_TRUE(rel[1].pass);
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
  EXPECT_NE(rel.out.find("below the reference batch's p10"), std::string::npos)
      << rel.out;
}

}  // namespace
}  // namespace acuity
