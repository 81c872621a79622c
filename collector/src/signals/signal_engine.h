// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SignalEngine: per-account state for every account in the event log,
// updated one UsageEvent at a time on event time, so that replaying the log
// reproduces exactly what live ingestion produced. Events attach to their
// account (an SDK event's account, Segment's groupId or context.groupId); an
// event without one goes to the user's account from their last group call.
// Not thread-safe: one engine thread applies events and evaluates.
#pragma once

#include <string>
#include <unordered_map>

#include "signals/account_state.h"
#include "signals/evaluation.h"
#include "signals/rules.h"
#include "signals/usage_event.h"

namespace telltale::collector {

class SignalEngine {
 public:
  explicit SignalEngine(PqlRules rules) : rules_(std::move(rules)) {}

  // Applies `e`; returns the account it was attributed to, or "" when it
  // belongs to none (an identify, or a user never seen in a group).
  std::string apply(const UsageEvent& e);

  // The account's current score and explanation; nullptr-safe: an unknown
  // account evaluates to an empty, unqualified Evaluation.
  Evaluation evaluate(const std::string& account) const;

  const AccountState* account(const std::string& id) const;
  size_t account_count() const { return accounts_.size(); }
  size_t user_count() const { return user_account_.size(); }
  const PqlRules& rules() const { return rules_; }

 private:
  PqlRules rules_;
  std::unordered_map<std::string, AccountState> accounts_;
  std::unordered_map<std::string, std::string> user_account_;  // user -> account of the last group call
};

}  // namespace telltale::collector
