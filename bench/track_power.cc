// How many videos a day `acuity track` needs: the share of simulated
// timelines in which a week-long drop is found (a change point within one
// day of its start), by videos per day and size of the drop. Videos of one
// day spread lognormally (sigma 0.15, same-prompt clips; 0.40, mixed
// content). Prints the table of docs/track.md. Run:
// build/bench/acuity_track_power
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "acuity/track.h"

int main() {
  const int runs = 100;
  for (const double spread : {0.15, 0.40}) {
    std::printf("\nspread between videos of a day: lognormal sigma %.2f\n",
                spread);
    std::printf("| videos/day | -10%% | -20%% | -30%% | -50%% |\n");
    std::printf("|---|---|---|---|---|\n");
    for (const int per_day : {1, 3, 5, 10, 20}) {
      std::printf("| %d |", per_day);
      for (const double drop : {0.10, 0.20, 0.30, 0.50}) {
        std::mt19937_64 rng(1000 * per_day + static_cast<int>(drop * 100));
        std::normal_distribution<double> noise(0.0, spread);
        int found = 0;
        for (int run = 0; run < runs; ++run) {
          // 28 days, days 15..21 (indices 14..20) lower by `drop`.
          std::vector<std::vector<double>> g(28);
          for (int d = 0; d < 28; ++d) {
            for (int i = 0; i < per_day; ++i) {
              const double f = d >= 14 && d < 21 ? 1.0 - drop : 1.0;
              g[d].push_back(f * std::exp(noise(rng)));
            }
          }
          const auto cuts =
              acuity::track::DetectChanges(g, 0.005, 999, 1 + run, 0.05);
          for (size_t c : cuts) {
            if (c >= 13 && c <= 15) {
              ++found;
              break;
            }
          }
        }
        std::printf(" %d%% |", 100 * found / runs);
      }
      std::printf("\n");
    }
  }
  return 0;
}
