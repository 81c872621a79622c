// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The words of an alert: the best time to reach out (the account's busiest
// hour of the week, next after `now`, in the account's `timezone` trait: an
// IANA name such as "Europe/Berlin" or a UTC offset such as "+02:00"; UTC
// when there is none or it is unknown), the timeline of
// key moments, and the one-paragraph summary a rep reads in five seconds:
// the team and its growth, the evidence of a few signals (the rules'
// summary_signals, chosen by their summary_order: by default buying intent
// first, then plan limits, the team, usage), the route, priority, owner and
// when to reach out.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "alerts/alert.h"
#include "signals/account_state.h"
#include "signals/compiled_rules.h"

namespace telltale::collector {

std::string best_contact(const AccountState& account, int64_t now_ms);
std::vector<TimelineEntry> key_moments(const AccountState& account, const CompiledRules& rules);
std::string summarize(const Alert& alert, const CompiledRules& rules);

}  // namespace telltale::collector
