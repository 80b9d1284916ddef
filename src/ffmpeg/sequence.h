// Image sequences as one clip: a printf pattern ("f%04d.png") or a folder
// of images, each image opened with the still-image decoder in turn.
#ifndef ACUITY_FFMPEG_SEQUENCE_H_
#define ACUITY_FFMPEG_SEQUENCE_H_

#include <memory>
#include <string>

#include "acuity/decoder.h"

namespace acuity {

// The images of `path` (a pattern, or a folder with
// options.folder_is_sequence), as a Decoder whose frames are the images in
// frame-number (pattern) or name (folder) order at options.sequence_fps.
// Sampling works on those timestamps, and images that are not selected are
// never decoded. An image that fails to decode is a decode error (skipped);
// one whose size or pixel layout differs from the first fails the clip.
Result<std::unique_ptr<Decoder>> OpenImageSequence(
    const std::string& path, const DecoderOptions& options);

}  // namespace acuity

#endif  // ACUITY_FFMPEG_SEQUENCE_H_
