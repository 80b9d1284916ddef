// Rank tests, Hodges-Lehmann intervals, bootstrap, Cliff's delta and Holm's
// adjustment for `acuity compare`. See include/acuity/compare_stats.h for
// the contract of each function; the algorithms follow R's wilcox.test
// (stats package, R >= 4.0) and p.adjust, which tests/compare/stats_test.cc
// checks against published outputs.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "acuity/compare_stats.h"

namespace acuity::stats {
namespace {

// R's exact tests are used below 50 observations (per sample).
constexpr size_t kExactLimit = 50;

bool AllFinite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(),
                     [](double x) { return std::isfinite(x); });
}

bool ValidConfidence(double confidence) {
  return confidence > 0.0 && confidence < 1.0;
}

double Sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

// Two-sided normal p-value of a standardised statistic.
double TwoSidedNormalP(double z) {
  return std::min(1.0, std::erfc(std::fabs(z) / std::sqrt(2.0)));
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Sum of t^3 - t over the groups of equal values in v (the tie correction
// term). Sorts a copy.
double TieSum(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double sum = 0.0;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j < v.size() && v[j] == v[i]) ++j;
    const double t = static_cast<double>(j - i);
    sum += t * t * t - t;
    i = j;
  }
  return sum;
}

// Number of subsets of {1..n} with each sum s = 0..n(n+1)/2: the null
// distribution of V times 2^n. For n < 50 every count is below 2^49, so the
// doubles are exact integers.
std::vector<double> SignedRankCounts(size_t n) {
  const size_t max_sum = n * (n + 1) / 2;
  std::vector<double> c(max_sum + 1, 0.0);
  c[0] = 1.0;
  for (size_t k = 1; k <= n; ++k) {
    const size_t top = k * (k + 1) / 2;
    for (size_t s = top; s >= k; --s) c[s] += c[s - k];
  }
  return c;
}

// Number of orderings of m x's and n y's with each U = #(x > y) = 0..m*n:
// the null distribution of U times C(m+n, n). Recurrence on whether the
// largest value is an x (it beats all n y's) or a y:
//   f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u).
// Sums of positive terms only, so the relative rounding error stays near
// 1e-16 even where counts exceed 2^53 (up to C(98, 49) ~ 2.5e28).
std::vector<double> MannWhitneyCounts(size_t m, size_t n) {
  std::vector<std::vector<double>> prev(n + 1, std::vector<double>{1.0});
  std::vector<std::vector<double>> cur(n + 1);
  for (size_t i = 1; i <= m; ++i) {
    cur[0].assign(1, 1.0);
    for (size_t j = 1; j <= n; ++j) {
      cur[j].assign(i * j + 1, 0.0);
      const std::vector<double>& x_top = prev[j];     // f(i-1, j, .)
      const std::vector<double>& y_top = cur[j - 1];  // f(i, j-1, .)
      for (size_t u = 0; u < x_top.size(); ++u) cur[j][u + j] += x_top[u];
      for (size_t u = 0; u < y_top.size(); ++u) cur[j][u] += y_top[u];
    }
    std::swap(prev, cur);
  }
  return prev[n];
}

// A discrete null distribution given as counts over 0..K.
class CountDistribution {
 public:
  explicit CountDistribution(std::vector<double> counts)
      : cdf_(std::move(counts)) {
    for (size_t i = 1; i < cdf_.size(); ++i) cdf_[i] += cdf_[i - 1];
    total_ = cdf_.back();
  }
  size_t max_value() const { return cdf_.size() - 1; }
  // P(X <= x); 0 for x < 0.
  double Lower(long x) const {
    if (x < 0) return 0.0;
    return cdf_[std::min<size_t>(static_cast<size_t>(x), max_value())] / total_;
  }
  // P(X >= x).
  double Upper(long x) const { return 1.0 - Lower(x - 1); }
  // Smallest q with P(X <= q) >= p, with R's fuzz (qsignrank, qwilcox) so a
  // p that equals a cumulative probability lands on it despite rounding.
  size_t Quantile(double p) const {
    const double target = p - 10 * std::numeric_limits<double>::epsilon();
    size_t q = 0;
    while (q < max_value() && cdf_[q] / total_ < target) ++q;
    return q;
  }
  // Two-sided p-value as R: the tail on the side of the mean x lies on,
  // doubled, capped at 1. x is an integer here (no ties).
  double TwoSidedP(double x) const {
    const double mean = 0.5 * static_cast<double>(max_value());
    const long xi = std::lround(x);
    const double one_sided = x > mean ? Upper(xi) : Lower(xi);
    return std::min(1.0, 2.0 * one_sided);
  }

 private:
  std::vector<double> cdf_;
  double total_ = 1.0;
};

// Confidence interval by inverting a rank test, given the sorted values
// (Walsh averages or pairwise differences) at which its statistic jumps.
// At a shift t strictly between two of them, the statistic is the number of
// values above t (Tukey's identity), so no data need be re-ranked.
Interval RankInterval(const std::vector<double>& sorted, double confidence,
                      bool exact, const CountDistribution* dist, double sigma) {
  const size_t n_values = sorted.size();
  Interval out;
  out.exact = exact;
  const size_t mid = n_values / 2;
  out.estimate =
      n_values % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  const double alpha = 1.0 - confidence;
  if (exact) {
    // R: qu <- q(alpha/2); if (qu == 0) qu <- 1; ql <- N - qu;
    //    c(diffs[qu], diffs[ql + 1])  (1-based).
    size_t qu = dist->Quantile(alpha / 2);
    if (qu == 0) qu = 1;
    out.lo = sorted[qu - 1];
    out.hi = sorted[n_values - qu];
    out.confidence = 1.0 - 2.0 * dist->Lower(static_cast<long>(qu) - 1);
    return out;
  }
  // Standardised statistic on the plateau that has k values at or below t:
  // S = N - k, mean N/2, continuity-corrected towards the mean.
  const double half = 0.5 * static_cast<double>(n_values);
  auto w = [&](size_t k) {
    const double z = half - static_cast<double>(k);
    return (z - 0.5 * Sign(z)) / sigma;
  };
  const double zq = NormalQuantile(1.0 - alpha / 2);
  // The boundary is the value where w falls to or below the threshold
  // (w is non-increasing in k); clamp to the ends when never or always.
  auto boundary = [&](double threshold) {
    size_t k = 0;
    while (k <= n_values && w(k) > threshold) ++k;
    const size_t index = k == 0 ? 0 : std::min(k - 1, n_values - 1);
    return sorted[index];
  };
  out.lo = boundary(zq);
  out.hi = boundary(-zq);
  const double w_max = w(0);
  // w(0) > zq: the requested level is reached (symmetrically at both ends).
  out.confidence = w_max > zq ? confidence : 2.0 * NormalCdf(w_max) - 1.0;
  return out;
}

double MedianInPlace(std::vector<double>& v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + mid);
  return 0.5 * (lower + upper);
}

// Linear interpolation between order statistics (numpy's default, R type 7).
double QuantileSorted(const std::vector<double>& sorted, double p) {
  const double h = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] +
         (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

}  // namespace

// Ranks 1..n with ties given their average rank (R's rank()). Also returns
// the tie correction sum(t^3 - t).
std::vector<double> AverageRanks(const std::vector<double>& v,
                                 double* tie_sum) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&v](size_t i, size_t j) { return v[i] < v[j]; });
  std::vector<double> rank(v.size());
  double ties = 0.0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && v[order[j]] == v[order[i]]) ++j;
    // Positions i..j-1 hold ranks i+1..j; their average:
    const double avg = 0.5 * static_cast<double>(i + 1 + j);
    for (size_t k = i; k < j; ++k) rank[order[k]] = avg;
    const double t = static_cast<double>(j - i);
    ties += t * t * t - t;
    i = j;
  }
  if (tie_sum != nullptr) *tie_sum = ties;
  return rank;
}

// Uniform index in [0, n) from a 64-bit generator, without modulo bias:
// reject the lowest 2^64 mod n outputs so the rest split evenly.
// (std::uniform_int_distribution is not specified bit-for-bit.)
uint64_t UniformIndex(std::mt19937_64& rng, uint64_t n) {
  const uint64_t reject_below = (0 - n) % n;  // 2^64 mod n
  uint64_t x = rng();
  while (x < reject_below) x = rng();
  return x % n;
}

Status ValidateIntervalOptions(double confidence, int resamples) {
  if (!ValidConfidence(confidence)) {
    return InvalidArgument(
        "confidence must be between 0 and 1 (exclusive), got " +
        std::to_string(confidence));
  }
  if (resamples < 1) {
    return InvalidArgument("resamples must be at least 1, got " +
                           std::to_string(resamples));
  }
  return Status::Ok();
}

std::optional<double> Median(std::vector<double> v) {
  if (v.empty() || !AllFinite(v)) return std::nullopt;
  return MedianInPlace(v);
}

double NormalQuantile(double p) {
  if (p <= 0.0) return -std::numeric_limits<double>::infinity();
  if (p >= 1.0) return std::numeric_limits<double>::infinity();
  // Acklam's rational approximation (relative error < 1.2e-9) ...
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow || p > 1.0 - kLow) {
    const double q = std::sqrt(-2.0 * std::log(p < kLow ? p : 1.0 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    if (p > kLow) x = -x;
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
        q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // ... refined by Halley steps on erfc to full double precision.
  for (int i = 0; i < 2; ++i) {
    const double e = NormalCdf(x) - p;
    const double u =
        e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
    x -= u / (1.0 + 0.5 * x * u);
  }
  return x;
}

std::optional<TestResult> MannWhitneyU(const std::vector<double>& a,
                                       const std::vector<double>& b,
                                       Method method) {
  if (a.empty() || b.empty() || !AllFinite(a) || !AllFinite(b)) {
    return std::nullopt;
  }
  std::vector<double> pooled(a);
  pooled.insert(pooled.end(), b.begin(), b.end());
  double tie_sum = 0.0;
  const std::vector<double> rank = AverageRanks(pooled, &tie_sum);
  const double n = static_cast<double>(a.size());
  const double m = static_cast<double>(b.size());
  double rank_sum_a = 0.0;
  for (size_t i = 0; i < a.size(); ++i) rank_sum_a += rank[i];
  TestResult out;
  out.statistic = rank_sum_a - n * (n + 1) / 2;

  const bool exact = method == Method::kAuto && a.size() < kExactLimit &&
                     b.size() < kExactLimit && tie_sum == 0.0;
  if (exact) {
    const CountDistribution dist(MannWhitneyCounts(a.size(), b.size()));
    out.exact = true;
    out.p_value = dist.TwoSidedP(out.statistic);
    return out;
  }
  const double total = n + m;
  const double variance =
      n * m / 12.0 * ((total + 1) - tie_sum / (total * (total - 1)));
  const double z = out.statistic - n * m / 2;
  if (!(variance > 0.0)) {  // every value tied: no evidence either way
    out.p_value = 1.0;
    return out;
  }
  out.p_value = TwoSidedNormalP((z - 0.5 * Sign(z)) / std::sqrt(variance));
  return out;
}

std::optional<TestResult> WilcoxonSignedRank(const std::vector<double>& diffs,
                                             Method method) {
  if (diffs.empty() || !AllFinite(diffs)) return std::nullopt;
  std::vector<double> nonzero;
  for (double d : diffs) {
    if (d != 0.0) nonzero.push_back(d);
  }
  const bool had_zeros = nonzero.size() != diffs.size();
  TestResult out;
  if (nonzero.empty()) {  // V = 0 with certainty
    out.exact = true;
    out.p_value = 1.0;
    return out;
  }
  std::vector<double> magnitude(nonzero.size());
  for (size_t i = 0; i < nonzero.size(); ++i) {
    magnitude[i] = std::fabs(nonzero[i]);
  }
  double tie_sum = 0.0;
  const std::vector<double> rank = AverageRanks(magnitude, &tie_sum);
  for (size_t i = 0; i < nonzero.size(); ++i) {
    if (nonzero[i] > 0) out.statistic += rank[i];
  }
  const size_t count = nonzero.size();
  const bool exact = method == Method::kAuto && count < kExactLimit &&
                     tie_sum == 0.0 && !had_zeros;
  if (exact) {
    const CountDistribution dist(SignedRankCounts(count));
    out.exact = true;
    out.p_value = dist.TwoSidedP(out.statistic);
    return out;
  }
  const double n = static_cast<double>(count);
  const double variance = n * (n + 1) * (2 * n + 1) / 24 - tie_sum / 48;
  const double z = out.statistic - n * (n + 1) / 4;
  // variance >= n(n+1)^2/16 > 0 even when every |d| is tied.
  out.p_value = TwoSidedNormalP((z - 0.5 * Sign(z)) / std::sqrt(variance));
  return out;
}

std::optional<Interval> HodgesLehmannPaired(const std::vector<double>& diffs,
                                            double confidence, Method method) {
  if (diffs.empty() || !AllFinite(diffs) || !ValidConfidence(confidence)) {
    return std::nullopt;
  }
  const size_t n = diffs.size();
  std::vector<double> walsh;
  walsh.reserve(n * (n + 1) / 2);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i; j < n; ++j) walsh.push_back(0.5 * (diffs[i] + diffs[j]));
  }
  std::sort(walsh.begin(), walsh.end());

  // Exact exactly when the signed-rank test on diffs is (R's rule).
  std::vector<double> magnitude(n);
  bool has_zero = false;
  for (size_t i = 0; i < n; ++i) {
    magnitude[i] = std::fabs(diffs[i]);
    has_zero |= diffs[i] == 0.0;
  }
  const bool exact = method == Method::kAuto && n < kExactLimit && !has_zero &&
                     TieSum(magnitude) == 0.0;
  if (exact) {
    const CountDistribution dist(SignedRankCounts(n));
    return RankInterval(walsh, confidence, true, &dist, 0.0);
  }
  // Between two Walsh averages nothing is zero and |d - t| ties only where
  // d itself has equal values, so the tie term comes from diffs alone.
  const double nd = static_cast<double>(n);
  const double sigma =
      std::sqrt(nd * (nd + 1) * (2 * nd + 1) / 24 - TieSum(diffs) / 48);
  return RankInterval(walsh, confidence, false, nullptr, sigma);
}

std::optional<Interval> HodgesLehmannTwoSample(const std::vector<double>& a,
                                               const std::vector<double>& b,
                                               double confidence,
                                               Method method) {
  if (a.empty() || b.empty() || !AllFinite(a) || !AllFinite(b) ||
      !ValidConfidence(confidence)) {
    return std::nullopt;
  }
  std::vector<double> diffs;
  diffs.reserve(a.size() * b.size());
  for (double bj : b) {
    for (double ai : a) diffs.push_back(bj - ai);
  }
  std::sort(diffs.begin(), diffs.end());

  std::vector<double> pooled(a);
  pooled.insert(pooled.end(), b.begin(), b.end());
  const bool exact = method == Method::kAuto && a.size() < kExactLimit &&
                     b.size() < kExactLimit && TieSum(pooled) == 0.0;
  if (exact) {
    const CountDistribution dist(MannWhitneyCounts(b.size(), a.size()));
    return RankInterval(diffs, confidence, true, &dist, 0.0);
  }
  // Between two differences no b - t equals an a, so only ties within a
  // and within b remain.
  const double n = static_cast<double>(a.size());
  const double m = static_cast<double>(b.size());
  const double total = n + m;
  const double tie_sum = TieSum(a) + TieSum(b);
  const double sigma =
      std::sqrt(n * m / 12.0 * ((total + 1) - tie_sum / (total * (total - 1))));
  return RankInterval(diffs, confidence, false, nullptr, sigma);
}

std::optional<Interval> BootstrapMedianDifference(const std::vector<double>& a,
                                                  const std::vector<double>& b,
                                                  double confidence,
                                                  int resamples,
                                                  uint64_t seed) {
  if (a.empty() || b.empty() || !AllFinite(a) || !AllFinite(b) ||
      !ValidateIntervalOptions(confidence, resamples).ok()) {
    return std::nullopt;
  }
  std::mt19937_64 rng(seed);
  std::vector<double> replicate(static_cast<size_t>(resamples));
  std::vector<double> scratch_a(a.size()), scratch_b(b.size());
  for (double& r : replicate) {
    for (double& x : scratch_a) x = a[UniformIndex(rng, a.size())];
    for (double& x : scratch_b) x = b[UniformIndex(rng, b.size())];
    r = MedianInPlace(scratch_b) - MedianInPlace(scratch_a);
  }
  std::sort(replicate.begin(), replicate.end());
  Interval out;
  out.estimate = *Median(b) - *Median(a);
  const double alpha = 1.0 - confidence;
  out.lo = QuantileSorted(replicate, alpha / 2);
  out.hi = QuantileSorted(replicate, 1.0 - alpha / 2);
  out.confidence = confidence;
  out.exact = false;
  return out;
}

std::optional<double> CliffsDelta(const std::vector<double>& a,
                                  const std::vector<double>& b) {
  if (a.empty() || b.empty() || !AllFinite(a) || !AllFinite(b)) {
    return std::nullopt;
  }
  std::vector<double> sorted_a(a);
  std::sort(sorted_a.begin(), sorted_a.end());
  // Counts are exact integers (< 2^63); the division happens once.
  int64_t b_greater = 0, b_less = 0;
  for (double bj : b) {
    b_greater += std::lower_bound(sorted_a.begin(), sorted_a.end(), bj) -
                 sorted_a.begin();
    b_less +=
        sorted_a.end() - std::upper_bound(sorted_a.begin(), sorted_a.end(), bj);
  }
  return static_cast<double>(b_greater - b_less) /
         (static_cast<double>(a.size()) * static_cast<double>(b.size()));
}

std::vector<std::optional<double>> HolmAdjust(
    const std::vector<std::optional<double>>& p) {
  std::vector<std::optional<double>> out(p.size());
  std::vector<size_t> order;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].has_value() && std::isfinite(*p[i])) order.push_back(i);
  }
  auto value = [&p](size_t i) { return std::clamp(*p[i], 0.0, 1.0); };
  // Stable on equal p-values; the adjusted values do not depend on their
  // order anyway (the running maximum gives both the larger product).
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t i, size_t j) { return value(i) < value(j); });
  const double m = static_cast<double>(order.size());
  double running_max = 0.0;
  for (size_t k = 0; k < order.size(); ++k) {
    const double adjusted = (m - static_cast<double>(k)) * value(order[k]);
    running_max = std::max(running_max, std::min(1.0, adjusted));
    out[order[k]] = running_max;
  }
  return out;
}

}  // namespace acuity::stats
