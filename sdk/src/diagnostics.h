// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Diagnostics: the SDK's one way to say something to the host. Messages go
// to the host's DiagnosticCallback, or to stderr when none is set (never
// stdout), through a token bucket of `per_second` messages a second; what
// the bucket suppresses is counted and mentioned in the next message that
// gets through. Thread-safe. Never throws; a throwing callback is ignored.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "telltale/options.h"

namespace telltale::detail {

class Diagnostics {
 public:
  Diagnostics(DiagnosticCallback callback, double per_second);

  void report(LogLevel level, const std::string& message) noexcept;
  uint64_t suppressed() const noexcept;

 private:
  DiagnosticCallback callback_;
  double per_second_;
  mutable std::mutex mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point last_refill_;
  uint64_t suppressed_ = 0;        // since the last message that got through
  uint64_t suppressed_total_ = 0;
};

}  // namespace telltale::detail
