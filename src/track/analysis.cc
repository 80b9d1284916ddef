// Track analysis: periods, median intervals, change points, alerts.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <regex>

#include "acuity/compare.h"
#include "acuity/compare_stats.h"
#include "acuity/track.h"

namespace acuity::track {
namespace {

// An alert needs at least a week of history before its window: a shorter
// baseline is too noisy (on simulated flat 7-day timelines, a 4-day
// baseline doubled the false alarms).
constexpr int kMinBaselinePeriods = 7;

constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};

std::optional<std::chrono::year_month_day> DayOf(const std::string& date) {
  if (date.size() < 10) return std::nullopt;
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  const std::chrono::year_month_day ymd{
      std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// The largest standardised rank-sum statistic of a run of periods [i, j)
// against the rest of the segment (circular binary segmentation, Olshen et
// al. 2004, with ranks instead of means): a drop and a recovery are one
// run, found together even when neither side alone stands out. Ranks are
// laid out period after period, `sizes` values each.
struct Best {
  double z = -1.0;
  size_t i = 0, j = 0;
};
Best MaxInterval(const std::vector<double>& ranks,
                 const std::vector<size_t>& sizes, std::vector<double>* sum,
                 std::vector<double>* count) {
  const size_t periods = sizes.size();
  sum->assign(periods + 1, 0.0);
  count->assign(periods + 1, 0.0);
  size_t pos = 0;
  for (size_t k = 0; k < periods; ++k) {
    double s = 0.0;
    for (size_t q = 0; q < sizes[k]; ++q) s += ranks[pos++];
    (*sum)[k + 1] = (*sum)[k] + s;
    (*count)[k + 1] = (*count)[k] + static_cast<double>(sizes[k]);
  }
  const double n = static_cast<double>(ranks.size());
  Best best;
  for (size_t i = 0; i < periods; ++i) {
    for (size_t j = i + 1; j <= periods; ++j) {
      if (i == 0 && j == periods) continue;
      const double in = (*count)[j] - (*count)[i], out = n - in;
      if (in == 0 || out == 0) continue;
      const double u = (*sum)[j] - (*sum)[i] - in * (in + 1) / 2;
      const double z =
          std::fabs(u - in * out / 2) / std::sqrt(in * out * (n + 1) / 12);
      if (z > best.z + 1e-12) best = {z, i, j};
    }
  }
  return best;
}

double MedianOf(std::vector<double> v) {
  return stats::Median(std::move(v)).value_or(0.0);
}

double Relative(double before, double after) {
  if (before == 0.0) return after == 0.0 ? 0.0 : (after > 0 ? 1e9 : -1e9);
  return (after - before) / std::fabs(before);
}

// Circular binary segmentation. A test at depth d (0 for the whole
// timeline) is made at alpha / 2^d, so a flat stretch between two real
// changes rarely gets a spurious cut.
void Split(const std::vector<std::vector<double>>& groups, size_t a, size_t b,
           double alpha, int permutations, uint64_t seed, double min_effect,
           std::vector<size_t>* out) {
  if (b - a < 2) return;
  std::vector<double> values;
  std::vector<size_t> sizes;
  for (size_t p = a; p < b; ++p) {
    values.insert(values.end(), groups[p].begin(), groups[p].end());
    sizes.push_back(groups[p].size());
  }
  if (values.size() < 4) return;
  std::vector<double> ranks = stats::AverageRanks(values);
  std::vector<double> sum, count;
  const Best observed = MaxInterval(ranks, sizes, &sum, &count);
  if (observed.z < 0) return;
  std::mt19937_64 rng(seed ^ (0x9e3779b97f4a7c15ULL * (a + 1)) ^
                      (0xbf58476d1ce4e5b9ULL * (b + 1)));
  // p = (1 + at_least) / (1 + permutations) >= alpha as soon as at_least
  // reaches alpha (1 + permutations) - 1: stop there (same decision, and
  // flat stretches, whose p is large, cost a few dozen permutations).
  const double enough = alpha * (1.0 + permutations) - 1.0;
  int at_least = 0;
  for (int i = 0; i < permutations; ++i) {
    for (size_t j = ranks.size() - 1; j > 0; --j) {
      std::swap(ranks[j], ranks[stats::UniformIndex(rng, j + 1)]);
    }
    if (MaxInterval(ranks, sizes, &sum, &count).z >= observed.z - 1e-9) {
      ++at_least;
    }
    if (at_least >= enough) return;
  }
  // The run [i, j) against the rest: big enough to matter?
  const size_t i = a + observed.i, j = a + observed.j;
  std::vector<double> inside, outside;
  for (size_t q = a; q < b; ++q) {
    auto& dst = q >= i && q < j ? inside : outside;
    dst.insert(dst.end(), groups[q].begin(), groups[q].end());
  }
  if (std::fabs(Relative(MedianOf(outside), MedianOf(inside))) < min_effect) {
    return;
  }
  std::vector<size_t> cuts;
  if (i > a) cuts.push_back(i);
  if (j < b) cuts.push_back(j);
  out->insert(out->end(), cuts.begin(), cuts.end());
  size_t from = a;
  for (size_t c : cuts) {
    Split(groups, from, c, alpha / 2, permutations, seed, min_effect, out);
    from = c;
  }
  Split(groups, from, b, alpha / 2, permutations, seed, min_effect, out);
}

// Distribution-free interval for the median from order statistics: the
// k-th smallest and largest, k the largest with P(Bin(n, 1/2) < k) <=
// (1 - confidence) / 2. Returns lo, hi and the confidence reached.
void MedianInterval(std::vector<double> v, double confidence, PeriodStat* s) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  s->n = static_cast<int>(n);
  s->median = MedianOf(v);
  // The interval [x_(j), x_(n-j+1)] covers the median with probability
  // 1 - 2 P(Bin(n, 1/2) <= j - 1); the pmf is stepped in logs.
  const double tail = (1.0 - confidence) / 2.0;
  const double nd = static_cast<double>(n);
  double log_pmf = -nd * std::log(2.0);
  double cdf = std::exp(log_pmf);  // P(Bin <= 0)
  size_t k = 1;
  double cdf_k_minus_1 = cdf;
  for (size_t t = 1; t < n; ++t) {
    log_pmf += std::log(nd - static_cast<double>(t) + 1.0) -
               std::log(static_cast<double>(t));
    cdf += std::exp(log_pmf);  // P(Bin <= t)
    if (cdf > tail || t + 1 > n - t) break;
    k = t + 1;
    cdf_k_minus_1 = cdf;
  }
  s->lo = v[k - 1];
  s->hi = v[n - k];
  s->confidence = std::max(0.0, 1.0 - 2.0 * cdf_k_minus_1);
}

// For alerts. The colour measures are neutral (no sharpness direction);
// what users report is a fall ("greyish, flat"), so a fall is worse.
bool Worse(Direction d, double before, double after) {
  if (d == Direction::kHigherIsBlurrier) return after > before;
  return after < before;
}

std::string Verdict(Direction d, double before, double after) {
  if (d == Direction::kNeutral) return after > before ? "higher" : "lower";
  return Worse(d, before, after) ? "worse" : "better";  // sharpness
}

}  // namespace

Result<std::string> ParseDate(const std::string& text) {
  static const std::regex iso(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$)");
  static const std::regex compact(
      R"(^(\d{4})(\d{2})(\d{2})(?:[T_ -]?(\d{2})(\d{2}))?$)");
  std::smatch m;
  if (!std::regex_match(text, m, iso) && !std::regex_match(text, m, compact)) {
    return InvalidArgument("date \"" + text +
                           "\": expected YYYY-MM-DD[THH:MM] or "
                           "YYYYMMDD[_HHMM]");
  }
  const std::string day = m[1].str() + "-" + m[2].str() + "-" + m[3].str();
  if (!DayOf(day)) {
    return InvalidArgument("date \"" + text + "\": no such day");
  }
  std::string hh = m[4].matched ? m[4].str() : "00";
  std::string mm = m[5].matched ? m[5].str() : "00";
  if (std::stoi(hh) > 23 || std::stoi(mm) > 59) {
    return InvalidArgument("date \"" + text + "\": no such time");
  }
  return day + "T" + hh + ":" + mm;
}

Result<PeriodKind> ParsePeriodKind(const std::string& text) {
  if (text == "day") return PeriodKind::kDay;
  if (text == "hour") return PeriodKind::kHour;
  if (text == "hour-of-day") return PeriodKind::kHourOfDay;
  if (text == "weekday") return PeriodKind::kWeekday;
  return InvalidArgument("--by " + text +
                         ": expected day, hour, hour-of-day or weekday");
}

std::string PeriodOf(const std::string& date, PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kDay:
      return date.substr(0, 10);
    case PeriodKind::kHour:
      return date.substr(0, 13);
    case PeriodKind::kHourOfDay:
      return date.size() >= 13 ? date.substr(11, 2) : "00";
    case PeriodKind::kWeekday: {
      const auto ymd = DayOf(date);
      if (!ymd) return "?";
      const std::chrono::weekday w{std::chrono::sys_days{*ymd}};
      return kWeekdays[(w.c_encoding() + 6) % 7];
    }
  }
  return date;
}

std::vector<size_t> DetectChanges(
    const std::vector<std::vector<double>>& groups, double alpha,
    int permutations, uint64_t seed, double min_effect) {
  std::vector<size_t> out;
  Split(groups, 0, groups.size(), alpha, permutations, seed, min_effect, &out);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<CriterionSeries> Analyse(const std::vector<TrackedVideo>& videos,
                                     const AnalysisOptions& options) {
  // Periods in order: timelines sort as text (ISO dates), hours of the day
  // as text, weekdays Monday first.
  std::vector<std::string> periods;
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < videos.size(); ++i) {
    members[PeriodOf(videos[i].date, options.by)].push_back(i);
  }
  for (const auto& [p, _] : members) periods.push_back(p);
  if (options.by == PeriodKind::kWeekday) {
    auto index = [](const std::string& p) {
      for (int i = 0; i < 7; ++i) {
        if (p == kWeekdays[i]) return i;
      }
      return 7;
    };
    std::sort(periods.begin(), periods.end(),
              [&](const std::string& a, const std::string& b) {
                return index(a) < index(b);
              });
  }
  std::vector<CriterionSeries> out;
  for (const Criterion& c : Criteria()) {
    std::string key;
    for (const std::string& k : c.keys) {
      for (const TrackedVideo& v : videos) {
        if (v.values.count(k)) {
          key = k;
          break;
        }
      }
      if (!key.empty()) break;
    }
    if (key.empty()) continue;
    CriterionSeries s;
    s.criterion = c.name;
    s.id = c.id;
    s.key = key;
    s.direction = MetricDirection(key);
    s.min_effect = c.min_effect;
    std::vector<std::vector<double>> groups;
    std::vector<std::string> labels;
    for (const std::string& p : periods) {
      std::vector<double> g;
      for (size_t i : members[p]) {
        const auto it = videos[i].values.find(key);
        if (it != videos[i].values.end()) g.push_back(it->second);
      }
      if (g.empty()) continue;
      PeriodStat st;
      st.period = p;
      MedianInterval(g, options.confidence, &st);
      s.periods.push_back(st);
      groups.push_back(std::move(g));
      labels.push_back(p);
    }
    if (IsTimeline(options.by) && !groups.empty()) {
      const std::vector<size_t> cuts =
          DetectChanges(groups, options.alpha, options.permutations,
                        options.seed, s.min_effect);
      std::vector<size_t> bounds = {0};
      bounds.insert(bounds.end(), cuts.begin(), cuts.end());
      bounds.push_back(groups.size());
      for (size_t seg = 0; seg + 1 < bounds.size(); ++seg) {
        for (size_t q = bounds[seg]; q < bounds[seg + 1]; ++q) {
          s.periods[q].segment = static_cast<int>(seg);
        }
      }
      auto pool = [&](size_t from, size_t to) {
        std::vector<double> v;
        for (size_t q = from; q < to; ++q) {
          v.insert(v.end(), groups[q].begin(), groups[q].end());
        }
        return v;
      };
      for (size_t seg = 1; seg + 1 < bounds.size(); ++seg) {
        const std::vector<double> before = pool(bounds[seg - 1], bounds[seg]);
        const std::vector<double> after = pool(bounds[seg], bounds[seg + 1]);
        Change ch;
        ch.period = labels[bounds[seg]];
        ch.before = MedianOf(before);
        ch.after = MedianOf(after);
        ch.rel = Relative(ch.before, ch.after);
        if (auto t = stats::MannWhitneyU(before, after))
          ch.p_value = t->p_value;
        ch.verdict = Verdict(s.direction, ch.before, ch.after);
        s.changes.push_back(ch);
      }
      // Alert on the newest periods against the trailing baseline.
      const int n = static_cast<int>(groups.size());
      const int w = std::min(options.window, n);
      const int base_end = n - w;
      const int base_begin = std::max(0, base_end - options.baseline);
      if (base_end - base_begin >= kMinBaselinePeriods) {
        const std::vector<double> base = pool(base_begin, base_end);
        s.alert.baseline_median = MedianOf(base);
        for (int q = base_end; q < n; ++q) {
          const double m = MedianOf(groups[q]);
          const auto t = stats::MannWhitneyU(base, groups[q]);
          const bool worse = Worse(s.direction, s.alert.baseline_median, m);
          if (worse && t && t->p_value / 2 < options.alert_alpha &&
              std::fabs(Relative(s.alert.baseline_median, m)) >= s.min_effect) {
            s.alert.bad_periods.push_back(labels[q]);
          }
        }
        if (static_cast<int>(s.alert.bad_periods.size()) >= options.needed) {
          s.alert.raised = true;
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.3g", s.alert.baseline_median);
          s.alert.message = s.criterion + " (" + s.key +
                            "): " + std::to_string(s.alert.bad_periods.size()) +
                            " of the last " + std::to_string(w) +
                            " periods worse than the baseline median " + buf;
        }
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace acuity::track
