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
std::string Relative(const MetricComparison& m, double confidence) {
  if (!m.rel) return "";
  std::ostringstream ci;
  ci << std::lround(confidence * 100) << "% CI ";
  return Percent(100 * *m.rel) + ", " + ci.str() + Percent(100 * *m.rel_lo) +
         ".." + Percent(100 * *m.rel_hi) + ", ";
}

bool AllPositive(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x > 0; });
}

}  // namespace

const std::vector<Criterion>& Criteria() {
  static const std::vector<Criterion> kCriteria = {
      {"edge sharpness", {"edge_width_px", "cpbd", "edge_acutance"}},
      {"texture detail",
       {"laplacian_var_nc", "laplacian_var", "gradient_energy"}},
      {"motion sharpness", {"moving_sharpness_ratio", "motion_blur"}},
      // Contrast (luma_contrast) is reported beside these but does not
      // decide: blur lowers it too, and blur is not a colour change.
      {"colour",
       {"saturation_mean", "colorfulness", "saturation_p90", "pallid_share"}},
      {"face detail", {"face_laplacian_var", "face_edge_width_px"}},
  };
  return kCriteria;
}

bool Comparison::any_regression() const {
  for (const auto& c : criteria) {
    if (c.regression) return true;
  }
  return false;
}

Result<Comparison> Compare(const Batch& before, const Batch& after,
                           const CompareOptions& options) {
  ACUITY_RETURN_IF_ERROR(
      stats::ValidateIntervalOptions(options.confidence, options.bootstrap));
  if (before.videos.empty() || after.videos.empty()) {
    return InvalidArgument(std::string("nothing to compare: the ") +
                           (before.videos.empty() ? "before" : "after") +
                           " side has no scored video");
  }
  Comparison c;

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
    std::optional<stats::Interval> interval;
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
      if (AllPositive(b) && AllPositive(a)) {
        // Ratios: a 10% loss weighs the same on a detailed and a plain clip.
        std::vector<double> logs;
        for (size_t i = 0; i < a.size(); ++i)
          logs.push_back(std::log(a[i] / b[i]));
        m.scale = "log_ratio";
        test = stats::WilcoxonSignedRank(logs);
        if (auto r = stats::HodgesLehmannPaired(logs, options.confidence)) {
          m.rel = std::expm1(r->estimate);
          m.rel_lo = std::expm1(r->lo);
          m.rel_hi = std::expm1(r->hi);
        }
      } else {
        m.scale = "difference";
        test = stats::WilcoxonSignedRank(diffs);
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
      m.scale = "rank";
      test = stats::MannWhitneyU(b, a);
      interval = stats::BootstrapMedianDifference(
          b, a, options.confidence, options.bootstrap, options.seed);
      m.cliffs_delta = stats::CliffsDelta(b, a);
    }
    m.n_before = static_cast<int>(b.size());
    m.n_after = static_cast<int>(a.size());
    const auto before_median = stats::Median(b),
               after_median = stats::Median(a);
    if (!before_median || !after_median) continue;  // empty, or not finite
    m.before = *before_median;
    m.after = *after_median;
    if (interval) {
      m.shift = interval->estimate;
      m.lo = interval->lo;
      m.hi = interval->hi;
    } else {
      m.shift = m.after - m.before;
      m.lo = m.hi = m.shift;
    }
    if (!m.rel && std::abs(m.before) > 1e-12) {
      m.rel = m.shift / std::abs(m.before);
      m.rel_lo = m.lo / std::abs(m.before);
      m.rel_hi = m.hi / std::abs(m.before);
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
    }
  }
  for (size_t i = 0; i < c.metrics.size(); ++i) {
    MetricComparison& m = c.metrics[i];
    m.p_holm = adjusted[i];
    m.decides = decides[i];
    m.significant = m.p_holm < options.alpha && m.shift != 0;
    if (!m.significant) {
      m.verdict = "no significant change";
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
                               PValue(decider->p_holm) + ")";
    if (!decider->significant) {
      v.text = "no significant change " + detail;
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
  os << "| criterion | before | after | change | verdict |\n"
     << "|---|---|---|---|---|\n";
  for (const auto& v : c.criteria) {
    const MetricComparison* m = v.key ? find(*v.key) : nullptr;
    if (m == nullptr) {
      os << "| " << v.criterion << " | | | | " << v.text << " |\n";
      continue;
    }
    os << "| " << v.criterion << " (`" << m->key << "`) | " << Number(m->before)
       << " | " << Number(m->after) << " | "
       << (m->rel ? Percent(100 * *m->rel) : Number(m->shift)) << " | "
       << v.text << " |\n";
  }
  os << "\n";
  if (c.paired) {
    os << "Paired by file name: "
       << (c.metrics.empty() ? 0 : c.metrics[0].n_pairs) << " pairs";
    if (c.unmatched > 0)
      os << " (" << c.unmatched << " videos without a partner left out)";
    os << "; Wilcoxon signed-rank test, Hodges-Lehmann shift with its "
          "interval.\n";
  } else {
    os << "Unpaired: difference of medians with a bootstrap interval, "
          "Mann-Whitney U test, Cliff's delta.\n";
  }
  size_t deciders = 0;
  for (const auto& m : c.metrics) deciders += m.decides ? 1 : 0;
  os << "p-values are Holm-adjusted in two families: the " << deciders
     << " metrics that decide a criterion (marked *), and the other "
     << c.metrics.size() - deciders
     << ". One value per video (its pooled statistic over frames).\n\n";
  os << "| metric | n before | n after | before | after | shift | CI | change "
        "| p | p (Holm) | "
        "verdict |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : c.metrics) {
    std::ostringstream p, ph;
    p << std::setprecision(3) << m.p_value;
    ph << std::setprecision(3) << m.p_holm;
    os << "| `" << m.key << "`" << (m.decides ? " *" : "") << " | "
       << m.n_before << " | " << m.n_after << " | "
       << Number(m.before) << " | " << Number(m.after) << " | "
       << Number(m.shift) << " | " << Number(m.lo) << ".." << Number(m.hi)
       << " | " << (m.rel ? Percent(100 * *m.rel) : "") << " | " << p.str()
       << " | " << ph.str() << " | " << m.verdict << " |\n";
  }
}

void WriteComparisonJson(std::ostream& os, const Comparison& c) {
  ordered_json j;
  j["schema_version"] = kSchemaVersion;
  j["paired"] = c.paired;
  j["unmatched"] = c.unmatched;
  j["regression"] = c.any_regression();
  ordered_json crit = ordered_json::array();
  for (const auto& v : c.criteria) {
    crit.push_back(
        {{"criterion", v.criterion},
         {"metric", v.key ? ordered_json(*v.key) : ordered_json(nullptr)},
         {"verdict", v.text},
         {"regression", v.regression}});
  }
  j["criteria"] = crit;
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
         {"before_median", m.before},
         {"after_median", m.after},
         {"shift", m.shift},
         {"ci_low", m.lo},
         {"ci_high", m.hi},
         {"relative_change",
          m.rel ? ordered_json(*m.rel) : ordered_json(nullptr)},
         {"relative_ci_low",
          m.rel_lo ? ordered_json(*m.rel_lo) : ordered_json(nullptr)},
         {"relative_ci_high",
          m.rel_hi ? ordered_json(*m.rel_hi) : ordered_json(nullptr)},
         {"scale", m.scale},
         {"p_value", m.p_value},
         {"p_holm", m.p_holm},
         {"cliffs_delta", m.cliffs_delta ? ordered_json(*m.cliffs_delta)
                                         : ordered_json(nullptr)},
         {"significant", m.significant},
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
        "p_value,p_holm,cliffs_delta,significant,verdict\n";
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
       << (m.significant ? 1 : 0) << ',' << m.verdict << '\n';
  }
}

}  // namespace acuity
