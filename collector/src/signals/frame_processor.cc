// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/frame_processor.h"

#include "signals/log_read_ahead.h"

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

LogStatus replay_log(EventLog& log, SignalEngine& engine, AlertBook& book, const AfterFrame& after_frame) {
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kToEnd);
  std::vector<AlertChange> changes;
  while (const LogReadAhead::ReadFrame* f = ahead.next()) {
    changes.clear();
    process_events(f->events.events(), f->received_at_ms, engine, book, &changes);
    const int64_t position = f->position;
    ahead.release();
    after_frame(position, changes);
  }
  return ahead.status();
}

}  // namespace telltale::collector
