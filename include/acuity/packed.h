// Packed pixels the caller owns (gray, RGB, BGR: what NumPy and OpenCV
// hold) and FrameConverter, which turns them into the Frames a Scorer
// (acuity/scorer.h) takes, converting RGB exactly as the decoder converts
// RGB files. Implemented in the FFmpeg layer (src/ffmpeg/convert.cc), which
// needs nothing of the scoring pipeline.
#ifndef ACUITY_PACKED_H_
#define ACUITY_PACKED_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "acuity/decoder.h"
#include "acuity/frame.h"
#include "acuity/status.h"

namespace acuity {

// Layouts of packed pixels the caller owns, row-major, rows `stride` bytes
// apart.
enum class PixelLayout {
  kGray,  // one sample per pixel: uint8 (bit_depth 8) or native-endian
          // uint16 (bit_depth 9..16)
  kRgb,   // 3 interleaved uint8 samples R, G, B
  kBgr,   // 3 interleaved uint8 samples B, G, R (OpenCV's order)
};
const char* PixelLayoutName(PixelLayout layout, int bit_depth);  // "rgb24"...

struct PackedImage {
  const uint8_t* data = nullptr;  // first byte of row 0
  ptrdiff_t stride = 0;           // bytes from one row to the next
  int width = 0;
  int height = 0;
  PixelLayout layout = PixelLayout::kGray;
  int bit_depth = 8;  // gray only: 8..16; RGB and BGR are 8-bit
  // Gray only: the code values' range (RGB is full range by definition).
  ColorRange range = ColorRange::kFull;
};

// Turns PackedImages into Frames a Scorer takes. Gray is viewed as it is
// (no copy: the Frame points into the image). RGB and BGR are converted as
// the decoder converts 8-bit RGB files (PNG, FFV1 bgr0...): libswscale to
// planar YUV 4:4:4, BT.601, full range, luma by OpenCV's cvtColor rule,
// into a buffer this converter owns, valid until the next Convert().
// One converter per thread.
class FrameConverter {
 public:
  FrameConverter();
  ~FrameConverter();
  FrameConverter(const FrameConverter&) = delete;
  FrameConverter& operator=(const FrameConverter&) = delete;

  // Checks the image (size > 0, stride, depth) and makes its Frame; index,
  // pts_seconds and key_frame are left for the caller to set.
  Result<Frame> Convert(const PackedImage& image);

  // The StreamInfo of the Frames Convert makes from images like `image`.
  static StreamInfo StreamOf(const PackedImage& image, double fps = 0.0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The report's "video" object for `frames` frames from memory shaped like
// `image`: path as given (e.g. "<memory>"), container "memory", codec
// "rawvideo", pix_fmt the layout's FFmpeg name, analysed_pix_fmt what the
// metrics saw, duration frames / fps when fps > 0.
VideoInfo MemoryVideoInfo(const std::string& path, const PackedImage& image,
                          double fps, int64_t frames);

}  // namespace acuity

#endif  // ACUITY_PACKED_H_
