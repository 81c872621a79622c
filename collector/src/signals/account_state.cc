// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/account_state.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <string_view>

namespace telltale::collector {

void AccountState::apply(const UsageEvent& e, uint32_t user_slot, uint32_t name, const CompiledRules& rules) {
  if (first_seen_ms == 0 || e.time_ms < first_seen_ms) first_seen_ms = e.time_ms;
  last_event_ms = std::max(last_event_ms, e.time_ms);
  switch (e.kind) {
    case UsageKind::kGroup:
      merge_traits(e.props);
      employees = employees_of(traits);
      fit = fit_multiplier(traits, rules.rules, nullptr);
      ++story_version;
      break;
    case UsageKind::kUsage: apply_usage(e, rules); break;
    case UsageKind::kTrack: apply_track(e, user_slot, name, rules); break;
    default: break;
  }
  // The trailing windows move with the account's latest day.
  const int64_t today = day_of(last_event_ms);
  if (today != window_day) count_active_users(today, rules.rules.expansion_window_days);
}

void AccountState::merge_traits(const std::vector<std::pair<std::string, PropValue>>& said) {
  static constexpr std::string_view kRead[] = {"name",     "plan",   "domain", "employees",
                                               "industry", "region", "owner",  "timezone"};
  for (const auto& [k, v] : said)
    if (auto it = traits.find(k); it != traits.end()) it->second = v;
    else if (traits.size() < kMaxTraits || std::find(std::begin(kRead), std::end(kRead), k) != std::end(kRead))
      traits.emplace(k, v);
}

void AccountState::apply_usage(const UsageEvent& e, const CompiledRules& rules) {
  const PropValue* metric = e.prop("metric");
  const PropValue* used = e.prop("used");
  const PropValue* limit = e.prop("limit");
  if (!metric || metric->type != PropValue::Type::kString || !used || !limit || !used->number() || !limit->number())
    return;
  if (!std::isfinite(*used->number()) || !std::isfinite(*limit->number())) return;  // an SDK may send NaN
  auto it = limits.find(metric->s);
  if (it == limits.end()) {
    if (limits.size() >= kMaxLimits) return;
    it = limits.emplace(metric->s, LimitUsage{}).first;
  }
  LimitUsage& u = it->second;
  const int64_t day = day_of(e.time_ms);
  u.used = *used->number();
  u.limit = *limit->number();
  u.last_day = std::max(u.last_day, day);
  if (u.ratio() < rules.rules.sweet_spot_ratio) u.near_since_day = -1;
  else if (u.near_since_day < 0) u.near_since_day = day;
  summarize_limits(rules);
  ++story_version;
}

void AccountState::summarize_limits(const CompiledRules& rules) {
  limit_hit = false;
  near_limit_since_day = -1;
  for (const auto& [metric, u] : limits) {
    limit_hit |= u.ratio() >= rules.rules.limit_hit_ratio;
    if (u.near_since_day >= 0 && (near_limit_since_day < 0 || u.near_since_day < near_limit_since_day))
      near_limit_since_day = u.near_since_day;
  }
}

// Counts only grow, so the first busiest hour changes only to the hour just
// counted: when it overtakes the busiest, or ties it from an earlier hour.
void AccountState::count_hour(int slot) {
  const uint32_t n = ++hour_of_week[size_t(slot)];
  if (n > busiest_hour_count || (n == busiest_hour_count && slot < busiest_hour)) {
    busiest_hour = uint8_t(slot);
    busiest_hour_count = n;
  }
}

uint32_t AccountState::add_user(uint32_t user) {
  if (user_numbers.size() >= kMaxUsers) return kNoNumber;
  user_numbers.push_back(user);
  user_days.emplace_back();
  ++story_version;
  return uint32_t(user_numbers.size() - 1);
}

void AccountState::apply_track(const UsageEvent& e, uint32_t user_slot, uint32_t name, const CompiledRules& rules) {
  const int64_t day = day_of(e.time_ms);
  const int64_t today = day_of(last_event_ms);
  if (active_days.mark(day)) ++story_version;
  count_hour(hour_of_week_index(e.time_ms));

  // A user's first day in a window adds one to that window's count (when
  // the windows have not moved; if they have, apply() recounts).
  if (user_slot != kNoNumber) {
    DayBits& days = user_days[user_slot];
    if (days.mark(day) && today == window_day) {
      const int w = rules.rules.expansion_window_days;
      if (day > today - w && days.count(today - w + 1, today) == 1) ++active_users_window;
      else if (day > today - 2 * w && day <= today - w && days.count(today - 2 * w + 1, today - w) == 1)
        ++active_users_prev_window;
      ++story_version;
    }
  }

  if (name == kNoNumber) return;
  auto at = std::lower_bound(names.begin(), names.end(), name, [](const NameStat& s, uint32_t n) { return s.name < n; });
  if (at == names.end() || at->name != name) {
    if (names.size() >= kMaxNames && !rules.watched(name)) return;
    at = names.insert(at, NameStat{name, 0, e.time_ms});
    ++story_version;
  }
  ++at->count;
  at->first_ms = std::min(at->first_ms, e.time_ms);
  if (!rules.watched(name)) return;
  ++story_version;
  for (uint8_t roles = rules.rule_events(name); roles; roles &= uint8_t(roles - 1))
    ++rule_counts[size_t(std::countr_zero(roles))];

  const int milestone = rules.milestone_index(name);
  if (milestone < 0) return;
  milestones_reached |= uint64_t(1) << milestone;
  const size_t all = rules.milestones.size();
  if (milestones_reached == (all == 64 ? ~uint64_t(0) : (uint64_t(1) << all) - 1)) {
    int64_t reached = 0;
    for (uint32_t m : rules.milestones) reached = std::max(reached, stat(m)->first_ms);
    activated_ms = reached;
  }
}

void AccountState::count_active_users(int64_t today, int window) {
  int32_t cur = 0, prev = 0;
  for (const DayBits& days : user_days) {
    cur += days.count(today - window + 1, today) > 0;
    prev += days.count(today - 2 * window + 1, today - window) > 0;
  }
  active_users_window = cur;
  active_users_prev_window = prev;
  window_day = today;
  ++story_version;
}

const NameStat* AccountState::stat(uint32_t name) const {
  auto at = std::lower_bound(names.begin(), names.end(), name, [](const NameStat& s, uint32_t n) { return s.name < n; });
  return at != names.end() && at->name == name ? &*at : nullptr;
}

namespace {

void save_days(SnapshotWriter& w, const DayBits& d) {
  w.i64(d.last_day());
  w.u64(d.raw_bits());
}

DayBits load_days(SnapshotReader& r) {
  const int64_t last = r.i64();
  return DayBits::from_raw(last, r.u64());
}

void save_prop(SnapshotWriter& w, const PropValue& v) {
  w.u64(uint64_t(v.type));
  w.str(v.s);
  w.i64(v.i);
  w.f64(v.d);
}

PropValue load_prop(SnapshotReader& r) {
  PropValue v;
  const uint64_t type = r.u64();
  if (type > uint64_t(PropValue::Type::kNull)) throw SnapshotError("snapshot: bad trait type");
  v.type = PropValue::Type(type);
  v.s = r.str();
  v.i = r.i64();
  v.d = r.f64();
  return v;
}

}  // namespace

void AccountState::save(SnapshotWriter& w) const {
  w.str(id);
  w.u64(number);
  w.u64(traits.size());
  for (const auto& [k, v] : traits) {
    w.str(k);
    save_prop(w, v);
  }
  w.i64(first_seen_ms);
  w.i64(last_event_ms);
  w.u64(milestones_reached);
  w.i64(activated_ms);
  w.u64(names.size());
  for (const NameStat& s : names) {
    w.u64(s.name);
    w.u64(s.count);
    w.i64(s.first_ms);
  }
  save_days(w, active_days);
  for (uint32_t n : rule_counts) w.u64(n);
  // By slot, so that a restored account gives its users the same slots.
  w.u64(user_numbers.size());
  for (size_t slot = 0; slot < user_numbers.size(); ++slot) {
    w.u64(user_numbers[slot]);
    save_days(w, user_days[slot]);
  }
  w.u64(limits.size());
  for (const auto& [metric, u] : limits) {
    w.str(metric);
    w.f64(u.used);
    w.f64(u.limit);
    w.i64(u.last_day);
    w.i64(u.near_since_day);
  }
  for (uint32_t n : hour_of_week) w.u64(n);
  w.i64(window_day);
  w.i64(active_users_window);
  w.i64(active_users_prev_window);
  w.i64(employees);
  w.f64(fit);
  w.u64(story_version);
}

void AccountState::load(SnapshotReader& r, const CompiledRules& rules) {
  id = r.str();
  number = uint32_t(r.u64());
  for (size_t n = r.count(); n > 0; --n) {
    std::string k = r.str();
    traits[std::move(k)] = load_prop(r);
  }
  first_seen_ms = r.i64();
  last_event_ms = r.i64();
  milestones_reached = r.u64();
  activated_ms = r.i64();
  names.resize(r.count(3));
  for (NameStat& s : names) {
    s.name = uint32_t(r.u64());
    s.count = uint32_t(r.u64());
    s.first_ms = r.i64();
  }
  active_days = load_days(r);
  for (uint32_t& n : rule_counts) n = uint32_t(r.u64());
  const size_t users = r.count(3);
  if (users > kMaxUsers) throw SnapshotError("snapshot: too many users in an account");
  user_numbers.reserve(users);
  user_days.reserve(users);
  for (size_t n = 0; n < users; ++n) {
    user_numbers.push_back(uint32_t(r.u64()));
    user_days.push_back(load_days(r));
  }
  for (size_t n = r.count(); n > 0; --n) {
    LimitUsage& u = limits[r.str()];
    u.used = r.f64();
    u.limit = r.f64();
    u.last_day = r.i64();
    u.near_since_day = r.i64();
  }
  for (int slot = 0; slot < 168; ++slot) {
    hour_of_week[size_t(slot)] = uint32_t(r.u64());
    if (hour_of_week[size_t(slot)] > busiest_hour_count) {
      busiest_hour = uint8_t(slot);
      busiest_hour_count = hour_of_week[size_t(slot)];
    }
  }
  window_day = r.i64();
  active_users_window = int32_t(r.i64());
  active_users_prev_window = int32_t(r.i64());
  employees = r.i64();
  fit = r.f64();
  story_version = r.u64();
  summarize_limits(rules);
}

size_t AccountState::memory_bytes() const {
  constexpr size_t kMallocHeader = 16;
  constexpr size_t kTreeNode = 4 * sizeof(void*) + kMallocHeader;
  size_t bytes = sizeof(AccountState) + (id.capacity() > 15 ? id.capacity() + 1 : 0);
  for (const auto& [k, v] : traits)
    bytes += kTreeNode + sizeof(k) + sizeof(v) + (k.capacity() > 15 ? k.capacity() : 0) + (v.s.capacity() > 15 ? v.s.capacity() : 0);
  bytes += names.capacity() * sizeof(NameStat);
  bytes += user_days.capacity() * sizeof(DayBits) + user_numbers.capacity() * sizeof(uint32_t);
  bytes += limits.size() * (kTreeNode + sizeof(std::string) + sizeof(LimitUsage));
  return bytes;
}

// Monday 00:00 UTC is hour 0 of the week (1970-01-01 was a Thursday).
int AccountState::hour_of_week_index(int64_t time_ms) {
  int64_t hours = time_ms / 3'600'000;
  return int(((hours + 3 * 24) % 168 + 168) % 168);
}

}  // namespace telltale::collector
