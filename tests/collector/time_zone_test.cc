// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/time_zone.h"

#include <gtest/gtest.h>

#include "alerts/summary.h"
#include "usage_events.h"
#include "signals/event_reader.h"
#include "signals/signal_engine.h"

namespace telltale::collector {
namespace {

int64_t at(const char* iso) { return *parse_iso8601_ms(iso); }

TEST(TimeZone, ReadsIanaZonesWithDaylightSaving) {
  EXPECT_EQ(utc_offset_minutes("Europe/Berlin", at("2026-01-15T12:00:00Z")), 60);
  EXPECT_EQ(utc_offset_minutes("Europe/Berlin", at("2026-07-15T12:00:00Z")), 120);
  EXPECT_EQ(utc_offset_minutes("America/New_York", at("2026-01-15T12:00:00Z")), -300);
  EXPECT_EQ(utc_offset_minutes("Asia/Kolkata", at("2026-07-15T12:00:00Z")), 330);
}

TEST(TimeZone, ReadsFixedOffsetsAndRefusesTheRest) {
  EXPECT_EQ(utc_offset_minutes("+05:30", 0), 330);
  EXPECT_EQ(utc_offset_minutes("UTC-5", 0), -300);
  EXPECT_EQ(utc_offset_minutes("", 0), 0);
  EXPECT_EQ(utc_offset_minutes("Mars/Olympus_Mons", 0), std::nullopt);
  EXPECT_EQ(utc_offset_minutes("../../etc/passwd", 0), std::nullopt);
}

TEST(TimeZone, BestContactIsTheBusiestHourInTheAccountsZone) {
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
