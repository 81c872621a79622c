// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// An account's PQL score, in two steps:
//   evaluate(): the numbers the engine decides on after every frame (which
//     signals are satisfied, points x fit = score, qualified, priority,
//     route). O(1) in the account's size, no allocation: it reads the
//     counts AccountState keeps current.
//   explain(): the same evaluation in words a rep reads (each satisfied
//     signal's points and evidence, fit reasons, why this route, limit
//     percentages); missing_signals(): what each signal it lacks would add
//     and asks for. Built only when an alert is written or an account is
//     looked up.
// Pure functions; thread-safe for a const AccountState.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "signals/account_state.h"
#include "signals/compiled_rules.h"

namespace telltale::collector {

struct Contribution {
  std::string signal;
  double points = 0;     // weight (before the fit multiplier)
  std::string evidence;  // what the account did, in words
};

// In the order of escalation.
enum class Route { kSelfServe, kSalesAssist, kSalesLed };
inline constexpr Route kRoutes[] = {Route::kSelfServe, Route::kSalesAssist, Route::kSalesLed};
const char* route_name(Route r);
Route route_from_name(const std::string& name);

// Why the route was chosen (explain() puts it in words).
enum class RouteBasis { kEmployeesLed, kUsersLed, kContract, kSso, kEmployeesAssist, kActiveUsersAssist, kSelfServe };

struct AccountMetrics {
  int64_t users_total = 0;          // distinct users seen
  int64_t active_users_14d = 0;     // trailing expansion window
  int64_t active_users_prev_14d = 0;
  int64_t active_days_7d = 0;
  int64_t features_used = 0;
};

struct Evaluation {
  SignalSet signals = 0;      // satisfied, with a positive weight
  double points = 0;          // sum of satisfied weights
  double fit_multiplier = 1;
  double score = 0;           // points x fit, one decimal
  bool qualified = false;     // score >= threshold
  std::string_view priority = "medium";  // "high" or "medium"
  Route route = Route::kSelfServe;
  RouteBasis route_basis = RouteBasis::kSelfServe;
  AccountMetrics metrics;
};

// A signal the account has not satisfied (of those with a positive weight):
// what it would add and what the rule asks, so a rep or RevOps sees what
// would tip an account warming up.
struct MissingSignal {
  std::string signal;
  double points = 0;       // its weight (before the fit multiplier), as contributions count
  double score_gain = 0;   // what the score would gain: points x fit, one decimal
  std::string takes;       // what the rule asks, in words, and where the account stands
  bool qualifies = false;  // alone, it would qualify the account (false when it is already qualified)
};

struct Explanation : Evaluation {
  std::vector<Contribution> contributions;  // in Signal order
  std::vector<std::string> fit_reasons;     // e.g. "800 employees: x1.50"
  std::string route_reason;
  std::map<std::string, double> limit_percent;  // metric -> used/limit in %, one decimal
};

Evaluation evaluate(const AccountState& account, const CompiledRules& rules);
Explanation explain(const AccountState& account, const CompiledRules& rules);
// How far the score is from the threshold: 0 once qualified, one decimal.
double points_to_threshold(const Evaluation& evaluation, const CompiledRules& rules);
// The signals with a positive weight `evaluation` lacks, the most points
// first, then in Signal order, and whether one alone would qualify the
// account (never when it is qualified already). Numbers only, no words:
// what GET /v1/accounts lists for each account.
std::vector<Signal> lacking_signals(const Evaluation& evaluation, const CompiledRules& rules);
bool would_qualify(const Evaluation& evaluation, Signal signal, const CompiledRules& rules);
// The same signals in words (what each asks, where the account stands):
// what would tip an account (GET /v1/accounts/{id}).
std::vector<MissingSignal> missing_signals(const AccountState& account, const CompiledRules& rules,
                                           const Evaluation& evaluation);

}  // namespace telltale::collector
