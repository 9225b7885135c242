// Status and Result<T>: errors as values.
//
//   Result<Document> r = ReadInput(bytes, path);
//   if (!r.ok()) { std::cerr << path << ": " << r.status().message() << "\n"; continue; }
//   Document doc = std::move(r).value();
//
// A Status carries a code that decides the exit status of the CLI
// (kUserError -> 1, kInternal -> 2) and a one-line message meant for a person.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace coopkb {

class Status {
 public:
  enum Code { kOk = 0, kUserError = 1, kInternal = 2 };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status UserError(std::string message) { return Status(kUserError, std::move(message)); }
  static Status Internal(std::string message) { return Status(kInternal, std::move(message)); }

  bool ok() const { return code_ == kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = kOk;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}                  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}          // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_ = Status::Internal("result holds no value");
};

}  // namespace coopkb
