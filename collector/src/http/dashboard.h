// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The sales-ops dashboard served at GET /: one HTML page (dashboard.html,
// built into the binary at compile time) that lists and follows the PQL
// alert feed through the public API and posts the lifecycle steps. The
// page is constant; thread-safe.
#pragma once

#include <string_view>

namespace telltale::collector {

std::string_view dashboard_page();

}  // namespace telltale::collector
