// One conversion into planar YUV 4:4:4 / gray for the decoder and for
// pixels handed over in memory (acuity/packed.h's FrameConverter).
#include "ffmpeg/convert.h"

#include <limits>
#include <string>

#include "acuity/packed.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace acuity::av {
namespace {

bool HasChroma(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  return d != nullptr && d->nb_components >= 3;
}

// libswscale's RGB -> Y rounds differently from OpenCV's cvtColor(BGR2GRAY)
// on about 0.5% of colours (by one code value), and measures that are
// sensitive to single codes (BRISQUE) then miss OpenCV's published values.
// For 8-bit RGB sources the luma is therefore recomputed with OpenCV's own
// fixed-point rule, Y = (9798 R + 19235 G + 3735 B + 2^14) >> 15 (BT.601
// full range), so "the same luma as OpenCV" holds exactly. Chroma stays
// libswscale's. Other sources (palette, >8-bit RGB) are left as converted.
void OpenCvLumaFromRgb8(const uint8_t* const data[4], const int linesize[4],
                        AVPixelFormat fmt, int width, int height,
                        AVFrame* dst) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr || !(d->flags & AV_PIX_FMT_FLAG_RGB) ||
      (d->flags & (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BE |
                   AV_PIX_FMT_FLAG_BITSTREAM)) ||
      d->nb_components < 3) {
    return;
  }
  for (int c = 0; c < 3; ++c) {
    if (d->comp[c].depth != 8 || d->comp[c].shift != 0) return;
  }
  const AVComponentDescriptor& r = d->comp[0];
  const AVComponentDescriptor& g = d->comp[1];
  const AVComponentDescriptor& b = d->comp[2];
  for (int y = 0; y < height; ++y) {
    const uint8_t* rr = data[r.plane] + y * linesize[r.plane] + r.offset;
    const uint8_t* gg = data[g.plane] + y * linesize[g.plane] + g.offset;
    const uint8_t* bb = data[b.plane] + y * linesize[b.plane] + b.offset;
    uint8_t* out = dst->data[0] + y * dst->linesize[0];
    for (int x = 0; x < width; ++x) {
      out[x] =
          static_cast<uint8_t>((9798 * rr[x * r.step] + 19235 * gg[x * g.step] +
                                3735 * bb[x * b.step] + (1 << 14)) >>
                               15);
    }
  }
}

std::string PixFmtName(AVPixelFormat fmt) {
  const char* n = av_get_pix_fmt_name(fmt);
  return n != nullptr ? n : "unknown";
}

}  // namespace

// Target of the one-time conversion for formats that are not native planar.
AVPixelFormat ConversionTarget(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  const int depth = d != nullptr ? d->comp[0].depth : 8;
  // Palette pictures (GIF, some PNG) are colour whatever their component count.
  if (d != nullptr && (d->flags & AV_PIX_FMT_FLAG_PAL))
    return AV_PIX_FMT_YUV444P;
  if (!HasChroma(fmt)) return depth > 8 ? AV_PIX_FMT_GRAY16 : AV_PIX_FMT_GRAY8;
  if (depth <= 8) return AV_PIX_FMT_YUV444P;
  if (depth <= 10) return AV_PIX_FMT_YUV444P10;
  if (depth <= 12) return AV_PIX_FMT_YUV444P12;
  return AV_PIX_FMT_YUV444P16;
}

Status PictureConverter::Convert(const uint8_t* const data[4],
                                 const int linesize[4], AVPixelFormat fmt,
                                 int width, int height, bool src_full,
                                 AVFrame* dst) {
  if (!sws_ || width_ != width || height_ != height || fmt_ != fmt) {
    width_ = width;
    height_ = height;
    fmt_ = fmt;
    sws_.reset(sws_getContext(width, height, fmt, width, height,
                              static_cast<AVPixelFormat>(dst->format),
                              SWS_POINT, nullptr, nullptr, nullptr));
    if (!sws_) {
      return Unsupported("cannot convert pixel format " + PixFmtName(fmt));
    }
    // BT.601 matrix, full-range output: RGB-born pictures get the same
    // luma as OpenCV's cvtColor(BGR2GRAY).
    const int* coeffs = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(sws_.get(), coeffs, src_full ? 1 : 0, coeffs, 1, 0,
                             1 << 16, 1 << 16);
  }
  sws_scale(sws_.get(), data, linesize, 0, height, dst->data, dst->linesize);
  OpenCvLumaFromRgb8(data, linesize, fmt, width, height, dst);
  return Status::Ok();
}

}  // namespace acuity::av

namespace acuity {

const char* PixelLayoutName(PixelLayout layout, int bit_depth) {
  switch (layout) {
    case PixelLayout::kRgb:
      return "rgb24";
    case PixelLayout::kBgr:
      return "bgr24";
    case PixelLayout::kGray:
      break;
  }
  static const char* const kGray[] = {"gray",     "gray9le",  "gray10le",
                                      "gray11le", "gray12le", "gray13le",
                                      "gray14le", "gray15le", "gray16le"};
  return bit_depth >= 8 && bit_depth <= 16 ? kGray[bit_depth - 8] : "gray";
}

struct FrameConverter::Impl {
  av::PictureConverter converter;
  av::FramePtr converted;
};

FrameConverter::FrameConverter() : impl_(std::make_unique<Impl>()) {}
FrameConverter::~FrameConverter() = default;

namespace {

Status CheckImage(const PackedImage& image) {
  const bool gray = image.layout == PixelLayout::kGray;
  if (image.data == nullptr || image.width <= 0 || image.height <= 0) {
    return InvalidArgument("empty image (" + std::to_string(image.width) + "x" +
                           std::to_string(image.height) + ")");
  }
  if (gray ? (image.bit_depth < 8 || image.bit_depth > 16)
           : image.bit_depth != 8) {
    return InvalidArgument("bit depth " + std::to_string(image.bit_depth) +
                           (gray ? ": gray takes 8 (uint8) to 16 (uint16)"
                                 : ": RGB and BGR take 8-bit samples (uint8)"));
  }
  const ptrdiff_t row_bytes = static_cast<ptrdiff_t>(image.width) *
                              (gray ? (image.bit_depth > 8 ? 2 : 1) : 3);
  if (image.stride < row_bytes) {
    return InvalidArgument("row stride " + std::to_string(image.stride) +
                           " bytes is less than a row (" +
                           std::to_string(row_bytes) + " bytes)");
  }
  if (image.stride > std::numeric_limits<int>::max()) {
    return InvalidArgument("row stride too large");
  }
  return Status::Ok();
}

}  // namespace

Result<Frame> FrameConverter::Convert(const PackedImage& image) {
  ACUITY_RETURN_IF_ERROR(CheckImage(image));
  Frame frame;
  if (image.layout == PixelLayout::kGray) {
    frame.y.data = image.data;
    frame.y.stride = image.stride;
    frame.y.width = image.width;
    frame.y.height = image.height;
    frame.y.bit_depth = image.bit_depth;
    return frame;
  }
  const AVPixelFormat fmt =
      image.layout == PixelLayout::kRgb ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_BGR24;
  av::FramePtr& dst = impl_->converted;
  if (!dst || dst->width != image.width || dst->height != image.height) {
    dst.reset(av_frame_alloc());
    if (!dst) return Internal("out of memory");
    dst->format = av::ConversionTarget(fmt);
    dst->width = image.width;
    dst->height = image.height;
    if (av_frame_get_buffer(dst.get(), 0) < 0) {
      return Internal("out of memory for a converted frame");
    }
  }
  const uint8_t* data[4] = {image.data, nullptr, nullptr, nullptr};
  const int linesize[4] = {static_cast<int>(image.stride), 0, 0, 0};
  ACUITY_RETURN_IF_ERROR(impl_->converter.Convert(
      data, linesize, fmt, image.width, image.height, true, dst.get()));
  for (int i = 0; i < 3; ++i) {
    PlaneView& p = i == 0 ? frame.y : (i == 1 ? frame.u : frame.v);
    p.data = dst->data[i];
    p.stride = dst->linesize[i];
    p.width = image.width;
    p.height = image.height;
    p.bit_depth = 8;
  }
  return frame;
}

StreamInfo FrameConverter::StreamOf(const PackedImage& image, double fps) {
  if (image.layout == PixelLayout::kGray) {
    return StreamInfo::Gray(image.width, image.height, image.bit_depth,
                            image.range, fps);
  }
  // As the decoder says of RGB it converted: BT.601, full range, 4:4:4.
  return StreamInfo::Yuv(image.width, image.height, 8, ColorRange::kFull, 0, 0,
                         ColorMatrix::kBt601, fps);
}

VideoInfo MemoryVideoInfo(const std::string& path, const PackedImage& image,
                          double fps, int64_t frames) {
  VideoInfo v;
  v.path = path;
  v.container = "memory";
  v.codec = "rawvideo";
  v.width = image.width;
  v.height = image.height;
  v.pix_fmt = PixelLayoutName(image.layout, image.bit_depth);
  v.analysed_pix_fmt =
      image.layout == PixelLayout::kGray ? v.pix_fmt : "yuv444p";
  v.bit_depth = image.layout == PixelLayout::kGray ? image.bit_depth : 8;
  v.range =
      image.layout == PixelLayout::kGray ? image.range : ColorRange::kFull;
  v.fps = fps;
  v.duration = fps > 0.0 ? static_cast<double>(frames) / fps : 0.0;
  v.frames_decoded = frames;
  v.frames_used = frames;
  return v;
}

}  // namespace acuity
