// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// OwnerAssigner: who works a lead. The account's `owner` trait wins; then
// the first territory rule whose region and industry match; then
// round-robin over the configured reps weighted by capacity (the rep with
// the fewest assignments per unit of capacity, ties in config order). A rep
// who is away takes no new leads by any of the three: a lead that would be
// theirs goes by the next rule. The rules may change while alerts are
// raised (set_rules(), on a config reload): a change of the reps starts the
// rotation over, so a rep who joins gets their share from then on rather
// than every lead until they catch up. Deterministic given the same rules
// and sequence of calls, so a replay assigns the same owners. A name that
// is a configured rep's in another case (an `owner` trait "dana", a claim
// by "DANA") is that rep, written as the config writes it, so one rep has
// one name in the alerts, their filters and the figures. Not thread-safe.
#pragma once

#include <map>
#include <string>

#include "signals/account_state.h"
#include "signals/rules.h"

namespace telltale::collector {

// The configured rep `name` names, in any case; nullptr when it is none.
const Rep* find_rep(const OwnerRules& rules, const std::string& name);
// Whether `name` is a rep the rules mark away.
bool is_away(const OwnerRules& rules, const std::string& name);
// `name` as the rules write it when it is a configured rep's; else `name`.
std::string rep_name(const OwnerRules& rules, const std::string& name);

class OwnerAssigner {
 public:
  explicit OwnerAssigner(OwnerRules rules) : rules_(std::move(rules)) {}
  // The owner for `account`, or "" when no trait, territory or rep applies.
  std::string assign(const AccountState& account);
  void set_rules(OwnerRules rules);
  bool away(const std::string& name) const { return is_away(rules_, name); }
  std::string rep_name(const std::string& name) const { return telltale::collector::rep_name(rules_, name); }
  // Snapshots: the round-robin counts and the reps they were counted for
  // (restored with other reps, the rotation starts over).
  void save(SnapshotWriter& w) const;
  void load(SnapshotReader& r);

 private:
  OwnerRules rules_;
  std::map<std::string, int64_t> assigned_;  // rep -> round-robin assignments
};

}  // namespace telltale::collector
