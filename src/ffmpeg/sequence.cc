// Image sequences (ffmpeg/sequence.h). FFmpeg's image2 demuxer reads
// patterns too, but cannot say which file a frame came from (5.1's
// export_path_metadata does not reach decoded frames) and stops at the
// first gap in the numbering; here every matching image is a frame and
// each frame knows its file.
#include "ffmpeg/sequence.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

#include "acuity/files.h"

namespace acuity {
namespace fs = std::filesystem;

namespace {

// The one "%d" / "%0Nd" of a pattern's file name: prefix, printf
// conversion, suffix (with "%%" turned into "%").
struct Pattern {
  std::string prefix, conversion, suffix;
};

bool SplitPattern(const std::string& leaf, Pattern* out) {
  Pattern p;
  std::string* part = &p.prefix;
  bool found = false;
  for (size_t i = 0; i < leaf.size(); ++i) {
    if (leaf[i] != '%') {
      *part += leaf[i];
      continue;
    }
    if (i + 1 < leaf.size() && leaf[i + 1] == '%') {
      *part += '%';
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < leaf.size() && std::isdigit(static_cast<unsigned char>(leaf[j])))
      ++j;
    if (j >= leaf.size() || leaf[j] != 'd' || found || j - i > 4) return false;
    p.conversion = leaf.substr(i, j + 1 - i);
    found = true;
    part = &p.suffix;
    i = j;
  }
  if (!found) return false;
  *out = p;
  return true;
}

bool IsImageName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* e :
       {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}) {
    if (ext == e) return true;
  }
  return false;
}

// The files of a sequence, in frame order.
Result<std::vector<fs::path>> ListSequence(const std::string& path,
                                           bool folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (folder) {
    for (fs::directory_iterator it(path, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (IsImageName(it->path()) && CheckRegularFile(it->path()).ok()) {
        files.push_back(it->path());
      }
    }
    if (ec) return IoError("cannot list folder: " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      return NotFound(
          "no images in this folder (.png, .jpg, .bmp, .tif, .webp)");
    }
    return files;
  }
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  Pattern pat;
  if (!SplitPattern(p.filename().string(), &pat)) {
    return InvalidArgument(
        "not an image sequence pattern (one %d or %0Nd in the file name)");
  }
  std::vector<std::pair<int64_t, fs::path>> numbered;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= pat.prefix.size() + pat.suffix.size() ||
        name.compare(0, pat.prefix.size(), pat.prefix) != 0 ||
        name.compare(name.size() - pat.suffix.size(), pat.suffix.size(),
                     pat.suffix) != 0) {
      continue;
    }
    const std::string digits = name.substr(
        pat.prefix.size(), name.size() - pat.prefix.size() - pat.suffix.size());
    if (digits.size() > 12 ||
        !std::all_of(digits.begin(), digits.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
      continue;
    }
    const int64_t n = std::stoll(digits);
    // The pattern must print this very name ("%04d": 0007, not 07).
    char printed[64];
    const std::string format =
        pat.conversion.substr(0, pat.conversion.size() - 1) + "lld";
    std::snprintf(printed, sizeof printed, format.c_str(),
                  static_cast<long long>(n));
    if (digits != printed) continue;
    if (!CheckRegularFile(it->path()).ok()) continue;
    numbered.emplace_back(n, it->path());
  }
  if (ec) {
    return IoError(dir.string() + ": cannot list folder: " + ec.message());
  }
  std::sort(numbered.begin(), numbered.end());
  for (auto& [n, f] : numbered) files.push_back(std::move(f));
  if (files.empty()) return NotFound("no file matches this pattern");
  return files;
}

class SequenceDecoder final : public Decoder {
 public:
  SequenceDecoder(std::string path, DecoderOptions options,
                  std::vector<fs::path> files)
      : path_(std::move(path)),
        opt_(std::move(options)),
        files_(std::move(files)) {
    info_.path = path_;
    info_.container = "image_sequence";
    info_.image_sequence = true;
    info_.fps = opt_.sequence_fps;
    info_.duration = static_cast<double>(files_.size()) / opt_.sequence_fps;
    stream_.fps = opt_.sequence_fps;
    file_options_ = opt_;
    file_options_.sampling = SamplingOptions{};
    file_options_.folder_is_sequence = false;
    const SamplingOptions& s = opt_.sampling;
    // Images before --start are skipped without being opened.
    next_ = static_cast<size_t>(
        std::max(0.0, std::ceil(s.start * opt_.sequence_fps - 1e-6)));
  }

  const StreamInfo& stream() const override { return stream_; }
  const VideoInfo& info() const override { return info_; }
  const std::string& frame_source() const override { return source_; }
  double Progress() const override {
    return files_.empty()
               ? 1.0
               : std::min(1.0, static_cast<double>(next_) /
                                   static_cast<double>(files_.size()));
  }

  Result<bool> Next(Frame* frame) override {
    // The decoder of the frame handed out last call stays open through
    // this call (its planes must stay valid); the one before goes now.
    held_ = std::move(current_);
    const SamplingOptions& s = opt_.sampling;
    constexpr double kEps = 1e-6;
    while (next_ < files_.size()) {
      if (s.max_frames > 0 && info_.frames_used >= s.max_frames) break;
      const size_t i = next_++;
      const double t = static_cast<double>(i) / opt_.sequence_fps;
      if (s.duration > 0.0 && t >= s.start + s.duration - kEps) break;
      const int64_t candidate = candidates_++;
      if (s.every > 1 && candidate % s.every != 0) continue;
      if (s.fps > 0.0) {
        const double slot_d = std::floor((t - s.start) * s.fps + kEps);
        const int64_t slot = slot_d >= 9.2e18
                                 ? std::numeric_limits<int64_t>::max()
                                 : static_cast<int64_t>(slot_d);
        if (slot <= last_slot_) continue;
        last_slot_ = slot;
      }
      const std::string name = files_[i].filename().string();
      auto opened = Decoder::Open(files_[i].string(), file_options_);
      Result<bool> got = false;
      if (opened.ok()) got = opened.value()->Next(frame);
      ++info_.frames_decoded;
      if (!opened.ok() || !got.ok() || !got.value()) {
        ++info_.decode_errors;  // an unreadable image: skipped, counted
        --info_.frames_decoded;
        continue;
      }
      const Decoder& d = *opened.value();
      if (info_.frames_used == 0) {
        const VideoInfo& v = d.info();
        info_.codec = v.codec;
        info_.width = v.width;
        info_.height = v.height;
        info_.pix_fmt = v.pix_fmt;
        info_.analysed_pix_fmt = v.analysed_pix_fmt;
        info_.bit_depth = v.bit_depth;
        info_.range = v.range;
        stream_ = d.stream();
        stream_.fps = opt_.sequence_fps;
      } else if (!SameLayout(d.stream(), stream_)) {
        return Unsupported(name + ": " + std::to_string(d.stream().width) +
                           "x" + std::to_string(d.stream().height) + " " +
                           d.info().analysed_pix_fmt + ", not " +
                           std::to_string(stream_.width) + "x" +
                           std::to_string(stream_.height) + " " +
                           info_.analysed_pix_fmt +
                           " like the first image: a sequence is one size "
                           "and format")
            .WithContext(path_);
      }
      frame->index = static_cast<int64_t>(i);
      frame->pts_seconds = t;
      frame->key_frame = true;
      source_ = name;
      current_ = std::move(opened).value();
      ++info_.frames_used;
      return true;
    }
    next_ = files_.size();
    return false;
  }

 private:
  static bool SameLayout(const StreamInfo& a, const StreamInfo& b) {
    return a.width == b.width && a.height == b.height &&
           a.bit_depth == b.bit_depth && a.has_chroma == b.has_chroma &&
           a.chroma_shift_x == b.chroma_shift_x &&
           a.chroma_shift_y == b.chroma_shift_y && a.range == b.range &&
           a.matrix == b.matrix;
  }

  std::string path_;
  DecoderOptions opt_, file_options_;
  std::vector<fs::path> files_;
  StreamInfo stream_;
  VideoInfo info_;
  std::unique_ptr<Decoder> current_, held_;
  std::string source_;
  size_t next_ = 0;
  int64_t candidates_ = 0;
  int64_t last_slot_ = std::numeric_limits<int64_t>::min();
};

}  // namespace

Result<std::unique_ptr<Decoder>> OpenImageSequence(
    const std::string& path, const DecoderOptions& options) {
  std::error_code ec;
  const bool folder = options.folder_is_sequence && fs::is_directory(path, ec);
  Result<std::vector<fs::path>> files = ListSequence(path, folder);
  if (!files.ok()) return files.status().WithContext(path);
  return std::unique_ptr<Decoder>(std::make_unique<SequenceDecoder>(
      path, options, std::move(files).value()));
}

bool IsSequencePattern(const std::string& path) {
  Pattern p;
  return SplitPattern(fs::path(path).filename().string(), &p);
}

}  // namespace acuity
