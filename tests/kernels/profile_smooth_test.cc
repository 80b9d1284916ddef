// SmoothProfiles: every compiled SIMD target and the dispatched entry point
// equal the plain reference bit for bit, on profile lengths and column
// ranges that leave every kind of tail (4-vector blocks, single vectors,
// single columns), for the kernels effective_height uses and a wide one;
// columns outside the range are never written; the reference itself is a
// correct clamped convolution.
#include "kernels/profile_smooth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/targets.h"

namespace acuity::kernels {
namespace kernels_profile_smooth_test {
namespace {

std::vector<float> GaussianTaps(double sigma) {
  const int r = static_cast<int>(std::ceil(3.0 * sigma));
  std::vector<double> g(2 * r + 1);
  double sum = 0.0;
  for (int i = -r; i <= r; ++i) {
    sum += g[i + r] = std::exp(-0.5 * i * i / (sigma * sigma));
  }
  std::vector<float> taps;
  for (double v : g) taps.push_back(static_cast<float>(v / sum));
  return taps;
}

std::vector<float> RandomStrip(int len, int cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1023.75f);
  std::vector<float> s(static_cast<size_t>(len) * cols);
  for (float& v : s) v = u(rng);
  return s;
}

// Bit patterns, so -0.0f vs 0.0f and NaN payloads would count too.
bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(SmoothProfilesTest, EveryTargetEqualsReferenceBitForBit) {
  constexpr float kSentinel = -12345.5f;
  for (const double sigma : {1.0, 1.5, 2.0, 3.0, 4.0, 7.9}) {
    const std::vector<float> taps = GaussianTaps(sigma);
    for (const int len : {1, 2, 7, 40, 131}) {
      for (const int cols : {1, 3, 4, 17, 33, 67, 130, 270}) {
        for (const auto& [cb, ce] : std::vector<std::pair<int, int>>{
                 {0, cols}, {cols / 4, cols}, {1, cols - 1}, {0, cols / 3}}) {
          if (cb >= ce || cb < 0 || ce > cols) continue;
          const std::vector<float> in = RandomStrip(len, cols, 7 * len + cols);
          std::vector<float> ref(in.size(), kSentinel);
          SmoothProfilesReference(in.data(), len, cols, cb, ce, taps.data(),
                                  static_cast<int>(taps.size()), ref.data());
          for (size_t k = 0; k < ref.size(); ++k) {
            const int c = static_cast<int>(k % cols);
            if (c < cb || c >= ce) {
              ASSERT_EQ(ref[k], kSentinel);
            }
          }
          const std::string what =
              "sigma=" + std::to_string(sigma) + " len=" + std::to_string(len) +
              " cols=" + std::to_string(cols) + " [" + std::to_string(cb) +
              "," + std::to_string(ce) + ")";
          for (int64_t target : CompiledTargets()) {
            std::vector<float> got(in.size(), kSentinel);
            SmoothProfilesOnTarget(target, in.data(), len, cols, cb, ce,
                                   taps.data(), static_cast<int>(taps.size()),
                                   got.data());
            ASSERT_TRUE(SameBits(got, ref))
                << what << " target=" << TargetName(target);
          }
          std::vector<float> got(in.size(), kSentinel);
          SmoothProfiles(in.data(), len, cols, cb, ce, taps.data(),
                         static_cast<int>(taps.size()), got.data());
          ASSERT_TRUE(SameBits(got, ref)) << what << " dispatched";
        }
      }
    }
  }
}

TEST(SmoothProfilesTest, ReferenceIsAClampedConvolution) {
  // A step along one profile: far from the ends and from the step the
  // output is the input (taps sum to 1); at the ends the edge sample is
  // repeated; across the step the output is the running sum of the taps.
  const std::vector<float> taps = GaussianTaps(2.0);
  const int r = static_cast<int>(taps.size() - 1) / 2;
  const int len = 60, cols = 2;
  std::vector<float> in(len * cols);
  for (int i = 0; i < len; ++i) {
    in[i * cols] = i < 30 ? 10.0f : 110.0f;    // column 0: a step
    in[i * cols + 1] = static_cast<float>(i);  // column 1: a ramp
  }
  std::vector<float> out(in.size());
  SmoothProfilesReference(in.data(), len, cols, 0, cols, taps.data(),
                          static_cast<int>(taps.size()), out.data());
  EXPECT_NEAR(out[5 * cols], 10.0f, 1e-4);
  EXPECT_NEAR(out[55 * cols], 110.0f, 1e-4);
  double below = 0.0;  // weight of the taps that land before the step at i=30
  for (int t = 0; t < static_cast<int>(taps.size()); ++t) {
    if (30 + t - r < 30) below += taps[t];
  }
  EXPECT_NEAR(out[30 * cols], 10.0 * below + 110.0 * (1.0 - below), 1e-3);
  // The ramp is kept in the middle (symmetric taps) and bent at the ends,
  // where the clamped samples pull it towards the end value.
  EXPECT_NEAR(out[30 * cols + 1], 30.0f, 1e-3);
  EXPECT_GT(out[0 * cols + 1], 0.0f);
  EXPECT_LT(out[(len - 1) * cols + 1], static_cast<float>(len - 1));
}

}  // namespace
}  // namespace kernels_profile_smooth_test
}  // namespace acuity::kernels
