// acuity report: the data is gathered here into one JSON object, embedded
// in the page with Chart.js; the page's script draws the charts. The
// headline tables are also written as plain HTML (readable without
// JavaScript).
#include "acuity/html_report.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acuity/frames.h"
#include "acuity/report.h"
#include "acuity/track.h"
#include "acuity/version.h"

extern "C" {
#include <libavutil/base64.h>
}

#ifndef ACUITY_CHARTJS_DEFAULT
#define ACUITY_CHARTJS_DEFAULT "/usr/share/javascript/chart.js/chart.min.js"
#endif

namespace acuity {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The per-frame curves drawn for every video (those present).
const char* const kCurveKeys[] = {"resolution_ratio", "edge_width_px",
                                  "laplacian_var_nc", "colorfulness"};
// Headline columns of the table, in summary.jsonl's "headline" object.
const char* const kHeadline[] = {"looks_like",       "effective_height",
                                 "resolution_ratio", "resolution_ratio_p10",
                                 "edge_width_px",    "laplacian_var_nc",
                                 "colorfulness"};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_number()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
    return buf;
  }
  return Escape(v.is_string() ? v.get<std::string>() : v.dump());
}

// A string field, or "" when it is missing, null or not a string (a failed
// row has null verdicts): json::value() throws on a type mismatch.
std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// Bytes as base64 (libavutil's encoder), for data: URLs.
std::string Base64(const std::string& bytes) {
  std::string out(AV_BASE64_SIZE(bytes.size()), '\0');
  if (av_base64_encode(out.data(), static_cast<int>(out.size()),
                       reinterpret_cast<const uint8_t*>(bytes.data()),
                       static_cast<int>(bytes.size())) == nullptr) {
    return "";
  }
  out.resize(std::strlen(out.c_str()));
  return out;
}

// A picture as a base64 PNG; "" when it cannot be encoded.
std::string PngBase64(const Picture& picture) {
  Result<std::string> png = EncodePng(picture);
  return png.ok() ? Base64(*png) : "";
}

// The report's sampling options, so that frame indices mean what they meant
// when it was made (acuity/frames.h, DecodePictures).
DecoderOptions OptionsOf(const json& report) {
  DecoderOptions d;
  d.threads = 1;
  const json o = report.value("options", json::object());
  const auto num = [&](const char* k, double dflt) {
    return o.contains(k) && o[k].is_number() ? o[k].get<double>() : dflt;
  };
  d.sampling.fps = num("fps", 0.0);
  d.sampling.every = static_cast<int64_t>(num("every", 1.0));
  d.sampling.keyframes = o.value("keyframes", false) == true;
  d.sampling.max_frames = static_cast<int64_t>(num("max_frames", 0.0));
  d.sampling.start = num("start", 0.0);
  d.sampling.duration = num("duration", 0.0);
  d.max_pixels = static_cast<int64_t>(num("max_pixels", 8192.0 * 8192.0));
  if (o.contains("sequence_fps")) d.sequence_fps = num("sequence_fps", 25.0);
  return d;
}

// The sharpest and blurriest frames of a report by laplacian_var_nc (the
// texture criterion's metric; flat frames are null and never picked), as
// PNG thumbnails 320 px wide, base64. Empty when the video cannot be
// decoded again (moved, deleted): the page says so.
json Thumbnails(const json& report) {
  json out = json::array();
  const std::string path =
      report.value("video", json::object()).value("path", "");
  if (path.empty() || !fs::exists(path) || !report.contains("frames")) {
    return out;
  }
  int64_t best = -1, worst = -1;
  double best_v = 0, worst_v = 0;
  for (const json& f : report["frames"]) {
    if (!f.contains("metrics") || !f["metrics"].contains("laplacian_var_nc")) {
      continue;
    }
    const json& v = f["metrics"]["laplacian_var_nc"];
    if (!v.is_number() || !f.contains("index")) continue;
    const double x = v.get<double>();
    const int64_t idx = f["index"].get<int64_t>();
    if (best < 0 || x > best_v) best = idx, best_v = x;
    if (worst < 0 || x < worst_v) worst = idx, worst_v = x;
  }
  if (best < 0) return out;
  std::vector<int64_t> wanted = {best};
  if (worst != best) wanted.push_back(worst);
  auto pictures = DecodePictures(path, OptionsOf(report), wanted, 320);
  if (!pictures.ok()) return out;
  for (const Picture& p : *pictures) {
    const std::string png = PngBase64(p);
    if (png.empty()) continue;
    out.push_back({{"kind", p.index == best ? "sharpest" : "blurriest"},
                   {"pts", p.pts},
                   {"value", p.index == best ? best_v : worst_v},
                   {"png", png}});
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["kind"].get<std::string>() > b["kind"].get<std::string>();
  });
  return out;
}

// One frame of a video as a 320-px PNG, base64; "" when it cannot be
// decoded (moved, fewer frames).
std::string FramePng(const std::string& video, const DecoderOptions& options,
                     int64_t index) {
  std::error_code ec;
  if (video.empty() || !fs::exists(video, ec)) return "";
  auto pictures = DecodePictures(video, options, {index}, 320);
  if (!pictures.ok() || pictures->empty()) return "";
  return PngBase64(pictures->front());
}

bool IsSqlite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, 16);
  return in.gcount() == 16 && std::string(head, 15) == "SQLite format 3";
}

// A `score -o` folder: summary.jsonl rows, and each report's frames.
Status LoadScore(const std::string& dir, const HtmlReportOptions& options,
                 json* videos) {
  const std::string summary = (fs::path(dir) / "summary.jsonl").string();
  std::ifstream in(summary);
  if (!in) {
    return NotFound(dir + ": no summary.jsonl (not a `score -o` folder)");
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json row = json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) {
      return InvalidData(summary + ": line " + std::to_string(n + 1) +
                         ": not JSON");
    }
    ++n;
    json v;
    v["path"] = Str(row, "path");
    v["name"] = fs::path(Str(row, "path")).filename().string();
    v["status"] = Str(row, "status");
    v["error"] = row.contains("error") ? row["error"] : json();
    v["verdict"] = Str(row, "verdict");
    v["headline"] = row.contains("headline") && row["headline"].is_object()
                        ? row["headline"]
                        : json::object();
    for (const char* k : {"width", "height", "fps", "frames_used"}) {
      v[k] = row.contains(k) ? row[k] : json();
    }
    v["frames"] = json::object();
    std::string report = Str(row, "report");
    if (!report.empty() && !fs::exists(report)) {
      // Moved folder: the report next to summary.jsonl.
      report = (fs::path(dir) / fs::path(report).filename()).string();
    }
    v["thumbnails"] = json::array();
    v["heatmap"] = "";
    if (!report.empty() && fs::exists(report)) {
      json r = json::parse(ReadAll(report), nullptr, false);
      if (!r.is_discarded() && options.thumbnails) {
        v["thumbnails"] = Thumbnails(r);
      }
      // The heatmap PNG next to the report, when score --heatmap made one.
      const std::string stem = fs::path(report).filename().string();
      const std::string heat =
          (fs::path(report).parent_path() /
           (stem.substr(0, stem.size() - std::string(".acuity.json").size()) +
            ".heatmap.png"))
              .string();
      if (stem.size() > 12 && fs::exists(heat)) {
        v["heatmap"] = Base64(ReadAll(heat));
      }
      if (!r.is_discarded() && r.contains("frames") && r["frames"].is_array()) {
        const json& frames = r["frames"];
        const size_t count = frames.size();
        const size_t step =
            std::max<size_t>(1, (count + options.max_points - 1) /
                                    static_cast<size_t>(options.max_points));
        json pts = json::array();
        json series = json::object();
        for (const char* k : kCurveKeys) series[k] = json::array();
        for (size_t i = 0; i < count; i += step) {
          const json& f = frames[i];
          pts.push_back(f.contains("pts") && f["pts"].is_number() ? f["pts"]
                                                                  : json());
          for (const char* k : kCurveKeys) {
            const json* m = f.contains("metrics") && f["metrics"].is_object()
                                ? &f["metrics"]
                                : nullptr;
            series[k].push_back(m && m->contains(k) ? (*m)[k] : json());
          }
        }
        for (const char* k : kCurveKeys) {
          bool any = false;
          for (const json& x : series[k]) any = any || !x.is_null();
          if (!any) series.erase(k);
        }
        v["frames"] = {{"pts", pts}, {"series", series}};
      }
    }
    videos->push_back(v);
  }
  if (n == 0) return InvalidData(summary + ": no rows");
  return Status::Ok();
}

// A `compare -o` folder: compare.json (verdicts, per-metric statistics) and
// videos.json (every video's pooled values).
Status LoadCompare(const std::string& dir, json* out) {
  const std::string path = (fs::path(dir) / "compare.json").string();
  json c = json::parse(ReadAll(path), nullptr, false);
  if (c.is_discarded() || !c.is_object()) {
    return InvalidData(path + ": not JSON");
  }
  json v = json::parse(ReadAll((fs::path(dir) / "videos.json").string()),
                       nullptr, false);
  json cj;
  cj["dir"] = dir;
  cj["paired"] = c.value("paired", false);
  cj["criteria"] = c.contains("criteria") ? c["criteria"] : json::array();
  // The deciding metric of each criterion, with its statistics and the
  // values of both sides.
  json metrics = json::array();
  for (const json& crit : cj["criteria"]) {
    const std::string key = Str(crit, "metric");
    if (key.empty() || !c.contains("metrics")) continue;
    for (const json& m : c["metrics"]) {
      if (Str(m, "metric") != key) continue;
      json mj = m;
      mj["criterion"] = Str(crit, "criterion");
      for (const char* side : {"before", "after"}) {
        json names = json::array(), values = json::array();
        if (!v.is_discarded() && v.contains(side)) {
          for (const json& video : v[side]) {
            if (video.contains("values") && video["values"].contains(key)) {
              names.push_back(Str(video, "name"));
              values.push_back(video["values"][key]);
            }
          }
        }
        mj[std::string(side) + "_names"] = names;
        mj[std::string(side) + "_values"] = values;
      }
      metrics.push_back(mj);
    }
  }
  cj["metrics"] = metrics;
  cj["videos_missing"] = v.is_discarded();
  // The worst regressions of the first criterion that has paired values:
  // up to three pairs that got worse the most (relative), each shown by
  // the same frame of both videos: the after video's blurriest frame by
  // laplacian_var_nc when its report is in DIR/after, else the first.
  cj["worst"] = json::array();
  if (cj["paired"] == true && !v.is_discarded()) {
    for (const json& m : metrics) {
      const std::string key = Str(m, "metric");
      const std::string dir_name = Str(m, "direction");
      std::map<std::string, std::pair<double, std::string>> before;
      for (const json& b : v["before"]) {
        if (b.contains("values") && b["values"].contains(key)) {
          before[Str(b, "name")] = {b["values"][key].get<double>(),
                                    Str(b, "path")};
        }
      }
      struct Pair {
        double worse;
        std::string name, before_path, after_path;
        double before, after;
      };
      std::vector<Pair> pairs;
      for (const json& a : v["after"]) {
        const auto it = before.find(Str(a, "name"));
        if (it == before.end() || !a["values"].contains(key)) continue;
        const double x0 = it->second.first;
        const double x1 = a["values"][key].get<double>();
        if (x0 == 0.0) continue;
        const double rel = (x1 - x0) / std::fabs(x0);
        // Worse: down for higher-is-sharper and neutral (greyer), up for
        // higher-is-blurrier (as acuity track's alert).
        const double worse = dir_name == "higher_is_blurrier" ? rel : -rel;
        if (worse > 0) {
          pairs.push_back({worse, Str(a, "name"), it->second.second,
                           Str(a, "path"), x0, x1});
        }
      }
      if (pairs.empty()) continue;
      std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
        return x.worse > y.worse || (x.worse == y.worse && x.name < y.name);
      });
      if (pairs.size() > 3) pairs.resize(3);
      for (const Pair& p : pairs) {
        int64_t index = 0;
        const std::string report =
            (fs::path(dir) / "after" / (p.name + ".acuity.json")).string();
        DecoderOptions options;
        options.threads = 1;
        if (fs::exists(report)) {
          json r = json::parse(ReadAll(report), nullptr, false);
          if (!r.is_discarded()) {
            options = OptionsOf(r);
            double lowest = 0;
            bool any = false;
            for (const json& f : r.value("frames", json::array())) {
              const json m2 = f.value("metrics", json::object());
              if (m2.contains("laplacian_var_nc") &&
                  m2["laplacian_var_nc"].is_number() &&
                  (!any || m2["laplacian_var_nc"].get<double>() < lowest)) {
                lowest = m2["laplacian_var_nc"].get<double>();
                index = f.value("index", int64_t{0});
                any = true;
              }
            }
          }
        }
        cj["worst"].push_back(
            {{"criterion", Str(m, "criterion")},
             {"metric", key},
             {"name", p.name},
             {"before", p.before},
             {"after", p.after},
             {"index", index},
             {"before_png", FramePng(p.before_path, options, index)},
             {"after_png", FramePng(p.after_path, options, index)}});
      }
      break;
    }
  }
  out->push_back(cj);
  return Status::Ok();
}

json SeriesJson(const std::vector<track::CriterionSeries>& series) {
  json out = json::array();
  for (const auto& c : series) {
    json cj;
    cj["criterion"] = c.criterion;
    cj["key"] = c.key;
    cj["direction"] = DirectionName(c.direction);
    json periods = json::array(), median = json::array(), lo = json::array(),
         hi = json::array(), n = json::array();
    for (const auto& p : c.periods) {
      periods.push_back(p.period);
      median.push_back(p.median);
      lo.push_back(p.lo);
      hi.push_back(p.hi);
      n.push_back(p.n);
    }
    cj["periods"] = periods;
    cj["median"] = median;
    cj["lo"] = lo;
    cj["hi"] = hi;
    cj["n"] = n;
    json changes = json::array();
    for (const auto& ch : c.changes) {
      changes.push_back({{"period", ch.period},
                         {"rel", ch.rel},
                         {"verdict", ch.verdict},
                         {"p_value", ch.p_value}});
    }
    cj["changes"] = changes;
    cj["alert"] = c.alert.message;
    out.push_back(cj);
  }
  return out;
}

Status LoadTrack(const std::string& path, json* sources) {
  auto db = track::Db::Open(path, /*create=*/false);
  if (!db.ok()) return db.status();
  auto names = (*db)->Sources();
  if (!names.ok()) return names.status();
  for (const std::string& s : *names) {
    auto videos = (*db)->Videos(s);
    if (!videos.ok()) return videos.status();
    track::AnalysisOptions by_day;
    track::AnalysisOptions by_hour;
    by_hour.by = track::PeriodKind::kHourOfDay;
    sources->push_back(
        {{"source", s},
         {"db", path},
         {"videos", videos->size()},
         {"by_day", SeriesJson(track::Analyse(*videos, by_day))},
         {"by_hour", SeriesJson(track::Analyse(*videos, by_hour))}});
  }
  return Status::Ok();
}

// The page. Data in <script type="application/json" id="acuity-data">; the
// script after Chart.js draws every chart and writes what it drew into
// #acuity-status (charts, points, errors) for tests and curious readers.
const char kStyle[] = R"css(
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:20px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:right}
th:first-child,td:first-child,th.l,td.l{text-align:left}
th{cursor:pointer;background:#f6f6f6;position:sticky;top:0}
.bad{color:#b00020}.ok{color:#1b5e20}.muted{color:#777}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px}
.chart{height:220px;position:relative}
.thumbs{display:flex;gap:12px;flex-wrap:wrap}.thumbs img{width:320px;border:1px solid #ccc}
figure{margin:0}figcaption{font-size:12px;color:#555}
.alert{background:#fff3e0;border-left:4px solid #e65100;padding:6px 10px;margin:6px 0}
)css";

const char kScript[] = R"js(
(function(){
  var status = document.getElementById('acuity-status');
  var errors = 0, charts = 0, points = 0, empty = 0;
  window.addEventListener('error', function(){ errors++; report(); });
  // Chart.js reports bad data and options on console.error: count them too.
  var consoleError = console.error;
  console.error = function(){ errors++; report();
    return consoleError.apply(console, arguments); };
  function report(){
    status.setAttribute('data-errors', errors);
    status.setAttribute('data-charts', charts);
    status.setAttribute('data-points', points);
    status.setAttribute('data-empty-charts', empty);
    status.textContent = charts + ' charts, ' + points + ' points drawn' +
        (errors ? ', ' + errors + ' errors' : '');
  }
  var D = JSON.parse(document.getElementById('acuity-data').textContent);
  var palette = ['#1565c0','#c62828','#2e7d32','#6a1b9a','#ef6c00','#00838f'];
  function chart(parent, title, config){
    var box = document.createElement('div');
    box.className = 'chart';
    var canvas = document.createElement('canvas');
    box.appendChild(canvas);
    parent.appendChild(box);
    config.options = Object.assign({animation:false, maintainAspectRatio:false,
      plugins:{title:{display:true,text:title}, legend:{display:true}}}, config.options||{});
    new Chart(canvas, config);
    var n = 0;
    config.data.datasets.forEach(function(ds){
      ds.data.forEach(function(v){ if (v !== null && v !== undefined &&
        (typeof v !== 'object' || v.y !== null)) n++; });
    });
    charts++; points += n; if (n === 0) empty++;
  }
  // Sortable tables: click a header.
  document.querySelectorAll('table.sortable').forEach(function(t){
    t.querySelectorAll('th').forEach(function(th, col){
      th.addEventListener('click', function(){
        var rows = Array.prototype.slice.call(t.tBodies[0].rows);
        var dir = th.getAttribute('data-dir') === 'asc' ? -1 : 1;
        th.setAttribute('data-dir', dir === 1 ? 'asc' : 'desc');
        rows.sort(function(a, b){
          var x = a.cells[col].textContent, y = b.cells[col].textContent;
          var nx = parseFloat(x), ny = parseFloat(y);
          if (!isNaN(nx) && !isNaN(ny)) return dir * (nx - ny);
          return dir * x.localeCompare(y);
        });
        rows.forEach(function(r){ t.tBodies[0].appendChild(r); });
      });
    });
  });
  (D.videos || []).forEach(function(v, i){
    var host = document.getElementById('video-' + i);
    if (!host || !v.frames || !v.frames.series) return;
    Object.keys(v.frames.series).forEach(function(key, k){
      var data = v.frames.pts.map(function(t, j){
        return {x: t, y: v.frames.series[key][j]}; });
      chart(host, key + ' per frame', {type:'line', data:{datasets:[{label:key,
        data:data, borderColor:palette[k % palette.length], pointRadius:0,
        borderWidth:1.5, spanGaps:false}]}, options:{parsing:false,
        scales:{x:{type:'linear', title:{display:true, text:'seconds'}}}}});
    });
  });
  (D.compares || []).forEach(function(c, i){
    var host = document.getElementById('compare-' + i);
    c.metrics.forEach(function(m, k){
      if (!m.before_values.length && !m.after_values.length) return;
      // Deterministic jitter so equal values stay visible.
      function jit(j){ return ((j * 37) % 21 - 10) / 100; }
      function pts(values, x){ return values.map(function(v, j){
        return {x: x + jit(j), y: v}; }); }
      var sets = [
        {label:'before', data:pts(m.before_values, 0), backgroundColor:'#1565c0', pointRadius:3},
        {label:'after', data:pts(m.after_values, 1), backgroundColor:'#c62828', pointRadius:3}];
      if (c.paired) {
        var after = {};
        m.after_names.forEach(function(n, j){ after[n] = j; });
        var lines = [];
        m.before_names.forEach(function(n, j){
          if (n in after && lines.length < 300 * 3) {
            lines.push({x:jit(j), y:m.before_values[j]},
                       {x:1 + jit(after[n]), y:m.after_values[after[n]]}, {x:null, y:null});
          }
        });
        if (lines.length) sets.push({type:'line', label:'pairs', data:lines,
          borderColor:'rgba(0,0,0,0.2)', borderWidth:1, pointRadius:0, spanGaps:false});
      }
      chart(host, m.criterion + ': ' + m.metric + ' (' + m.verdict + ')', {type:'scatter',
        data:{datasets:sets}, options:{scales:{x:{type:'linear', min:-0.5, max:1.5,
          afterBuildTicks:function(a){ a.ticks = [{value:0}, {value:1}]; },
          ticks:{callback:function(v){ return v === 0 ? 'before' : 'after'; }}}}}});
    });
  });
  (D.sources || []).forEach(function(s, i){
    var host = document.getElementById('track-' + i);
    var hours = document.getElementById('hours-' + i);
    s.by_day.forEach(function(c, k){
      var marks = c.periods.map(function(p){
        var ch = c.changes.filter(function(x){ return x.period === p; })[0];
        return ch ? c.median[c.periods.indexOf(p)] : null; });
      chart(host, c.criterion + ' (' + c.key + ') per day', {type:'line',
        data:{labels:c.periods, datasets:[
          {label:'median', data:c.median, borderColor:palette[k % palette.length], pointRadius:2},
          {label:'interval low', data:c.lo, borderColor:'rgba(0,0,0,0.15)', pointRadius:0, borderDash:[4,4]},
          {label:'interval high', data:c.hi, borderColor:'rgba(0,0,0,0.15)', pointRadius:0, borderDash:[4,4]},
          {label:'change point', data:marks, showLine:false, pointRadius:8,
           pointStyle:'triangle', backgroundColor:'#e65100', borderColor:'#e65100'}]}});
    });
    s.by_hour.forEach(function(c, k){
      chart(hours, c.criterion + ' (' + c.key + ') by hour of day', {type:'bar',
        data:{labels:c.periods, datasets:[{label:'median', data:c.median,
          backgroundColor:palette[k % palette.length]}]}});
    });
  });
  report();
})();
)js";

std::string ScoreHtml(const json& videos) {
  std::ostringstream os;
  os << "<h2>Videos</h2>\n<table class=\"sortable\"><thead><tr>"
        "<th>video</th><th class=\"l\">verdict</th>";
  for (const char* k : kHeadline) os << "<th>" << k << "</th>";
  os << "<th class=\"l\">status</th></tr></thead><tbody>\n";
  for (const json& v : videos) {
    const bool ok = Str(v, "status") == "ok";
    os << "<tr><td title=\"" << Escape(Str(v, "path")) << "\">"
       << Escape(Str(v, "name")) << "</td><td class=\"l\">"
       << Escape(Str(v, "verdict")) << "</td>";
    for (const char* k : kHeadline) {
      os << "<td>" << (v["headline"].contains(k) ? Cell(v["headline"][k]) : "")
         << "</td>";
    }
    os << "<td class=\"l " << (ok ? "ok" : "bad") << "\">"
       << (ok ? "ok" : Escape(Str(v, "status")) + ": " + Cell(v["error"]))
       << "</td></tr>\n";
  }
  os << "</tbody></table>\n";
  for (size_t i = 0; i < videos.size(); ++i) {
    const json& v = videos[i];
    if (Str(v, "status") != "ok") continue;
    os << "<h3>" << Escape(Str(v, "name")) << " <span class=\"muted\">"
       << Cell(v["width"]) << "&times;" << Cell(v["height"]) << ", "
       << Cell(v["frames_used"]) << " frames &middot; "
       << Escape(Str(v, "verdict")) << "</span></h3>\n"
       << "<div class=\"charts\" id=\"video-" << i << "\"></div>\n";
    if (!v["thumbnails"].empty() || !Str(v, "heatmap").empty()) {
      os << "<div class=\"thumbs\">";
      for (const json& t : v["thumbnails"]) {
        char caption[96];
        std::snprintf(caption, sizeof caption,
                      "%s frame, %.2f s (laplacian_var_nc %.4g)",
                      Str(t, "kind").c_str(), t["pts"].get<double>(),
                      t["value"].get<double>());
        os << "<figure><img alt=\"" << caption
           << "\" src=\"data:image/png;base64," << Str(t, "png")
           << "\"><figcaption>" << caption << "</figcaption></figure>";
      }
      if (!Str(v, "heatmap").empty()) {
        os << "<figure><img alt=\"heatmap\" src=\"data:image/png;base64,"
           << Str(v, "heatmap")
           << "\"><figcaption>heatmap (docs/heatmap.md)</figcaption></figure>";
      }
      os << "</div>\n";
    }
  }
  return os.str();
}

std::string CompareHtml(const json& compares) {
  std::ostringstream os;
  for (size_t i = 0; i < compares.size(); ++i) {
    const json& c = compares[i];
    os << "<h2>Compare: " << Escape(Str(c, "dir")) << " <span class=\"muted\">"
       << (c.value("paired", false) ? "paired by name" : "unpaired")
       << "</span></h2>\n<table><thead><tr><th class=\"l\">criterion</th>"
          "<th>metric</th><th class=\"l\">verdict</th><th>before</th>"
          "<th>after</th><th>change</th><th>interval</th><th>p (Holm)</th>"
          "</tr></thead><tbody>\n";
    for (const json& m : c["metrics"]) {
      const auto pct = [](const json& x) {
        if (!x.is_number()) return std::string();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%+.1f%%", 100.0 * x.get<double>());
        return std::string(buf);
      };
      os << "<tr><td class=\"l\">" << Escape(Str(m, "criterion")) << "</td><td>"
         << Escape(Str(m, "metric")) << "</td><td class=\"l\">"
         << Escape(Str(m, "verdict")) << "</td><td>"
         << Cell(m.value("before_median", json())) << "</td><td>"
         << Cell(m.value("after_median", json())) << "</td><td>"
         << pct(m.value("relative_change", json())) << "</td><td>"
         << pct(m.value("relative_ci_low", json())) << " .. "
         << pct(m.value("relative_ci_high", json())) << "</td><td>"
         << Cell(m.value("p_holm", json())) << "</td></tr>\n";
    }
    os << "</tbody></table>\n";
    if (c.value("videos_missing", false)) {
      os << "<p class=\"muted\">No videos.json in this folder (made by an "
            "older acuity): no distributions.</p>\n";
    }
    if (!c["worst"].empty()) {
      os << "<h3>Worst regressions (" << Escape(Str(c["worst"][0], "criterion"))
         << ", " << Escape(Str(c["worst"][0], "metric")) << ")</h3>\n";
      for (const json& w : c["worst"]) {
        os << "<div class=\"thumbs\">";
        for (const char* side : {"before", "after"}) {
          const std::string png = Str(w, (std::string(side) + "_png").c_str());
          char caption[160];
          std::snprintf(caption, sizeof caption, "%s %s, frame %lld: %.4g",
                        Str(w, "name").c_str(), side,
                        static_cast<long long>(w["index"].get<int64_t>()),
                        w[side].get<double>());
          os << "<figure>";
          if (!png.empty()) {
            os << "<img alt=\"" << Escape(caption)
               << "\" src=\"data:image/png;base64," << png << "\">";
          } else {
            os << "<p class=\"muted\">(video not found)</p>";
          }
          os << "<figcaption>" << Escape(caption) << "</figcaption></figure>";
        }
        os << "</div>\n";
      }
    }
    os << "<h3>Before and after, per video</h3><div class=\"charts\" "
          "id=\"compare-"
       << i << "\"></div>\n";
  }
  return os.str();
}

std::string TrackHtml(const json& sources) {
  std::ostringstream os;
  for (size_t i = 0; i < sources.size(); ++i) {
    const json& s = sources[i];
    const std::string name = Str(s, "source");
    os << "<h2>Track: " << Escape(name.empty() ? "(no source)" : name)
       << " <span class=\"muted\">" << s["videos"].get<size_t>()
       << " videos</span></h2>\n";
    for (const json& c : s["by_day"]) {
      if (!Str(c, "alert").empty()) {
        os << "<div class=\"alert\">ALERT: " << Escape(Str(c, "alert"))
           << "</div>\n";
      }
    }
    os << "<table><thead><tr><th class=\"l\">criterion</th><th>metric</th>"
          "<th class=\"l\">changes</th></tr></thead><tbody>\n";
    for (const json& c : s["by_day"]) {
      std::string changes;
      for (const json& ch : c["changes"]) {
        char rel[32];
        std::snprintf(rel, sizeof rel, "%+.0f%%",
                      100.0 * ch["rel"].get<double>());
        changes += (changes.empty() ? "" : "; ") + Escape(Str(ch, "verdict")) +
                   " from " + Escape(Str(ch, "period")) + " (" + rel + ")";
      }
      os << "<tr><td class=\"l\">" << Escape(Str(c, "criterion")) << "</td><td>"
         << Escape(Str(c, "key")) << "</td><td class=\"l\">"
         << (changes.empty() ? "none" : changes) << "</td></tr>\n";
    }
    os << "</tbody></table>\n<h3>Per day</h3><div class=\"charts\" id=\"track-"
       << i << "\"></div>\n<h3>By hour of day</h3><div class=\"charts\" "
       << "id=\"hours-" << i << "\"></div>\n";
  }
  return os.str();
}

}  // namespace

Status WriteHtmlReport(const std::vector<std::string>& inputs,
                       const std::string& out_path,
                       const HtmlReportOptions& options) {
  std::string chartjs_path = options.chartjs_path;
  if (chartjs_path.empty()) {
    const char* env = std::getenv("ACUITY_CHARTJS");
    chartjs_path = env && *env ? env : ACUITY_CHARTJS_DEFAULT;
  }
  const std::string chartjs = ReadAll(chartjs_path);
  if (chartjs.empty()) {
    return NotFound(chartjs_path +
                    ": Chart.js not found (install Debian's libjs-chart.js, "
                    "or point ACUITY_CHARTJS at chart.min.js)");
  }
  json data;
  data["videos"] = json::array();
  data["sources"] = json::array();
  data["compares"] = json::array();
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec) && fs::exists(fs::path(in) / "compare.json")) {
      if (Status s = LoadCompare(in, &data["compares"]); !s.ok()) return s;
    } else if (fs::is_directory(in, ec)) {
      if (Status s = LoadScore(in, options, &data["videos"]); !s.ok()) return s;
    } else if (fs::is_regular_file(in, ec) && IsSqlite(in)) {
      if (Status s = LoadTrack(in, &data["sources"]); !s.ok()) return s;
    } else if (!fs::exists(in, ec)) {
      return NotFound(in + ": no such file or folder");
    } else {
      return InvalidArgument(in +
                             ": not a `score -o` folder or a track database");
    }
  }
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
  // "</" must not end the script element early.
  std::string payload = data.dump();
  for (size_t p = 0; (p = payload.find("</", p)) != std::string::npos; p += 3) {
    payload.replace(p, 2, "<\\/");
  }
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width\">\n<title>"
     << Escape(options.title) << "</title>\n<style>" << kStyle
     << "</style></head><body>\n<h1>" << Escape(options.title) << "</h1>\n"
     << "<p class=\"muted\">acuity " << ACUITY_VERSION << ", " << when
     << ". Metric definitions: docs/metrics.md; verdicts: docs/headline.md; "
        "tracking: docs/track.md. <span id=\"acuity-status\" "
        "data-charts=\"0\" data-points=\"0\" data-errors=\"0\">charts need "
        "JavaScript</span></p>\n";
  if (!data["videos"].empty()) os << ScoreHtml(data["videos"]);
  if (!data["compares"].empty()) os << CompareHtml(data["compares"]);
  if (!data["sources"].empty()) os << TrackHtml(data["sources"]);
  os << "<script type=\"application/json\" id=\"acuity-data\">" << payload
     << "</script>\n<script>" << chartjs << "</script>\n<script>" << kScript
     << "</script>\n</body></html>\n";
  return WriteFileAtomic(out_path, os.str());
}

}  // namespace acuity
