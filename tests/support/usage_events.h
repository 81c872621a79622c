// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Shorthands for PropValues and UsageEvents in engine and alert tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "signals/usage_event.h"

namespace telltale::collector::testing {

inline PropValue num(int64_t n) {
  PropValue p;
  p.type = PropValue::Type::kInt;
  p.i = n;
  return p;
}

inline PropValue real(double d) {
  PropValue p;
  p.type = PropValue::Type::kDouble;
  p.d = d;
  return p;
}

inline PropValue str(std::string s) {
  PropValue p;
  p.type = PropValue::Type::kString;
  p.s = std::move(s);
  return p;
}

using Traits = std::vector<std::pair<std::string, PropValue>>;

// A call that carries traits: a group's (the account's) or an identify's (the user's).
inline UsageEvent traits_event(UsageKind kind, std::string account, std::string user, Traits traits, int64_t time_ms) {
  UsageEvent e;
  e.kind = kind;
  e.account = std::move(account);
  e.user = std::move(user);
  e.time_ms = time_ms;
  e.props = std::move(traits);
  return e;
}

inline UsageEvent group_event(const std::string& account, Traits traits, int64_t time_ms) {
  return traits_event(UsageKind::kGroup, account, "", std::move(traits), time_ms);
}

inline UsageEvent identify_event(const std::string& user, Traits traits, int64_t time_ms) {
  return traits_event(UsageKind::kIdentify, "", user, std::move(traits), time_ms);
}

inline UsageEvent track_event(const std::string& account, const std::string& user, const std::string& name,
                              int64_t time_ms) {
  UsageEvent e;
  e.kind = UsageKind::kTrack;
  e.account = account;
  e.user = user;
  e.name = name;
  e.time_ms = time_ms;
  return e;
}

}  // namespace telltale::collector::testing
