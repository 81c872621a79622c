// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EngineRunner: the PQL pipeline's thread. It follows the event log from the
// position it last committed (a LogReadAhead reads and decodes the frames on
// a second thread), applies each frame's events to the SignalEngine,
// re-evaluates the accounts each frame touched (in the order it touched
// them, so a replay decides the same), lets the AlertBook decide, and writes
// alert changes together with its new log position. Open alerts' words
// follow their accounts once a second. Every `snapshot_every` (and on stop)
// the whole state is snapshotted to the store; a restart restores the latest
// snapshot and replays only the log after it (or the whole log when the
// rules changed since), writing nothing until it passes the stored position;
// then the open alerts' words are rebuilt with the current wording rules.
// Storage errors are logged and retried (decisions a failed write left are
// written with the next); the thread never dies of one.
//
// Thread-safety: start/stop from the owner; notify() from any thread (the
// committer calls it after a commit); account_json(), accounts(),
// lifecycle(), set_owner_rules() and owner_rules() from other threads
// (accounts() also from webhooks'); owner_rules() never waits on the engine,
// so the API's reads that name reps do not stall behind a snapshot.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <functional>
#include <thread>

#include <boost/json/object.hpp>

#include "alerts/alert_book.h"
#include "alerts/alert_store.h"
#include "log/event_log.h"
#include "metrics/metrics.h"
#include "signals/account_ranking.h"
#include "signals/log_read_ahead.h"
#include "signals/seen_frames.h"
#include "signals/signal_engine.h"

namespace telltale::collector {

class EngineRunner {
 public:
  // `log` is the runner's own view of the event log (read on the read-ahead
  // thread); the alerts and snapshots are kept in `data_dir`. A copy of a
  // frame applied within `dedup`'s window is skipped when the log forgets
  // keys earlier (seen_frames_for()). Throws std::runtime_error when those
  // alerts were decided from another log (they reach a position past the
  // log's end).
  EngineRunner(const std::string& data_dir, std::unique_ptr<EventLog> log, PqlRules rules, AlertPolicy policy,
               std::chrono::seconds snapshot_every, SeenFramesLimits dedup, Metrics* metrics);
  ~EngineRunner();

  void start();
  void stop();
  void notify();
  // Waits until the engine has consumed the log up to `position` (tests).
  bool wait_for_position(int64_t position, std::chrono::milliseconds timeout);
  // The log position the engine's state and alerts have reached (/readyz:
  // whether the replay at start is done).
  int64_t consumed_position() const { return published_position_.load(); }
  // The log position of the latest snapshot taken or restored: a restart
  // needs no frame at or before it (retention deletes only those).
  int64_t snapshot_position() const { return published_snapshot_position_.load(); }

  // GET /v1/accounts/{id}: the account's signals, score and explanation,
  // its best time to reach out, its kAccountPeople most active users, and
  // what came of its kAccountAlerts latest alerts.
  static constexpr size_t kAccountPeople = 10;
  static constexpr size_t kAccountAlerts = 20;
  std::optional<std::string> account_json(const std::string& id);
  // GET /v1/accounts (and a team's digest): the accounts the query takes,
  // by score (signals/account_ranking.h), each with its open alert:
  // {"accounts", "matching", "threshold"}. Holds the engine for one
  // evaluation per account.
  boost::json::object accounts(const AccountQuery& query);

  // POST /v1/alerts/{id}/{claim,touch,handback,outcome}: applies a rep's
  // step durably. Returns the alert's JSON, or nullopt with *refused: 404
  // not_found (no such alert), 409 conflict (not open), 409
  // already_claimed (another rep holds it), 400 bad_request (invalid step).
  struct LifecycleRefusal {
    int status = 400;
    std::string error;
    std::string detail;
  };
  std::optional<std::string> lifecycle(int64_t id, const LifecycleStep& step, LifecycleRefusal* refused);

  // GET /v1/alerts/stream: calls `done` (on an internal thread) with the feed
  // entries after `after` as soon as there are any, or with none after
  // `timeout`.
  void wait_feed(int64_t after, std::chrono::milliseconds timeout,
                 std::function<void(std::vector<FeedEntry>)> done);
  // The collector is stopping: the streams waiting now, and those that wait
  // from now on, are answered at once (with what entries there are), so
  // they end rather than hold the stop for their timeout; clients reconnect.
  void end_streams();
  int64_t last_feed_seq() { return store_->last_feed_seq(); }

  // A config reload: who works the leads raised from now on; the leads
  // waiting for a rep now away go to others (AlertBook::tick()).
  void set_owner_rules(OwnerRules rules);
  OwnerRules owner_rules() const;

  // Runs the wall-clock tick now (SLA breaches, automatic hand-backs).
  void tick(int64_t now_ms);
  AlertStore& store() { return *store_; }

 private:
  void run();
  // Applies the frames read ahead (waiting up to `wait` for the first);
  // false when there were none.
  bool step(std::chrono::milliseconds wait);
  void feed_loop();
  // Writes the decisions (after any a failed write left) with the log
  // position they reach; throws when the store fails, keeping them.
  void write(std::vector<AlertChange> changes, int64_t position);  // engine_mutex_ held
  void resume_open_alerts();                                         // engine_mutex_ held
  void tick_locked(int64_t now_ms);                                  // engine_mutex_ held
  void refresh_words();  // writes the stale open alerts' rebuilt words
  void restore_snapshot();  // at start: the latest snapshot, if it fits the rules
  void take_snapshot();     // engine_mutex_ held
  void report_state();      // the engine's gauges; engine_mutex_ held
  void report_memory();     // engine_mutex_ held
  // The account's explanation, all of GET /v1/accounts/{id} but its alerts; engine_mutex_ held.
  boost::json::object explained_account(const AccountState& a);

  PqlRules rules_;
  AlertPolicy policy_;
  std::string fingerprint_;  // of rules_ and policy_: snapshots are tied to it
  std::chrono::seconds snapshot_every_;
  Metrics* metrics_;
  std::unique_ptr<EventLog> log_;  // read by ahead_'s thread
  std::unique_ptr<AlertStore> store_;
  std::mutex engine_mutex_;  // guards engine_, book_ and seen_
  mutable std::mutex owners_mutex_;  // guards owners_: the reps and territories now, for other threads
  OwnerRules owners_;
  std::unique_ptr<SignalEngine> engine_;
  std::unique_ptr<AlertBook> book_;  // refers to engine_'s rules
  SeenFramesLimits dedup_;
  std::unique_ptr<SeenFrames> seen_;  // the frames' keys, when the log forgets them early
  std::vector<AlertChange> unwritten_;  // decisions a failed write left; engine_mutex_
  int64_t position_ = 0;         // frames consumed
  int64_t snapshot_position_ = 0;  // of the latest snapshot taken or restored
  int64_t stored_position_ = 0;  // what the store had at start: replay up to it silently

  std::mutex wake_mutex_;
  bool stopping_ = false;
  // The log from position_ on, decoded on a thread of its own; made when
  // run() knows position_ (after restoring a snapshot).
  std::unique_ptr<LogReadAhead> ahead_;
  std::atomic<int64_t> published_position_{0};
  std::atomic<int64_t> published_snapshot_position_{0};
  std::condition_variable progressed_;
  std::thread thread_;

  struct FeedWaiter {
    int64_t after;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(std::vector<FeedEntry>)> done;
  };
  std::mutex feed_mutex_;
  std::condition_variable feed_wake_;
  std::vector<FeedWaiter> waiters_;
  bool streams_ending_ = false;  // end_streams(): every waiter is due
  bool feed_stopping_ = false;
  std::thread feed_thread_;
  std::chrono::steady_clock::time_point next_tick_{};
  std::chrono::steady_clock::time_point next_refresh_{};
  std::chrono::steady_clock::time_point next_snapshot_{};
  std::chrono::steady_clock::time_point next_memory_report_{};
};

}  // namespace telltale::collector
