// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Shorthands for event-log frames in engine and log tests, and reading a
// log to its end.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

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

// Every frame after `after`, read `page` at a time until a read hands over
// none: a read may hand over fewer than the log holds (JetStream's, what
// has been delivered so far), never none before the end.
inline std::vector<StoredFrame> read_all(EventLog& log, int64_t after = 0, size_t page = 1000) {
  std::vector<StoredFrame> all, out;
  do {
    EXPECT_TRUE(log.read(after, page, &out).ok);
    EXPECT_LE(out.size(), page);
    for (StoredFrame& f : out) {
      EXPECT_GT(f.position, after);
      after = f.position;
      all.push_back(std::move(f));
    }
  } while (!out.empty());
  return all;
}

}  // namespace telltale::collector::testing
