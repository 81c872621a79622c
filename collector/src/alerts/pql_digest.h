// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The PQL digest: one message a day (or on the days chosen: weekdays, a
// weekly one) for a sales team or its manager, in place of one per alert
// (a webhook with `digest`, webhook_dispatcher.h): the period's figures
// (PQLs by route and priority, SLA adherence, first touch, conversion;
// alerts/pls_stats.h), the alerts that wait for a rep's first touch now,
// soonest deadline first, the overdue and those held by a rep who is away
// marked, and, in a team's digest (no owner named), the accounts warming
// up on its routes, the closest to the threshold first, with the signals
// that would tip each. It is due at a local time of day in a time zone
// (alerts/time_zone.h, daylight saving included) on each of its days of
// the week; each digest covers the time since the one before (Monday's of
// a weekday digest, the weekend), and after days without a collector one
// digest covers them all. collect_digest reads the alert store
// (thread-safe as it is) and the engine's accounts (through a
// WarmingAccounts, thread-safe as EngineRunner::accounts is); the rest are
// pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "alerts/alert_store.h"
#include "signals/account_ranking.h"
#include "signals/rules.h"

namespace telltale::collector {

struct DigestSchedule {
  static constexpr uint8_t kEveryDay = 0x7f;
  static constexpr uint8_t kWeekdays = 0x1f;
  int minute_of_day = 9 * 60;  // local time of day
  std::string zone = "UTC";    // an IANA name or a fixed offset
  uint8_t days = kEveryDay;    // local days of the week it is due on: bit 0 Monday ... bit 6 Sunday (none: every day)
};

// "HH:MM" (24-hour) as a minute of the day; nullopt when it is not one.
std::optional<int> parse_time_of_day(std::string_view text);
// A digest's `when` (its zone left UTC): "HH:MM" every day, or the days
// before the time: "weekdays 09:00" (Monday to Friday), "Mon 09:00" (weekly),
// "Mon,Thu 09:00" (Mon Tue Wed Thu Fri Sat Sun, any case, each once);
// nullopt when it is none of these.
std::optional<DigestSchedule> parse_digest_schedule(std::string_view when);
// The first moment after `after_ms` at the schedule's local time of day on
// one of its days.
int64_t next_digest_ms(const DigestSchedule& schedule, int64_t after_ms);
// The digest due at `now_ms` when the last one covered the time up to
// `last_ms`: the latest scheduled moment in (last_ms, now_ms], or nullopt
// when none has come yet.
std::optional<int64_t> due_digest_ms(const DigestSchedule& schedule, int64_t last_ms, int64_t now_ms);

struct Digest {
  int64_t since_ms = 0;  // the period: the previous digest's end ...
  int64_t until_ms = 0;  // ... to this one's moment
  int64_t now_ms = 0;    // when it is written: deadlines before it are overdue
  std::string zone = "UTC";  // its times' zone, where the tool cannot show each reader's own (email)
  std::string dashboard_url;  // where reps open the dashboard: the alerts and accounts listed link there; "": no links
  boost::json::object figures;               // AlertStore::stats of the alerts raised in the period
  int64_t waiting_count = 0;                 // alerts waiting for a first touch now, of any period
  int64_t waiting_overdue = 0;               // ... of them past their deadline
  int64_t waiting_away = 0;                  // ... of them held by a rep who is away now
  // The first of them, soonest deadline first; those of a rep who is away have "owner_away": true.
  std::vector<boost::json::object> waiting;
  // A team's digest: the accounts below the threshold closest to it
  // ({"accounts", "matching", "threshold"}: GET /v1/accounts?qualified=false); null otherwise.
  boost::json::value warming;
};

// The accounts a query takes, by score (EngineRunner::accounts).
using WarmingAccounts = std::function<boost::json::object(const AccountQuery&)>;

// The digest of the alerts raised in [since_ms, until_ms) on `routes` and
// of `owners` (any, when empty), written at `now_ms`: their figures (of
// the one owner and the one route when only one is named; else of all;
// per rep as PlsStats::add_configured_reps completes them with `reps`),
// the alerts waiting for a first touch now, the first ten listed, those of
// a rep `reps` marks away counted and marked, and, when no owner is named
// and `warming` is given, the five accounts with some signals closest to
// the threshold on `routes`.
Digest collect_digest(AlertStore& store, int64_t since_ms, int64_t until_ms, const std::set<std::string>& routes,
                      const std::set<std::string>& owners, const OwnerRules& reps, int64_t now_ms,
                      const WarmingAccounts& warming = {});

// The body posted for `digest` in a webhook's format: "generic"
// ({"event": "digest", "since", "until", "figures", "waiting": {"count",
// "overdue", "away", "alerts"}, "warming": {"accounts", "matching", "threshold"}
// or null}; each alert and account listed with its dashboard "url", or null),
// or a message, "slack", "teams" or "email" (alerts/chat_message.h), whose
// lines link to their alert or account on the dashboard when there is one.
std::string digest_body(const std::string& format, const Digest& digest);

}  // namespace telltale::collector
