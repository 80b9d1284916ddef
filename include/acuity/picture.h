// Pictures: chosen frames of a video re-decoded to 8-bit BGR, and PNGs of
// them. What `acuity frames` and the heatmap PNG are made of; implemented
// in the FFmpeg layer (src/ffmpeg/picture.cc), which needs nothing of
// reports. Choosing frames from a report is acuity/frames.h.
//
// Thread-safety: the functions share no state; call them from any thread.
#ifndef ACUITY_PICTURE_H_
#define ACUITY_PICTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "acuity/decoder.h"
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

}  // namespace acuity

#endif  // ACUITY_PICTURE_H_
