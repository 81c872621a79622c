// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Status: the result of the few SDK calls that can fail in a way the caller
// must hear about (Tracker::create). A value type; copying allocates only
// when it carries a message.
#pragma once

#include <string>

#include "telltale/export.h"

namespace telltale {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // an option is out of range or malformed (endpoint, sizes)
  kIoError,          // the spool directory cannot be created or written
  kInternal,         // an unexpected failure inside the SDK (out of memory)
};

class TELLTALE_EXPORT Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const noexcept { return code_ == StatusCode::kOk; }
  StatusCode code() const noexcept { return code_; }
  // Human-readable reason, naming the offending option; empty when ok().
  const std::string& message() const noexcept { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace telltale
