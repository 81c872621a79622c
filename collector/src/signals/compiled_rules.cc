// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/compiled_rules.h"

#include <algorithm>

namespace telltale::collector {

CompiledRules::CompiledRules(PqlRules r, Interner<>& names) : rules(std::move(r)) {
  for (int i = 0; i < kSignalCount; ++i) weights[size_t(i)] = rules.weight(kSignalNames[i]);
  event_names = {&rules.core_value_event, &rules.invite_event,  &rules.collaboration_event, &rules.integration_event,
                 &rules.pricing_event,    &rules.premium_event, &rules.sso_event,           &rules.contract_event};
  for (size_t i = 0; i < event_names.size(); ++i) events[i] = names.intern(*event_names[i]);
  for (const std::string& m : rules.milestones) {
    const uint32_t id = names.intern(m);
    if (milestones.size() < 64 && milestone_index(id) < 0) {
      milestones.push_back(id);
      milestone_names.push_back(m);
    }
  }
  for (uint32_t id : events) watched_names = std::max(watched_names, id + 1);
  for (uint32_t id : milestones) watched_names = std::max(watched_names, id + 1);
  roles.assign(watched_names, 0);
  for (size_t i = 0; i < events.size(); ++i) roles[events[i]] |= uint8_t(1u << i);
  auto prefer = [&](std::string_view name) {
    if (const auto s = signal_from_name(name); s && *s != Signal::kExpansion) {
      const std::string_view signal = signal_name(*s);
      if (std::find(summary_order.begin(), summary_order.end(), signal) == summary_order.end())
        summary_order.push_back(signal);
    }
  };
  for (const std::string& name : rules.summary_order) prefer(name);
  for (const char* name : kDefaultSummaryOrder) prefer(name);
}

int CompiledRules::milestone_index(uint32_t name) const {
  for (size_t i = 0; i < milestones.size(); ++i)
    if (milestones[i] == name) return int(i);
  return -1;
}

}  // namespace telltale::collector
