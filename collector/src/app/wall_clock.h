// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// wall_clock_ms: the wall-clock time, in milliseconds since the Unix epoch.
// What the collector's own deadlines count by (SLA breaches, hand-backs,
// digests, the de-duplication window, retention, an arrival's time); the
// engine's windows count by the events' time instead. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace telltale::collector {

inline int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace telltale::collector
