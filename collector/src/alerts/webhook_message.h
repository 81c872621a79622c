// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// What a webhook receives for the alert feed, in its format: "generic"
// ({"event", "what", "feed_seq", "alert", "earlier_alerts", "url"}: the
// account's kWebhookHistory latest alerts before this one, what came of
// each), "slack" (an incoming-webhook message with blocks), "teams" (a
// Microsoft Teams message with an Adaptive Card) or "email" (the title its
// subject, plain text and HTML), the messages alike (alerts/chat_message.h):
// carrying the summary and the account's contacts, titled by what
// happened: a new PQL, an update, a closing, with the first-touch deadline
// while the alert waits for one, shown in each reader's time zone where
// the tool can; a new PQL's message names what came of the account's
// earlier alerts; text from events is made inert for the tool's markup.
// And the one message for entries that piled up for a chat channel or an
// inbox, a line each. Pure functions; thread-safe. (Delivery:
// alerts/webhook_dispatcher.h.)
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "alerts/alert_store.h"

namespace telltale::collector {

// How many of the account's earlier alerts a webhook message names.
inline constexpr size_t kWebhookHistory = 5;
// The body sent for one feed entry in `format`; `earlier`: the account's
// alerts raised before the entry's (alerts/alert_history.h), newest first;
// `alert_url`: where a rep opens the alert (alerts/dashboard_link.h), "" when unknown;
// `zone`: the zone of its times where the tool cannot show each reader's own.
std::string webhook_body(const std::string& format, const FeedEntry& entry, const boost::json::array& earlier = {},
                         const std::string& alert_url = "", const std::string& zone = "UTC");
// The chat message (`format` slack, teams or email) for several entries at
// once ("6 PQL changes: 5 new PQLs, 1 update"), a line each, which links to
// its alert on the dashboard at `dashboard_url` when there is one; in an
// email, a new PQL's summary under its line.
std::string chat_burst_body(const std::string& format, const std::vector<FeedEntry>& entries,
                            const std::string& dashboard_url = "");

}  // namespace telltale::collector
