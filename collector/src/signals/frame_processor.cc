// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/frame_processor.h"

namespace telltale::collector {

void process_frame(const Frame& frame, EventReader& reader, SignalEngine& engine, AlertBook& book,
                   std::vector<AlertChange>* changes) {
  process_events(reader.read(frame), engine, book, changes);
}

void process_events(std::span<const UsageEvent> events, SignalEngine& engine, AlertBook& book,
                    std::vector<AlertChange>* changes) {
  engine.apply_frame(
      events,
      [&](const AccountState& account, int64_t latest_ms) {
        for (AlertChange& c : book.consider(account, engine.evaluate(account), latest_ms))
          if (changes) changes->push_back(std::move(c));
      },
      [&](const AccountState& account) { book.prefetch(account); });
}

}  // namespace telltale::collector
