// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The event-time clock of the hot path: CLOCK_REALTIME_COARSE through the
// vDSO, a few nanoseconds and no system call, at the kernel tick's
// resolution (1-4 ms), which is finer than the millisecond timestamps the
// wire carries need. Thread-safe.
#pragma once

#include <time.h>

#include <cstdint>

namespace telltale::detail {

inline int64_t coarse_now_ms() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace telltale::detail
