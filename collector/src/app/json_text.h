// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// json_text(): JSON as boost::json::serialize writes it, except that numbers
// with a fraction read the way people write them (277.5, not 2.775E2) —
// alerts, scores and stats are read by people as much as by programs.
// Non-finite doubles, which JSON cannot carry, become null. Pure; thread-safe.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace telltale::collector {

std::string json_text(const boost::json::value& v);

}  // namespace telltale::collector
