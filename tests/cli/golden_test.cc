// Golden reports: scoring samples/ must reproduce samples/expected/ (made by
// scripts/update-expected) within per-metric tolerances. Decoding is
// bit-exact and the kernels are exact, so the tolerances only absorb
// floating-point pooling, not algorithm drift.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace acuity {
namespace cli_golden_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

double Tolerance(const std::string& key) {
  // Exact integer kernels: only pooling rounding. brisque is OpenCV float
  // code (SVM, filters) whose last digits may differ between CPUs, and
  // effective_height and its companions pool per-edge sigmas computed
  // with libm (erf, log) whose last bits may differ between CPUs: an edge
  // on a threshold may come or go, moving the median slightly.
  static const std::map<std::string, double> kRelative = {
      {"laplacian_var", 1e-9},    {"luma_mean", 1e-9},
      {"luma_contrast", 1e-9},    {"brisque", 1e-3},
      {"effective_height", 1e-2}, {"effective_width", 1e-2},
      {"resolution_ratio", 1e-2}, {"blur_sigma_px", 1e-2}};
  const auto it = kRelative.find(key);
  return it == kRelative.end() ? 1e-6 : it->second;
}

void ExpectClose(const json& got, const json& want, const std::string& key,
                 const std::string& where) {
  if (want.is_null()) {
    EXPECT_TRUE(got.is_null()) << where << " " << key;
    return;
  }
  ASSERT_TRUE(got.is_number()) << where << " " << key;
  const double g = got, w = want;
  EXPECT_NEAR(g, w, Tolerance(key) * std::max(1.0, std::abs(w)))
      << where << " " << key;
}

TEST(GoldenTest, SamplesMatchExpectedReports) {
  const fs::path expected =
      fs::path(ACUITY_SOURCE_DIR) / "samples" / "expected";
  const fs::path out = fs::path(ACUITY_BINARY_DIR) / "golden_test";
  fs::remove_all(out);
  auto r = test::RunCommand("cd " ACUITY_SOURCE_DIR " && " + test::Cli() +
                            " score -q --metrics all -o " + out.string() +
                            " samples/");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int compared = 0;
  for (const auto& e : fs::directory_iterator(expected)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 12 || name.substr(name.size() - 12) != ".acuity.json")
      continue;
    SCOPED_TRACE(name);
    const json want = json::parse(test::ReadFile(e.path().string()));
    ASSERT_TRUE(fs::exists(out / name)) << "scoring samples/ made no " << name;
    const json got = json::parse(test::ReadFile((out / name).string()));
    EXPECT_EQ(got["schema_version"], want["schema_version"]);
    EXPECT_EQ(got["video"]["frames_used"], want["video"]["frames_used"]);
    ASSERT_EQ(got["frames"].size(), want["frames"].size());
    for (size_t f = 0; f < want["frames"].size(); ++f) {
      EXPECT_NEAR(got["frames"][f]["pts"].get<double>(),
                  want["frames"][f]["pts"].get<double>(), 1e-9);
      for (const auto& [key, value] : want["frames"][f]["metrics"].items()) {
        ExpectClose(got["frames"][f]["metrics"][key], value, key,
                    "frame " + std::to_string(f));
      }
    }
    for (const auto& [key, stats] : want["summary"].items()) {
      for (const char* s : {"mean", "median", "p5", "p95", "min", "max"}) {
        ExpectClose(got["summary"][key][s], stats[s], key,
                    std::string("summary ") + s);
      }
    }
    ++compared;
  }
  EXPECT_GE(compared, 6);
}

}  // namespace
}  // namespace cli_golden_test
}  // namespace acuity
