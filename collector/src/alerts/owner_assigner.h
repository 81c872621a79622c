// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// OwnerAssigner: who works a lead. The account's `owner` trait wins; then
// the first territory rule whose region and industry match; then
// round-robin over the configured reps weighted by capacity (the rep with
// the fewest assignments per unit of capacity, ties in config order).
// Deterministic given the same sequence of calls, so a replay assigns the
// same owners. Not thread-safe.
#pragma once

#include <map>
#include <string>

#include "signals/account_state.h"
#include "signals/rules.h"

namespace telltale::collector {

class OwnerAssigner {
 public:
  explicit OwnerAssigner(const PqlRules& rules) : rules_(rules) {}
  // The owner for `account`, or "" when no trait, territory or rep applies.
  std::string assign(const AccountState& account);
  // Snapshots: the round-robin counts.
  void save(SnapshotWriter& w) const;
  void load(SnapshotReader& r);

 private:
  const PqlRules& rules_;
  std::map<std::string, int64_t> assigned_;  // rep -> round-robin assignments
};

}  // namespace telltale::collector
