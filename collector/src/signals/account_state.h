// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// AccountState: what the signal engine remembers about one B2B account,
// updated one event at a time on event time: traits (and the fit they
// imply), milestones and when the account activated, each event name's
// count and first time (features used, intent, key moments), active days,
// each user's active days (for team expansion, with the trailing-window
// active-user counts kept current so evaluation is O(1)), each plan limit's
// usage (with how long it has stayed near the limit), and an hour-of-week
// activity histogram.
//
// Users and event names are the engine's interned numbers. Memory per
// account is bounded: at most kMaxUsers users and kMaxNames event names are
// tracked individually (the names the rules watch are always counted), plan
// limits at most kMaxLimits, and group traits at most kMaxTraits (but those
// the engine reads: name, plan, domain, employees, industry, region, owner,
// timezone). A value type; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "signals/compiled_rules.h"
#include "signals/day_bits.h"
#include "signals/fit.h"
#include "signals/snapshot_codec.h"
#include "signals/usage_event.h"

namespace telltale::collector {

struct LimitUsage {
  double used = 0;
  double limit = 0;
  int64_t last_day = 0;
  int64_t near_since_day = -1;  // first day of the current run at >= the sweet-spot ratio; -1: not near
  double ratio() const { return limit > 0 ? used / limit : 0; }
};

// One event name's history in an account.
struct NameStat {
  uint32_t name = 0;  // interned
  uint32_t count = 0;
  int64_t first_ms = 0;
};

inline constexpr uint32_t kNoNumber = std::numeric_limits<uint32_t>::max();

struct alignas(64) AccountState {
  static constexpr size_t kMaxUsers = 10000;
  static constexpr size_t kMaxNames = 256;
  static constexpr size_t kMaxLimits = 64;
  static constexpr size_t kMaxTraits = 256;  // past it a new trait is kept only if the engine reads it

  // Fields in the order an event touches them: the leading three cache
  // lines (the state is aligned to them; up to hour_of_week, which the
  // engine loads ahead) hold what every event and evaluation read, but the
  // per-name, per-user and per-hour tables.
  uint32_t number = 0;   // the engine's dense number for the account
  int32_t active_users_window = 0;       // distinct users active in the trailing expansion window
  int32_t active_users_prev_window = 0;  // ... and in the window before it (both kept current)
  int64_t window_day = std::numeric_limits<int64_t>::min();  // the day those counts are for
  int64_t first_seen_ms = 0;
  int64_t last_event_ms = 0;
  // Changes whenever something a rep reads in the account's explanation may
  // have changed (not on a known user repeating a known event on a known day).
  uint64_t story_version = 0;
  uint64_t milestones_reached = 0;             // bit i: CompiledRules::milestones[i]
  int64_t activated_ms = 0;                    // 0 until every milestone is reached
  DayBits active_days;
  std::array<uint32_t, kRuleEventCount> rule_counts{};  // how often each RuleEvent happened
  int64_t employees = -1;                      // from traits
  double fit = 1;                              // from traits
  // What evaluation needs of `limits`, kept current so it reads no map:
  bool limit_hit = false;                      // some limit at or over the limit-hit ratio
  // The busiest hour of week (the first of the busiest, if several) and its
  // count, kept current so the best contact time reads no histogram.
  uint8_t busiest_hour = 0;
  uint32_t busiest_hour_count = 0;
  int64_t near_limit_since_day = -1;           // earliest near_since_day of the limits near theirs; -1: none
  std::vector<NameStat> names;                 // sorted by name: features used, counts, first times
  // The account's users by slot, in the order they were first seen here (a
  // user's slot never changes): each one's active days ...
  std::vector<DayBits> user_days;
  std::array<uint32_t, 168> hour_of_week{};    // activity by UTC hour of week (Monday 00:00 first)
  std::vector<uint32_t> user_numbers;          // ... and who it is: the engine's user number
  std::string id;
  Traits traits;
  std::map<std::string, LimitUsage> limits;    // metric -> usage

  // `user_slot` is the event's user's slot (add_user()) and `name` its
  // interned name (kNoNumber: none, or a user not tracked).
  void apply(const UsageEvent& e, uint32_t user_slot, uint32_t name, const CompiledRules& rules);
  // Gives a user new to the account its slot; kNoNumber when kMaxUsers
  // users are tracked already.
  uint32_t add_user(uint32_t user);
  size_t user_count() const { return user_days.size(); }

  const NameStat* stat(uint32_t name) const;
  uint32_t count(RuleEvent e) const { return rule_counts[size_t(e)]; }
  std::string trait(const std::string& key) const { return trait_text(traits, key); }
  // Snapshots: every field, so that a restored account continues exactly.
  void save(SnapshotWriter& w) const;
  void load(SnapshotReader& r, const CompiledRules& rules);
  // Approximate heap and inline bytes this account holds.
  size_t memory_bytes() const;
  // The hour_of_week slot of an event time.
  static int hour_of_week_index(int64_t time_ms);

 private:
  void apply_track(const UsageEvent& e, uint32_t user_slot, uint32_t name, const CompiledRules& rules);
  void apply_usage(const UsageEvent& e, const CompiledRules& rules);
  void merge_traits(const std::vector<std::pair<std::string, PropValue>>& said);  // within kMaxTraits
  void count_active_users(int64_t today, int window);
  void summarize_limits(const CompiledRules& rules);  // limit_hit, near_limit_since_day
  void count_hour(int slot);                           // hour_of_week, busiest_hour
};

}  // namespace telltale::collector
