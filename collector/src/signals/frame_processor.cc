// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/frame_processor.h"

namespace telltale::collector {
namespace {

constexpr size_t kLookAhead = 8;

}  // namespace

void process_frame(const Frame& frame, EventReader& reader, SignalEngine& engine, AlertBook& book,
                   std::vector<AlertChange>* changes) {
  process_events(reader.read(frame), engine, book, changes);
}

void process_events(std::span<const UsageEvent> events, SignalEngine& engine, AlertBook& book,
                    std::vector<AlertChange>* changes) {
  engine.apply_frame(events);
  const auto& touched = engine.touched();
  for (size_t i = 0; i < touched.size(); ++i) {
    // The book's record of accounts a few places ahead, so that deciding
    // does not wait for memory (the accounts' states are still cached).
    if (i + kLookAhead < touched.size()) book.prefetch(*touched[i + kLookAhead].account);
    const SignalEngine::Touched& t = touched[i];
    for (AlertChange& c : book.consider(*t.account, engine.evaluate(*t.account), t.latest_ms))
      if (changes) changes->push_back(std::move(c));
  }
}

}  // namespace telltale::collector
