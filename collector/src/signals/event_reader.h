// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventReader: turns stored log frames back into UsageEvents, in order, with
// event times corrected for client clock skew as the Segment spec does
// (event time + received_at - sent_at; a Segment call's timestamp, else its
// originalTimestamp). A time not said, before 2000, or later than a minute
// after the frame arrived (a clock ahead that no sent_at corrects) is taken
// as the frame's arrival, so no client can move an account into the future
// or outside the engine's calendar. Events carry the properties the
// engine reads: a group or identify call's traits and a usage report's
// metric, used and limit (a track's properties are left out, unread). A
// Segment call whose context.traits say who its user is (email, name,
// firstName, lastName, title) is read as that identify, then the call.
// Replaying the same frames always gives the same events. A frame that no
// longer decodes (it was validated on the way in, so only a corrupted
// database could cause this) yields no events and is counted. Events are
// read into a FrameEvents, reused for the next frame, so reading allocates
// nothing once warm. Not thread-safe: one per thread that reads.
#pragma once

#include <span>
#include <vector>

#include "log/event_log.h"
#include "signals/usage_event.h"
#include "telltale/schema/codec.h"

namespace telltale::collector {

// A frame's events as read. Reused frame after frame: the events and their
// strings keep their buffers. A value type.
class FrameEvents {
 public:
  std::span<const UsageEvent> events() const { return {pool_.data(), count_}; }

 private:
  friend class EventReader;
  UsageEvent& next();  // the next pooled event, cleared but for its props
  void drop_last() { --count_; }  // takes back the event next() gave last

  std::vector<UsageEvent> pool_;
  size_t count_ = 0;
};

class EventReader {
 public:
  EventReader();
  // The frame's events, read into *out (replacing what it held); empty
  // when the frame did not decode (counted in undecodable()).
  std::span<const UsageEvent> read(const Frame& frame, FrameEvents* out);
  // The same into the reader's own FrameEvents: valid until the next read().
  std::span<const UsageEvent> read(const Frame& frame) { return read(frame, &own_); }
  uint64_t undecodable() const { return undecodable_; }

 private:
  bool read_sdk(const Frame& frame, FrameEvents& out);
  bool read_segment(const Frame& frame, FrameEvents& out);

  FrameEvents own_;
  wire::BatchDecoder decoder_;
  wire::DecodedBatch batch_;
  uint64_t undecodable_ = 0;
};

}  // namespace telltale::collector
