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

ReferenceBounds BoundsFromReference(const Batch& reference, double quantile) {
  ReferenceBounds out;
  out.videos = reference.videos.size();
  std::map<std::string, std::vector<double>> columns;
  for (const auto& v : reference.videos) {
    for (const auto& [k, x] : v.values) columns[k].push_back(x);
  }
  for (auto& [key, col] : columns) {
    const Direction d = MetricDirection(key);
    if (d == Direction::kNeutral) continue;
    const double q =
        d == Direction::kHigherIsSharper ? quantile : 1.0 - quantile;
    std::sort(col.begin(), col.end());
    out.bound[key] = Quantile(col, q);
    out.direction[key] = d;
  }
  return out;
}

std::vector<CheckResult> CheckBatch(
    const Batch& batch, const std::string& stat_name,
    const std::vector<Threshold>& thresholds,
    const std::optional<ReferenceBounds>& reference) {
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
    if (reference) {
      for (const auto& [key, bound] : reference->bound) {
        const auto x = value_of(key);
        if (!x) continue;
        const bool sharper_up =
            reference->direction.at(key) == Direction::kHigherIsSharper;
        const std::string what = key + " " + stat_name + " " + Num(*x);
        if (sharper_up ? *x < bound : *x > bound) {
          r.pass = false;
          r.reasons.push_back(what + (sharper_up ? " below" : " above") +
                              " the reference batch's " +
                              (sharper_up ? "p10 " : "p90 ") + Num(bound));
        } else {
          r.checks.push_back(what + " within the reference batch");
        }
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace acuity
