// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/account_state.h"

#include <algorithm>

namespace telltale::collector {

void AccountState::apply(const UsageEvent& e, const PqlRules& rules) {
  if (first_seen_ms == 0 || e.time_ms < first_seen_ms) first_seen_ms = e.time_ms;
  last_event_ms = std::max(last_event_ms, e.time_ms);
  const int64_t day = day_of(e.time_ms);

  if (e.kind == UsageKind::kGroup) {
    for (const auto& [k, v] : e.props) traits[k] = v;
    return;
  }
  if (e.kind == UsageKind::kUsage) {
    const PropValue* metric = e.prop("metric");
    const PropValue* used = e.prop("used");
    const PropValue* limit = e.prop("limit");
    if (!metric || metric->type != PropValue::Type::kString || !used || !limit || !used->number() || !limit->number())
      return;
    LimitUsage& u = limits[metric->s];
    u.used = *used->number();
    u.limit = *limit->number();
    u.last_day = std::max(u.last_day, day);
    bool near = u.ratio() >= rules.sweet_spot_ratio;
    if (!near) u.near_since_day = -1;
    else if (u.near_since_day < 0) u.near_since_day = day;
    return;
  }
  if (e.kind != UsageKind::kTrack) return;

  // Activity: the account's days and hours, and the user's days.
  active_days.mark(day);
  ++hour_of_week[size_t(hour_of_week_index(e.time_ms))];
  if (!e.user.empty()) {
    auto it = users.find(e.user);
    if (it == users.end() && users.size() < kMaxUsers) it = users.emplace(e.user, DayBits{}).first;
    if (it != users.end()) it->second.mark(day);
  }
  if (features.size() < kMaxFeatures) features.insert(e.name);

  auto first = first_time.try_emplace(e.name, e.time_ms).first;
  first->second = std::min(first->second, e.time_ms);
  ++counts[e.name];
  if (std::find(rules.milestones.begin(), rules.milestones.end(), e.name) != rules.milestones.end()) {
    auto m = milestones.try_emplace(e.name, e.time_ms).first;
    m->second = std::min(m->second, e.time_ms);
    if (milestones.size() == rules.milestones.size()) {
      int64_t reached = 0;
      for (const auto& [name, when] : milestones) reached = std::max(reached, when);
      activated_ms = reached;
    }
  }
}

// Monday 00:00 UTC is hour 0 of the week (1970-01-01 was a Thursday).
int AccountState::hour_of_week_index(int64_t time_ms) {
  int64_t hours = time_ms / 3'600'000;
  return int(((hours + 3 * 24) % 168 + 168) % 168);
}

int64_t AccountState::employees() const {
  auto it = traits.find("employees");
  if (it == traits.end()) return -1;
  if (auto n = it->second.number()) return int64_t(*n);
  if (it->second.type == PropValue::Type::kString) return std::atoll(it->second.s.c_str());
  return -1;
}

std::string AccountState::trait(const std::string& key) const {
  auto it = traits.find(key);
  if (it == traits.end()) return "";
  if (it->second.type == PropValue::Type::kString) return it->second.s;
  if (auto n = it->second.number()) return std::to_string(int64_t(*n));
  return "";
}

int AccountState::active_users(int64_t from_day, int64_t to_day) const {
  int n = 0;
  for (const auto& [user, days] : users)
    if (days.count(from_day, to_day) > 0) ++n;
  return n;
}

}  // namespace telltale::collector
