// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale alerts: the PQL alerts a filter picks (GET /v1/alerts, page by
// page), as a table in a terminal (each alert's status and where it stands
// against its first-touch deadline, an owner who is away marked as such,
// as the reps stood when the listing began; the summary fits the
// terminal's width), JSON lines when piped, or CSV for a
// spreadsheet or a CRM import; --follow then prints what happens to them
// from the alert stream (GET /v1/alerts/stream), resumed by Last-Event-ID,
// until interrupted; a collector that restarts or is out of reach meanwhile
// is asked again (said once on stderr), from where the stream stood.
#pragma once

#include <cstddef>
#include <string>

#include "cli/collector_client.h"

namespace telltale::cli {

enum class AlertsFormat { kTable, kJsonLines, kCsv };

struct AlertsQuery {
  std::string owner, route, priority, status, account;  // each empty: any
  size_t last = 0;                   // only the latest `last` alerts (0: all), still printed oldest first
};

// Prints the alerts (with `follow`, then the stream's entries, for good).
// Returns 1 when the collector refused (why on stderr), 2 when it could not
// be reached for the listing, 0 otherwise.
int alerts(const Collector& collector, const AlertsQuery& query, AlertsFormat format, bool follow);

}  // namespace telltale::cli
