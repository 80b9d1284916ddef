// Batch statistics for `acuity compare BEFORE AFTER`: rank tests, effect
// sizes and confidence intervals over one pooled value per video.
//
// Everything here is a pure function of its arguments: no I/O, no global
// state, no threads, so every call is thread-safe. The bootstrap draws from
// std::mt19937_64 (whose output the C++ standard fixes) through our own
// uniform-index mapping, so the same seed gives the same interval with any
// standard library.
//
// Conventions
// - Direction: "a" is BEFORE, "b" is AFTER; estimates are AFTER minus BEFORE
//   (b - a), and paired differences are after - before.
// - Tests are two-sided. They follow R's wilcox.test (exact = NULL,
//   correct = TRUE): the exact null distribution when the samples are small
//   and untied, otherwise the normal approximation with tie correction and
//   continuity correction.
// - Inputs must be finite. An undefined metric is std::nullopt upstream and
//   must be left out before calling; a NaN or infinity here makes the
//   function return std::nullopt rather than an arbitrary answer.
// - std::nullopt means "no answer": a sample is empty, an input is not
//   finite, or a parameter is out of range (see ValidateIntervalOptions).
//   Data that exist but show no change (all values tied, all differences
//   zero) are an answer: p = 1 and a zero-width interval where that is what
//   the data say. No function returns NaN.
// - Memory: the Hodges-Lehmann functions hold all n(n+1)/2 Walsh averages or
//   all n*m pairwise differences (8 bytes each).
#ifndef ACUITY_COMPARE_STATS_H_
#define ACUITY_COMPARE_STATS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "acuity/status.h"

namespace acuity::stats {

// How a test or interval gets its null distribution.
enum class Method {
  // R's rule: exact when small and untied (see each function), else normal.
  kAuto,
  // Always the normal approximation with tie and continuity corrections (R's
  // exact = FALSE, correct = TRUE). Useful to compare with textbook
  // large-sample results.
  kNormal,
};

struct TestResult {
  double statistic = 0.0;  // see each test
  double p_value = 1.0;    // two-sided, in [0, 1]
  bool exact = false;      // true: exact null distribution; false: normal
};

struct Interval {
  double estimate = 0.0;
  double lo = 0.0;
  double hi = 0.0;
  // Confidence the interval actually has. Rank intervals are built from
  // order statistics, so an exact interval reaches slightly more than the
  // requested level (R reports it only when it is far off; we always do).
  // When the samples are too small to reach the requested level at all, the
  // interval is the widest possible (smallest to largest Walsh average or
  // difference) and this says how much confidence that one has, which may
  // be far below the request (0 for a single paired difference).
  double confidence = 0.0;
  bool exact = false;  // rank intervals: as TestResult::exact
};

// Checks the parameters shared by the interval functions: 0 < confidence < 1
// and, for the bootstrap, resamples >= 1. The CLI calls this once when it
// parses its options; the interval functions themselves answer std::nullopt
// for out-of-range parameters.
Status ValidateIntervalOptions(double confidence, int resamples = 1);

// Ranks 1..n with ties given their average rank (R's rank()); sets
// *tie_sum (when given) to the tie correction sum(t^3 - t).
std::vector<double> AverageRanks(const std::vector<double>& v,
                                 double* tie_sum = nullptr);

// Uniform index in [0, n) from the engine, without modulo bias and the same
// on every standard library (std::uniform_int_distribution is not).
uint64_t UniformIndex(std::mt19937_64& rng, uint64_t n);

// Median (mean of the two middle values for an even count). nullopt if v is
// empty or holds a non-finite value.
std::optional<double> Median(std::vector<double> v);

// Standard normal quantile: z with Phi(z) = p, for 0 < p < 1 (accurate to
// about 1e-15 relative). Returns -inf / +inf for p <= 0 / p >= 1.
double NormalQuantile(double p);

// Wilcoxon-Mann-Whitney rank-sum test of "a and b come from the same
// distribution" against a location shift, two-sided.
//
// statistic: U of a, the number of pairs (a_i, b_j) with a_i > b_j plus half
//   the number of tied pairs; it ranges over [0, n*m] with null mean n*m/2.
//   This is R's W for wilcox.test(a, b) and scipy's mannwhitneyu(a, b) U.
// Exact distribution when both samples have fewer than 50 values and there
//   are no ties in the pooled sample (R's rule; scipy 1.10's 'auto' goes
//   exact only when a sample has at most 8 values); p = min(1, 2 * P(U <= u))
//   or the upper tail,
//   whichever side u lies on.
// Otherwise z = (U - nm/2 - sign * 0.5) / sigma with the tie-corrected
//   sigma^2 = nm/12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))), N = n + m.
// All values tied (sigma = 0, including n = m = 1 tied): p = 1, not exact.
// nullopt if a or b is empty or holds a non-finite value.
std::optional<TestResult> MannWhitneyU(const std::vector<double>& a,
                                       const std::vector<double>& b,
                                       Method method = Method::kAuto);

// Wilcoxon signed-rank test of "diffs are symmetric about 0", two-sided.
//
// Zero differences are dropped first (Wilcoxon's convention, as R; Pratt's
// alternative keeps them for ranking). With n the remaining count,
// statistic: V, the sum of the ranks of |d| over the positive d (R's V; scipy
//   reports min(V, n(n+1)/2 - V) instead). Range [0, n(n+1)/2], mean n(n+1)/4.
// Exact distribution when n < 50, no |d| are tied and no zero was dropped
//   (R's rule exactly: zeros force the normal approximation).
// Otherwise z = (V - n(n+1)/4 - sign * 0.5) / sigma with
//   sigma^2 = n(n+1)(2n+1)/24 - sum(t^3 - t)/48.
// No non-zero difference left (all zero): statistic 0, p = 1, exact (V is 0
//   with certainty). nullopt if diffs is empty or holds a non-finite value.
std::optional<TestResult> WilcoxonSignedRank(const std::vector<double>& diffs,
                                             Method method = Method::kAuto);

// Hodges-Lehmann estimate of the centre of the paired differences (the
// median of all n(n+1)/2 Walsh averages (d_i + d_j)/2, i <= j), with the
// confidence interval obtained by inverting the signed-rank test: the shifts
// t for which WilcoxonSignedRank(d - t) does not reject.
//
// Exact interval (as R's wilcox.test(conf.int = TRUE)) when the test on d is
//   exact: order statistics k and N + 1 - k of the Walsh averages, k from the
//   signed-rank distribution.
// Otherwise the normal-approximation inversion with continuity correction.
//   R finds that boundary with uniroot (tol 1e-4); here it is located exactly
//   on the Walsh average where the statistic jumps, so results agree with R
//   to about 1e-4.
// Zero differences are kept. R drops them before building the interval,
//   which throws data away: at any shift t != 0 they are ordinary non-zero
//   observations. R and acuity differ only when diffs contains zeros; then
//   e.g. all-zero diffs give estimate 0 and interval [0, 0] here (R fails).
// The estimate is always the median of the Walsh averages (R reports the
//   uniroot solution in the normal case, which can differ on ties).
// nullopt if diffs is empty, holds a non-finite value, or confidence is not
// in (0, 1).
std::optional<Interval> HodgesLehmannPaired(const std::vector<double>& diffs,
                                            double confidence,
                                            Method method = Method::kAuto);

// Hodges-Lehmann estimate of the shift from a to b (the median of all n*m
// differences b_j - a_i) with the confidence interval that inverts the
// Mann-Whitney test (Moses' interval), as R's
// wilcox.test(b, a, conf.int = TRUE). Note R's order: wilcox.test(x, y)
// estimates x - y, so it is this function with a = y, b = x.
// Exact when MannWhitneyU(a, b) is exact; otherwise the normal inversion with
// continuity correction, located exactly on the difference where the
// statistic jumps (R's uniroot agrees to about 1e-4).
// nullopt if a or b is empty, holds a non-finite value, or confidence is not
// in (0, 1).
std::optional<Interval> HodgesLehmannTwoSample(const std::vector<double>& a,
                                               const std::vector<double>& b,
                                               double confidence,
                                               Method method = Method::kAuto);

// median(b) - median(a) with a percentile bootstrap interval: each replicate
// resamples a (n draws with replacement) and then b (m draws), in that order,
// and the interval is the (1-c)/2 and (1+c)/2 quantiles of the replicate
// differences (linear interpolation between order statistics, numpy's
// default). Indices come from std::mt19937_64(seed) mapped to [0, n) by
// rejection (no modulo bias), so results are identical across platforms.
// `exact` is false and `confidence` is the requested one. Percentile
// intervals of a median undercover with very small samples (n < 10).
// nullopt if a or b is empty, holds a non-finite value, confidence is not in
// (0, 1) or resamples < 1.
std::optional<Interval> BootstrapMedianDifference(const std::vector<double>& a,
                                                  const std::vector<double>& b,
                                                  double confidence,
                                                  int resamples, uint64_t seed);

// Cliff's delta, P(b > a) - P(b < a) over all pairs, in [-1, 1]; positive
// when AFTER tends to be larger. Equals 1 - 2 U / (n m) with U from
// MannWhitneyU(a, b). nullopt if a or b is empty or holds a non-finite value.
std::optional<double> CliffsDelta(const std::vector<double>& a,
                                  const std::vector<double>& b);

// Holm's step-down adjusted p-values, in input order: sort ascending,
// multiply the k-th smallest (k = 1..m) by m - k + 1, take the running
// maximum, cap at 1. Entries that are nullopt (or not finite) are tests that
// could not be run: they stay nullopt and do not count in m, as R's
// p.adjust(method = "holm") treats NA. Values are clamped to [0, 1] first.
std::vector<std::optional<double>> HolmAdjust(
    const std::vector<std::optional<double>>& p);

}  // namespace acuity::stats

#endif  // ACUITY_COMPARE_STATS_H_
