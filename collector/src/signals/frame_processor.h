// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// process_events: the one definition of how a stored frame's events move
// the PQL engine (and applies(), of which frames it skips), shared by the
// live EngineRunner and `telltale replay`, so that a replay decides
// exactly what live ingestion decided. The frame's events are
// applied to the engine in order; each account the frame touched is
// re-evaluated right after its last event in the frame, at its latest event
// time in the frame, and the AlertBook decides (accounts in the order of
// their last events). Not thread-safe (the caller owns all three).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "alerts/alert_book.h"
#include "log/event_log.h"
#include "signals/log_read_ahead.h"
#include "signals/seen_frames.h"
#include "signals/signal_engine.h"

namespace telltale::collector {

// A frame's events (EventReader), the frame having reached the collector at
// `received_at_ms` (an alert's SLA counts from then when its events came
// late; 0: unknown, the events' time); appends the book's decisions to
// *changes (nullptr: decide, but discard).
void process_events(std::span<const UsageEvent> events, int64_t received_at_ms, SignalEngine& engine, AlertBook& book,
                    std::vector<AlertChange>* changes);

// The de-duplication set a reader of `log` keeps (SeenFrames); null when
// the log's own de-duplication spans Telltale's window
// (EventLog::forgets_keys_early()).
std::unique_ptr<SeenFrames> seen_frames_for(const EventLog& log, const SeenFramesLimits& limits);

// Whether the engine applies a frame read ahead: not when `seen` (null: no
// set kept) remembers its key, a copy of a frame applied before. Remembers
// the key.
inline bool applies(const LogReadAhead::ReadFrame& f, SeenFrames* seen) {
  return seen == nullptr || !f.key || seen->first(*f.key, f.received_at_ms);
}

// `telltale replay`: every frame of `log` through process_events, in
// order, the frames read and decoded ahead on a second thread
// (LogReadAhead), copies of frames applied before skipped as the live
// engine skips them (`dedup`, seen_frames_for()). After each frame,
// `after_frame` gets its position and the book's decisions on it. Returns
// the log's status (a failed read stops the replay).
using AfterFrame = std::function<void(int64_t position, const std::vector<AlertChange>& changes)>;
LogStatus replay_log(EventLog& log, const SeenFramesLimits& dedup, SignalEngine& engine, AlertBook& book,
                     const AfterFrame& after_frame);

}  // namespace telltale::collector
