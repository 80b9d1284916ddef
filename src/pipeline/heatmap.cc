// The tile map (acuity/heatmap.h) and its picture.
#include "pipeline/heatmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "kernels/tile_moments.h"
#include "metrics/detail.h"
#include "metrics/moments.h"

namespace acuity {

void HeatmapGrid(int width, int height, int* cols, int* rows) {
  static_assert(kHeatmapMaxCols == metrics::kDetailMaxCols);
  static_assert(kHeatmapFlatMinGradient == metrics::kDetailMinGradient);
  metrics::DetailGrid(width, height, cols, rows);
}

int HeatmapLegendHeight(int width) { return std::clamp(width / 12, 56, 160); }

void ComputeTileMoments(const PlaneView& plane, int cols, int rows,
                        std::vector<kernels::LaplacianMoments>* tiles) {
  tiles->resize(static_cast<size_t>(cols) * rows);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      (*tiles)[static_cast<size_t>(r) * cols + c] =
          kernels::ComputeLaplacianMoments(
              kernels::TileView(plane, cols, rows, r, c));
    }
  }
}

namespace {

// Population variance from exact integer sums (128-bit numerator).
double Variance(int64_t n, __int128 sum, unsigned __int128 sum_sq) {
  const __int128 num = static_cast<__int128>(sum_sq) * n - sum * sum;
  const double nn = static_cast<double>(n);
  return static_cast<double>(num) / (nn * nn);
}

}  // namespace

std::optional<double> TileValue(const kernels::LaplacianMoments& m,
                                const LumaScale& scale) {
  if (m.count <= 0) return std::nullopt;
  const double luma_var = Variance(m.count, m.sum_px, m.sum_px_sq);
  if (std::sqrt(std::max(0.0, luma_var)) * scale.gain < kHeatmapFlatLumaStd) {
    return std::nullopt;
  }
  return std::max(0.0, Variance(m.count, m.sum, m.sum_sq)) * scale.gain *
         scale.gain;
}

void TileMapAccumulator::Init(const StreamInfo& info) {
  width_ = info.width;
  height_ = info.height;
  scale_ = info.scale;
  HeatmapGrid(width_, height_, &cols_, &rows_);
  const size_t n = static_cast<size_t>(cols_) * rows_;
  tiles_.assign(n, {});
  sum_log_.assign(n, 0.0);
  sum_log_scale_.assign(n, 0.0);
  n_.assign(n, 0);
  frame_value_.clear();
}

void TileMapAccumulator::Add(const Frame& frame) {
  if (cols_ == 0) return;
  const double sigma =
      metrics::FrameNoiseSigma(frame.y, scale_, &blocks_, &keys_);
  metrics::ComputeTileSums(frame.y, cols_, rows_, &tiles_);
  Add(sigma, tiles_);
}

void TileMapAccumulator::Add(double sigma,
                             const std::vector<metrics::TileSums>& tiles) {
  if (cols_ == 0) return;
  for (size_t i = 0; i < tiles.size(); ++i) {
    const metrics::TileSums& t = tiles[i];
    const std::optional<double> v =
        TileValue(kernels::LaplacianOfTile(t), scale_);
    const metrics::TileDetail d = metrics::JudgeTile(t, scale_, sigma);
    if (v && d.scale_px) {
      sum_log_[i] += std::log1p(*v);
      sum_log_scale_[i] += std::log(*d.scale_px);
      ++n_[i];
    }
  }
  // The tiles partition the interior: their sums are the whole frame's
  // moments, and this is the frame's laplacian_var (its flat rule included).
  const std::optional<double> whole = metrics::LaplacianVarFromMoments(
      kernels::LaplacianFromTiles(tiles), scale_);
  frame_value_.push_back(whole ? *whole
                               : std::numeric_limits<double>::quiet_NaN());
}

Heatmap TileMapAccumulator::Finish(
    const std::vector<FrameRecord>& frames) const {
  Heatmap map;
  map.cols = cols_;
  map.rows = rows_;
  map.width = width_;
  map.height = height_;
  map.frames = static_cast<int64_t>(frame_value_.size());
  map.values.resize(sum_log_.size());
  map.detail_scale.resize(sum_log_.size());
  for (size_t i = 0; i < sum_log_.size(); ++i) {
    // Flat unless it had a reading in at least half of the frames.
    if (n_[i] > 0 && 2 * n_[i] >= map.frames) {
      map.values[i] = std::expm1(sum_log_[i] / n_[i]);
      map.detail_scale[i] = std::exp(sum_log_scale_[i] / n_[i]);
    } else {
      ++map.flat_tiles;
    }
  }
  std::vector<double> valid;
  for (double v : frame_value_) {
    if (!std::isnan(v)) valid.push_back(v);
  }
  size_t pick = 0;
  if (!valid.empty()) {
    std::sort(valid.begin(), valid.end());
    const double median = Quantile(valid, 0.5);
    double best = std::numeric_limits<double>::infinity();
    for (size_t f = 0; f < frame_value_.size(); ++f) {
      const double d = std::abs(frame_value_[f] - median);
      if (d < best) {  // NaN compares false: flat frames never win
        best = d;
        pick = f;
      }
    }
  }
  if (pick < frames.size()) {
    map.frame_index = frames[pick].index;
    map.frame_pts = frames[pick].pts;
  }
  return map;
}

namespace {

std::string FormatValue(double v) {
  char buf[32];
  if (v >= 100) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else if (v >= 10) {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

// Draws `text` with its baseline at y, left edge at x (align 0), centred
// (1) or right edge at x (2).
void Text(cv::Mat& img, const std::string& text, int x, int y, int align,
          double scale, int thickness) {
  int base = 0;
  const cv::Size size =
      cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &base);
  if (align == 1) x -= size.width / 2;
  if (align == 2) x -= size.width;
  cv::putText(img, text, cv::Point(x, y), cv::FONT_HERSHEY_SIMPLEX, scale,
              cv::Scalar(235, 235, 235), thickness, cv::LINE_AA);
}

int TextWidth(const std::string& text, double scale, int thickness) {
  int base = 0;
  return cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness,
                         &base)
      .width;
}

}  // namespace

Picture RenderHeatmap(const Picture& frame, const Heatmap& map) {
  const int w = frame.width, h = frame.height;
  const int legend_h = HeatmapLegendHeight(w);
  Picture out;
  out.width = w;
  out.height = h + legend_h;
  out.index = frame.index;
  out.pts = frame.pts;
  out.bgr.assign(static_cast<size_t>(out.width) * out.height * 3, 0);
  cv::Mat canvas(out.height, w, CV_8UC3, out.bgr.data());
  cv::Mat src(h, w, CV_8UC3, const_cast<uint8_t*>(frame.bgr.data()));
  cv::Mat picture = canvas(cv::Rect(0, 0, w, h));
  {
    cv::Mat gray, grey_bgr;
    cv::cvtColor(src, gray, cv::COLOR_BGR2GRAY);
    cv::cvtColor(gray, grey_bgr, cv::COLOR_GRAY2BGR);
    grey_bgr.convertTo(picture, CV_8UC3, 0.55, 0);  // dimmed, in place
  }

  // TURBO colour map, reversed: index 255 (red) is the blurriest tile.
  cv::Mat ramp(1, 256, CV_8UC1), lut;
  for (int i = 0; i < 256; ++i)
    ramp.at<uint8_t>(0, i) = static_cast<uint8_t>(i);
  cv::applyColorMap(ramp, lut, cv::COLORMAP_TURBO);
  auto colour_at = [&](double t) {  // t: 0 blurriest .. 1 sharpest
    const int idx =
        static_cast<int>(std::lround(255.0 * (1.0 - std::clamp(t, 0.0, 1.0))));
    const cv::Vec3b c = lut.at<cv::Vec3b>(0, idx);
    return cv::Scalar(c[0], c[1], c[2]);
  };

  // Log detail scale: lmin the finest (sharpest) tile, lmax the coarsest.
  double lmin = std::numeric_limits<double>::infinity(), lmax = -lmin;
  for (const auto& v : map.detail_scale) {
    if (!v) continue;
    lmin = std::min(lmin, std::log(*v));
    lmax = std::max(lmax, std::log(*v));
  }
  const bool any = lmin <= lmax;
  const double lspan = any ? lmax - lmin : 0.0;

  // Tile edges in picture pixels (the picture may be scaled down).
  auto px = [&](int x) {
    return static_cast<int>(
        std::lround(static_cast<double>(x) * w / map.width));
  };
  auto py = [&](int y) {
    return static_cast<int>(
        std::lround(static_cast<double>(y) * h / map.height));
  };
  const int hatch = std::max(6, w / 160);
  for (int r = 0; r < map.rows; ++r) {
    for (int c = 0; c < map.cols; ++c) {
      const int x0 = px(map.TileX0(c)), x1 = px(map.TileX0(c + 1));
      const int y0 = py(map.TileY0(r)), y1 = py(map.TileY0(r + 1));
      if (x1 <= x0 || y1 <= y0) continue;
      cv::Mat tile = picture(cv::Rect(x0, y0, x1 - x0, y1 - y0));
      const size_t i = static_cast<size_t>(r) * map.cols + c;
      const std::optional<double> v =
          i < map.detail_scale.size() ? map.detail_scale[i] : std::nullopt;
      if (v) {
        // t: 0 blurriest (coarsest detail) .. 1 sharpest.
        const double t = lspan > 0 ? (lmax - std::log(*v)) / lspan : 0.5;
        cv::Mat solid(tile.size(), CV_8UC3, colour_at(t));
        cv::addWeighted(tile, 0.5, solid, 0.5, 0.0, tile);
      } else {
        // Flat: no detail to blur. Grey and hatched, not coloured.
        cv::Mat grey(tile.size(), CV_8UC3, cv::Scalar(110, 110, 110));
        cv::addWeighted(tile, 0.4, grey, 0.6, 0.0, tile);
        for (int k = -tile.rows; k < tile.cols; k += hatch) {
          cv::line(tile, cv::Point(k, tile.rows), cv::Point(k + tile.rows, 0),
                   cv::Scalar(150, 150, 150), 1, cv::LINE_AA);
        }
      }
      cv::rectangle(picture, cv::Rect(x0, y0, x1 - x0, y1 - y0),
                    cv::Scalar(20, 20, 20), 1);
    }
  }

  // Legend strip: colour bar (blurrier left, sharper right) with the map's
  // min and max, and a caption.
  cv::Mat legend = canvas(cv::Rect(0, h, w, legend_h));
  legend.setTo(cv::Scalar(28, 28, 28));
  const int margin = std::max(4, w / 40);
  const int bar_y0 = legend_h * 12 / 100, bar_y1 = legend_h * 38 / 100;
  for (int x = margin; x < w - margin; ++x) {
    const double t =
        static_cast<double>(x - margin) / std::max(1, w - 2 * margin - 1);
    cv::line(legend, cv::Point(x, bar_y0), cv::Point(x, bar_y1 - 1),
             any ? colour_at(t) : cv::Scalar(90, 90, 90), 1);
  }
  double scale = legend_h * 0.2 / 22.0;  // Hershey simplex: ~22 px at 1.0
  const int thick = std::max(1, legend_h / 70);
  const std::string left =
      any ? "blurrier " + FormatValue(std::exp(lmax)) + " px"
          : "no tile with detail";
  const std::string right =
      any ? FormatValue(std::exp(lmin)) + " px sharper" : "";
  std::string caption =
      "detail scale per tile (px), geometric mean over " +
      std::to_string(map.frames) + (map.frames == 1 ? " frame" : " frames") +
      "; grey hatched: flat (" + std::to_string(map.flat_tiles) + " tiles)";
  while (TextWidth(caption, scale, thick) > w - 2 * margin && scale > 0.3) {
    scale *= 0.9;
  }
  if (TextWidth(caption, scale, thick) > w - 2 * margin) {
    caption = "tile detail scale; grey hatched: flat";
  }
  Text(legend, left, margin, legend_h * 64 / 100, 0, scale, thick);
  if (!right.empty()) {
    Text(legend, right, w - margin, legend_h * 64 / 100, 2, scale, thick);
  }
  Text(legend, caption, w / 2, legend_h * 92 / 100, 1, scale, thick);
  return out;
}

Status WriteHeatmapPng(const std::string& png_path,
                       const std::string& video_path,
                       const DecoderOptions& decoder, const Heatmap& map) {
  if (map.cols <= 0 || map.rows <= 0) {
    return InvalidArgument(png_path + ": empty heatmap");
  }
  auto pictures = DecodePictures(video_path, decoder, {map.frame_index},
                                 /*max_width=*/1920);
  if (!pictures.ok()) return pictures.status();
  Picture rendered;
  try {
    rendered = RenderHeatmap(pictures.value().front(), map);
  } catch (const cv::Exception& e) {
    return Internal(png_path + ": drawing the heatmap failed: " + e.what());
  }
  return WritePng(png_path, rendered);
}

}  // namespace acuity
