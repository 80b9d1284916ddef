// Frame -> BGR pictures (PictureConverter), DecodePictures, and PNG
// encoding with libavcodec's PNG encoder (WritePng).
#include "ffmpeg/picture.h"

#include <algorithm>
#include <cmath>

#include "acuity/files.h"
#include "acuity/picture.h"
#include "ffmpeg/av_handles.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

namespace acuity {

struct PictureConverter::Impl {
  av::SwsContextPtr sws;
  int src_w = 0, src_h = 0, dst_w = 0, dst_h = 0;
  AVPixelFormat fmt = AV_PIX_FMT_NONE;
};

PictureConverter::PictureConverter() : impl_(std::make_unique<Impl>()) {}
PictureConverter::~PictureConverter() = default;

namespace {

// The JPEG-range aliases say "full range" through the format; the range is
// set explicitly below, and libswscale warns about the aliases.
AVPixelFormat WithoutJpegAlias(AVPixelFormat f) {
  switch (f) {
    case AV_PIX_FMT_YUVJ420P:
      return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
      return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
      return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
      return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P:
      return AV_PIX_FMT_YUV411P;
    default:
      return f;
  }
}

int SwsColorspace(ColorMatrix m) {
  switch (m) {
    case ColorMatrix::kBt601:
      return SWS_CS_ITU601;
    case ColorMatrix::kBt709:
      return SWS_CS_ITU709;
    case ColorMatrix::kBt2020:
      return SWS_CS_BT2020;
  }
  return SWS_CS_ITU709;
}

}  // namespace

Status PictureConverter::Convert(const Frame& frame, const StreamInfo& stream,
                                 const std::string& pix_fmt, int max_width,
                                 Picture* out) {
  const AVPixelFormat fmt = WithoutJpegAlias(av_get_pix_fmt(pix_fmt.c_str()));
  if (fmt == AV_PIX_FMT_NONE) {
    return Unsupported("cannot convert pixel format '" + pix_fmt + "' to RGB");
  }
  const int w = frame.y.width, h = frame.y.height;
  if (w <= 0 || h <= 0) return InvalidArgument("empty frame");
  int dw = w, dh = h;
  if (max_width > 0 && w > max_width) {
    dw = max_width;
    dh = std::max(1, static_cast<int>(
                         std::lround(static_cast<double>(h) * max_width / w)));
  }
  Impl& s = *impl_;
  if (!s.sws || s.src_w != w || s.src_h != h || s.dst_w != dw ||
      s.dst_h != dh || s.fmt != fmt) {
    // At full size, FFmpeg's default flags (bicubic): the picture is then
    // the one `ffmpeg -i FILE -frames:v 1 x.png` writes, bit for bit on
    // 8-bit input (tests/pipeline/frames_test.cc). Shrinking uses the area
    // filter (no aliasing in heatmaps of 4K frames).
    const int flags = dw < w ? SWS_AREA : SWS_BICUBIC;
    s.sws.reset(sws_getContext(w, h, fmt, dw, dh, AV_PIX_FMT_BGR24, flags,
                               nullptr, nullptr, nullptr));
    if (!s.sws) {
      return Unsupported("cannot convert pixel format '" + pix_fmt +
                         "' to RGB");
    }
    const int* coeffs = sws_getCoefficients(SwsColorspace(stream.matrix));
    const int src_full = stream.range == ColorRange::kFull ? 1 : 0;
    // Gray formats ignore the matrix; the range still applies.
    sws_setColorspaceDetails(s.sws.get(), coeffs, src_full,
                             sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16,
                             1 << 16);
    s.src_w = w;
    s.src_h = h;
    s.dst_w = dw;
    s.dst_h = dh;
    s.fmt = fmt;
  }
  const uint8_t* src[4] = {frame.y.data, frame.u.data, frame.v.data, nullptr};
  int src_stride[4] = {static_cast<int>(frame.y.stride),
                       static_cast<int>(frame.u.stride),
                       static_cast<int>(frame.v.stride), 0};
  if (frame.u.empty()) {
    src[1] = src[2] = nullptr;
    src_stride[1] = src_stride[2] = 0;
  }
  out->width = dw;
  out->height = dh;
  out->index = frame.index;
  out->pts = frame.pts_seconds;
  out->bgr.resize(static_cast<size_t>(dw) * dh * 3);
  uint8_t* dst[4] = {out->bgr.data(), nullptr, nullptr, nullptr};
  int dst_stride[4] = {dw * 3, 0, 0, 0};
  const int got =
      sws_scale(s.sws.get(), src, src_stride, 0, h, dst, dst_stride);
  if (got != dh)
    return Internal("libswscale converted " + std::to_string(got) + " of " +
                    std::to_string(dh) + " rows");
  return Status::Ok();
}

Result<std::vector<Picture>> DecodePictures(const std::string& path,
                                            const DecoderOptions& options,
                                            std::vector<int64_t> indices,
                                            int max_width) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  std::vector<Picture> pictures;
  if (indices.empty()) return pictures;
  auto opened = Decoder::Open(path, options);
  if (!opened.ok()) return opened.status();
  Decoder& decoder = *opened.value();
  PictureConverter converter;
  Frame frame;
  size_t next = 0;
  while (next < indices.size()) {
    Result<bool> got = decoder.Next(&frame);
    if (!got.ok()) return got.status();
    if (!got.value()) break;
    if (frame.index < indices[next]) continue;
    if (frame.index > indices[next]) break;  // not a sampled frame
    Picture p;
    Status s =
        converter.Convert(frame, decoder.stream(),
                          decoder.info().analysed_pix_fmt, max_width, &p);
    if (!s.ok()) return s.WithContext(path);
    pictures.push_back(std::move(p));
    ++next;
  }
  if (next < indices.size()) {
    return NotFound("frame " + std::to_string(indices[next]) +
                    " is not among the frames decoded with these options")
        .WithContext(path);
  }
  return pictures;
}

// PNG through libavcodec, which acuity links anyway: OpenCV's imgcodecs
// would pull GDAL and ~110 more shared libraries into the process (+50 MB
// of RSS at start-up) for this one call.
Result<std::string> EncodePng(const Picture& picture) {
  const auto fail = [&](const std::string& why) {
    return Internal("PNG encoding failed: " + why);
  };
  if (picture.width <= 0 || picture.height <= 0 ||
      picture.bgr.size() < static_cast<size_t>(picture.width) *
                               static_cast<size_t>(picture.height) * 3) {
    return fail("empty picture");
  }
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) return fail("this FFmpeg has no PNG encoder");
  av::CodecContextPtr ctx(avcodec_alloc_context3(codec));
  av::FramePtr frame(av_frame_alloc());
  av::PacketPtr packet(av_packet_alloc());
  if (!ctx || !frame || !packet) return fail("out of memory");
  ctx->width = picture.width;
  ctx->height = picture.height;
  ctx->pix_fmt = AV_PIX_FMT_RGB24;  // the encoder takes RGB, not BGR
  ctx->time_base = AVRational{1, 1};
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0) {
    return fail("cannot open the PNG encoder");
  }
  std::vector<uint8_t> rgb(static_cast<size_t>(picture.width) *
                           static_cast<size_t>(picture.height) * 3);
  for (size_t i = 0; i < rgb.size(); i += 3) {
    rgb[i] = picture.bgr[i + 2];
    rgb[i + 1] = picture.bgr[i + 1];
    rgb[i + 2] = picture.bgr[i];
  }
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = picture.width;
  frame->height = picture.height;
  frame->data[0] = rgb.data();
  frame->linesize[0] = picture.width * 3;
  if (avcodec_send_frame(ctx.get(), frame.get()) < 0 ||
      avcodec_send_frame(ctx.get(), nullptr) < 0 ||
      avcodec_receive_packet(ctx.get(), packet.get()) < 0) {
    return fail("the encoder refused the picture");
  }
  return std::string(reinterpret_cast<const char*>(packet->data),
                     static_cast<size_t>(packet->size));
}

Status WritePng(const std::string& path, const Picture& picture) {
  Result<std::string> png = EncodePng(picture);
  if (!png.ok()) return png.status().WithContext(path);
  return WriteFileAtomic(path, *png);
}

}  // namespace acuity
