// RAII handles for libav* objects: every object is owned by a unique_ptr
// from the moment it exists. Only src/ffmpeg/ includes this (and libav*).
#ifndef ACUITY_FFMPEG_AV_HANDLES_H_
#define ACUITY_FFMPEG_AV_HANDLES_H_

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace acuity::av {

struct Deleter {
  void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
  void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
  void operator()(AVFrame* p) const { av_frame_free(&p); }
  void operator()(AVPacket* p) const { av_packet_free(&p); }
  void operator()(SwsContext* p) const { sws_freeContext(p); }
};

using FormatContextPtr = std::unique_ptr<AVFormatContext, Deleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, Deleter>;
using FramePtr = std::unique_ptr<AVFrame, Deleter>;
using PacketPtr = std::unique_ptr<AVPacket, Deleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, Deleter>;

// av_strerror text for an AVERROR code.
inline std::string ErrorText(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  if (av_strerror(err, buf, sizeof(buf)) < 0) {
    return "unknown FFmpeg error " + std::to_string(err);
  }
  return buf;
}

}  // namespace acuity::av

#endif  // ACUITY_FFMPEG_AV_HANDLES_H_
