// Before/after comparison of two batches: per-metric tests with Holm
// correction, and a verdict in plain words per criterion.
#include "acuity/compare.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "acuity/compare_stats.h"
#include "compare/loaders.h"

namespace acuity {
namespace {

using nlohmann::ordered_json;

// How a criterion talks about a change for the better and for the worse.
struct Words {
  const char* better;
  const char* worse;
};

Words WordsFor(const std::string& criterion) {
  if (criterion == "texture detail" || criterion == "face detail") {
    return {"more detail", "less detail"};
  }
  if (criterion == "colour") return {"more vivid", "flatter"};
  return {"sharper", "softer"};
}

// For sharpness metrics the direction says which way is better; for the
// descriptive colour and contrast measures, more is more vivid.
bool HigherIsBetter(Direction d) { return d != Direction::kHigherIsBlurrier; }

std::string Percent(double v) {
  std::ostringstream os;
  os << std::showpos << std::fixed
     << std::setprecision(std::abs(v) < 10 ? 1 : 0) << v << "%";
  return os.str();
}

// 0.05 -> "5%", 0.025 -> "2.5%".
std::string PlainPercent(double fraction) {
  std::ostringstream os;
  os << std::setprecision(3) << 100 * fraction << "%";
  return os.str();
}

std::string PValue(double p) {
  if (p < 0.001) return "p < 0.001";
  std::ostringstream os;
  os << "p = " << std::fixed << std::setprecision(p < 0.01 ? 3 : 2) << p;
  return os.str();
}

std::string Number(double v) {
  std::ostringstream os;
  const double a = std::abs(v);
  os << std::fixed
     << std::setprecision(a >= 1000 ? 0
                          : a >= 10 ? 1
                          : a >= 1  ? 2
                                    : 4)
     << v;
  return os.str();
}

// "+23%, 95% CI +15%..+31%, " or "" when no relative change is defined.
// The interval is labelled with the confidence it has: with few videos
// that is less than requested ("50% CI (95% not reachable)").
std::string Relative(const MetricComparison& m, double confidence) {
  if (!m.rel) return "";
  std::ostringstream ci;
  if (m.rel_confidence < confidence - 0.005) {
    ci << std::lround(m.rel_confidence * 100) << "% CI ("
       << std::lround(confidence * 100) << "% not reachable) ";
  } else {
    ci << std::lround(confidence * 100) << "% CI ";
  }
  return Percent(100 * *m.rel) + ", " + ci.str() + Percent(100 * *m.rel_lo) +
         ".." + Percent(100 * *m.rel_hi) + ", ";
}

bool AllPositive(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x > 0; });
}

}  // namespace

const std::vector<Criterion>& Criteria() {
  // min_effect: a Laplacian variance is a squared gradient, so 10% there is
  // about 5% of edge contrast. tolerance (check --relative-to): same-source
  // clips spread by about 5% on these metrics; half the resolution costs
  // texture 90% and widens edges 70%, half the saturation costs colour 50%.
  // 25% (colour 20%, as half the saturation is only -50%) keeps the
  // simulated false-fail rate near 1% up to a log-sd of 0.1 per metric and
  // catches both (bench/compare_power.cc, docs/compare.md).
  static const std::vector<Criterion> kCriteria = {
      // The headline: lines of real detail against the nominal lines (an
      // edge-blur estimate, docs/headline.md). Saturates at 1 on sharp
      // content, so same-source clips do not spread on it; half the
      // resolution costs it about a third.
      {"effective resolution",
       "resolution",
       {"resolution_ratio", "effective_height", "blur_sigma_px"},
       0.05,
       0.25},
      {"edge sharpness",
       "edge",
       {"edge_width_px", "cpbd", "edge_acutance"},
       0.05,
       0.25},
      {"texture detail",
       "texture",
       {"laplacian_var_nc", "laplacian_var", "gradient_energy"},
       0.10,
       0.25},
      {"motion sharpness",
       "motion",
       {"moving_sharpness_ratio", "motion_blur"},
       0.10,
       0.25},
      // Contrast (luma_contrast) is reported beside these but does not
      // decide: blur lowers it too, and blur is not a colour change.
      {"colour",
       "colour",
       {"saturation_mean", "colorfulness", "saturation_p90", "pallid_share"},
       0.05,
       0.20},
      {"face detail",
       "face",
       {"face_laplacian_var", "face_edge_width_px"},
       0.10,
       0.25},
  };
  return kCriteria;
}

const Criterion* CriterionOf(const std::string& key) {
  for (const Criterion& c : Criteria()) {
    if (std::find(c.keys.begin(), c.keys.end(), key) != c.keys.end()) return &c;
  }
  return nullptr;
}

const Criterion* FindCriterion(const std::string& id_or_name) {
  for (const Criterion& c : Criteria()) {
    if (c.id == id_or_name || c.name == id_or_name) return &c;
  }
  return nullptr;
}

Result<double> ParseFraction(const std::string& text) {
  std::string number = text;
  double scale = 1;
  if (!number.empty() && number.back() == '%') {
    number.pop_back();
    scale = 0.01;
  }
  const auto v = loaders::ParseFinite(number);
  if (!v || *v * scale < 0 || *v * scale >= 1) {
    return InvalidArgument(loaders::Quote(text) +
                           " is not a fraction in [0, 1) such as 0.05 or 5%");
  }
  return *v * scale;
}

bool Comparison::any_regression() const {
  for (const auto& c : criteria) {
    if (c.regression) return true;
  }
  return false;
}

namespace {

// The smallest two-sided p-value each exact test can give: 2 / 2^n for the
// signed-rank test on n pairs, 2 / C(n + m, n) for Mann-Whitney. With ties
// the normal approximation gives about the same.
double SmallestPairedP(int n) { return std::ldexp(2.0, -n); }
double SmallestUnpairedP(int n, int m) {
  double c = 1;  // C(n + m, n), built up as a product
  for (int i = 1; i <= n; ++i) c = c * (m + i) / i;
  return 2.0 / c;
}

// Smallest n (pairs, or videos per side) at which smallest_p(n) * family is
// below alpha.
int NeededFor(bool paired, int family, double alpha) {
  for (int n = 1; n < 64; ++n) {
    const double p = paired ? SmallestPairedP(n) : SmallestUnpairedP(n, n);
    if (p * family < alpha) return n;
  }
  return 64;
}

}  // namespace

Result<Comparison> Compare(const Batch& before, const Batch& after,
                           const CompareOptions& options) {
  ACUITY_RETURN_IF_ERROR(
      stats::ValidateIntervalOptions(options.confidence, options.bootstrap));
  if (!std::isfinite(options.alpha) || options.alpha <= 0 ||
      options.alpha >= 1) {
    return InvalidArgument("alpha must be between 0 and 1");
  }
  if (before.videos.empty() || after.videos.empty()) {
    return InvalidArgument(std::string("nothing to compare: the ") +
                           (before.videos.empty() ? "before" : "after") +
                           " side has no scored video");
  }
  Comparison c;
  for (const auto& row : before.failed)
    c.failed_before.push_back(row.status.message());
  for (const auto& row : after.failed)
    c.failed_after.push_back(row.status.message());

  // Pairing by name.
  std::map<std::string, const VideoValues*> before_by_name;
  for (const auto& v : before.videos) before_by_name[v.name] = &v;
  std::vector<std::pair<const VideoValues*, const VideoValues*>> pairs;
  for (const auto& v : after.videos) {
    auto it = before_by_name.find(v.name);
    if (it != before_by_name.end()) pairs.push_back({it->second, &v});
  }
  const size_t matched = pairs.size();
  switch (options.pair_by) {
    case PairBy::kNone:
      c.paired = false;
      break;
    case PairBy::kName:
      if (matched == 0) {
        return InvalidArgument(
            "--pair-by name: no file name appears on both sides");
      }
      c.paired = true;
      break;
    case PairBy::kAuto:
      c.paired = matched >= 3 && 2 * matched >= before.videos.size() &&
                 2 * matched >= after.videos.size();
      break;
  }
  if (c.paired) {
    c.unmatched = static_cast<int>(before.videos.size() + after.videos.size() -
                                   2 * matched);
  }

  // Metric keys present on both sides, registry order first.
  std::set<std::string> keys_before, keys_after;
  for (const auto& v : before.videos) {
    for (const auto& [k, x] : v.values) keys_before.insert(k);
  }
  for (const auto& v : after.videos) {
    for (const auto& [k, x] : v.values) keys_after.insert(k);
  }
  for (const auto& k : keys_before) {
    if (!keys_after.count(k)) c.only_before.push_back(k);
  }
  for (const auto& k : keys_after) {
    if (!keys_before.count(k)) c.only_after.push_back(k);
  }
  std::vector<std::string> keys;
  for (const MetricEntry& e : MetricRegistry()) {
    for (const MetricInfo& m : e.outputs) {
      if (keys_before.count(m.key) && keys_after.count(m.key))
        keys.push_back(m.key);
    }
  }
  for (const auto& k : keys_before) {
    if (keys_after.count(k) &&
        std::find(keys.begin(), keys.end(), k) == keys.end()) {
      keys.push_back(k);
    }
  }

  std::vector<std::optional<double>> p_values;
  for (const std::string& key : keys) {
    MetricComparison m;
    m.key = key;
    m.direction = MetricDirection(key);
    m.paired = c.paired;
    std::vector<double> b, a;
    std::optional<stats::TestResult> test;
    std::optional<stats::Interval> interval, relative;
    bool log_scale = false;
    for (const auto& v : before.videos) {
      m.missing_before += v.values.count(key) ? 0 : 1;
    }
    for (const auto& v : after.videos) {
      m.missing_after += v.values.count(key) ? 0 : 1;
    }
    if (c.paired) {
      std::vector<double> diffs;
      for (const auto& [vb, va] : pairs) {
        auto ib = vb->values.find(key), ia = va->values.find(key);
        if (ib == vb->values.end() || ia == va->values.end()) continue;
        b.push_back(ib->second);
        a.push_back(ia->second);
        diffs.push_back(ia->second - ib->second);
      }
      m.n_pairs = static_cast<int>(diffs.size());
      m.test = "wilcoxon_signed_rank";
      interval = stats::HodgesLehmannPaired(diffs, options.confidence);
      log_scale = AllPositive(b) && AllPositive(a);
      if (log_scale) {
        // Ratios: a 10% loss weighs the same on a detailed and a plain clip.
        std::vector<double> logs;
        for (size_t i = 0; i < a.size(); ++i)
          logs.push_back(std::log(a[i] / b[i]));
        test = stats::WilcoxonSignedRank(logs);
        relative = stats::HodgesLehmannPaired(logs, options.confidence);
      } else {
        test = stats::WilcoxonSignedRank(diffs);
        relative = interval;
      }
    } else {
      for (const auto& v : before.videos) {
        if (auto it = v.values.find(key); it != v.values.end())
          b.push_back(it->second);
      }
      for (const auto& v : after.videos) {
        if (auto it = v.values.find(key); it != v.values.end())
          a.push_back(it->second);
      }
      m.test = "mann_whitney_u";
      // Ranks do not change under log: the test is the same on either
      // scale, and the interval below inverts it (Moses' interval).
      test = stats::MannWhitneyU(b, a);
      interval = stats::BootstrapMedianDifference(
          b, a, options.confidence, options.bootstrap, options.seed);
      m.cliffs_delta = stats::CliffsDelta(b, a);
      log_scale = AllPositive(b) && AllPositive(a);
      if (log_scale) {
        std::vector<double> lb, la;
        for (double x : b) lb.push_back(std::log(x));
        for (double x : a) la.push_back(std::log(x));
        relative = stats::HodgesLehmannTwoSample(lb, la, options.confidence);
      } else {
        relative = stats::HodgesLehmannTwoSample(b, a, options.confidence);
      }
    }
    m.scale = log_scale ? "log_ratio" : "difference";
    m.n_before = static_cast<int>(b.size());
    m.n_after = static_cast<int>(a.size());
    const auto before_median = stats::Median(b),
               after_median = stats::Median(a);
    if (!before_median || !after_median) continue;  // empty, or not finite
    m.before = *before_median;
    m.after = *after_median;
    if (m.before > 0 && m.after > 0) m.median_change = m.after / m.before - 1;
    if (interval) {
      m.shift = interval->estimate;
      m.lo = interval->lo;
      m.hi = interval->hi;
    } else {
      m.shift = m.after - m.before;
      m.lo = m.hi = m.shift;
    }
    if (relative && log_scale) {
      m.rel = std::expm1(relative->estimate);
      m.rel_lo = std::expm1(relative->lo);
      m.rel_hi = std::expm1(relative->hi);
      m.rel_confidence = relative->confidence;
    } else if (relative && std::abs(m.before) > 1e-12) {
      const double scale = std::abs(m.before);
      m.rel = relative->estimate / scale;
      m.rel_lo = relative->lo / scale;
      m.rel_hi = relative->hi / scale;
      m.rel_confidence = relative->confidence;
    }
    const Criterion* crit = CriterionOf(key);
    m.min_effect = crit ? crit->min_effect : kDefaultMinEffect;
    if (crit) {
      if (auto it = options.min_effect.find(crit->name);
          it != options.min_effect.end()) {
        m.min_effect = it->second;
      }
    }
    m.p_value = test ? test->p_value : 1.0;
    p_values.push_back(test ? std::optional<double>(test->p_value)
                            : std::nullopt);
    c.metrics.push_back(std::move(m));
  }
  // Two Holm families. The verdicts rest on one metric per criterion (the
  // first of its keys that was compared): those few p-values are adjusted
  // among themselves, so a criterion's verdict keeps the family-wise error at
  // alpha without paying for the twenty descriptive metrics beside it. Every
  // other metric is adjusted within the family of the others.
  std::vector<bool> decides(c.metrics.size(), false);
  for (const Criterion& crit : Criteria()) {
    bool found = false;
    for (const std::string& key : crit.keys) {
      for (size_t i = 0; i < c.metrics.size() && !found; ++i) {
        if (c.metrics[i].key == key) decides[i] = found = true;
      }
      if (found) break;
    }
  }
  std::vector<double> adjusted(c.metrics.size(), 1.0);
  std::vector<int> family_size(c.metrics.size(), 0);
  for (const bool family : {true, false}) {
    std::vector<std::optional<double>> p;
    std::vector<size_t> index;
    for (size_t i = 0; i < c.metrics.size(); ++i) {
      if (decides[i] != family) continue;
      p.push_back(p_values[i]);
      index.push_back(i);
    }
    const auto adj = stats::HolmAdjust(p);
    for (size_t k = 0; k < index.size(); ++k) {
      adjusted[index[k]] = adj[k].value_or(1.0);
      family_size[index[k]] = static_cast<int>(index.size());
    }
  }
  for (size_t i = 0; i < c.metrics.size(); ++i) {
    MetricComparison& m = c.metrics[i];
    m.p_holm = adjusted[i];
    m.decides = decides[i];
    const int family = std::max(1, family_size[i]);
    m.n_needed = NeededFor(c.paired, family, options.alpha);
    const double smallest = c.paired ? SmallestPairedP(m.n_pairs)
                                     : SmallestUnpairedP(m.n_before, m.n_after);
    m.too_few = smallest * family >= options.alpha;
    m.significant = !m.too_few && m.p_holm < options.alpha && m.shift != 0;
    m.meaningful =
        m.significant && (!m.rel || std::abs(*m.rel) >= m.min_effect);
    if (m.too_few) {
      m.verdict = "too few videos";
    } else if (!m.significant) {
      m.verdict = "no significant change";
    } else if (!m.meaningful) {
      m.verdict = "no meaningful change";
    } else if (m.direction == Direction::kNeutral) {
      m.verdict = m.shift > 0 ? "higher" : "lower";
    } else {
      const bool up_is_sharper = m.direction == Direction::kHigherIsSharper;
      m.verdict = (m.shift > 0) == up_is_sharper ? "sharper" : "blurrier";
    }
  }

  for (const Criterion& crit : Criteria()) {
    CriterionVerdict v;
    v.criterion = crit.name;
    const MetricComparison* decider = nullptr;
    for (const std::string& key : crit.keys) {
      for (const auto& m : c.metrics) {
        if (m.key == key) {
          decider = &m;
          break;
        }
      }
      if (decider != nullptr) break;
    }
    if (decider == nullptr) {
      std::string list;
      for (const auto& k : crit.keys) list += (list.empty() ? "" : ", ") + k;
      v.text = "no metric available (measured by " + list + ")";
      c.criteria.push_back(std::move(v));
      continue;
    }
    v.key = decider->key;
    const Words words = WordsFor(crit.name);
    const std::string detail = "(" + Relative(*decider, options.confidence) +
                               PValue(decider->p_holm) + "; min effect " +
                               PlainPercent(decider->min_effect) + ")";
    if (decider->too_few) {
      v.text = "too few videos to decide (needs >= " +
               std::to_string(decider->n_needed) +
               (c.paired ? " pairs) " : " videos per side) ") + detail;
    } else if (!decider->significant) {
      v.text = "no significant change " + detail;
    } else if (!decider->meaningful) {
      v.text = "no meaningful change " + detail;
    } else {
      const bool better =
          (decider->shift > 0) == HigherIsBetter(decider->direction);
      v.text = std::string(better ? words.better : words.worse) + " " + detail;
      v.regression = !better;
    }
    c.criteria.push_back(std::move(v));
  }
  return c;
}

void WriteComparisonMarkdown(std::ostream& os, const Comparison& c) {
  auto find = [&](const std::string& key) -> const MetricComparison* {
    for (const auto& m : c.metrics) {
      if (m.key == key) return &m;
    }
    return nullptr;
  };
  auto relative = [](const std::optional<double>& r) {
    return r ? Percent(100 * *r) : std::string();
  };
  os << "| criterion | before | after | change of medians | shift estimate | "
        "verdict |\n"
     << "|---|---|---|---|---|---|\n";
  for (const auto& v : c.criteria) {
    const MetricComparison* m = v.key ? find(*v.key) : nullptr;
    if (m == nullptr) {
      os << "| " << v.criterion << " | | | | | " << v.text << " |\n";
      continue;
    }
    os << "| " << v.criterion << " (`" << m->key << "`) | " << Number(m->before)
       << " | " << Number(m->after) << " | " << relative(m->median_change)
       << " | " << (m->rel ? Percent(100 * *m->rel) : Number(m->shift)) << " | "
       << v.text << " |\n";
  }
  os << "\n";
  if (c.paired) {
    os << "Paired by file name: "
       << (c.metrics.empty() ? 0 : c.metrics[0].n_pairs) << " pairs";
    if (c.unmatched > 0)
      os << " (" << c.unmatched << " videos without a partner left out)";
    os << "; Wilcoxon signed-rank test. Shift estimate: Hodges-Lehmann, of "
          "the log ratios for positive metrics, with the interval that "
          "inverts the same test.\n";
  } else {
    os << "Unpaired: Mann-Whitney U test. Shift estimate: Hodges-Lehmann "
          "(median of all after/before ratios for positive metrics) with the "
          "interval that inverts the same test; shift in metric units: "
          "difference of medians with a bootstrap interval; Cliff's delta.\n";
  }
  os << "Change of medians: after median / before median - 1 (descriptive, "
        "no test).\n";
  size_t deciders = 0;
  for (const auto& m : c.metrics) deciders += m.decides ? 1 : 0;
  os << "p-values are Holm-adjusted in two families: the " << deciders
     << " metrics that decide a criterion (marked *), and the other "
     << c.metrics.size() - deciders
     << "; intervals are not. A significant change below the criterion's "
        "minimum effect is \"no meaningful change\". One value per video "
        "(its pooled statistic over frames).\n";
  auto left_out = [&](const char* side, const std::vector<std::string>& v) {
    if (v.empty()) return;
    os << "Left out of the " << side << " side: " << v.size()
       << (v.size() == 1 ? " input" : " inputs")
       << " that could not be used (named on stderr).\n";
  };
  left_out("before", c.failed_before);
  left_out("after", c.failed_after);
  auto one_side = [&](const char* side, const std::vector<std::string>& v) {
    if (v.empty()) return;
    os << "Metrics on the " << side << " side only (not compared):";
    for (const auto& k : v) os << " `" << k << "`";
    os << "\n";
  };
  one_side("before", c.only_before);
  one_side("after", c.only_after);
  os << "\n";
  os << "| metric | n before | n after | missing | before | after | shift | CI "
        "| change of medians | shift estimate | p | p (Holm) | verdict |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : c.metrics) {
    std::ostringstream p, ph;
    p << std::setprecision(3) << m.p_value;
    ph << std::setprecision(3) << m.p_holm;
    os << "| `" << m.key << "`" << (m.decides ? " *" : "") << " | "
       << m.n_before << " | " << m.n_after << " | "
       << m.missing_before + m.missing_after << " | " << Number(m.before)
       << " | " << Number(m.after) << " | " << Number(m.shift) << " | "
       << Number(m.lo) << ".." << Number(m.hi) << " | "
       << relative(m.median_change) << " | " << relative(m.rel) << " | "
       << p.str() << " | " << ph.str() << " | " << m.verdict << " |\n";
  }
}

void WriteComparisonJson(std::ostream& os, const Comparison& c) {
  ordered_json j;
  j["schema_version"] = kSchemaVersion;
  j["paired"] = c.paired;
  j["unmatched"] = c.unmatched;
  j["regression"] = c.any_regression();
  j["failed_before"] = c.failed_before;
  j["failed_after"] = c.failed_after;
  j["metrics_only_before"] = c.only_before;
  j["metrics_only_after"] = c.only_after;
  ordered_json crit = ordered_json::array();
  for (const auto& v : c.criteria) {
    crit.push_back(
        {{"criterion", v.criterion},
         {"metric", v.key ? ordered_json(*v.key) : ordered_json(nullptr)},
         {"verdict", v.text},
         {"regression", v.regression}});
  }
  j["criteria"] = crit;
  auto opt = [](const std::optional<double>& v) {
    return v ? ordered_json(*v) : ordered_json(nullptr);
  };
  ordered_json metrics = ordered_json::array();
  for (const auto& m : c.metrics) {
    metrics.push_back(
        {{"metric", m.key},
         {"direction", DirectionName(m.direction)},
         {"test", m.test},
         {"n_before", m.n_before},
         {"n_after", m.n_after},
         {"n_pairs",
          m.paired ? ordered_json(m.n_pairs) : ordered_json(nullptr)},
         {"missing_before", m.missing_before},
         {"missing_after", m.missing_after},
         {"before_median", m.before},
         {"after_median", m.after},
         {"median_change", opt(m.median_change)},
         {"shift", m.shift},
         {"ci_low", m.lo},
         {"ci_high", m.hi},
         {"relative_change", opt(m.rel)},
         {"relative_ci_low", opt(m.rel_lo)},
         {"relative_ci_high", opt(m.rel_hi)},
         {"relative_ci_confidence",
          m.rel ? ordered_json(m.rel_confidence) : ordered_json(nullptr)},
         {"scale", m.scale},
         {"p_value", m.p_value},
         {"p_holm", m.p_holm},
         {"cliffs_delta", opt(m.cliffs_delta)},
         {"too_few", m.too_few},
         {"n_needed", m.n_needed},
         {"significant", m.significant},
         {"min_effect", m.min_effect},
         {"meaningful", m.meaningful},
         {"decides", m.decides},
         {"verdict", m.verdict}});
  }
  j["metrics"] = metrics;
  os << j.dump(1) << "\n";
}

void WriteComparisonCsv(std::ostream& os, const Comparison& c) {
  os << "metric,direction,test,n_before,n_after,n_pairs,before_median,after_"
        "median,"
        "shift,ci_low,ci_high,relative_change,relative_ci_low,relative_ci_high,"
        "scale,"
        "p_value,p_holm,cliffs_delta,significant,verdict,missing_before,"
        "missing_after,median_change,relative_ci_confidence,too_few,n_needed,"
        "min_effect,meaningful,decides\n";
  for (const auto& m : c.metrics) {
    os << m.key << ',' << DirectionName(m.direction) << ',' << m.test << ','
       << m.n_before << ',' << m.n_after << ','
       << (m.paired ? std::to_string(m.n_pairs) : "") << ','
       << FormatNumber(m.before) << ',' << FormatNumber(m.after) << ','
       << FormatNumber(m.shift) << ',' << FormatNumber(m.lo) << ','
       << FormatNumber(m.hi) << ',' << (m.rel ? FormatNumber(m.rel) : "") << ','
       << (m.rel_lo ? FormatNumber(m.rel_lo) : "") << ','
       << (m.rel_hi ? FormatNumber(m.rel_hi) : "") << ',' << m.scale << ','
       << FormatNumber(m.p_value) << ',' << FormatNumber(m.p_holm) << ','
       << (m.cliffs_delta ? FormatNumber(m.cliffs_delta) : "") << ','
       << (m.significant ? 1 : 0) << ',' << m.verdict << ',' << m.missing_before
       << ',' << m.missing_after << ','
       << (m.median_change ? FormatNumber(m.median_change) : "") << ','
       << (m.rel ? FormatNumber(m.rel_confidence) : "") << ','
       << (m.too_few ? 1 : 0) << ',' << m.n_needed << ','
       << FormatNumber(m.min_effect) << ',' << (m.meaningful ? 1 : 0) << ','
       << (m.decides ? 1 : 0) << '\n';
  }
}

}  // namespace acuity

namespace acuity {

void WriteBatchValuesJson(std::ostream& os, const Batch& before,
                          const Batch& after, bool paired) {
  nlohmann::json j;
  j["paired"] = paired;
  for (const auto& [side, batch] :
       {std::pair<const char*, const Batch*>{"before", &before},
        std::pair<const char*, const Batch*>{"after", &after}}) {
    nlohmann::json list = nlohmann::json::array();
    for (const VideoValues& v : batch->videos) {
      nlohmann::json values = nlohmann::json::object();
      for (const auto& [key, x] : v.values) {
        if (std::isfinite(x)) values[key] = x;
      }
      list.push_back({{"name", v.name}, {"path", v.path}, {"values", values}});
    }
    j[side] = list;
  }
  os << j.dump() << "\n";
}

}  // namespace acuity
