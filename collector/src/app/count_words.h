// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// count_of: a count and its noun in agreement ("1 rep", "3 reps"), for what
// the collector and the telltale tool say to people. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace telltale::collector {

inline std::string count_of(long long n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace telltale::collector
