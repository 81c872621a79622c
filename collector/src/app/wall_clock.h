// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// wall_clock_ms: the wall-clock time, in milliseconds since the Unix epoch.
// What the collector's own deadlines count by (SLA breaches, hand-backs,
// digests, the de-duplication window, retention, an arrival's time); the
// engine's windows count by the events' time instead. And utc_text, such
// a time in words. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace telltale::collector {

inline int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The moment `ms` in UTC as strftime writes it by `format` (the C
// locale's names): "%a %d %b %H:%M" -> "Tue 24 Nov 13:15".
inline std::string utc_text(int64_t ms, const char* format) {
  const std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[128];
  return std::string(buf, std::strftime(buf, sizeof buf, format, &tm));
}

}  // namespace telltale::collector
