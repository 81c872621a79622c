// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/frame_processor.h"

#include <algorithm>

namespace telltale::collector {

void process_frame(const Frame& frame, EventReader& reader, SignalEngine& engine, AlertBook& book,
                   std::vector<AlertChange>* changes) {
  std::vector<UsageEvent> events;
  reader.read(frame, &events);
  std::vector<std::pair<std::string, int64_t>> touched;  // account, latest event time
  for (const UsageEvent& e : events) {
    std::string account = engine.apply(e);
    if (account.empty()) continue;
    auto it = std::find_if(touched.begin(), touched.end(), [&](const auto& t) { return t.first == account; });
    if (it == touched.end()) touched.emplace_back(account, e.time_ms);
    else it->second = std::max(it->second, e.time_ms);
  }
  for (const auto& [account, when] : touched)
    for (auto& c : book.consider(*engine.account(account), engine.evaluate(account), when))
      if (changes) changes->push_back(std::move(c));
}

}  // namespace telltale::collector
