// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale accounts: the accounts by PQL score, from GET /v1/accounts: the
// qualified ones (--qualified), or those warming up (--warming: below the
// threshold, the closest first), of a route (--route), above a score
// (--min-score), the first --limit. A table in a terminal (score, route,
// users, satisfied signals, the open alert and its owner), the JSON when
// piped.
#pragma once

#include <string>

#include "cli/collector_client.h"

namespace telltale::cli {

// The query, as the collector reads it; each empty: any.
struct AccountsQuery {
  std::string qualified;  // "true", "false"
  std::string route, min_score, limit;
};

// Prints the accounts (`json`: the collector's JSON, one line). Returns 0,
// 1 when the collector refused the query (why on stderr), 2 when it could
// not be reached.
int accounts(const Collector& collector, const AccountsQuery& query, bool json);

}  // namespace telltale::cli
