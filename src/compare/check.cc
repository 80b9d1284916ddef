// Pass/fail gates on pooled per-video values.
#include "acuity/check.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "compare/loaders.h"

namespace acuity {
namespace {

std::string Num(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

}  // namespace

Threshold& ThresholdFor(std::vector<Threshold>& list, const std::string& key) {
  for (auto& t : list) {
    if (t.key == key) return t;
  }
  list.push_back({key, std::nullopt, std::nullopt});
  return list.back();
}

Result<std::pair<std::string, double>> ParseThresholdArg(
    const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return InvalidArgument("threshold '" + text + "' is not KEY=VALUE");
  }
  const std::string value = text.substr(eq + 1);
  const auto v = loaders::ParseFinite(value);
  if (!v) {
    return InvalidArgument("threshold '" + text + "': " +
                           loaders::Quote(value) + " is not a finite number");
  }
  return std::make_pair(text.substr(0, eq), *v);
}

Result<CheckProfile> LoadCheckProfile(const std::string& path) {
  CheckProfile profile;
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap())
      return InvalidArgument(path + ": a profile is a mapping");
    for (const auto& item : root) {
      const std::string section = item.first.as<std::string>();
      if (section == "stat") {
        profile.stat = item.second.as<std::string>();
      } else if (section == "min" || section == "max") {
        if (!item.second.IsMap()) {
          return InvalidArgument(path + ": '" + section +
                                 "' must map metric keys to numbers");
        }
        for (const auto& kv : item.second) {
          const std::string key = kv.first.as<std::string>();
          const std::string where = path + ":" +
                                    std::to_string(kv.second.Mark().line + 1) +
                                    ": field " + section + "." + key + ": ";
          if (!kv.second.IsScalar()) {
            return InvalidArgument(where + "not a number");
          }
          // YAML's own number syntax would take .nan and .inf; a gate
          // with those passes everything, so only finite decimals count.
          const auto v = loaders::ParseFinite(kv.second.Scalar());
          if (!v) {
            return InvalidArgument(where + loaders::Quote(kv.second.Scalar()) +
                                   " is not a finite number");
          }
          Threshold& t = ThresholdFor(profile.thresholds, key);
          (section == "min" ? t.min : t.max) = *v;
        }
      } else {
        return InvalidArgument(path + ": unknown section '" + section +
                               "' (expected stat, min, max)");
      }
    }
  } catch (const YAML::BadFile&) {
    return NotFound(path + ": cannot read the profile");
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path + ": " + e.what());
  }
  return profile;
}

Result<ReferenceGate> GateFromReference(const Batch& reference,
                                        const GateOptions& options) {
  ReferenceGate gate;
  gate.videos = reference.videos.size();
  gate.pair_by = options.pair_by;
  gate.quantile = options.quantile;
  for (const auto& v : reference.videos) gate.by_name[v.name] = v;
  const size_t min_values = options.pair_by == PairBy::kName ? 1 : 5;
  for (const Criterion& crit : Criteria()) {
    for (const std::string& key : crit.keys) {
      std::vector<double> col;
      for (const auto& v : reference.videos) {
        if (auto it = v.values.find(key); it != v.values.end()) {
          col.push_back(it->second);
        }
      }
      if (col.empty()) continue;
      if (col.size() < min_values) {
        return InvalidArgument(
            "--relative-to: the reference batch has " +
            std::to_string(col.size()) + " videos with " + key + " (" +
            crit.name + "); at least 5 are needed for a " +
            std::to_string(std::lround(options.quantile * 100)) +
            "th percentile (or pair every video by name with --pair-by "
            "name)");
      }
      GatedCriterion g;
      g.criterion = crit.name;
      g.key = key;
      g.higher_is_better = MetricDirection(key) != Direction::kHigherIsBlurrier;
      g.tolerance = crit.tolerance;
      if (auto it = options.tolerance.find(crit.name);
          it != options.tolerance.end()) {
        g.tolerance = it->second;
      }
      std::sort(col.begin(), col.end());
      g.batch_bound = Quantile(
          col, g.higher_is_better ? options.quantile : 1.0 - options.quantile);
      g.reference_values = static_cast<int>(col.size());
      gate.criteria.push_back(g);
      break;
    }
  }
  if (gate.criteria.empty()) {
    return InvalidArgument(
        "--relative-to: the reference batch holds none of the metrics that "
        "decide a criterion (see docs/compare.md)");
  }
  return gate;
}

std::vector<CheckResult> CheckBatch(const Batch& batch,
                                    const std::string& stat_name,
                                    const std::vector<Threshold>& thresholds,
                                    const std::optional<ReferenceGate>& gate) {
  std::vector<CheckResult> results;
  for (const VideoValues& v : batch.videos) {
    CheckResult r;
    r.path = v.path;
    auto value_of = [&](const std::string& key) -> std::optional<double> {
      auto it = v.values.find(key);
      if (it == v.values.end()) return std::nullopt;
      return it->second;
    };
    for (const Threshold& t : thresholds) {
      const auto x = value_of(t.key);
      const std::string what = t.key + " " + stat_name;
      if (!x) {
        r.pass = false;
        r.reasons.push_back(what + " undetermined (every frame null)");
        continue;
      }
      if (t.min && *x < *t.min) {
        r.pass = false;
        r.reasons.push_back(what + " " + Num(*x) + " < min " + Num(*t.min));
      } else if (t.max && *x > *t.max) {
        r.pass = false;
        r.reasons.push_back(what + " " + Num(*x) + " > max " + Num(*t.max));
      } else {
        r.checks.push_back(what + " " + Num(*x) + " ok");
      }
    }
    if (gate) {
      const VideoValues* own = nullptr;
      if (gate->pair_by != PairBy::kNone) {
        if (auto it = gate->by_name.find(v.name); it != gate->by_name.end()) {
          own = &it->second;
        }
      }
      if (own == nullptr && gate->pair_by == PairBy::kName) {
        r.pass = false;
        r.reasons.push_back("no reference video named " + v.name +
                            " (--pair-by name)");
      }
      for (const GatedCriterion& g : gate->criteria) {
        const auto x = value_of(g.key);
        const std::string what =
            g.criterion + ": " + g.key + " " + stat_name + " ";
        if (!x) {
          r.checks.push_back(what + "undetermined, not checked");
          continue;
        }
        std::optional<double> own_value;
        if (own != nullptr) {
          if (auto it = own->values.find(g.key); it != own->values.end()) {
            own_value = it->second;
          }
        }
        if (own == nullptr && gate->pair_by == PairBy::kName) continue;
        const double bound = own_value ? *own_value : g.batch_bound;
        const double limit = g.higher_is_better ? bound * (1 - g.tolerance)
                                                : bound / (1 - g.tolerance);
        const bool fail = g.higher_is_better ? *x < limit : *x > limit;
        const std::string against =
            own_value ? "its reference " + own->name + " (" + Num(bound) + ")"
                      : "the reference batch's p" +
                            std::to_string(std::lround(
                                (g.higher_is_better ? gate->quantile
                                                    : 1 - gate->quantile) *
                                100)) +
                            " (" + Num(bound) + ")";
        const double change = *x / bound - 1;
        std::ostringstream pct;
        pct.precision(3);
        pct << std::showpos << 100 * change << "%";
        if (fail) {
          r.pass = false;
          r.reasons.push_back(what + Num(*x) + " is " + pct.str() +
                              " against " + against + ", beyond the " +
                              Num(100 * g.tolerance) + "% tolerance");
        } else {
          r.checks.push_back(what + Num(*x) + " within " +
                             Num(100 * g.tolerance) + "% of " + against);
        }
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace acuity
