// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/frame_processor.h"

namespace telltale::collector {

void process_events(std::span<const UsageEvent> events, int64_t received_at_ms, SignalEngine& engine, AlertBook& book,
                    std::vector<AlertChange>* changes) {
  engine.apply_frame(
      events,
      [&](const AccountState& account, int64_t latest_ms) {
        for (AlertChange& c : book.consider(account, engine.evaluate(account), latest_ms, received_at_ms))
          if (changes) changes->push_back(std::move(c));
      },
      [&](const AccountState& account) { book.prefetch(account); });
}

std::unique_ptr<SeenFrames> seen_frames_for(const EventLog& log, const SeenFramesLimits& limits) {
  if (!log.forgets_keys_early()) return nullptr;
  return std::make_unique<SeenFrames>(limits);
}

LogStatus replay_log(EventLog& log, const SeenFramesLimits& dedup, SignalEngine& engine, AlertBook& book,
                     const AfterFrame& after_frame) {
  const std::unique_ptr<SeenFrames> seen = seen_frames_for(log, dedup);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kToEnd);
  std::vector<AlertChange> changes;
  while (const LogReadAhead::ReadFrame* f = ahead.next()) {
    changes.clear();
    if (applies(*f, seen.get())) process_events(f->events.events(), f->received_at_ms, engine, book, &changes);
    const int64_t position = f->position;
    ahead.release();
    after_frame(position, changes);
  }
  return ahead.status();
}

}  // namespace telltale::collector
