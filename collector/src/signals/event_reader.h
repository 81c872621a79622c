// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventReader: turns stored log frames back into UsageEvents, in order, with
// event times corrected for client clock skew as the Segment spec does
// (event time + received_at - sent_at). Events carry the properties the
// engine reads: a group call's traits and a usage report's metric, used and
// limit (a track's or identify's properties are left out, unread).
// Replaying the same frames always gives the same events. A frame that no
// longer decodes (it was validated on the way in, so only a corrupted
// database could cause this) yields no events and is counted. The events
// are kept in the reader and reused for the next frame, so reading
// allocates nothing once warm. Not thread-safe: one per engine.
#pragma once

#include <span>
#include <vector>

#include "log/event_log.h"
#include "signals/usage_event.h"
#include "telltale/schema/codec.h"

namespace telltale::collector {

class EventReader {
 public:
  EventReader();
  // The frame's events, valid until the next read(); empty when the frame
  // did not decode (counted in undecodable()).
  std::span<const UsageEvent> read(const Frame& frame);
  uint64_t undecodable() const { return undecodable_; }

 private:
  bool read_sdk(const Frame& frame);
  bool read_segment(const Frame& frame);
  UsageEvent& next();  // the next pooled event, cleared but for its props

  std::vector<UsageEvent> pool_;
  size_t count_ = 0;
  wire::BatchDecoder decoder_;
  wire::DecodedBatch batch_;
  uint64_t undecodable_ = 0;
};

// Parses an ISO-8601 / RFC 3339 timestamp ("2026-11-23T10:15:00.123Z",
// offsets allowed) to Unix milliseconds.
std::optional<int64_t> parse_iso8601_ms(const std::string& text);

}  // namespace telltale::collector
