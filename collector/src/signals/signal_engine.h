// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SignalEngine: per-account state for every account in the event log,
// updated one UsageEvent at a time on event time, so that replaying the log
// reproduces exactly what live ingestion produced. Events attach to their
// account (an SDK event's account, Segment's groupId or context.groupId); an
// event without one goes to the user's account from their last group call
// (or their last track that named an account). An identify call says who
// its user is (UserIdentity), for the people of an account (people()).
//
// Account ids, user ids and event names are interned: per event the engine
// hashes each string once and then works on numbers. A user's entry also
// keeps their account and their slot in it, so an event finds the user's
// days in the account without a second lookup. Memory is bounded per
// account (see AccountState) and the number of distinct event names is
// capped (kMaxEventNames; later names are not tracked as features).
//
// A frame's events are applied together (apply_frame()): first the ids of
// the whole frame are looked up, then the events are applied in order while
// the states of the events a few dozen places ahead, and the tables of those
// a few places ahead (the user's days, names, hour of week), are being
// loaded, so the cache misses of different accounts overlap instead of
// adding up. The state is exactly that of applying the events one by one.
// Each account the frame touched is handed to the caller once, right after
// its last event in the frame (while its state is still in cache), to be
// evaluated and decided on.
// Not thread-safe: one engine thread applies events and evaluates.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "signals/account_state.h"
#include "signals/block_deque.h"
#include "signals/compiled_rules.h"
#include "signals/evaluation.h"
#include "signals/interner.h"
#include "signals/rules.h"
#include "signals/snapshot_codec.h"
#include "signals/usage_event.h"
#include "signals/user_identity.h"

namespace telltale::collector {

struct EngineMemory {
  size_t account_bytes = 0;  // every account's state and its id
  size_t user_bytes = 0;     // user ids and their current account
  size_t name_bytes = 0;     // interned event names
};

class SignalEngine {
 public:
  static constexpr uint32_t kMaxEventNames = 65536;

  explicit SignalEngine(PqlRules rules);
  SignalEngine(const SignalEngine&) = delete;
  SignalEngine& operator=(const SignalEngine&) = delete;

  // Applies `e`; returns the account it was attributed to, or nullptr when
  // it belongs to none (an identify, or a user never seen with an account).
  AccountState* apply(const UsageEvent& e);
  // Applies a frame's events in order. Each account they touched is passed
  // to `settled` once, right after its last event in the frame, with the
  // latest event time the frame had for it; so accounts settle in the order
  // of their last events. `ahead` (optional) gets the same account a few
  // events earlier, to start loading what `settled` will read.
  using Settled = std::function<void(const AccountState& account, int64_t latest_ms)>;
  using Ahead = std::function<void(const AccountState& account)>;
  void apply_frame(std::span<const UsageEvent> events, const Settled& settled, const Ahead& ahead = {});

  Evaluation evaluate(const AccountState& account) const { return telltale::collector::evaluate(account, rules_); }
  // The account's score in words; an unknown account explains to an empty,
  // unqualified Explanation.
  Explanation explain(std::string_view account) const;

  const AccountState* account(std::string_view id) const;
  const AccountState* account(uint32_t number) const { return number < accounts_.size() ? &accounts_[number] : nullptr; }
  // The account's users, the most active first (days active in its last 14,
  // then the latest active, then the first seen), up to `max`, with who
  // they are. O(the account's users).
  std::vector<AccountUser> people(const AccountState& account, size_t max) const;

  // Snapshots: every account, user and name with its number. load() needs a
  // fresh engine with the same rules; throws SnapshotError on a bad input.
  void save(SnapshotWriter& w) const;
  void load(SnapshotReader& r);
  size_t account_count() const { return accounts_.size(); }
  size_t user_count() const { return users_.size(); }
  const CompiledRules& rules() const { return rules_; }
  EngineMemory memory() const;

 private:
  // An event's account, user and event name as numbers (account kNoNumber:
  // the event belongs to no account).
  struct Resolved {
    uint32_t account = kNoNumber;
    uint32_t user = kNoNumber;
    uint32_t user_slot = kNoNumber;  // when already known: the user's slot in the account
    uint32_t name = kNoNumber;
    bool last = false;      // the account's last event in the frame
    int64_t latest_ms = 0;  // when last: the account's latest event time in the frame
  };
  // The frame an account was last seen in, and its last event there.
  struct FrameMark {
    uint64_t frame = 0;
    uint32_t last = 0;
  };
  // Where a user is: the account of their last group call (or last track
  // naming an account), kNoNumber before one; and their slot in it, once
  // known (kNoNumber until their first track there).
  struct UserPlace {
    uint32_t account = kNoNumber;
    uint32_t slot = kNoNumber;
  };
  static uint64_t membership(uint32_t account, uint32_t user) { return uint64_t(account) << 32 | user; }
  uint32_t account_number(std::string_view id);  // creates the account's state when new
  Interner<UserPlace>::Entry& user_entry(std::string_view id);  // numbers a new user, keeping their id
  void note_identity(const UsageEvent& identify);
  uint32_t name_number(std::string_view name);   // kNoNumber past kMaxEventNames
  Resolved resolve(const UsageEvent& e);
  void prefetch_state(uint32_t account) const;
  void prefetch_slots(const UsageEvent& e, Resolved r) const;
  void mark_last_events(std::span<const UsageEvent> events);
  AccountState* apply(const UsageEvent& e, Resolved r);
  // The user's slot in the account, given one when new (kNoNumber: the
  // account tracks no more users); remembered in the user's place when it
  // is their account.
  uint32_t user_slot(AccountState& account, uint32_t user, std::string_view user_id);

  Interner<> names_;  // event names; first, so the rules' names come first
  CompiledRules rules_;
  Interner<> account_ids_;
  BlockDeque<AccountState> accounts_;  // by account number
  Interner<UserPlace> users_;
  absl::flat_hash_map<uint64_t, uint32_t> user_slots_;  // membership(account, user) -> the user's slot there
  std::vector<std::string> user_ids_;                    // by user number
  // By user number, up to the last identified user (a dense table costs
  // less than a hash map's slots once most users are identified).
  std::vector<UserIdentity> identities_;
  size_t user_heap_bytes_ = 0;  // what user_ids_ and identities_ hold outside their strings' SSO buffers

  uint64_t frame_ = 0;
  std::vector<FrameMark> marks_;    // by account number
  std::vector<Resolved> resolved_;  // the frame's, reused
};

}  // namespace telltale::collector
