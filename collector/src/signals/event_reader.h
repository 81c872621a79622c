// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventReader: turns stored log frames back into UsageEvents, in order, with
// event times corrected for client clock skew as the Segment spec does
// (event time + received_at - sent_at). Replaying the same frames always
// gives the same events. A frame that no longer decodes (it was validated on
// the way in, so only a corrupted database could cause this) yields no
// events and is counted. Not thread-safe: one per engine.
#pragma once

#include <vector>

#include "log/event_log.h"
#include "signals/usage_event.h"
#include "telltale/schema/codec.h"

namespace telltale::collector {

class EventReader {
 public:
  EventReader();
  // Appends the frame's events to *out; false if the frame did not decode.
  bool read(const Frame& frame, std::vector<UsageEvent>* out);
  uint64_t undecodable() const { return undecodable_; }

 private:
  bool read_sdk(const Frame& frame, std::vector<UsageEvent>* out);
  bool read_segment(const Frame& frame, std::vector<UsageEvent>* out);

  wire::BatchDecoder decoder_;
  wire::DecodedBatch batch_;
  uint64_t undecodable_ = 0;
};

// Parses an ISO-8601 / RFC 3339 timestamp ("2026-11-23T10:15:00.123Z",
// offsets allowed) to Unix milliseconds.
std::optional<int64_t> parse_iso8601_ms(const std::string& text);

}  // namespace telltale::collector
