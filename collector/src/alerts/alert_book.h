// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// AlertBook: decides, from an account's fresh evaluation, what happens to
// its alerts, so that sales ops get one alert per qualification and no
// floods:
//   - an account that qualifies gets an alert (trigger: the strongest signal
//     that was not satisfied before), unless one was raised within the
//     cooldown;
//   - an open alert is a living record: score, contributions, metrics and
//     summary follow the account (rebuilt by refresh()); an update is
//     "material" (worth a feed entry) when a new signal fired or the
//     priority changed since the last one;
//   - when the route escalates (self-serve -> sales-assist -> sales-led) the
//     open alert is closed and a new one raised for the new route;
//   - an open alert whose account stays below the threshold for
//     `handback_after` is handed back to self-serve automatically; the
//     account may qualify again later.
// Self-serve alerts get no owner: they are recorded, never sent to reps.
// Decisions depend only on the events' times, so a replay decides the same.
// Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "alerts/alert.h"
#include "alerts/owner_assigner.h"
#include "signals/account_state.h"
#include "signals/block_deque.h"
#include "signals/evaluation.h"
#include "signals/compiled_rules.h"
#include "signals/signal_engine.h"

namespace telltale::collector {

struct AlertChange {
  enum class Kind { kCreated, kUpdated, kClosed };
  Kind kind = Kind::kUpdated;
  // The alert as the change left it. Shared with the book, never copied for
  // a change: the book copies an alert before changing it while a change
  // still shows it, so a change always reads as it was made.
  std::shared_ptr<const Alert> alert;
  std::string what;       // "created", "new trigger team_expansion", "handed back: below threshold 14 days", ...
  bool material = false;  // worth a feed entry (creation, new trigger, route/priority change, lifecycle)
};

struct AlertPolicy {
  std::chrono::milliseconds cooldown{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds handback_after{std::chrono::hours(24 * 14)};
};

// A rep's step on an alert (POST /v1/alerts/{id}/{claim,touch,handback,outcome}).
struct LifecycleStep {
  static constexpr size_t kMaxName = 128;   // owner, channel: bytes
  static constexpr size_t kMaxText = 2000;  // note, reason: bytes
  enum class Kind { kClaim, kTouch, kHandback, kOutcome };
  Kind kind = Kind::kClaim;
  std::string who;      // claim: the rep
  std::string channel;  // touch
  std::string note;     // touch
  std::string reason;   // handback
  std::string outcome;  // outcome: opportunity | won | lost
  bool reassign = false;  // claim: take over an alert another rep holds
};

// Why a rep's step was refused.
struct StepRefusal {
  enum class Kind {
    kInvalid,  // the step lacks what it needs, or names an unknown outcome
    kNotOpen,  // the alert is closed, or no open alert has the id
    kClaimed,  // a claim of an alert another rep holds, without reassign
  };
  Kind kind = Kind::kInvalid;
  std::string why;
};

class AlertBook {
 public:
  // `engine` (its rules, and who the accounts' users are) must outlive the book.
  AlertBook(const SignalEngine& engine, AlertPolicy policy)
      : engine_(engine), rules_(engine.rules()), policy_(policy), owners_(rules_.rules.owners) {}

  // Decides on the account's fresh evaluation at event time `now_ms`, its
  // events having reached the collector at `received_at_ms` (0: unknown).
  // An alert is raised at the later of the two: the SLA and the response
  // time count from when reps could know, so events that came late (an
  // SDK's spool sent after an outage) raise no alert already overdue.
  // Creations and closings are returned at once, with their words
  // (contributions, summary, ...) built. An open alert whose account moved
  // on is only marked: refresh() rebuilds the words of every marked alert
  // once, so a busy account costs one rebuild per refresh, not one per
  // event. `account` must outlive the book (the engine's states do).
  std::vector<AlertChange> consider(const AccountState& account, const Evaluation& ev, int64_t now_ms,
                                    int64_t received_at_ms);
  // Starts loading what consider() will read of `account`'s alerts.
  void prefetch(const AccountState& account) const;
  // The updates of the alerts marked since the last call, in the order
  // marked: material (a new signal, a priority change; "what" says which)
  // or not.
  std::vector<AlertChange> refresh();
  // Marks every open alert for refresh() to rebuild its words as at its
  // last update: after a restore, the words of the rules (the summary's
  // order, say) or of this build may differ from those stored.
  void reword_open();
  // The store gave the alert just created for `account` its id.
  void set_id(const std::string& account, int64_t id);
  // After a restart's replay: keep open only the alerts the store has open
  // (with their ids and lifecycle as stored); others were closed by reps.
  void sync_open(const std::vector<std::pair<std::string, int64_t>>& open);
  // Applies a rep's step to open alert `id` at `now_ms`. Returns the change,
  // or nullopt with *refused. A claim of an alert another rep holds is
  // refused unless it reassigns; the holder claiming it again changes
  // nothing (a change that is not material, the alert as it was).
  std::optional<AlertChange> step(int64_t id, const LifecycleStep& step, int64_t now_ms, StepRefusal* refused);
  // Who works the leads raised from now on (a config reload); the open
  // alerts keep their owners, but for those tick() reassigns.
  void set_owner_rules(OwnerRules rules) { owners_.set_rules(std::move(rules)); }
  // Restores an open alert's lifecycle fields (claim, touches) after a restart.
  void restore_lifecycle(const Alert& stored);
  // What must happen without new events, at wall-clock `now_ms`: automatic
  // hand-back (3 touches unanswered for 14 days, or 14 days below the
  // threshold), SLA breaches (no touch by the SLA deadline), and the leads
  // waiting for a rep who is away (assigned, neither claimed nor touched)
  // reassigned by the owner rules to one who is not.
  std::vector<AlertChange> tick(int64_t now_ms);
  size_t open_alerts() const;
  // The account's open alert; nullptr when it has none.
  const Alert* open_alert(const AccountState& account) const;

  // Snapshots: every account's alert bookkeeping and open alert, and the
  // round-robin counts. load() needs a fresh book; `account` gives the
  // restored engine's state by number. Throws SnapshotError.
  void save(SnapshotWriter& w) const;
  void load(SnapshotReader& r, const std::function<const AccountState*(uint32_t)>& account);

 private:
  // Two cache lines, the first holding what every decision reads (an
  // account without an open alert needs no other), written only when it
  // changes so that a decision that changes nothing leaves it clean.
  struct alignas(64) AccountAlerts {
    std::shared_ptr<Alert> open;  // null: no open alert; may be shared with AlertChanges
    const AccountState* account = nullptr;
    int64_t last_created_ms = 0;
    int64_t below_since_ms = -1;
    SignalSet satisfied = 0;
    SignalSet pending_fresh = 0;  // signals newly satisfied since the last update reported
    Route open_route = Route::kSelfServe;  // the open alert's route
    bool ever_created = false;
    bool stale = false;       // the open alert's words lag the account
    bool shown_high = false;  // the priority the last reported change showed
    bool queued = false;      // in stale_
    // What the open alert shows: the account's story version and score.
    uint64_t shown_version = 0;
    double shown_score = -1;
    int64_t stale_at_ms = 0;          // event time the words are to be rebuilt at
    int64_t third_last_touch_ms = 0;  // of the open alert's touches; 0: fewer than 3
  };
  std::optional<AlertChange> due_handback(AccountAlerts& st, int64_t now_ms);
  // The open alert given to another rep when its owner is away and it waits for them.
  std::optional<AlertChange> reassign_if_away(AccountAlerts& st, int64_t now_ms);
  void rebuild_if_stale(AccountAlerts& st) const;
  static void note_touches(AccountAlerts& st);  // after the open alert's touches changed
  // The open alert, to be changed: copied first when a change still shows it.
  static Alert& writable(AccountAlerts& st);
  // Rewrites `alert`'s words from the account.
  void fill(const AccountState& a, int64_t now_ms, Alert& alert) const;

  const SignalEngine& engine_;
  const CompiledRules& rules_;
  AlertPolicy policy_;
  OwnerAssigner owners_;
  AccountAlerts* find(const std::string& account);

  BlockDeque<AccountAlerts> accounts_;  // by AccountState::number; elements never move: stale_ points at them
  absl::flat_hash_map<std::string, uint32_t> numbers_;  // account id -> number, for accounts that had an alert
  std::vector<AccountAlerts*> stale_;
  size_t open_count_ = 0;
};

}  // namespace telltale::collector
