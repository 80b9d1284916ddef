// The metric table: one line per metric, in report column order.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "acuity/metric.h"
#include "metrics/blockiness.h"
#include "metrics/brisque.h"
#include "metrics/colour.h"
#include "metrics/contrast.h"
#include "metrics/cpbd.h"
#include "metrics/detail.h"
#include "metrics/edges.h"
#include "metrics/effective_resolution.h"
#include "metrics/face.h"
#include "metrics/gradient.h"
#include "metrics/laplacian_var.h"
#include "metrics/luma_stats.h"
#include "metrics/motion.h"
#include "metrics/resolution.h"

namespace acuity {

const std::vector<MetricEntry>& MetricRegistry() {
  static const std::vector<MetricEntry> kTable = {
      // Texture and detail.
      metrics::LaplacianVarEntry(),
      metrics::GradientEnergyEntry(),
      metrics::BlockinessEntry(),
      metrics::DetailScaleEntry(),
      // Edge sharpness and halos.
      metrics::EdgeWidthEntry(),
      metrics::CpbdEntry(),
      // Resolution.
      metrics::EffectiveResolutionEntry(),
      metrics::LaplacianVar540pEntry(),
      // Brightness and contrast.
      metrics::LumaMeanEntry(),
      metrics::LumaContrastEntry(),
      metrics::ContrastEntry(),
      // Colour.
      metrics::ColourEntry(),
      // Motion (opt-in).
      metrics::MotionMeanEntry(),
      // Faces (opt-in, detector every Nth frame).
      metrics::FaceEntry(),
      // Learned overall quality (opt-in, every Nth frame).
      metrics::BrisqueEntry(),
  };
  return kTable;
}

const std::vector<MetricOptionSpec>& MetricOptionSpecs() {
  static const std::vector<MetricOptionSpec> kSpecs = [] {
    std::vector<MetricOptionSpec> specs;
    for (const MetricEntry& e : MetricRegistry()) {
      for (const MetricOptionSpec& o : e.options) {
        const bool seen = std::any_of(
            specs.begin(), specs.end(),
            [&](const MetricOptionSpec& s) { return s.name == o.name; });
        if (!seen) specs.push_back(o);
      }
    }
    return specs;
  }();
  return kSpecs;
}

std::string MetricOptionSpec::Flag() const {
  std::string flag = "--" + name;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

namespace {

const MetricOptionSpec* FindOption(const std::string& name) {
  for (const MetricOptionSpec& s : MetricOptionSpecs()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// The integer of a kEvery option, or nullopt outside 1..kMaxEvery (or not
// an integer at all: "nan", "1e300", "3x").
std::optional<int> ParseEvery(const std::string& text) {
  int v = 0;
  const char* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || v < 1 ||
      v > MetricOptionSpec::kMaxEvery) {
    return std::nullopt;
  }
  return v;
}

const MetricOptionSpec& Declared(const std::string& name,
                                 MetricOptionSpec::Kind kind) {
  const MetricOptionSpec* s = FindOption(name);
  if (s == nullptr || s->kind != kind) {
    std::fprintf(stderr,
                 "acuity: metric option '%s' is not declared as read "
                 "(registry bug)\n",
                 name.c_str());
    std::abort();
  }
  return *s;
}

}  // namespace

Status MetricOptions::Set(const std::string& name, const std::string& value) {
  const MetricOptionSpec* s = FindOption(name);
  if (s == nullptr) {
    return InvalidArgument("unknown metric option '" + name + "'");
  }
  if (s->kind == MetricOptionSpec::Kind::kEvery && !ParseEvery(value)) {
    return InvalidArgument(s->Flag() + " must be an integer from 1 to " +
                           std::to_string(MetricOptionSpec::kMaxEvery) +
                           ", got '" + value + "'");
  }
  set_[name] = value;
  return Status::Ok();
}

int MetricOptions::Every(const std::string& name) const {
  const MetricOptionSpec& s = Declared(name, MetricOptionSpec::Kind::kEvery);
  const auto it = set_.find(name);
  return *ParseEvery(it != set_.end() ? it->second : s.default_value);
}

std::string MetricOptions::File(const std::string& name) const {
  const MetricOptionSpec& s = Declared(name, MetricOptionSpec::Kind::kFile);
  const auto it = set_.find(name);
  return it != set_.end() ? it->second : s.default_value;
}

Direction MetricDirection(const std::string& key) {
  for (const MetricEntry& e : MetricRegistry()) {
    for (const MetricInfo& m : e.outputs) {
      if (m.key == key) return m.direction;
    }
  }
  return Direction::kNeutral;
}

Result<std::vector<const MetricEntry*>> SelectMetrics(const std::string& list) {
  const auto& table = MetricRegistry();
  std::vector<bool> chosen(table.size(), false);
  std::stringstream ss(list);
  std::string name;
  bool any = false;
  while (std::getline(ss, name, ',')) {
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name.empty()) continue;
    any = true;
    bool found = false;
    // A name selects its entry by the entry's name or by any output key:
    // outputs of one entry share their computation, so they come together.
    for (size_t i = 0; i < table.size(); ++i) {
      bool match = name == "all" ||
                   (name == "default" && table[i].in_default_set) ||
                   name == table[i].name;
      for (const MetricInfo& m : table[i].outputs) match |= name == m.key;
      if (match) {
        chosen[i] = true;
        found = true;
      }
    }
    if (!found && name != "default" && name != "all") {
      std::string known;
      for (const auto& e : table) {
        for (const MetricInfo& m : e.outputs) {
          known += (known.empty() ? "" : ", ") + m.key;
        }
      }
      return InvalidArgument("unknown metric '" + name + "' (known: " + known +
                             ")");
    }
  }
  if (!any) return InvalidArgument("--metrics: empty metric list");
  std::vector<const MetricEntry*> out;
  for (size_t i = 0; i < table.size(); ++i) {
    if (chosen[i]) out.push_back(&table[i]);
  }
  return out;
}

}  // namespace acuity
