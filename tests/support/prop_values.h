// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Shorthands for PropValues in engine and alert tests.
#pragma once

#include <string>

#include "signals/usage_event.h"

namespace telltale::collector::testing {

inline PropValue num(int64_t n) {
  PropValue p;
  p.type = PropValue::Type::kInt;
  p.i = n;
  return p;
}

inline PropValue str(std::string s) {
  PropValue p;
  p.type = PropValue::Type::kString;
  p.s = std::move(s);
  return p;
}

}  // namespace telltale::collector::testing
