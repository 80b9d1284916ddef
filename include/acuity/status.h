// Status and Result<T>: how library code reports failure.
//
// Library code never throws and never exits. A failure is a Status with a
// code and a one-line message that already names the file and the cause
// (for example "clip.mp4: no video stream"). Exceptions from OpenCV and
// nlohmann::json are caught in the adapter that calls them. The CLI maps a
// Status to an exit code.
#ifndef ACUITY_STATUS_H_
#define ACUITY_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace acuity {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad option or usage
  kNotFound,         // path does not exist, no video stream, unknown metric
  kUnsupported,      // codec or pixel format we cannot decode
  kInvalidData,      // corrupt, truncated or empty input
  kResourceLimit,    // frame larger than the configured pixel limit
  kIo,               // read or write failed
  kInternal,
  kCancelled,  // stopped by the caller (Scorer::Cancel)
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with "CONTEXT: " (used to add the file name).
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFound(std::string m) {
  return Status(StatusCode::kNotFound, std::move(m));
}
inline Status Unsupported(std::string m) {
  return Status(StatusCode::kUnsupported, std::move(m));
}
inline Status InvalidData(std::string m) {
  return Status(StatusCode::kInvalidData, std::move(m));
}
inline Status ResourceLimit(std::string m) {
  return Status(StatusCode::kResourceLimit, std::move(m));
}
inline Status IoError(std::string m) {
  return Status(StatusCode::kIo, std::move(m));
}
inline Status Internal(std::string m) {
  return Status(StatusCode::kInternal, std::move(m));
}
inline Status Cancelled(std::string m) {
  return Status(StatusCode::kCancelled, std::move(m));
}

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace acuity

#define ACUITY_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::acuity::Status acuity_status_ = (expr);        \
    if (!acuity_status_.ok()) return acuity_status_; \
  } while (0)

#endif  // ACUITY_STATUS_H_
