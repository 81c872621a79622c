// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale stats: how product-led sales is doing, from GET /v1/stats: PQL
// volume by route and priority, SLA adherence, time to first touch and
// conversion, overall and for each rep, of the alerts raised in a period
// (--since, --until), a rep's (--owner) or a route's (--route). Readable
// lines and a table of reps in a terminal (with what waits on each: alerts
// waiting for a first touch, overdue; "(away)" after a rep who is away),
// the JSON when piped.
#pragma once

#include <string>

#include "cli/collector_client.h"

namespace telltale::cli {

// The figures' filter, as the collector reads it: since and until are ISO
// 8601 times, dates or spans back from now (30d, 12h); each empty: any.
struct StatsQuery {
  std::string since, until, owner, route;
};

// Prints the figures (`json`: the collector's JSON, one line). Returns 0,
// 1 when the collector refused the query (why on stderr), 2 when it could
// not be reached.
int stats(const Collector& collector, const StatsQuery& query, bool json);

}  // namespace telltale::cli
