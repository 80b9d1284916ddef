// FFmpeg decoding: open, pick the video stream, stream frames through the
// sampling rules, normalise pixel format, bit depth and range in one place.
#include "acuity/decoder.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "acuity/files.h"
#include "ffmpeg/av_handles.h"
#include "ffmpeg/convert.h"
#include "ffmpeg/sequence.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/log.h>
#include <libavutil/motion_vector.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

namespace acuity {
namespace {

// double -> int64 without undefined behaviour: NaN gives 0, values beyond
// the range saturate. Timestamps from a crafted file can be anything.
int64_t SaturatingInt64(double v) {
  if (std::isnan(v)) return 0;
  constexpr double kLimit = 9.2e18;  // just inside int64's range
  if (v >= kLimit) return std::numeric_limits<int64_t>::max();
  if (v <= -kLimit) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

// a - b in int64 when it fits (exact), else in double (a crafted file's
// pts and start_time can be any int64: no signed overflow).
double Difference(int64_t a, int64_t b) {
  int64_t d;
  if (!__builtin_sub_overflow(a, b, &d)) return static_cast<double>(d);
  return static_cast<double>(a) - static_cast<double>(b);
}

// A pixel format metrics can read as is: planar (or single-plane gray),
// one sample per plane element, 8..16 bits, native endian, integer, YUV or
// gray. Everything else (RGB, packed, semi-planar NV12/P010, palette,
// big-endian, float) goes through libswscale once.
bool IsNativePlanar(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr) return false;
  constexpr uint64_t kReject = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_BE |
                               AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
                               AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_FLOAT |
                               AV_PIX_FMT_FLAG_BAYER;
  if (d->flags & kReject) return false;
  const int color_components = d->nb_components >= 3 ? 3 : 1;
  const int depth = d->comp[0].depth;
  if (depth < 8 || depth > 16) return false;
  const int bytes = depth > 8 ? 2 : 1;
  for (int c = 0; c < color_components; ++c) {
    const AVComponentDescriptor& comp = d->comp[c];
    if (comp.plane != c || comp.step != bytes || comp.offset != 0 ||
        comp.shift != 0 || comp.depth != depth) {
      return false;
    }
  }
  return true;
}

bool HasChroma(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  return d != nullptr && d->nb_components >= 3;
}

// Range of a decoded frame. Unspecified means limited for YUV (the broadcast
// default every encoder assumes) and full for gray and RGB-born pictures.
ColorRange RangeOf(const AVFrame* f) {
  const auto fmt = static_cast<AVPixelFormat>(f->format);
  if (fmt == AV_PIX_FMT_YUVJ420P || fmt == AV_PIX_FMT_YUVJ422P ||
      fmt == AV_PIX_FMT_YUVJ444P || fmt == AV_PIX_FMT_YUVJ440P ||
      fmt == AV_PIX_FMT_YUVJ411P) {
    return ColorRange::kFull;
  }
  if (f->color_range == AVCOL_RANGE_JPEG) return ColorRange::kFull;
  if (f->color_range == AVCOL_RANGE_MPEG) return ColorRange::kLimited;
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d != nullptr &&
      ((d->flags & AV_PIX_FMT_FLAG_RGB) || d->nb_components < 3)) {
    return ColorRange::kFull;
  }
  return ColorRange::kLimited;
}

// YCbCr matrix of the planes metrics will see (see ColorMatrix in frame.h).
// `converted` is true when libswscale made the planes from another format:
// from RGB or palette it applies the BT.601 matrix requested in Expose();
// YUV-to-YUV conversion (NV12, P010, packed 4:2:2) keeps the source matrix.
ColorMatrix MatrixOf(const AVFrame* f, const AVCodecParameters* par,
                     bool converted) {
  const auto fmt = static_cast<AVPixelFormat>(f->format);
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (converted && d != nullptr &&
      (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL))) {
    return ColorMatrix::kBt601;
  }
  AVColorSpace cs = f->colorspace;
  if (cs == AVCOL_SPC_UNSPECIFIED && par != nullptr) cs = par->color_space;
  switch (cs) {
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:  // Kr 0.30, Kb 0.11: BT.601 within 0.01
      return ColorMatrix::kBt601;
    case AVCOL_SPC_BT709:
    case AVCOL_SPC_SMPTE240M:  // Kr 0.212, Kb 0.087: closest to BT.709
      return ColorMatrix::kBt709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:  // same weights; CL is not a linear matrix
      return ColorMatrix::kBt2020;
    default:
      // Untagged, or YCgCo/ICtCp/derived: what players assume by size.
      return f->height >= 720 ? ColorMatrix::kBt709 : ColorMatrix::kBt601;
  }
}

std::string PixFmtName(int fmt) {
  const char* n = av_get_pix_fmt_name(static_cast<AVPixelFormat>(fmt));
  return n != nullptr ? n : "unknown";
}

bool IsStillImageFormat(const AVInputFormat* f) {
  if (f == nullptr || f->name == nullptr) return false;
  const std::string n = f->name;
  return n == "image2" || n.find("_pipe") != std::string::npos;
}

class FfmpegDecoder final : public Decoder {
 public:
  FfmpegDecoder(std::string path, DecoderOptions options)
      : path_(std::move(path)), opt_(std::move(options)) {}

  Status OpenImpl();
  const StreamInfo& stream() const override { return stream_; }
  // AVIOInterruptCB: FFmpeg polls it in its I/O retry loops and while
  // probing; past the deadline of the current demuxer call it says stop.
  // A stream ("-", "pipe:N") is as slow as its writer (a generator may
  // take minutes per frame), so there the deadline counts from the last
  // byte that arrived, not from the start of the call: a slow writer is
  // never cut off, only one that stalls (a read returning EAGAIN again and
  // again). A read the kernel keeps blocked never reaches this callback.
  static int Interrupt(void* self) {
    auto* d = static_cast<FfmpegDecoder*>(self);
    if (d->stream_input_ && d->ctx_ != nullptr && d->ctx_->pb != nullptr &&
        d->ctx_->pb->bytes_read != d->bytes_seen_) {
      d->bytes_seen_ = d->ctx_->pb->bytes_read;
      d->ArmDeadline();
      return 0;
    }
    if (std::chrono::steady_clock::now() < d->deadline_) return 0;
    d->timed_out_ = true;
    return 1;
  }
  // Before every demuxer call: it gets opt_.io_timeout seconds.
  void ArmDeadline() {
    timed_out_ = false;
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(opt_.io_timeout));
  }
  // FFmpeg's error text, or the timeout when the callback stopped the call.
  std::string IoErrorText(int err) const {
    if (timed_out_) {
      char t[32];
      std::snprintf(t, sizeof t, "%g", opt_.io_timeout);
      return std::string("no progress reading the input for ") + t +
             " s (timed out)";
    }
    return av::ErrorText(err);
  }
  const VideoInfo& info() const override { return info_; }
  double Progress() const override;
  Result<bool> Next(Frame* frame) override;

 private:
  Status Fail(Status s) const { return s.WithContext(path_); }
  // Pulls the next decoded frame into current(); false at end of stream.
  Result<bool> DecodeOne();
  // Applies start/duration/every/fps/keyframes; true if current() is used.
  // Sets done_ when the selection window is over.
  bool Select(double t);
  Status Expose(Frame* out, double t);
  double PtsSeconds(const AVFrame* f);
  // Copies the codec's motion vectors of current() into mvs_[cur_].
  void CopyMotionVectors();

  std::string path_;
  DecoderOptions opt_;
  StreamInfo stream_;
  VideoInfo info_;

  av::FormatContextPtr fmt_;
  av::CodecContextPtr codec_;
  av::PacketPtr packet_;
  // Two frames (and two converted frames), used in turn: the Frame handed
  // out by one Next() call stays valid through the following call, so the
  // caller may measure frame N while the decoder produces frame N+1.
  AVFrame* current() const { return frames_[cur_].get(); }
  av::FramePtr frames_[2];
  av::FramePtr converted_[2];
  int cur_ = 0;
  // Motion vectors of frames_[i] (export_motion_vectors), copied out of the
  // side data into acuity's own struct; capacity is kept across frames.
  std::vector<MotionVector> mvs_[2];
  int past_distance_[2] = {0, 0};
  int64_t last_anchor_ = -1;  // presentation index of the latest I/P frame
  av::PictureConverter converter_;
  AVStream* st_ = nullptr;
  int stream_index_ = -1;

  bool draining_ = false;  // NULL packet sent
  bool done_ = false;
  bool format_known_ = false;
  int first_format_ = -1;
  int64_t candidates_ = 0;  // frames inside the time window seen so far
  int64_t last_slot_ = std::numeric_limits<int64_t>::min();
  int64_t consecutive_errors_ = 0;
  double last_t_ = 0.0;
  bool stream_input_ = false;       // "-" or "pipe:N" (acuity/files.h)
  AVFormatContext* ctx_ = nullptr;  // for Interrupt(), also while opening
  int64_t bytes_seen_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  bool timed_out_ = false;
  std::string last_error_;
};

Status FfmpegDecoder::OpenImpl() {
  // FIFOs, devices and sockets are refused before avformat_open_input,
  // which would block on them (a FIFO without a writer: forever).
  // Streams ("-", "pipe:N") are what the user asked to stream.
  stream_input_ = IsStreamInput(path_);
  if (!stream_input_) {
    ACUITY_RETURN_IF_ERROR(Fail(CheckRegularFile(path_)));
    struct stat sb {};
    if (stat(path_.c_str(), &sb) == 0 && sb.st_size == 0) {
      return Fail(InvalidData("empty file (0 bytes)"));
    }
  }
  const std::string url = path_ == "-" ? "pipe:0" : path_;

  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return Fail(Internal("out of memory"));
  raw->interrupt_callback = {&FfmpegDecoder::Interrupt, this};
  ctx_ = raw;
  ArmDeadline();
  int err = avformat_open_input(&raw, url.c_str(), nullptr, nullptr);
  ctx_ = raw;  // null on failure (freed by FFmpeg)
  if (err < 0) {
    // avformat_open_input frees the context itself on failure.
    const StatusCode code =
        (err == AVERROR(EACCES) || err == AVERROR(EIO) || timed_out_)
            ? StatusCode::kIo
            : StatusCode::kInvalidData;
    return Fail(Status(code, "cannot open: " + IoErrorText(err)));
  }
  fmt_.reset(raw);
  ArmDeadline();
  err = avformat_find_stream_info(fmt_.get(), nullptr);
  if (err < 0) {
    return Fail(Status(timed_out_ ? StatusCode::kIo : StatusCode::kInvalidData,
                       "cannot read stream info: " + IoErrorText(err)));
  }

  // The first video stream that is not cover art.
  std::string kinds;
  for (unsigned i = 0; i < fmt_->nb_streams; ++i) {
    AVStream* s = fmt_->streams[i];
    const char* kind = av_get_media_type_string(s->codecpar->codec_type);
    if (kinds.find(kind ? kind : "unknown") == std::string::npos) {
      kinds += kinds.empty() ? "" : ", ";
      kinds += kind ? kind : "unknown";
    }
    if (stream_index_ < 0 && s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
        !(s->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
      stream_index_ = static_cast<int>(i);
    }
  }
  if (stream_index_ < 0) {
    return Fail(NotFound("no video stream (streams found: " +
                         (kinds.empty() ? std::string("none") : kinds) + ")"));
  }
  st_ = fmt_->streams[stream_index_];
  for (unsigned i = 0; i < fmt_->nb_streams; ++i) {
    if (static_cast<int>(i) != stream_index_) {
      fmt_->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  AVCodecParameters* par = st_->codecpar;

  const AVCodec* decoder = avcodec_find_decoder(par->codec_id);
  if (par->codec_id == AV_CODEC_ID_NONE || decoder == nullptr) {
    std::string what;
    if (par->codec_id != AV_CODEC_ID_NONE) {
      what = std::string("codec '") + avcodec_get_name(par->codec_id) + "'";
    } else {
      char tag[AV_FOURCC_MAX_STRING_SIZE] = {0};
      av_fourcc_make_string(tag, par->codec_tag);
      what = std::string("unknown codec (fourcc ") + tag + ")";
    }
    return Fail(
        Unsupported("no decoder for " + what + " in this FFmpeg build"));
  }

  const int64_t pixels = static_cast<int64_t>(par->width) * par->height;
  if (opt_.max_pixels > 0 && pixels > opt_.max_pixels) {
    return Fail(ResourceLimit(
        "frame size " + std::to_string(par->width) + "x" +
        std::to_string(par->height) + " (" + std::to_string(pixels) +
        " pixels) exceeds the limit of " + std::to_string(opt_.max_pixels) +
        " pixels (--max-pixels)"));
  }

  codec_.reset(avcodec_alloc_context3(decoder));
  if (!codec_) return Fail(Internal("out of memory allocating the decoder"));
  err = avcodec_parameters_to_context(codec_.get(), par);
  if (err < 0) return Fail(Internal(av::ErrorText(err)));
  codec_->pkt_timebase = st_->time_base;
  codec_->thread_count = opt_.threads;  // 0: FFmpeg picks cores + 1
  codec_->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  if (opt_.max_pixels > 0) {
    // The decoder refuses to allocate bigger frames (size changes mid-stream).
    av_opt_set_int(codec_.get(), "max_pixels", opt_.max_pixels, 0);
  }
  if (opt_.sampling.keyframes) codec_->skip_frame = AVDISCARD_NONKEY;
  // = `flags2 +export_mvs`: H.264 and the MPEG-1/2/4 decoders attach
  // AV_FRAME_DATA_MOTION_VECTORS to each inter picture; others ignore it.
  // Without frame threads: with them, FFmpeg 5.1's MPEG-4 part 2 decoder
  // now and then hands over a P picture without its vectors (1 in ~40 runs
  // of a 16-frame clip under load at 4 threads; H.264 B pictures likewise),
  // so motion_vector_px would depend on the thread count. Slice threads
  // stay (codecs with slices still decode in parallel).
  if (opt_.export_motion_vectors) {
    codec_->export_side_data |= AV_CODEC_EXPORT_DATA_MVS;
    codec_->thread_type = FF_THREAD_SLICE;
  }
  err = avcodec_open2(codec_.get(), decoder, nullptr);
  if (err < 0) {
    return Fail(Unsupported(std::string("cannot open decoder '") +
                            decoder->name + "': " + av::ErrorText(err)));
  }

  packet_.reset(av_packet_alloc());
  frames_[0].reset(av_frame_alloc());
  frames_[1].reset(av_frame_alloc());
  if (!packet_ || !frames_[0] || !frames_[1]) {
    return Fail(Internal("out of memory"));
  }

  info_.path = path_;
  info_.container = fmt_->iformat->name ? fmt_->iformat->name : "";
  info_.codec = decoder->name;
  info_.width = par->width;
  info_.height = par->height;
  info_.pix_fmt = PixFmtName(par->format);
  info_.still_image = IsStillImageFormat(fmt_->iformat);
  AVRational rate = st_->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = st_->r_frame_rate;
  info_.fps =
      (rate.num > 0 && rate.den > 0 && !info_.still_image) ? av_q2d(rate) : 0.0;
  if (fmt_->duration > 0 && fmt_->duration != AV_NOPTS_VALUE) {
    info_.duration = static_cast<double>(fmt_->duration) / AV_TIME_BASE;
  } else if (st_->duration > 0 && st_->duration != AV_NOPTS_VALUE) {
    info_.duration = st_->duration * av_q2d(st_->time_base);
  }
  info_.bitrate = fmt_->bit_rate > 0 ? fmt_->bit_rate : par->bit_rate;
  const uint8_t* matrix =
      av_stream_get_side_data(st_, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (matrix != nullptr) {
    // Counter-clockwise degrees, as the display matrix (and ffprobe's
    // "rotation") says, normalised to 0..359: ffprobe's -90 is 270.
    const double ccw =
        av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    if (!std::isnan(ccw)) {
      const int r = static_cast<int>(std::lround(ccw)) % 360;
      info_.rotation = r < 0 ? r + 360 : r;
    }
  }

  // Stream facts from the parameters; refined from the first frame.
  stream_.width = par->width;
  stream_.height = par->height;
  stream_.fps = info_.fps;

  const SamplingOptions& s = opt_.sampling;
  if (s.start > 0.0 && !info_.still_image) {
    const int64_t base =
        st_->start_time != AV_NOPTS_VALUE ? st_->start_time : 0;
    const double ts_double =
        static_cast<double>(base) + s.start / av_q2d(st_->time_base);
    const int64_t ts = SaturatingInt64(ts_double);
    // Backward: land on the key frame at or before T, then decode forward
    // and drop frames before T. Never decodes from the start of the file.
    ArmDeadline();
    err = av_seek_frame(fmt_.get(), stream_index_, ts, AVSEEK_FLAG_BACKWARD);
    if (err < 0) {
      return Fail(InvalidData("cannot seek to " + std::to_string(s.start) +
                              " s: " + IoErrorText(err)));
    }
  }
  return Status::Ok();
}

double FfmpegDecoder::PtsSeconds(const AVFrame* f) {
  int64_t pts = f->best_effort_timestamp;
  if (pts == AV_NOPTS_VALUE) pts = f->pts;
  if (pts == AV_NOPTS_VALUE) {
    // No timestamps at all: count frames at the nominal rate.
    return info_.fps > 0 ? info_.frames_decoded / info_.fps
                         : static_cast<double>(info_.frames_decoded);
  }
  const int64_t base = st_->start_time != AV_NOPTS_VALUE ? st_->start_time : 0;
  return Difference(pts, base) * av_q2d(st_->time_base);
}

Result<bool> FfmpegDecoder::DecodeOne() {
  constexpr int64_t kMaxConsecutiveErrors = 1000;
  while (true) {
    int err = avcodec_receive_frame(codec_.get(), current());
    if (err == 0) {
      consecutive_errors_ = 0;
      return true;
    }
    if (err == AVERROR_EOF) return false;
    if (err != AVERROR(EAGAIN)) {
      // A corrupt frame: count it and go on with the next.
      ++info_.decode_errors;
      last_error_ = av::ErrorText(err);
      if (++consecutive_errors_ > kMaxConsecutiveErrors) {
        return Fail(
            InvalidData("too many decode errors, last: " + last_error_));
      }
      continue;
    }
    if (draining_) return false;
    // Needs input.
    ArmDeadline();
    err = av_read_frame(fmt_.get(), packet_.get());
    if (err < 0) {
      if (timed_out_) {
        return Fail(IoError("cannot read: " + IoErrorText(err)));
      }
      if (err != AVERROR_EOF) {
        // Truncated or unreadable tail: decode what we have.
        ++info_.decode_errors;
        last_error_ = av::ErrorText(err);
      }
      draining_ = true;
      avcodec_send_packet(codec_.get(), nullptr);
      continue;
    }
    struct Unref {
      AVPacket* p;
      ~Unref() { av_packet_unref(p); }
    } unref{packet_.get()};  // on every path out of this iteration
    if (packet_->stream_index != stream_index_) continue;
    // FFmpeg 5.1's VP9 and AV1 decoders ignore skip_frame: drop non-key
    // packets before they reach any decoder.
    if (opt_.sampling.keyframes && !(packet_->flags & AV_PKT_FLAG_KEY)) {
      continue;
    }
    err = avcodec_send_packet(codec_.get(), packet_.get());
    if (err < 0 && err != AVERROR(EAGAIN)) {
      ++info_.decode_errors;
      last_error_ = av::ErrorText(err);
      if (++consecutive_errors_ > kMaxConsecutiveErrors) {
        return Fail(
            InvalidData("too many decode errors, last: " + last_error_));
      }
    }
  }
}

bool FfmpegDecoder::Select(double t) {
  const SamplingOptions& s = opt_.sampling;
  constexpr double kEps = 1e-6;
  if (t < s.start - kEps) return false;  // before the window (after a seek)
  if (s.duration > 0.0 && t >= s.start + s.duration - kEps) {
    done_ = true;
    return false;
  }
  if (s.keyframes && !current()->key_frame) return false;
  const int64_t candidate = candidates_++;
  if (s.every > 1 && candidate % s.every != 0) return false;
  if (s.fps > 0.0) {
    const int64_t slot =
        SaturatingInt64(std::floor((t - s.start) * s.fps + kEps));
    if (slot <= last_slot_) return false;
    last_slot_ = slot;
  }
  return true;
}

Status FfmpegDecoder::Expose(Frame* out, double t) {
  AVFrame* src = current();
  const int64_t pixels = static_cast<int64_t>(src->width) * src->height;
  if (opt_.max_pixels > 0 && pixels > opt_.max_pixels) {
    return Fail(ResourceLimit(
        "frame size " + std::to_string(src->width) + "x" +
        std::to_string(src->height) + " exceeds the limit of " +
        std::to_string(opt_.max_pixels) + " pixels (--max-pixels)"));
  }
  if (!format_known_) {
    first_format_ = src->format;
    info_.pix_fmt = PixFmtName(src->format);
  } else if (src->format != first_format_) {
    return Fail(Unsupported("pixel format changed mid-stream from " +
                            PixFmtName(first_format_) + " to " +
                            PixFmtName(src->format)));
  }

  const auto fmt = static_cast<AVPixelFormat>(src->format);
  AVFrame* view = src;
  ColorRange range = RangeOf(src);
  if (!IsNativePlanar(fmt)) {
    const AVPixelFormat dst_fmt = av::ConversionTarget(fmt);
    av::FramePtr& converted = converted_[cur_];
    if (!converted || converted->width != src->width ||
        converted->height != src->height) {
      converted.reset(av_frame_alloc());
      if (!converted) return Fail(Internal("out of memory"));
      converted->format = dst_fmt;
      converted->width = src->width;
      converted->height = src->height;
      if (av_frame_get_buffer(converted.get(), 0) < 0) {
        return Fail(Internal("out of memory for a converted frame"));
      }
    }
    Status s = converter_.Convert(src->data, src->linesize, fmt, src->width,
                                  src->height, range == ColorRange::kFull,
                                  converted.get());
    if (!s.ok()) return Fail(s);
    view = converted.get();
    range = ColorRange::kFull;
  }

  const auto vfmt = static_cast<AVPixelFormat>(view->format);
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(vfmt);
  const int depth = d->comp[0].depth;
  if (!format_known_) {
    format_known_ = true;
    info_.analysed_pix_fmt = PixFmtName(vfmt);
    info_.bit_depth = depth;
    info_.range = range;
    stream_ = HasChroma(vfmt)
                  ? StreamInfo::Yuv(view->width, view->height, depth, range,
                                    d->log2_chroma_w, d->log2_chroma_h,
                                    MatrixOf(src, st_->codecpar, view != src),
                                    stream_.fps)
                  : StreamInfo::Gray(view->width, view->height, depth, range,
                                     stream_.fps);
  }

  auto plane = [&](int i, int w, int h) {
    PlaneView p;
    p.data = view->data[i];
    p.stride = view->linesize[i];
    p.width = w;
    p.height = h;
    p.bit_depth = depth;
    return p;
  };
  *out = Frame{};
  out->y = plane(0, view->width, view->height);
  if (HasChroma(vfmt)) {
    const int cw = AV_CEIL_RSHIFT(view->width, d->log2_chroma_w);
    const int ch = AV_CEIL_RSHIFT(view->height, d->log2_chroma_h);
    out->u = plane(1, cw, ch);
    out->v = plane(2, cw, ch);
  }
  out->index = info_.frames_decoded - 1;
  out->pts_seconds = t;
  out->key_frame = src->key_frame != 0;
  out->picture_type = av_get_picture_type_char(src->pict_type);
  out->past_reference_distance = past_distance_[cur_];
  if (opt_.export_motion_vectors) {
    CopyMotionVectors();
    out->motion_vectors = mvs_[cur_];
  }
  return Status::Ok();
}

void FfmpegDecoder::CopyMotionVectors() {
  std::vector<MotionVector>& out = mvs_[cur_];
  out.clear();
  const AVFrameSideData* sd =
      av_frame_get_side_data(current(), AV_FRAME_DATA_MOTION_VECTORS);
  if (sd == nullptr) return;
  const size_t n = sd->size / sizeof(AVMotionVector);
  const auto* mv = reinterpret_cast<const AVMotionVector*>(sd->data);
  out.reserve(n);  // grows to the largest frame once, then reused
  for (size_t i = 0; i < n; ++i) {
    const AVMotionVector& m = mv[i];
    if (m.motion_scale == 0) continue;  // not a vector (never seen)
    MotionVector v;
    v.dst_x = m.dst_x;
    v.dst_y = m.dst_y;
    v.w = m.w;
    v.h = m.h;
    v.source = m.source > 0 ? 1 : -1;
    v.motion_x = m.motion_x;
    v.motion_y = m.motion_y;
    v.motion_scale = m.motion_scale;
    out.push_back(v);
  }
}

Result<bool> FfmpegDecoder::Next(Frame* frame) {
  const int64_t max = opt_.sampling.max_frames;
  // The other buffer, once per call: the frame handed out last stays intact
  // however many frames sampling (--every, --fps, --start) skips before the
  // next one is selected. Flipping per decoded frame would decode the frame
  // after a skipped one into the buffer the caller is still measuring.
  cur_ ^= 1;
  while (!done_ && !(max > 0 && info_.frames_used >= max)) {
    av_frame_unref(current());
    Result<bool> got = DecodeOne();
    if (!got.ok()) return got.status();
    if (!got.value()) break;
    ++info_.frames_decoded;
    // Presentation-order distance back to the latest I/P picture, over
    // every decoded frame (frames come out of the decoder in that order).
    {
      const int64_t index = info_.frames_decoded - 1;
      past_distance_[cur_] = last_anchor_ < 0
                                 ? 0
                                 : static_cast<int>(std::min<int64_t>(
                                       index - last_anchor_, 1 << 20));
      const AVPictureType pt = current()->pict_type;
      if (pt != AV_PICTURE_TYPE_B && pt != AV_PICTURE_TYPE_BI &&
          pt != AV_PICTURE_TYPE_NONE) {
        last_anchor_ = index;
      }
    }
    const double t = PtsSeconds(current());
    last_t_ = t;
    if (!Select(t)) continue;
    ACUITY_RETURN_IF_ERROR(Expose(frame, t));
    ++info_.frames_used;
    return true;
  }
  done_ = true;
  return false;
}

double FfmpegDecoder::Progress() const {
  if (done_) return 1.0;
  const SamplingOptions& s = opt_.sampling;
  double end = info_.duration;
  if (s.duration > 0.0 && (end <= 0.0 || s.start + s.duration < end)) {
    end = s.start + s.duration;
  }
  double p = 0.0;
  if (end > s.start) p = (last_t_ - s.start) / (end - s.start);
  if (s.max_frames > 0) {
    p = std::max(p, static_cast<double>(info_.frames_used) / s.max_frames);
  }
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace

Status ValidateDecoderOptions(const DecoderOptions& options) {
  const SamplingOptions& s = options.sampling;
  auto in = [](double v, double lo, double hi) {
    return std::isfinite(v) && v >= lo && v <= hi;
  };
  if (s.fps != 0.0 && !in(s.fps, kMinSamplingFps, kMaxSamplingFps)) {
    return InvalidArgument("--fps must be between 1e-06 and 1e+06 (or 0: off)");
  }
  if (!in(s.start, 0.0, kMaxSeconds)) {
    return InvalidArgument("--start must be between 0 and 1e+09 seconds");
  }
  if (s.duration != 0.0 && !in(s.duration, kMinDuration, kMaxSeconds)) {
    return InvalidArgument(
        "--duration must be between 1e-06 and 1e+09 seconds (or 0: to the "
        "end)");
  }
  if (s.every < 1 || s.every > kMaxFrameCount) {
    return InvalidArgument("--every must be between 1 and 2^40");
  }
  if (s.max_frames < 0 || s.max_frames > kMaxFrameCount) {
    return InvalidArgument("--max-frames must be between 1 and 2^40");
  }
  if (options.threads < 0 || options.threads > kMaxDecoderThreads) {
    return InvalidArgument("--threads must be between 0 and 256");
  }
  if (options.max_pixels < 0 || options.max_pixels > kMaxFrameCount) {
    return InvalidArgument("--max-pixels must be between 1 and 2^40");
  }
  if (!in(options.sequence_fps, kMinSequenceFps, kMaxSequenceFps)) {
    return InvalidArgument("--sequence-fps must be between 0.001 and 10000");
  }
  if (!in(options.io_timeout, 0.0, kMaxSeconds)) {
    return InvalidArgument("io_timeout must be between 0 and 1e+09 seconds");
  }
  return Status::Ok();
}

Result<std::unique_ptr<Decoder>> Decoder::Open(const std::string& path,
                                               const DecoderOptions& options) {
  ACUITY_RETURN_IF_ERROR(ValidateDecoderOptions(options));
  if (!IsStreamInput(path)) {
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(path, ec);
    if ((folder && options.folder_is_sequence) ||
        (!folder && IsSequencePattern(path) &&
         !std::filesystem::exists(path, ec))) {
      return OpenImageSequence(path, options);
    }
  }
  auto d = std::make_unique<FfmpegDecoder>(path, options);
  Status s = d->OpenImpl();
  if (!s.ok()) return s;
  return std::unique_ptr<Decoder>(std::move(d));
}

void SetFfmpegLogging(bool verbose) {
  av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_QUIET);
}

std::string FfmpegVersionString() {
  auto v = [](unsigned x) {
    return std::to_string(AV_VERSION_MAJOR(x)) + "." +
           std::to_string(AV_VERSION_MINOR(x)) + "." +
           std::to_string(AV_VERSION_MICRO(x));
  };
  return "libavformat " + v(avformat_version()) + ", libavcodec " +
         v(avcodec_version());
}

}  // namespace acuity
