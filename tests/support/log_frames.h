// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Shorthands for event-log frames in engine and log tests.
#pragma once

#include <cstdint>
#include <string>

#include "log/event_log.h"

namespace telltale::collector::testing {

// One Segment-spec call, stored as the collector stores it.
inline Frame segment_frame(const std::string& json, int64_t received_at_ms = 0) {
  Frame f;
  f.format = FrameFormat::kSegmentJson;
  f.received_at_ms = received_at_ms;
  f.payload.assign(json.begin(), json.end());
  return f;
}

}  // namespace telltale::collector::testing
