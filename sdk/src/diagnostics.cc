// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "diagnostics.h"

#include <cstdio>

namespace telltale::detail {
namespace {

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "?";
}

}  // namespace

Diagnostics::Diagnostics(DiagnosticCallback callback, double per_second)
    : callback_(std::move(callback)),
      per_second_(per_second),
      tokens_(per_second < 1 ? 1 : per_second),
      last_refill_(std::chrono::steady_clock::now()) {}

void Diagnostics::report(LogLevel level, const std::string& message) noexcept {
  try {
    std::string line;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto now = std::chrono::steady_clock::now();
      double burst = per_second_ < 1 ? 1 : per_second_;
      tokens_ = std::min(burst, tokens_ + per_second_ * std::chrono::duration<double>(now - last_refill_).count());
      last_refill_ = now;
      if (tokens_ < 1) {
        ++suppressed_;
        ++suppressed_total_;
        return;
      }
      tokens_ -= 1;
      line = message;
      if (suppressed_ != 0) line += " (" + std::to_string(suppressed_) + " earlier messages suppressed)";
      suppressed_ = 0;
    }
    if (callback_) {
      callback_(level, line);
    } else {
      std::fprintf(stderr, "telltale %s: %s\n", level_name(level), line.c_str());
    }
  } catch (...) {
    // A diagnostic must never hurt the host.
  }
}

uint64_t Diagnostics::suppressed() const noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  return suppressed_total_;
}

}  // namespace telltale::detail
