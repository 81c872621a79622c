// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// CompiledRules: PqlRules resolved for the engine's hot path: each signal's
// weight in an array, and each event name the rules watch as its interned
// number, so applying and evaluating an event never looks a name up by
// string. The rules' own names are interned first (numbers 0 .. n-1), which
// lets an account always count them even when it has hit its cap on
// distinct event names. Immutable after construction; thread-safe to read.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "signals/interner.h"
#include "signals/rules.h"
#include "signals/signal.h"

namespace telltale::collector {

// The single events the rules count, one per intent or engagement signal.
enum class RuleEvent : uint8_t { kCoreValue, kInvite, kCollaboration, kIntegration, kPricing, kPremium, kSso, kContract };
inline constexpr int kRuleEventCount = 8;

struct CompiledRules {
  // `names` should be the engine's fresh Interner (see above).
  CompiledRules(PqlRules rules, Interner<>& names);

  double weight(Signal s) const { return weights[size_t(s)]; }
  uint32_t event(RuleEvent e) const { return events[size_t(e)]; }
  const std::string& event_name(RuleEvent e) const { return *event_names[size_t(e)]; }
  // Index of `name` among the milestones, or -1.
  int milestone_index(uint32_t name) const;
  // True for the names the rules watch (always counted per account).
  bool watched(uint32_t name) const { return name < watched_names; }
  // The rule events a watched name is (bit i: RuleEvent i); 0 for others.
  uint8_t rule_events(uint32_t name) const { return name < roles.size() ? roles[name] : 0; }

  PqlRules rules;
  std::array<double, kSignalCount> weights{};
  std::array<uint32_t, kRuleEventCount> events{};
  std::array<const std::string*, kRuleEventCount> event_names{};
  std::vector<uint32_t> milestones;  // distinct; at most 64 (the config refuses more)
  std::vector<std::string> milestone_names;
  uint32_t watched_names = 0;
  std::vector<uint8_t> roles;  // by name number, for the watched names
  // Every signal but team_expansion, in the summary's order of preference:
  // rules.summary_order, then the rest in the default order.
  std::vector<std::string_view> summary_order;
};

}  // namespace telltale::collector
