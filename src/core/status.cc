#include "acuity/status.h"

#include "acuity/frame.h"
#include "acuity/metric.h"

namespace acuity {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kUnsupported:
      return "unsupported";
    case StatusCode::kInvalidData:
      return "invalid_data";
    case StatusCode::kResourceLimit:
      return "resource_limit";
    case StatusCode::kIo:
      return "io";
    case StatusCode::kInternal:
      return "internal";
    case StatusCode::kCancelled:
      return "cancelled";
  }
  return "internal";
}

const char* ColorRangeName(ColorRange r) {
  return r == ColorRange::kFull ? "full" : "limited";
}

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kHigherIsSharper:
      return "higher_is_sharper";
    case Direction::kHigherIsBlurrier:
      return "higher_is_blurrier";
    case Direction::kNeutral:
      return "neutral";
  }
  return "neutral";
}

LumaScale LumaScale::For(int bit_depth, ColorRange range) {
  // Code values of depth N are 8-bit values times 2^(N-8) (BT.709/BT.2100
  // convention for limited range; applied to full range too so that 10-bit
  // full 1023 maps to 255.75, not 255: one rule, no special cases).
  const double unit = static_cast<double>(1 << (bit_depth - 8));
  LumaScale s;
  if (range == ColorRange::kFull) {
    s.black = 0.0;
    s.gain = 1.0 / unit;
    s.chroma_gain = 1.0 / unit;
  } else {
    s.black = 16.0 * unit;
    s.gain = 255.0 / (219.0 * unit);
    s.chroma_gain = 255.0 / (224.0 * unit);
  }
  s.chroma_neutral = 128.0 * unit;
  return s;
}

StreamInfo StreamInfo::Yuv(int width, int height, int bit_depth,
                           ColorRange range, int chroma_shift_x,
                           int chroma_shift_y, ColorMatrix matrix, double fps) {
  StreamInfo s;
  s.width = width;
  s.height = height;
  s.bit_depth = bit_depth;
  s.has_chroma = true;
  s.chroma_shift_x = chroma_shift_x;
  s.chroma_shift_y = chroma_shift_y;
  s.range = range;
  s.scale = LumaScale::For(bit_depth, range);
  s.matrix = matrix;
  s.fps = fps;
  return s;
}

StreamInfo StreamInfo::Gray(int width, int height, int bit_depth,
                            ColorRange range, double fps) {
  StreamInfo s =
      Yuv(width, height, bit_depth, range, 0, 0, ColorMatrix::kBt709, fps);
  s.has_chroma = false;
  return s;
}

}  // namespace acuity
