// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// A sample alert for the webhook tests: Acme, a medium-priority sales-led
// PQL owned by Dana, with two contacts and an SLA deadline; and a feed
// entry of an alert, as the store gives one to the webhooks.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "alerts/alert.h"
#include "alerts/alert_store.h"
#include "app/json_text.h"

namespace telltale::testing {

// The feed entry 12 of `alert` (as alert 7), of `kind`, its words the kind.
inline collector::FeedEntry entry_for(const collector::Alert& alert, const std::string& kind = "created") {
  boost::json::value json = alert.to_json();
  json.as_object()["id"] = 7;
  return {12, 7, kind, kind, collector::json_text(json), ""};
}

inline collector::Alert acme() {
  collector::Alert a;
  a.account_id = "acme";
  a.account_name = "Acme";
  a.score = 63;
  a.priority = "medium";
  a.route = "sales-led";
  a.owner = "Dana";
  a.summary = "Acme: 2 active users; viewed pricing once. Sales-led, medium, owner Dana";
  a.contacts = {{"ana", {"ana@acme.com", "Ana Lopez", "CTO"}, 9, 20'400}, {"carl", {}, 3, 20'398}};
  a.sla_due_ms = 1'795'000'000'000;  // 2026-11-18T11:06:40Z
  return a;
}

}  // namespace telltale::testing
