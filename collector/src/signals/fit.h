// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Account fit: the multiplier an account's traits put on its score
// (employees tier, corporate vs free-mail domain, industry, region), and
// the same in words for a rep. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "signals/rules.h"
#include "signals/usage_event.h"

namespace telltale::collector {

using Traits = std::map<std::string, PropValue>;

// The `employees` trait as a number (a number or a numeric string), or -1.
int64_t employees_of(const Traits& traits);
// A trait as text (strings as they are, numbers as integers), or "".
std::string trait_text(const Traits& traits, const std::string& key);
// The product of the fit multipliers; appends each one applied, in words
// ("800 employees: x1.50"), to *reasons unless it is null.
double fit_multiplier(const Traits& traits, const PqlRules& rules, std::vector<std::string>* reasons);

}  // namespace telltale::collector
