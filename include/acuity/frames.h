// Frames as pictures: re-decoding chosen frames of a video to 8-bit BGR,
// picking the sharpest and blurriest frames of a report, and writing PNGs.
// What `acuity frames` and the heatmap PNG are made of.
//
// Thread-safety: the functions share no state; call them from any thread.
#ifndef ACUITY_FRAMES_H_
#define ACUITY_FRAMES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "acuity/decoder.h"
#include "acuity/report.h"
#include "acuity/status.h"

namespace acuity {

// One decoded frame as display RGB: 8-bit BGR, rows packed (3 * width
// bytes each), converted by libswscale with the stream's YCbCr matrix and
// range (see ColorMatrix in frame.h). Rotation metadata is not applied.
struct Picture {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> bgr;  // height * width * 3 bytes
  int64_t index = 0;         // FrameRecord::index of the frame
  double pts = 0.0;          // seconds
};

// Decodes `path` with `options` (sampling included, so indices are those of
// a report made with the same options: FrameRecord::index) and returns the
// frames whose index is in `indices`, in ascending index order, stopping
// after the last one. `max_width` > 0 scales wider frames down to that
// width (aspect kept; area filter). An index the video does not have is an
// error naming the file. Deterministic.
Result<std::vector<Picture>> DecodePictures(const std::string& path,
                                            const DecoderOptions& options,
                                            std::vector<int64_t> indices,
                                            int max_width = 0);

// Encodes `picture` as PNG (the file's bytes).
Result<std::string> EncodePng(const Picture& picture);
// Encodes `picture` as PNG and writes it atomically. Errors name the file.
Status WritePng(const std::string& path, const Picture& picture);

// One frame chosen by PickFrames.
struct FramePick {
  std::string kind;  // "sharpest" or "blurriest"
  int rank = 0;      // 1-based within the kind
  int64_t index = 0;
  double pts = 0.0;
  double value = 0.0;  // of the ranking key
};

// The `sharpest` sharpest and `blurriest` blurriest frames of `report` by
// output `key` (its direction decides which end is sharp; neutral keys are
// refused). Frames with a null value are skipped; ties go to the lower
// index. With min_gap > 0, a frame within min_gap seconds of one already
// picked for the same kind is passed over (thumbnails that are not
// neighbours). Fewer picks come back when the video has fewer candidates.
// Sharpest first, each kind in rank order.
Result<std::vector<FramePick>> PickFrames(const VideoReport& report,
                                          const std::string& key, int sharpest,
                                          int blurriest, double min_gap = 0.0);

// "sharpest-01_t0012.345_f000370.png": kind, rank, pts (s), frame index.
std::string FramePngName(const FramePick& pick);

}  // namespace acuity

#endif  // ACUITY_FRAMES_H_
