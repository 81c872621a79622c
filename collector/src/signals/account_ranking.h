// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// rank_accounts: the accounts by PQL score, highest first, for GET
// /v1/accounts and `telltale accounts`: the qualified ones, or those below
// the threshold closest to it (the accounts warming up, for a rep who
// prospects, RevOps tuning the threshold, a team's digest), of some routes
// or any, or those whose id or name holds some text. Each
// account is evaluated as the engine last left it (its windows end at its
// last event). O(accounts) evaluations, no allocation but the matches;
// call it where the engine may be read (the engine thread, or under the
// lock that guards it).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "signals/evaluation.h"
#include "signals/signal_engine.h"

namespace telltale::collector {

struct AccountQuery {
  std::string text{};               // in the account's id or name, ignoring case (a rep looking one up); any when empty
  std::optional<bool> qualified{};  // at or above the threshold (true), below it (false); any when unset
  std::vector<Route> routes{};      // the route the account would take now is one of these; any when empty
  double min_score = 0;
  size_t limit = 50;
};

struct RankedAccount {
  const AccountState* account = nullptr;
  Evaluation evaluation;
};

struct AccountRanking {
  size_t matching = 0;              // accounts the query takes
  std::vector<RankedAccount> top;   // the first `limit` of them: score, then the latest event, highest first
};

AccountRanking rank_accounts(const SignalEngine& engine, const AccountQuery& query);

}  // namespace telltale::collector
