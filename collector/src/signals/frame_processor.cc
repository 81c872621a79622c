// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/frame_processor.h"

#include <algorithm>
#include <unordered_map>

namespace telltale::collector {

void process_frame(const Frame& frame, EventReader& reader, SignalEngine& engine, AlertBook& book,
                   std::vector<AlertChange>* changes) {
  std::vector<UsageEvent> events;
  reader.read(frame, &events);
  std::vector<std::pair<std::string, int64_t>> touched;  // account, latest event time
  std::unordered_map<std::string, size_t> index;          // account -> position in touched
  for (const UsageEvent& e : events) {
    std::string account = engine.apply(e);
    if (account.empty()) continue;
    auto [it, fresh] = index.try_emplace(account, touched.size());
    if (fresh) touched.emplace_back(std::move(account), e.time_ms);
    else touched[it->second].second = std::max(touched[it->second].second, e.time_ms);
  }
  for (const auto& [account, when] : touched)
    for (auto& c : book.consider(*engine.account(account), engine.evaluate(account), when))
      if (changes) changes->push_back(std::move(c));
}

}  // namespace telltale::collector
