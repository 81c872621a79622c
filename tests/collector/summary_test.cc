// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/iso8601.h"
#include "signals/signal_engine.h"
#include "usage_events.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;

int64_t at(const char* iso) { return *parse_iso8601_ms(iso); }

// The summary as `rules` word it (the defaults unless given).
std::string summary_of(const Alert& alert, PqlRules rules = {}) {
  Interner<> names;
  return summarize(alert, CompiledRules(std::move(rules), names));
}

Alert globex(std::vector<Contribution> contributions) {
  Alert a;
  a.account_id = "globex";
  a.account_name = "Globex";
  a.metrics.active_users_14d = 8;
  a.metrics.active_users_prev_14d = 2;
  a.contributions = std::move(contributions);
  a.route = "sales-led";
  a.priority = "high";
  a.owner = "Dana";
  a.best_contact = "Tue 09:15 Europe/Berlin";
  return a;
}

TEST(Summary, ReadsInFiveSeconds) {
  const Alert a = globex({{kSignalExpansion, 25, "2 -> 8 active users in 14 days (+6)"},
                          {kSignalSweetSpot, 20, "seats at or above 80% for 14 days"},
                          {kSignalPricing, 12, "viewed pricing twice"},
                          {kSignalSso, 15, "configured SSO"}});
  // The team leads; then buying intent, then plan limits.
  EXPECT_EQ(summary_of(a),
            "Globex: 8 active users, +6 in 14 days; configured SSO; viewed pricing twice; seats at or above 80% for 14 "
            "days. Sales-led, high, owner Dana, reach out Tue 09:15 Europe/Berlin");
}

TEST(Summary, NamesWhatARepOpensWithAndCountsTheRest) {
  Alert a = globex({{kSignalActivated, 10, "activated"},
                    {kSignalCoreValue, 30, "Report Created x122"},
                    {kSignalActiveWeek, 8, "active on 5 of the last 7 days"},
                    {kSignalCollaboration, 20, "Content Shared x61"},
                    {kSignalPricing, 12, "viewed pricing once"},
                    {kSignalContract, 30, "requested a contract"},
                    {kSignalLimitHit, 25, "seats at 100% of the limit (5/5)"}});
  a.account_name.clear();
  a.metrics.active_users_14d = 1;
  a.metrics.active_users_prev_14d = 1;
  a.owner.clear();
  a.best_contact.clear();
  EXPECT_EQ(summary_of(a),
            "globex: 1 active user; requested a contract; viewed pricing once; seats at 100% of the limit (5/5); "
            "Report Created x122; 3 more signals. Sales-led, high");
}

TEST(Summary, NamesAsManySignalsAsConfiguredInTheConfiguredOrder) {
  const Alert a = globex({{kSignalExpansion, 25, "2 -> 8 active users in 14 days (+6)"},
                          {kSignalCoreValue, 30, "Report Created x122"},
                          {kSignalPricing, 12, "viewed pricing twice"},
                          {kSignalSweetSpot, 20, "seats at or above 80% for 14 days"},
                          {kSignalSso, 15, "configured SSO"}});
  PqlRules usage_first;
  usage_first.summary_order = {kSignalCoreValue, kSignalSweetSpot};  // the others follow, in the default order
  usage_first.summary_signals = 3;
  EXPECT_EQ(summary_of(a, usage_first),
            "Globex: 8 active users, +6 in 14 days; Report Created x122; seats at or above 80% for 14 days; "
            "configured SSO; 1 more signal. Sales-led, high, owner Dana, reach out Tue 09:15 Europe/Berlin");
  PqlRules team_only;
  team_only.summary_signals = 0;
  EXPECT_EQ(summary_of(a, team_only),
            "Globex: 8 active users, +6 in 14 days; 4 more signals. Sales-led, high, owner Dana, reach out Tue 09:15 "
            "Europe/Berlin");
}

TEST(Summary, BestContactIsTheBusiestHourInTheAccountsZone) {
  SignalEngine engine{PqlRules{}};
  auto track = [&](const char* iso) {
    return engine.apply(testing::track_event("globex", "ana", "Dashboard Viewed", at(iso)));
  };
  engine.apply(testing::group_event("globex", {{"timezone", testing::str("Europe/Berlin")}}, at("2026-01-05T00:00:00Z")));
  // Wednesdays 15:00 UTC twice, then Tuesdays 08:00 UTC (09:00 in Berlin in
  // winter) three times: the busier hour wins, whichever came first.
  for (const char* iso : {"2026-01-07T15:00:00Z", "2026-01-07T15:30:00Z", "2026-01-13T08:10:00Z",
                          "2026-01-13T08:20:00Z", "2026-01-13T08:30:00Z"})
    track(iso);
  const AccountState& a = *engine.account("globex");
  EXPECT_EQ(best_contact(a, at("2026-01-15T12:00:00Z")), "Tue 09:00 Europe/Berlin");
  // Wednesday draws level: the earlier hour of the week stays the busiest,
  // as it would be counted from the histogram alone.
  track("2026-01-14T15:00:00Z");
  EXPECT_EQ(best_contact(a, at("2026-01-15T12:00:00Z")), "Tue 09:00 Europe/Berlin");
  track("2026-01-21T15:00:00Z");
  EXPECT_EQ(best_contact(a, at("2026-01-15T12:00:00Z")), "Wed 16:00 Europe/Berlin");
  // A zone the collector doesn't know: the same hour, in UTC.
  AccountState elsewhere = a;
  elsewhere.traits["timezone"] = testing::str("Nowhere/Special");
  EXPECT_EQ(best_contact(elsewhere, at("2026-01-15T12:00:00Z")), "Wed 15:00 UTC");
  // No activity yet: no contact time.
  EXPECT_EQ(best_contact(AccountState{}, at("2026-01-15T12:00:00Z")), "");
}

}  // namespace
}  // namespace telltale::collector
