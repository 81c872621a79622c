// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// PlsStats: the product-led-sales figures of the alerts raised in a period,
// as GET /v1/stats, `telltale stats`, the dashboard and /metrics show them:
//   pql_volume  alerts by route and priority (self-serve PQLs count here only)
//   sla         of the alerts bound for reps: how many are due (their SLA
//               is decided: touched, or past the deadline untouched), were
//               touched in time, breached (due, not touched in time);
//               adherence = touched in time / due; and the work at hand:
//               waiting (open or claimed, not touched yet) and overdue
//               (waiting past the deadline)
//   response    alert to first touch: how many were touched, the mean and
//               the median hours
//   conversion  opportunities (won ones included) and won, as counts and as
//               shares of the rep-bound alerts
//   by_owner    sla, response and conversion for each rep, most alerts first
//               (a rep-bound alert without an owner under owner null), and
//               whether the rep is away now (add_configured_reps())
// The JSON field names are a contract with API clients and the dashboard.
// A value type; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "signals/rules.h"

namespace telltale::collector {

// Which alerts the figures are of, by when they were raised (Alert::raised_at_ms).
struct StatsFilter {
  std::optional<int64_t> since_ms{};  // raised at or after
  std::optional<int64_t> until_ms{};  // raised before
  std::string owner{}, route{};       // each empty: any
};

// One alert, as the figures read it.
struct StatsRow {
  std::string route, priority, owner, status;
  int64_t sla_due_ms = 0;
  int64_t raised_ms = 0;       // when reps could know of it: response time counts from here
  int64_t first_touch_ms = 0;  // 0: never touched
};

class PlsStats {
 public:
  // `now_ms`: the wall-clock time deadlines are due by.
  explicit PlsStats(int64_t now_ms) : now_ms_(now_ms) {}
  void add(const StatsRow& alert);
  // The figures, with the filter they are of ("filter": since and until as
  // ISO 8601, owner and route; null when not set).
  boost::json::object to_json(const StatsFilter& filter) const;
  // Completes the figures `to_json` made with what the config says of the
  // reps: each by_owner row says whether its rep is away now, and each
  // configured rep without alerts in them gets a row of zeroes (unless they
  // are of another owner), so the team's table lists every rep, one who
  // just joined or is away too. A row under a rep's name in another case
  // ("dana", stored before owners took the config's spelling) is that rep's.
  static void add_configured_reps(boost::json::object& figures, const OwnerRules& owners);

 private:
  // What is counted of the alerts bound for reps, overall and per rep.
  struct RepTally {
    int64_t alerts = 0, due = 0, touched_in_time = 0, waiting = 0, overdue = 0, opportunities = 0, won = 0;
    std::vector<double> hours_to_first_touch;
    void add(const StatsRow& alert, int64_t now_ms);
    void write(boost::json::object& out) const;  // its sla, response and conversion
  };
  int64_t now_ms_;
  std::map<std::string, std::map<std::string, int64_t>> volume_;  // route -> priority -> alerts
  RepTally rep_bound_;
  std::map<std::string, RepTally> by_owner_;
};

}  // namespace telltale::collector
