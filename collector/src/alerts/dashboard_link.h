// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Links from messages (webhooks, email, digests) to the dashboard at the
// config's `dashboard_url`: the address names what its panel shows, an
// alert's story or an account's explanation (dashboard.html reads them),
// so one click opens it. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace telltale::collector {

// Where a rep opens alert `id` ("https://telltale.internal:7070/#alert/12");
// "" without a dashboard_url.
std::string alert_link(const std::string& dashboard_url, int64_t id);
// Where a rep opens an account's explanation ("https://…/#account/acme%20gmbh"),
// its id percent-encoded; "" without a dashboard_url.
std::string account_link(const std::string& dashboard_url, std::string_view account_id);

}  // namespace telltale::collector
