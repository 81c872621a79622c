// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/owner_assigner.h"

#include <gtest/gtest.h>

#include <map>

namespace telltale::collector {
namespace {

PropValue text(const std::string& s) {
  PropValue v;
  v.type = PropValue::Type::kString;
  v.s = s;
  return v;
}

AccountState account(const std::map<std::string, std::string>& traits) {
  AccountState a;
  for (const auto& [k, v] : traits) a.traits[k] = text(v);
  return a;
}

OwnerRules rules(std::vector<Rep> reps, std::vector<TerritoryRule> territories = {}) {
  return {std::move(territories), std::move(reps)};
}

// Owners of `n` accounts with no trait or territory: the rotation's picks.
std::map<std::string, int> rotate(OwnerAssigner& owners, int n) {
  std::map<std::string, int> picks;
  const AccountState plain = account({});
  for (int i = 0; i < n; ++i) ++picks[owners.assign(plain)];
  return picks;
}

TEST(OwnerAssigner, ARepWhoIsAwayTakesNoNewLeadsByTraitTerritoryOrRotation) {
  OwnerAssigner owners(rules({{"Dana", 1, true}, {"Ravi", 1}, {"Mei", 1}}, {{"emea", "", "Dana"}, {"", "", "Ravi"}}));
  EXPECT_EQ(owners.assign(account({{"owner", "Olga"}})), "Olga");  // not a rep: the trait stands
  EXPECT_EQ(owners.assign(account({{"owner", "dana"}, {"region", "apac"}})), "Ravi");  // Dana is away: her territory
  EXPECT_EQ(owners.assign(account({{"region", "emea"}})), "Ravi");  // ... and the next territory takes it
  OwnerAssigner rotation(rules({{"Dana", 3, true}, {"Ravi", 1}, {"Mei", 1}}));
  EXPECT_EQ(rotate(rotation, 4), (std::map<std::string, int>{{"Mei", 2}, {"Ravi", 2}}));
  OwnerAssigner everyone_away(rules({{"Dana", 1, true}}));
  EXPECT_EQ(owners.assign(account({})), "Ravi");  // the catch-all territory
  EXPECT_EQ(everyone_away.assign(account({})), "");  // no one: the alert waits for a claim
}

TEST(OwnerAssigner, ARepIsNamedAsTheConfigWritesThemWhateverTheCaseOfTheTraitOrTerritory) {
  OwnerAssigner owners(rules({{"Dana", 1}, {"Ravi", 1}}, {{"emea", "", "RAVI"}}));
  EXPECT_EQ(owners.assign(account({{"owner", "dana"}})), "Dana");
  EXPECT_EQ(owners.assign(account({{"owner", "olga"}})), "olga");  // not a rep: the trait as it is
  EXPECT_EQ(owners.assign(account({{"region", "emea"}})), "Ravi");
  EXPECT_EQ(owners.rep_name("dANA"), "Dana");
  OwnerAssigner territory_only(rules({{"Dana", 1}, {"Olga", 0}}, {{"emea", "", "Olga"}}));
  EXPECT_EQ(rotate(territory_only, 3), (std::map<std::string, int>{{"Dana", 3}}));  // Olga: no rotation leads
  EXPECT_EQ(territory_only.assign(account({{"region", "emea"}})), "Olga");
  EXPECT_EQ(find_rep(rules({{"Dana", 1}}), "Dan"), nullptr);
}

TEST(OwnerAssigner, ARepWhoJoinsGetsTheirShareFromThenOnNotEveryLead) {
  OwnerAssigner owners(rules({{"Dana", 2}, {"Ravi", 1}}));
  EXPECT_EQ(rotate(owners, 30), (std::map<std::string, int>{{"Dana", 20}, {"Ravi", 10}}));
  owners.set_rules(rules({{"Dana", 2}, {"Ravi", 1}, {"Mei", 1}}));
  // Counted on from 20 and 10, Mei would take the next ten leads alone.
  EXPECT_EQ(rotate(owners, 8), (std::map<std::string, int>{{"Dana", 4}, {"Mei", 2}, {"Ravi", 2}}));
  // The same reps again (a reload of territories only) keep the rotation.
  owners.set_rules(rules({{"Dana", 2}, {"Ravi", 1}, {"Mei", 1}}, {{"emea", "", "Dana"}}));
  EXPECT_EQ(rotate(owners, 4), (std::map<std::string, int>{{"Dana", 2}, {"Mei", 1}, {"Ravi", 1}}));
  EXPECT_EQ(owners.assign(account({{"region", "EMEA"}})), "Dana");
}

TEST(OwnerAssigner, ARestoredRotationGoesOnOnlyWithTheRepsItWasCountedFor) {
  const OwnerRules two = rules({{"Dana", 1}, {"Ravi", 1}});
  OwnerAssigner before(two);
  EXPECT_EQ(rotate(before, 3), (std::map<std::string, int>{{"Dana", 2}, {"Ravi", 1}}));
  SnapshotWriter w;
  before.save(w);
  const std::string saved = w.take();

  OwnerAssigner same(two);
  SnapshotReader same_reader(saved);
  same.load(same_reader);
  EXPECT_EQ(rotate(same, 1), (std::map<std::string, int>{{"Ravi", 1}}));  // Ravi's turn, as before

  OwnerAssigner other(rules({{"Dana", 1}, {"Ravi", 1}, {"Mei", 1}}));
  SnapshotReader other_reader(saved);
  other.load(other_reader);
  EXPECT_EQ(rotate(other, 3), (std::map<std::string, int>{{"Dana", 1}, {"Mei", 1}, {"Ravi", 1}}));
}

}  // namespace
}  // namespace telltale::collector
