// Power of acuity compare's tests, by simulation: how many videos does a
// change of a given size need? And the error rates of check --relative-to.
// Prints the Markdown tables of docs/compare.md. Deterministic (fixed
// seeds).
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

#include "acuity/check.h"
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

// --- check --relative-to ----------------------------------------------------
// Three criteria gated by their deciding metrics, each log-normal across
// videos with log-sd `spread`, independent (the worst case for false fails:
// correlated metrics fail together, adding less). Reference: 12 videos.
// Unpaired: a candidate is a new draw from the same distribution. Paired:
// a candidate is its reference video regenerated, each metric times
// exp(N(0, spread)). Degraded: half saturation (saturation_mean x 0.5), half
// resolution (laplacian_var_nc x 0.1, edge_width_px x 1.7, as measured on
// the compare/same fixture clips).
enum class Candidate { kSame, kHalfSaturation, kHalfResolution };

double GateFailRate(bool paired, double spread, Candidate kind,
                    std::mt19937_64& rng) {
  std::normal_distribution<double> z(0.0, 1.0);
  auto draw = [&] {
    acuity::VideoValues v;
    v.values["laplacian_var_nc"] = 1000 * std::exp(spread * z(rng));
    v.values["edge_width_px"] = 2.3 * std::exp(spread * z(rng));
    v.values["saturation_mean"] = 120 * std::exp(spread * z(rng));
    return v;
  };
  constexpr int kReferences = 200, kPerReference = 20;
  int fails = 0;
  for (int r = 0; r < kReferences; ++r) {
    acuity::Batch ref, cand;
    for (int i = 0; i < 12; ++i) {
      ref.videos.push_back(draw());
      ref.videos.back().name = "v" + std::to_string(i);
    }
    for (int i = 0; i < kPerReference; ++i) {
      acuity::VideoValues v;
      if (paired) {
        v = ref.videos[i % 12];
        for (auto& [k, x] : v.values) x *= std::exp(spread * z(rng));
      } else {
        v = draw();
        v.name = "new" + std::to_string(i);
      }
      if (kind == Candidate::kHalfSaturation)
        v.values["saturation_mean"] *= 0.5;
      if (kind == Candidate::kHalfResolution) {
        v.values["laplacian_var_nc"] *= 0.1;
        v.values["edge_width_px"] *= 1.7;
      }
      cand.videos.push_back(v);
    }
    acuity::GateOptions o;
    o.pair_by = paired ? acuity::PairBy::kAuto : acuity::PairBy::kNone;
    const auto gate = acuity::GateFromReference(ref, o);
    for (const auto& res :
         acuity::CheckBatch(cand, "median", {}, gate.value())) {
      fails += res.pass ? 0 : 1;
    }
  }
  return static_cast<double>(fails) / (kReferences * kPerReference);
}

void GateTable() {
  std::printf(
      "check --relative-to (default 20%% tolerance, 3 criteria, 12 reference "
      "videos, %d candidates per cell): share of candidates that fail\n\n",
      200 * 20);
  std::printf(
      "| comparison | log-sd | same distribution (false fail) | half "
      "saturation (caught) | half resolution (caught) "
      "|\n|---|---|---|---|---|\n");
  std::mt19937_64 rng(20261202);
  for (const bool paired : {true, false}) {
    for (double spread : {0.05, 0.1, 0.2, 0.3, 0.5}) {
      std::printf(
          "| %s | %.2f | %.3f | %.3f | %.3f |\n",
          paired ? "paired by name" : "batch p10", spread,
          GateFailRate(paired, spread, Candidate::kSame, rng),
          GateFailRate(paired, spread, Candidate::kHalfSaturation, rng),
          GateFailRate(paired, spread, Candidate::kHalfResolution, rng));
    }
  }
  std::printf("\n");
}

}  // namespace

int main() {
  std::printf(
      "Power at p < 0.05 (two-sided), %d simulated comparisons per cell.\n\n",
      kRuns);
  Table(
      "Paired (same names on both sides; log-sd of the per-video change 0.15)",
      PairedPower, {5, 8, 12, 20, 30}, {-0.05, -0.10, -0.20, -0.30});
  Table("Unpaired (different videos; log-sd between videos 0.5)", UnpairedPower,
        {10, 20, 40, 80, 160}, {-0.05, -0.10, -0.20, -0.30});
  GateTable();
  return 0;
}
