// Frame: one decoded picture as metrics see it, and the stream facts that
// stay constant over a video.
//
// Planes are handed over as decoded (no RGB conversion, no rescaling of
// pixels). What differs between files -- bit depth and limited/full range --
// is normalised in one place, src/ffmpeg/, into a LumaScale that turns a code
// value into full-range 8-bit units. Metrics apply it to their statistic
// (a variance is multiplied by gain^2), never to each pixel.
#ifndef ACUITY_FRAME_H_
#define ACUITY_FRAME_H_

#include <cstdint>
#include <span>
#include <string>

#include "acuity/plane.h"

namespace acuity {

enum class ColorRange { kLimited, kFull };
const char* ColorRangeName(ColorRange r);  // "limited" / "full"

// The YCbCr matrix of the decoded planes: which luma weights (Kr, Kb) turn
// Y'CbCr back into R'G'B'. Set by src/ffmpeg/ from the stream's colorspace
// tag: BT.470BG / SMPTE 170M / FCC -> kBt601, BT.709 / SMPTE 240M -> kBt709,
// BT.2020 (NCL and CL) -> kBt2020; untagged (or a matrix acuity does not
// model) -> kBt709 when the picture is >= 720 rows high, else kBt601 (the
// convention of FFmpeg-based players). Pictures acuity converts from RGB
// or palette with libswscale are BT.601, the matrix it asks for.
enum class ColorMatrix { kBt601, kBt709, kBt2020 };
inline const char* ColorMatrixName(ColorMatrix m) {
  switch (m) {
    case ColorMatrix::kBt601:
      return "bt601";
    case ColorMatrix::kBt709:
      return "bt709";
    case ColorMatrix::kBt2020:
      return "bt2020";
  }
  return "bt709";
}

// Maps a native code value v to full-range 8-bit units: (v - black) * gain.
//   8-bit full:     black 0,   gain 1
//   8-bit limited:  black 16,  gain 255/219
//   N-bit:          black and gain of 8-bit, with v first divided by 2^(N-8)
//                   (so 10-bit limited black is 64, white 940).
struct LumaScale {
  double black = 0.0;  // native code value that maps to 0
  double gain = 1.0;   // full-range 8-bit units per native code value
  // Chroma: (v - neutral) * chroma_gain is in full-range 8-bit units around 0.
  double chroma_neutral = 128.0;
  double chroma_gain = 1.0;

  static LumaScale For(int bit_depth, ColorRange range);
  double ToFull8(double v) const { return (v - black) * gain; }
};

// Facts about the stream a metric may size its state from (Metric::Init).
// Made with Yuv() or Gray(), which derive the dependent fields (scale,
// chroma shifts of gray) so that they cannot disagree; the decoder and
// Scorer users alike go through them.
struct StreamInfo {
  // Planar Y'CbCr: chroma planes of ceil(width / 2^chroma_shift_x) x
  // ceil(height / 2^chroma_shift_y) samples (4:2:0: 1, 1; 4:4:4: 0, 0).
  static StreamInfo Yuv(int width, int height, int bit_depth, ColorRange range,
                        int chroma_shift_x, int chroma_shift_y,
                        ColorMatrix matrix, double fps = 0.0);
  // Luma only (gray formats): has_chroma false, shifts 0.
  static StreamInfo Gray(int width, int height, int bit_depth, ColorRange range,
                         double fps = 0.0);

  int width = 0;  // luma width in samples (as coded, before rotation)
  int height = 0;
  int bit_depth = 8;
  int chroma_shift_x = 1;  // log2 of horizontal chroma subsampling (4:2:0 -> 1)
  int chroma_shift_y = 1;
  bool has_chroma = true;  // false for gray formats
  ColorRange range = ColorRange::kLimited;
  LumaScale scale;
  ColorMatrix matrix = ColorMatrix::kBt709;  // meaningless when !has_chroma
  double fps = 0.0;  // average frame rate; 0 when unknown
};

// One block's motion vector as the codec coded it (FFmpeg's AVMotionVector,
// exported with `flags2 +export_mvs`; see DecoderOptions::
// export_motion_vectors). H.264 and MPEG-1/2/4 part 2 export them; other
// codecs (HEVC, VP9, AV1, intra-only codecs) export none.
struct MotionVector {
  int16_t dst_x = 0;  // centre of the block in this picture, luma samples
  int16_t dst_y = 0;  // (may lie outside the picture)
  uint8_t w = 0;      // block size, luma samples (16x16, 16x8, 8x8 ...)
  uint8_t h = 0;
  // -1: predicted from a past picture, +1: from a future one. FFmpeg says
  // which direction, not which reference picture (see
  // Frame::past_reference_distance).
  int8_t source = -1;
  int32_t motion_x = 0;  // displacement src - dst in 1/motion_scale samples
  int32_t motion_y = 0;  // (the block's content comes from dst + motion)
  uint16_t motion_scale = 1;  // 4 for H.264 (quarter-pel), 2 for half-pel
  double dx() const { return static_cast<double>(motion_x) / motion_scale; }
  double dy() const { return static_cast<double>(motion_y) / motion_scale; }
};

struct Frame {
  PlaneView y;  // luma
  PlaneView u;  // chroma planes; empty() for gray formats
  PlaneView v;
  int64_t index = 0;  // decode-order index among all decoded frames (0-based)
  double pts_seconds = 0.0;  // presentation time relative to the stream start
  bool key_frame = false;
  // 'I', 'P', 'B', 'S' ... as FFmpeg's av_get_picture_type_char; '?' when
  // the codec does not say.
  char picture_type = '?';
  // Codec motion vectors of this picture, only when the decoder was opened
  // with DecoderOptions::export_motion_vectors; empty for intra pictures and
  // codecs that export none. Valid as long as the planes (decoder.h).
  std::span<const MotionVector> motion_vectors;
  // Presentation-order distance, in decoded frames, back to the latest
  // earlier I or P picture (1 when that is the previous frame); 0 for the
  // first picture. The past reference of a P picture, and of a B picture
  // outside a B-pyramid, under the usual one-reference-per-direction
  // structure. Counted over every decoded frame, whatever the sampling.
  int past_reference_distance = 0;
};

}  // namespace acuity

#endif  // ACUITY_FRAME_H_
