// Drawing a Heatmap (acuity/heatmap.h) over a frame of its video: the
// NAME.heatmap.png of `acuity score --heatmap`. Separate from the data so
// that what holds a report (acuity/report.h) does not pull in decoding and
// drawing.
#ifndef ACUITY_HEATMAP_PNG_H_
#define ACUITY_HEATMAP_PNG_H_

#include <string>

#include "acuity/decoder.h"
#include "acuity/heatmap.h"
#include "acuity/status.h"

namespace acuity {

// Height in pixels of the legend strip under the picture in a heatmap PNG
// whose picture part is `width` pixels wide. The picture part keeps the
// frame's aspect ratio; the PNG is width x (picture height + this).
int HeatmapLegendHeight(int width);

// Re-decodes the representative frame of `map` from `video_path` with
// `decoder` (the options the report was made with, so frame indices match)
// and writes the heatmap PNG to `png_path` atomically: the frame in grey,
// dimmed, the tiles coloured by detail scale (red: blurrier, blue: sharper,
// on a log scale between the map's min and max), flat tiles grey and
// hatched, and a legend strip below. Pictures wider than 1920 are scaled down.
// Errors name the file.
Status WriteHeatmapPng(const std::string& png_path,
                       const std::string& video_path,
                       const DecoderOptions& decoder, const Heatmap& map);

}  // namespace acuity

#endif  // ACUITY_HEATMAP_PNG_H_
