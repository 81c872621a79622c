// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale accounts: the accounts by PQL score, from GET /v1/accounts: the
// qualified ones (--qualified), or those warming up (--warming: below the
// threshold, the closest first), of some routes (--route), above a score
// (--min-score), whose id or name holds some text (--search), the first
// --limit. A table in a terminal (score, route, users, satisfied signals,
// the open alert and its owner), the JSON when piped, or CSV for a
// spreadsheet or a CRM import (a campaign for the accounts warming up,
// with what would tip each).
#pragma once

#include <string>
#include <vector>

#include "cli/collector_client.h"

namespace telltale::cli {

// The query, as the collector reads it; each empty: any.
struct AccountsQuery {
  std::string search;     // in the account's id or name
  std::string qualified;  // "true", "false"
  std::vector<std::string> routes;
  std::string min_score, limit;
};

enum class AccountsFormat { kTable, kJson, kCsv };

// Prints the accounts (kJson: the collector's JSON, one line). Returns 0,
// 1 when the collector refused the query (why on stderr), 2 when it could
// not be reached.
int accounts(const Collector& collector, const AccountsQuery& query, AccountsFormat format);

}  // namespace telltale::cli
