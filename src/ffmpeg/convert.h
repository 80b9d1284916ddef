// The one conversion of pixel formats metrics cannot read as they are (RGB,
// palette, packed or semi-planar YUV, big-endian) into planar YUV 4:4:4 or
// gray, shared by the decoder and by FrameConverter (acuity/packed.h), so a
// picture from a file and the same pixels handed over in memory become the
// same planes. Internal to src/ffmpeg/.
#ifndef ACUITY_FFMPEG_CONVERT_H_
#define ACUITY_FFMPEG_CONVERT_H_

#include "acuity/frame.h"
#include "acuity/status.h"
#include "ffmpeg/av_handles.h"

namespace acuity::av {

// Planar YUV 4:4:4 (at the source's depth, 8/10/12/16) for colour and
// palette sources, GRAY8/GRAY16 for gray ones.
AVPixelFormat ConversionTarget(AVPixelFormat fmt);

// libswscale, one context kept across pictures of one size and format.
// Not thread-safe: one converter per decoder or per FrameConverter.
class PictureConverter {
 public:
  // Converts `width` x `height` pixels of `fmt` (data/linesize as in an
  // AVFrame) into `dst`, an allocated frame of ConversionTarget(fmt) and the
  // same size. From RGB or palette it applies the BT.601 matrix with
  // full-range output (`src_full`: the source's own range), and 8-bit RGB
  // gets OpenCV's luma rule (convert.cc says why). The output is full range.
  Status Convert(const uint8_t* const data[4], const int linesize[4],
                 AVPixelFormat fmt, int width, int height, bool src_full,
                 AVFrame* dst);

 private:
  SwsContextPtr sws_;
  int width_ = 0, height_ = 0;
  AVPixelFormat fmt_ = AV_PIX_FMT_NONE;
};

}  // namespace acuity::av

#endif  // ACUITY_FFMPEG_CONVERT_H_
