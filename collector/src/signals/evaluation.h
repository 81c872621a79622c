// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// evaluate(): an account's PQL score, with the explanation a rep needs. At
// the account's latest event time it checks every signal of PqlRules, adds
// the weights of those satisfied, multiplies by the fit multipliers
// (employees tier, corporate vs free-mail domain, industry, region), and
// picks a priority and a route. Each satisfied signal carries its evidence,
// so a score is never a bare number. Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "signals/account_state.h"
#include "signals/rules.h"

namespace telltale::collector {

struct Contribution {
  std::string signal;
  double points = 0;     // weight (before the fit multiplier)
  std::string evidence;  // what the account did, in words
};

enum class Route { kSelfServe, kSalesAssist, kSalesLed };
const char* route_name(Route r);

struct AccountMetrics {
  int64_t users_total = 0;          // distinct users seen
  int64_t active_users_14d = 0;     // trailing window
  int64_t active_users_prev_14d = 0;
  int64_t active_days_7d = 0;
  int64_t features_used = 0;
  std::map<std::string, double> limit_percent;  // metric -> used/limit in %
};

struct Evaluation {
  double points = 0;          // sum of satisfied weights
  double fit_multiplier = 1;
  double score = 0;           // points x fit
  bool qualified = false;     // score >= threshold
  std::string priority;       // "high" or "medium" (when qualified)
  std::vector<Contribution> contributions;
  std::vector<std::string> fit_reasons;  // e.g. "800 employees: x1.5"
  Route route = Route::kSelfServe;
  std::string route_reason;
  AccountMetrics metrics;
};

Evaluation evaluate(const AccountState& account, const PqlRules& rules);

}  // namespace telltale::collector
