// PictureConverter: one decoded Frame (planes as decoded) to 8-bit BGR for
// display and PNG output, with libswscale. Internal to acuity; the public
// side is DecodePictures in acuity/frames.h.
//
// The YCbCr matrix and range are those the decoder reported for the stream
// (StreamInfo::matrix, StreamInfo::range), not libswscale's defaults, so a
// BT.709 or full-range picture keeps its colours. One converter serves one
// stream from one thread; the libswscale context is reused across frames.
#ifndef ACUITY_FFMPEG_PICTURE_H_
#define ACUITY_FFMPEG_PICTURE_H_

#include <memory>
#include <string>

#include "acuity/frame.h"
#include "acuity/picture.h"
#include "acuity/status.h"

namespace acuity {

class PictureConverter {
 public:
  PictureConverter();
  ~PictureConverter();
  PictureConverter(const PictureConverter&) = delete;
  PictureConverter& operator=(const PictureConverter&) = delete;

  // `pix_fmt` is the format of the planes: VideoInfo::analysed_pix_fmt.
  // `max_width` > 0 scales wider frames down to that width (aspect kept,
  // height rounded). Fills out->width, height and bgr; index and pts are
  // copied from `frame`.
  Status Convert(const Frame& frame, const StreamInfo& stream,
                 const std::string& pix_fmt, int max_width, Picture* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace acuity

#endif  // ACUITY_FFMPEG_PICTURE_H_
