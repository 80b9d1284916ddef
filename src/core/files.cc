// File-system helpers (acuity/files.h).
#include "acuity/files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

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

}  // namespace acuity
