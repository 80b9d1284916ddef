// File-system helpers shared by the decoder, the pipeline and the writers.
// Thread-safe: no shared state.
#ifndef ACUITY_FILES_H_
#define ACUITY_FILES_H_

#include <functional>
#include <ostream>
#include <string>

#include "acuity/status.h"

namespace acuity {

// Ok when `path` names a regular file (directly or through symbolic
// links). NotFound when nothing is there. Otherwise InvalidArgument with
// one line saying what it is: a FIFO, a device, a socket, a directory or a
// symbolic link loop. Messages do not repeat the path (add it with
// WithContext). Inputs are checked with it before they are opened:
// opening a FIFO blocks until some writer appears, forever in a batch.
// Streaming is for `-` and explicit pipes, not for special files.
[[nodiscard]] Status CheckRegularFile(const std::string& path);

// True for the inputs that name a stream rather than a file: "-" (standard
// input) and FFmpeg's "pipe:" URLs ("pipe:0", "pipe:3"...). They are read
// once, front to back, never checked with CheckRegularFile and never
// seeked (an MP4 needs its index first: `-movflags +faststart`).
bool IsStreamInput(const std::string& path);

// Writes `path` atomically: `write` fills a temporary file in the same
// folder (fsynced), which is renamed over `path` only if every write
// succeeded; the folder is fsynced after the rename. A crash leaves the
// old file or the complete new one, never a torn one.
Status WriteFileAtomic(const std::string& path,
                       const std::function<void(std::ostream&)>& write);
Status WriteFileAtomic(const std::string& path, const std::string& content);

}  // namespace acuity

#endif  // ACUITY_FILES_H_
