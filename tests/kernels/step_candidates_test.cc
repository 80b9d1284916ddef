// FindStepCandidates: every compiled SIMD target and the dispatched entry
// point find exactly the reference's columns, in order, on random strips
// with steps, ties and plateaus, over column ranges that leave every kind
// of tail and thresholds that are and are not floats; the reference is the
// scan's test as written.
#include "kernels/step_candidates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/targets.h"

namespace acuity::kernels {
namespace kernels_step_candidates_test {
namespace {

// Six rows of `cols` floats: quantised values (so that ties between
// neighbouring differences happen), some columns copied across rows
// (zero differences).
std::vector<std::vector<float>> RandomRows(int cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> q(0, 64);
  std::vector<std::vector<float>> rows(6, std::vector<float>(cols));
  for (auto& r : rows) {
    for (float& v : r) v = 0.25f * static_cast<float>(q(rng));
  }
  for (int c = 0; c < cols; c += 7) rows[2][c] = rows[1][c];
  return rows;
}

StepRows View(const std::vector<std::vector<float>>& r) {
  return {r[0].data(), r[1].data(), r[2].data(),
          r[3].data(), r[4].data(), r[5].data()};
}

TEST(StepCandidatesTest, EveryTargetEqualsReference) {
  int found = 0;
  for (const int cols : {1, 3, 4, 15, 16, 17, 33, 64, 67, 130, 270, 480}) {
    for (const double thr : {0.1, 0.25, 1.0 / 3.0, 2.0, 5.0, 100.0}) {
      const auto rows = RandomRows(cols, 31 * cols + static_cast<int>(8 * thr));
      for (const auto& [cb, ce] : std::vector<std::pair<int, int>>{
               {0, cols}, {cols / 4, cols}, {1, cols - 1}, {0, cols / 3}}) {
        if (cb >= ce || cb < 0 || ce > cols) continue;
        std::vector<int32_t> ref(cols, -1);
        const int n =
            FindStepCandidatesReference(View(rows), cb, ce, thr, ref.data());
        found += n;
        ref.resize(n);
        const std::string what =
            "cols=" + std::to_string(cols) + " thr=" + std::to_string(thr) +
            " [" + std::to_string(cb) + "," + std::to_string(ce) + ")";
        for (int64_t target : CompiledTargets()) {
          std::vector<int32_t> got(cols, -1);
          const int m = FindStepCandidatesOnTarget(target, View(rows), cb, ce,
                                                   thr, got.data());
          got.resize(m);
          ASSERT_EQ(got, ref) << what << " target=" << TargetName(target);
        }
        std::vector<int32_t> got(cols, -1);
        got.resize(FindStepCandidates(View(rows), cb, ce, thr, got.data()));
        ASSERT_EQ(got, ref) << what << " dispatched";
      }
    }
  }
  EXPECT_GT(found, 100);  // the sweep exercises the accepting branch
}

// The definition on hand-made columns: a rising and a falling step are
// found, a tie with the next difference is kept (a >= dp) and a tie with
// the previous one is not (a > dm), nor a fine difference of the other
// sign, nor a step just under the threshold.
TEST(StepCandidatesTest, ReferenceIsTheScanTest) {
  //                       c: 0     1     2     3     4     5     6
  std::vector<float> gm = {0.0f, 9.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  std::vector<float> g0 = {1.0f, 8.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f};
  std::vector<float> g1 = {5.0f, 4.0f, 5.0f, 2.0f, 5.0f, 5.0f, 2.99f};
  std::vector<float> g2 = {6.0f, 3.0f, 9.0f, 2.5f, 6.0f, 6.0f, 3.0f};
  std::vector<float> f0 = {0.0f, 9.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f};
  std::vector<float> f1 = {3.0f, 5.0f, 3.0f, 3.0f, 0.0f, 3.0f, 3.0f};
  gm[5] = -3.0f;  // column 5: dm = 4 = a, a tie with the previous difference
  const StepRows rows{gm.data(), g0.data(), g1.data(),
                      g2.data(), f0.data(), f1.data()};
  std::vector<int32_t> out(7, -1);
  const int n = FindStepCandidatesReference(rows, 0, 7, 2.0, out.data());
  out.resize(n);
  // 0: rising step 4 (dm 1, dp 1); 1: falling step 4 (dm 1, dp 1);
  // 2: a = dp = 4, kept; 3: a = 1 under 2; 4: fine difference falls;
  // 5: a = dm, not a maximum; 6: a = 1.99 under 2.
  EXPECT_EQ(out, (std::vector<int32_t>{0, 1, 2}));
}

TEST(StepCandidatesTest, ThresholdFloatIsTheSmallestFloatAtOrAbove) {
  for (const double t : {0.1, 1.0 / 3.0, 2.0, 7.25, 1e-3}) {
    const float f = StepThresholdFloat(t);
    EXPECT_GE(static_cast<double>(f), t);
    EXPECT_LT(static_cast<double>(std::nextafter(f, 0.0f)), t);
  }
}

}  // namespace
}  // namespace kernels_step_candidates_test
}  // namespace acuity::kernels
