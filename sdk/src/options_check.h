// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// check_options: validates telltale::Options for Tracker::create, naming the
// first offending field and its allowed range. Pure; thread-safe.
#pragma once

#include "telltale/options.h"
#include "telltale/status.h"

namespace telltale::detail {

Status check_options(const Options& opts);

}  // namespace telltale::detail
