// Decoder: streams frames of one video (or still image) through FFmpeg.
//
// Memory does not grow with video length: one decoded frame is alive at a
// time on the caller's side (plus FFmpeg's own frame-thread pipeline).
// Frames are handed over in presentation order as decoded, planar YUV or
// gray; formats that are not (RGB from PNG/BMP, packed or big-endian YUV)
// are converted once by libswscale to planar YUV 4:4:4 full range.
//
// Threading: a Decoder is used from one thread. Several Decoders may run in
// parallel. FFmpeg's frame threads are internal to one Decoder.
#ifndef ACUITY_DECODER_H_
#define ACUITY_DECODER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "acuity/frame.h"
#include "acuity/status.h"

namespace acuity {

// Accepted ranges of the options below (ValidateDecoderOptions; the CLI
// checks the same bounds when it parses). Wide enough for any real use, and
// narrow enough that every conversion to int64 timestamps or slots stays in
// range: no option value can cause undefined behaviour.
inline constexpr double kMinSamplingFps = 1e-6;  // one frame per ~11.6 days
inline constexpr double kMaxSamplingFps = 1e6;
inline constexpr double kMaxSeconds = 1e9;    // --start, --duration (~31 years)
inline constexpr double kMinDuration = 1e-6;  // --duration (0: to the end)
inline constexpr int64_t kMaxFrameCount = int64_t{1} << 40;  // --every, ...
inline constexpr int kMaxDecoderThreads = 256;

struct SamplingOptions {
  double fps = 0.0;   // --fps N: first frame in each 1/N-second slot (0: off)
  int64_t every = 1;  // --every N: every Nth decoded frame
  bool keyframes = false;  // --keyframes: only key frames; others never decoded
  int64_t max_frames =
      0;               // --max-frames N: stop after N used frames (0: no limit)
  double start = 0.0;  // --start T seconds: seek, then skip frames before T
  double duration = 0.0;  // --duration T seconds (0: to the end)
};

struct DecoderOptions {
  SamplingOptions sampling;
  int threads = 0;  // FFmpeg decoder threads (0: one per core + 1); scoring
                    // (ScoreVideo) opens the decoder with threads + 1
                    // when threads >= 2 (1 stays 1: no FFmpeg threads)
  int64_t max_pixels =
      8192LL * 8192;  // frames with more luma samples are refused
  // Ask the codec for its motion vectors (`flags2 +export_mvs`) and hand
  // them over in Frame::motion_vectors. Set by ScoreVideo when a selected
  // metric needs them (MetricEntry::needs_motion_vectors). Harmless for
  // codecs that have none. Costs ~1% of decode CPU on 1080p H.264, and
  // frame threads: the decoder then uses slice threads only, since with
  // frame threads FFmpeg 5.1 sometimes hands over a picture without its
  // vectors (motion_vector_px would depend on the thread count).
  bool export_motion_vectors = false;
  // Seconds one demuxer call (open, stream probe, seek, reading one packet)
  // may go without finishing before it fails with an I/O error "timed
  // out". Enforced by an AVIOInterruptCB, which FFmpeg polls in its I/O
  // retry loops and while probing: it cannot end a read() the kernel keeps
  // blocked, which is why FIFOs and devices are refused before opening
  // (acuity/files.h). Regular files never come near it.
  double io_timeout = 60.0;
  // Image sequences (acuity/decoder.h, IsSequencePattern): frames per
  // second of the clip a sequence of images makes (--sequence-fps).
  double sequence_fps = 25.0;
  // A folder given to Open() is the image sequence of its images, in name
  // order (--sequence); otherwise a folder is refused like any non-file.
  bool folder_is_sequence = false;
};

inline constexpr double kMinSequenceFps = 1e-3;
inline constexpr double kMaxSequenceFps = 1e4;

// True when `path` holds a printf frame-number pattern of FFmpeg's image2
// ("f%04d.png", "img_%d.jpg"; %% is a literal %): the images it matches,
// in frame-number order, are one clip.
bool IsSequencePattern(const std::string& path);

// What the report says about the input (the "video" object).
struct VideoInfo {
  std::string path;
  std::string
      container;      // libavformat short name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string codec;  // decoder name, e.g. "h264"
  int width = 0;      // as coded; rotation is reported, not applied
  int height = 0;
  std::string pix_fmt;           // as decoded, e.g. "yuv420p10le"
  std::string analysed_pix_fmt;  // what metrics saw (differs after conversion)
  int bit_depth = 8;
  ColorRange range = ColorRange::kLimited;
  double fps = 0.0;       // average frame rate (0 when unknown)
  double duration = 0.0;  // seconds (0 when unknown)
  int64_t bitrate = 0;    // bits/s (0 when unknown)
  int rotation = 0;       // display matrix rotation, degrees counter-clockwise
                          // (ffprobe's "rotation" mod 360): 0, 90, 180, 270
  bool still_image = false;
  bool image_sequence = false;  // a pattern or folder of images, one clip
  int64_t frames_decoded = 0;   // frames that came out of the decoder
  int64_t frames_used = 0;      // frames handed to metrics after sampling
  int64_t decode_errors = 0;    // corrupt packets skipped (truncated input)
};

// InvalidArgument naming the option (CLI spelling) when a value is out of
// the ranges above, NaN or infinite; Ok otherwise. Decoder::Open calls it.
[[nodiscard]] Status ValidateDecoderOptions(const DecoderOptions& options);

class Decoder {
 public:
  // Opens `path` and its best video stream; seeks when sampling.start > 0.
  // Errors name the file and the cause.
  static Result<std::unique_ptr<Decoder>> Open(const std::string& path,
                                               const DecoderOptions& options);
  virtual ~Decoder() = default;

  virtual const StreamInfo& stream() const = 0;
  virtual const VideoInfo& info() const = 0;
  // Estimated fraction of the input done, 0..1, for progress displays.
  virtual double Progress() const = 0;

  // Decodes up to the next frame selected by the sampling options. Returns
  // true and fills `frame`, or false at the end. The planes of `frame` stay
  // valid through the NEXT call too (two buffers used in turn), so frame N
  // can be measured on another thread while frame N+1 is decoded; they are
  // released by the call after that.
  virtual Result<bool> Next(Frame* frame) = 0;

  // Image sequences: the file name (no folder) the last frame came from;
  // empty for videos.
  virtual const std::string& frame_source() const {
    static const std::string kNone;
    return kNone;
  }
};

// FFmpeg's own log lines (warnings about corrupt packets and the like) go to
// stderr only when verbose; by default acuity reports errors itself, once.
void SetFfmpegLogging(bool verbose);

// libavcodec/libavformat versions, for the report ("lavc 59.37.100").
std::string FfmpegVersionString();

}  // namespace acuity

#endif  // ACUITY_DECODER_H_
