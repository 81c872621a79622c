// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// AccountState: what the signal engine remembers about one B2B account,
// updated one event at a time on event time: traits (fit), milestones and
// key moments with when they first happened, intent counts, active days,
// each user's active days (for team expansion), each plan limit's usage
// (with how long it has stayed near the limit), distinct features used, and
// an hour-of-week activity histogram. Memory per account is bounded: at most
// kMaxUsers users and kMaxFeatures feature names are tracked individually.
// A value type; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "signals/day_bits.h"
#include "signals/rules.h"
#include "signals/usage_event.h"

namespace telltale::collector {

struct LimitUsage {
  double used = 0;
  double limit = 0;
  int64_t last_day = 0;
  int64_t near_since_day = -1;  // first day of the current run at >= the sweet-spot ratio; -1: not near
  double ratio() const { return limit > 0 ? used / limit : 0; }
};

struct AccountState {
  static constexpr size_t kMaxUsers = 10000;
  static constexpr size_t kMaxFeatures = 256;

  std::string id;
  std::map<std::string, PropValue> traits;
  int64_t first_seen_ms = 0;
  int64_t last_event_ms = 0;
  std::map<std::string, int64_t> milestones;   // milestone event -> first time
  int64_t activated_ms = 0;                    // 0 until every milestone is reached
  std::map<std::string, int64_t> first_time;   // event name -> first time (key moments)
  std::map<std::string, int64_t> counts;       // event name -> how often (intent)
  DayBits active_days;
  std::unordered_map<std::string, DayBits> users;
  std::map<std::string, LimitUsage> limits;    // metric -> usage
  std::set<std::string> features;              // distinct track event names
  std::array<uint32_t, 168> hour_of_week{};    // activity by UTC hour of week (Monday 00:00 first)

  void apply(const UsageEvent& e, const PqlRules& rules);

  int64_t employees() const;
  std::string trait(const std::string& key) const;
  // Distinct users active in [from_day, to_day].
  int active_users(int64_t from_day, int64_t to_day) const;
  // The hour_of_week slot of an event time.
  static int hour_of_week_index(int64_t time_ms);
};

}  // namespace telltale::collector
