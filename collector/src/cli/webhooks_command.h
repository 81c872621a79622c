// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale webhooks: how each of the collector's webhooks is doing, from
// GET /v1/webhooks, for the operator asked why a channel heard nothing: a
// line each, delivering or FAILING (since when, how many attempts in a row,
// the latest reason, the next try), how many entries it is behind; the
// JSON when piped or with --json.
#pragma once

#include "cli/collector_client.h"

namespace telltale::cli {

// Prints the webhooks (`json`: the collector's JSON, one line). Returns 0 when none is failing, 3 when one is (for
// a monitoring check), 1 when the collector refused the request (why on
// stderr), 2 when it could not be reached.
int webhooks(const Collector& collector, bool json);

}  // namespace telltale::cli
