// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// process_frame: the one definition of how a stored frame moves the PQL
// engine, shared by the live EngineRunner and `telltale replay`, so that a
// replay decides exactly what live ingestion decided. The frame's events are
// applied to the engine in order; each account the frame touched is
// re-evaluated right after its last event in the frame, at its latest event
// time in the frame, and the AlertBook decides (accounts in the order of
// their last events). Not thread-safe (the caller owns all three).
#pragma once

#include <span>
#include <vector>

#include "alerts/alert_book.h"
#include "log/event_log.h"
#include "signals/event_reader.h"
#include "signals/signal_engine.h"

namespace telltale::collector {

// How many frames `telltale replay` reads from the log at a time: few
// enough (a frame is ~15 KiB) that they do not push the engine's state out
// of the cache (engine_bench's BM_ReplayFromLog: +9 % over 512).
inline constexpr size_t kReplayFramesPerRead = 64;

// Appends the book's decisions to *changes (nullptr: decide, but discard).
void process_frame(const Frame& frame, EventReader& reader, SignalEngine& engine, AlertBook& book,
                   std::vector<AlertChange>* changes);
// The same for a frame's events already read.
void process_events(std::span<const UsageEvent> events, SignalEngine& engine, AlertBook& book,
                    std::vector<AlertChange>* changes);

}  // namespace telltale::collector
