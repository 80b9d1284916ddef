// Power of acuity compare's tests, by simulation: how many videos does a
// change of a given size need? Prints the Markdown tables of
// docs/compare.md. Deterministic (fixed seeds).
//
// Model: each video's pooled metric is log-normal. Paired: the after/before
// ratio of one video varies around the true change with a log-sd of
// kPairSd (re-generation noise). Unpaired: videos of one batch spread with
// a log-sd of kBatchSd (different prompts). A change counts as detected
// when the two-sided test gives p < 0.05 (one metric; Holm over k metrics
// needs p < 0.05/k for the smallest, so read the table as optimistic).
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "acuity/compare_stats.h"

namespace {

constexpr double kPairSd = 0.15;
constexpr double kBatchSd = 0.5;
constexpr int kRuns = 1000;

double PairedPower(int n, double change, std::mt19937_64& rng) {
  std::normal_distribution<double> noise(std::log1p(change), kPairSd);
  int hits = 0;
  for (int r = 0; r < kRuns; ++r) {
    std::vector<double> logs(n);
    for (double& x : logs) x = noise(rng);
    auto t = acuity::stats::WilcoxonSignedRank(logs);
    hits += (t && t->p_value < 0.05) ? 1 : 0;
  }
  return static_cast<double>(hits) / kRuns;
}

double UnpairedPower(int n, double change, std::mt19937_64& rng) {
  std::normal_distribution<double> level(0.0, kBatchSd);
  int hits = 0;
  for (int r = 0; r < kRuns; ++r) {
    std::vector<double> a(n), b(n);
    for (double& x : a) x = std::exp(level(rng));
    for (double& x : b) x = std::exp(level(rng)) * (1 + change);
    auto t = acuity::stats::MannWhitneyU(a, b);
    hits += (t && t->p_value < 0.05) ? 1 : 0;
  }
  return static_cast<double>(hits) / kRuns;
}

void Table(const char* title, double (*power)(int, double, std::mt19937_64&),
           const std::vector<int>& ns, const std::vector<double>& changes) {
  std::printf("%s\n\n| videos per side |", title);
  for (double c : changes) std::printf(" %+.0f%% |", c * 100);
  std::printf("\n|---|");
  for (size_t i = 0; i < changes.size(); ++i) std::printf("---|");
  std::printf("\n");
  std::mt19937_64 rng(20261125);
  for (int n : ns) {
    std::printf("| %d |", n);
    for (double c : changes) std::printf(" %.2f |", power(n, c, rng));
    std::printf("\n");
  }
  std::printf("\n");
}

}  // namespace

int main() {
  std::printf("Power at p < 0.05 (two-sided), %d simulated comparisons per cell.\n\n", kRuns);
  Table("Paired (same names on both sides; log-sd of the per-video change 0.15)",
        PairedPower, {5, 8, 12, 20, 30}, {-0.05, -0.10, -0.20, -0.30});
  Table("Unpaired (different videos; log-sd between videos 0.5)", UnpairedPower,
        {10, 20, 40, 80, 160}, {-0.05, -0.10, -0.20, -0.30});
  return 0;
}
