// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Alert: a product-qualified lead as sales ops receive it: who, how hot,
// why (the trigger and every contribution with its evidence), the context
// for a first message (metrics, timeline, best time to reach out), where it
// goes (route, owner, SLA) and where it stands (status). The JSON field
// names are a contract with API clients, webhooks and the dashboard.
// A value type.
#pragma once

#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "signals/evaluation.h"
#include "signals/snapshot_codec.h"
#include "signals/user_identity.h"

namespace telltale::collector {

// How many of the account's people an alert names.
inline constexpr size_t kAlertContacts = 3;

struct TimelineEntry {
  int64_t at_ms = 0;
  std::string what;
};

// One outreach by a rep.
struct Touch {
  int64_t at_ms = 0;
  std::string channel;  // email, call, meeting, linkedin, ...
  std::string note;
};

// Where an alert stands: open until a rep claims it; closed by a hand-back
// (by the rep or automatic), an outcome (won, lost; an opportunity stays
// open), or "closed" when a higher route replaced it.
inline constexpr const char* kAlertStatuses[] = {"open", "claimed", "handed_back", "opportunity", "won", "lost", "closed"};
// How soon a rep should act: high (a score of at least 80: SLA 4 h), else medium (24 h).
inline constexpr const char* kAlertPriorities[] = {"high", "medium"};

struct Alert {
  int64_t id = 0;                 // monotonically increasing, assigned by the store
  std::string account_id;
  std::string account_name;
  std::string plan;
  // What a rep looks up first about the company, from its group traits
  // ("" and -1 when not said): its web domain (what a CRM matches an
  // account by), size, industry and region.
  std::string domain;
  int64_t employees = -1;
  std::string industry;
  std::string region;
  int64_t user_count = 0;
  double score = 0;
  std::string priority;           // one of kAlertPriorities
  std::string route;              // self-serve | sales-assist | sales-led
  std::string owner;
  Contribution trigger;           // the signal that tipped the account over
  std::vector<Contribution> contributions;
  std::vector<std::string> fit;   // fit multipliers applied, in words
  AccountMetrics metrics;
  std::map<std::string, double> limit_percent;  // metric -> used/limit in % (in "metrics" in JSON)
  std::vector<TimelineEntry> timeline;
  std::string best_contact;       // e.g. "Tue 09:00 Europe/Berlin"
  std::vector<AccountUser> contacts;  // the account's most active people (kAlertContacts): whom to write to
  int64_t sla_due_ms = 0;
  std::string status = "open";    // one of kAlertStatuses
  std::string claimed_by;
  int64_t claimed_at_ms = 0;
  std::vector<Touch> touches;
  int64_t first_touch_ms = 0;     // response time = first touch - raised
  bool sla_breached = false;
  std::string handback_reason;
  int64_t created_at_ms = 0;      // event time of the tipping event
  int64_t raised_at_ms = 0;       // when reps could know: the later of created_at and the event's arrival;
                                  // the SLA and the response time count from here
  int64_t updated_at_ms = 0;
  std::string summary;            // one paragraph a rep reads in five seconds

  boost::json::value to_json() const;
  // Every field, for engine snapshots; load() throws SnapshotError.
  void save(SnapshotWriter& w) const;
  void load(SnapshotReader& r);
  // Reads back what reps changed (status, owner, claim, touches, SLA) from
  // a stored alert's JSON; the rest is recomputed by the engine.
  void lifecycle_from_json(const boost::json::object& o);
};

// Whether an alert in `status`, touched or not, still waits for a rep's
// first touch: the SLA clock runs.
inline bool waits_for_first_touch(std::string_view status, bool touched) {
  return !touched && (status == "open" || status == "claimed");
}
// Whether an SLA deadline (0: none) has passed at `now_ms`.
inline bool past_deadline(int64_t due_ms, int64_t now_ms) { return due_ms && due_ms <= now_ms; }

// An optional time or text in JSON: iso8601(ms), or null when `ms` is 0
// (never); the text, or null when it is empty.
boost::json::value json_time_or_null(int64_t ms);
boost::json::value json_text_or_null(std::string_view text);
// A person as alerts and accounts show them: user_id, then email, name and
// title when known, active_days_14d and last_active (a UTC date).
boost::json::object person_json(const AccountUser& person);
// A JSON number that reads well: an integer when the value is whole (63,
// not 6.3E1), else a double.
boost::json::value json_number(double v);

}  // namespace telltale::collector
