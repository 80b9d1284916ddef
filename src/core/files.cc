// File-system helpers (acuity/files.h).
#include "acuity/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>

namespace acuity {

Status CheckRegularFile(const std::string& path) {
  struct stat sb {};
  if (stat(path.c_str(), &sb) != 0) {
    const int err = errno;
    if (err == ELOOP) {
      return InvalidArgument("is a symbolic link loop, not a file");
    }
    if (err == ENOENT) {
      struct stat lsb {};
      if (lstat(path.c_str(), &lsb) == 0 && S_ISLNK(lsb.st_mode)) {
        return NotFound("is a symbolic link to nothing (dangling)");
      }
    }
    return Status(err == ENOENT ? StatusCode::kNotFound : StatusCode::kIo,
                  std::strerror(err));
  }
  if (S_ISREG(sb.st_mode)) return Status::Ok();
  const char* what = S_ISDIR(sb.st_mode)    ? "a directory"
                     : S_ISFIFO(sb.st_mode) ? "a FIFO (named pipe)"
                     : S_ISCHR(sb.st_mode)  ? "a character device"
                     : S_ISBLK(sb.st_mode)  ? "a block device"
                     : S_ISSOCK(sb.st_mode) ? "a socket"
                                            : "a special file";
  return InvalidArgument("is " + std::string(what) + ", not a regular file");
}

bool IsStreamInput(const std::string& path) {
  return path == "-" || path.rfind("pipe:", 0) == 0;
}

Status WriteFileAtomic(const std::string& path,
                       const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string leaf = ".";
  leaf += target.filename().string();
  leaf += ".tmp-XXXXXX";
  std::string name = (dir / leaf).string();
  const int fd = mkstemp(name.data());
  if (fd < 0) {
    return IoError(path +
                   ": cannot create a temporary file: " + std::strerror(errno));
  }
  close(fd);
  const std::string tmp = name;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) write(out);
    out.flush();
    if (!out) {
      const std::string why = std::strerror(errno);
      unlink(tmp.c_str());
      return IoError(path + ": write failed: " + why);
    }
  }
  // mkstemp creates 0600; reports are ordinary files (0666 less umask).
  // umask can only be read by setting it: do that once, before any worker.
  static const mode_t kMask = [] {
    const mode_t m = umask(022);
    umask(m);
    return m;
  }();
  chmod(tmp.c_str(), 0666 & ~kMask);
  // The data reaches the disk before the name does: after a power loss the
  // report is either the old one or the complete new one, never empty.
  {
    const int wfd = open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (wfd < 0 || fsync(wfd) != 0) {
      const std::string why = std::strerror(errno);
      if (wfd >= 0) close(wfd);
      unlink(tmp.c_str());
      return IoError(path + ": fsync failed: " + why);
    }
    close(wfd);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    unlink(tmp.c_str());
    return IoError(path + ": rename failed: " + why);
  }
  // And the rename itself: the folder's entry is on disk when we return.
  const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, const std::string& content) {
  return WriteFileAtomic(path, [&](std::ostream& os) { os << content; });
}

}  // namespace acuity
