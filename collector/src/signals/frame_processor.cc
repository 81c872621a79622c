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

LogStatus replay_log(EventLog& log, EventReader& reader, SignalEngine& engine, AlertBook& book,
                     const AfterFrame& after_frame) {
  constexpr size_t kFramesPerRead = 64;
  std::vector<StoredFrame> frames;
  std::vector<AlertChange> changes;
  for (int64_t position = 0;;) {
    LogStatus st = log.read(position, kFramesPerRead, &frames);
    if (!st.ok || frames.empty()) return st;
    for (const StoredFrame& f : frames) {
      changes.clear();
      process_frame(f.frame, reader, engine, book, &changes);
      position = f.position;
      after_frame(position, changes);
    }
  }
}

}  // namespace telltale::collector
