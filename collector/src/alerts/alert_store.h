// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// AlertStore: alerts, durable and monotonically numbered, in the collector's
// SQLite database beside the event log (its own connection; WAL lets it
// write beside the ingest committer):
//   alerts(id, account_id, status, route, priority, owner, created_at_ms,
//          updated_at_ms, body, raised_at_ms, sla_due_ms, first_touch_ms)
//          -- body: the alert's JSON; the times, for the figures' index
//   alert_feed(seq, alert_id, kind, what, at_ms, body, owner_before)
//          -- one row per material change, the order clients resume from
//   engine_state(key, value)                   -- 'position': log consumed
//   engine_snapshot(chunk, data)               -- the latest engine snapshot
// Alert changes and the engine's log position are written in one
// transaction, so a restart resumes exactly. Thread-safe: writes go through
// one connection and reads through another, each used by one thread at a
// time, so that a reader (a /metrics scrape reading the figures, an SSE
// client catching up) never holds up the engine's writes nor waits for
// their fsync; WAL gives each read the last committed state.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alerts/alert_book.h"
#include "alerts/pls_stats.h"

struct sqlite3;

namespace telltale::collector {

struct AlertFilter {
  std::string status{}, owner{}, route{}, priority{}, account{};  // each empty: any
  int64_t after = 0;          // alerts with id > after
  int64_t before = 0;         // alerts with id < before (0: no bound)
  bool newest_first = false;  // by id descending (a page of the latest), else ascending
  size_t limit = 100;
};

// What a feed entry records about its alert.
inline constexpr const char* kFeedKinds[] = {"created", "updated", "closed"};

struct FeedEntry {
  int64_t seq = 0;
  int64_t alert_id = 0;
  std::string kind;  // one of kFeedKinds
  std::string what;
  std::string body;  // the alert's JSON at that moment
  // The alert's owner before this entry when the entry gave it to another
  // rep (a claim, a reassignment); else empty.
  std::string owner_before;
  // Whether the entry is about an alert of `rep`: the alert's owner at the
  // entry (`owner_now`, from the body) or the rep it took the alert from,
  // so that a view of a rep's alerts (a filtered stream, a rep's webhook)
  // sees one go.
  bool concerns(const std::string& rep, const std::string& owner_now) const {
    return owner_now == rep || (!owner_before.empty() && owner_before == rep);
  }
};

class AlertStore {
 public:
  // Opens <dir>/telltale.db (created by the event log). Throws on failure.
  static std::unique_ptr<AlertStore> open(const std::string& dir);
  // Opens for reading only (telltale replay); throws if there is no database.
  static std::unique_ptr<AlertStore> open_read_only(const std::string& dir);
  ~AlertStore();

  // Writes `changes` (assigning ids to created alerts, in order, into
  // *ids) and the engine's position, atomically. False with *error on failure.
  bool apply(const std::vector<AlertChange>& changes, int64_t position, std::vector<int64_t>* ids, std::string* error);
  int64_t position();
  // The alerts matching `filter`, in the order it asks.
  struct Listed {
    int64_t id = 0;
    std::string body;  // JSON text
  };
  std::vector<Listed> list(const AlertFilter& filter);
  std::optional<std::string> get(int64_t id);
  // The open alert ids by account (to resume after a restart).
  std::vector<std::pair<std::string, int64_t>> open_alerts();
  std::vector<FeedEntry> feed_after(int64_t seq, size_t limit);
  int64_t last_feed_seq();
  // The product-led-sales figures (alerts/pls_stats.h) of the alerts
  // `filter` picks, as JSON: GET /v1/stats, /metrics. `now_ms`: the wall-clock time
  // SLA deadlines are due by. Reads every alert the filter picks.
  boost::json::object stats(const StatsFilter& filter, int64_t now_ms);
  // The alerts that wait for a rep's first touch (alert.h) of those `take`
  // picks by route and owner: how many, how many of them are past their
  // deadline at `now_ms`, and the bodies of the first `limit`, soonest
  // deadline first (the daily digest). Reads every alert's index entry.
  struct Waiting {
    int64_t count = 0;
    int64_t overdue = 0;
    std::vector<std::string> first;
  };
  Waiting waiting(const std::function<bool(const std::string& route, const std::string& owner)>& take, size_t limit,
                  int64_t now_ms);

  // The engine snapshot (see signals/engine_snapshot.h), replacing the
  // previous one atomically. False with *error on failure.
  bool save_snapshot(const std::string& blob, std::string* error);
  // The latest snapshot, or nullopt when none was taken.
  std::optional<std::string> load_snapshot();

  // Small durable counters in engine_state (webhook cursors); nullopt: never set.
  std::optional<int64_t> state(const std::string& key);
  bool set_state(const std::string& key, int64_t value);
  // Several at once, in one transaction: all are stored, or none.
  bool set_states(const std::vector<std::pair<std::string, int64_t>>& values);
  // Forgets the counters whose keys start with `prefix` but those in `keep`.
  bool forget_states(const std::string& prefix, const std::set<std::string>& keep);

 private:
  // A SQLite connection and the mutex that gives it one user at a time.
  struct Connection {
    sqlite3* db = nullptr;
    std::mutex mutex;
  };
  AlertStore() = default;
  Connection writer_;  // apply, snapshots, counters
  Connection reader_;  // everything else
};

}  // namespace telltale::collector
