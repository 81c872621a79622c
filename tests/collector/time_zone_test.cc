// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/time_zone.h"

#include <gtest/gtest.h>

#include "app/allocator.h"
#include "app/iso8601.h"

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
  EXPECT_EQ(utc_offset_minutes("-0530", 0), -330);
  EXPECT_EQ(utc_offset_minutes("+530", 0), 330);
  EXPECT_EQ(utc_offset_minutes("GMT+14", 0), 840);
  EXPECT_EQ(utc_offset_minutes("UTC", 0), 0);
  for (const char* bad : {"UTC+-2147483648", "+2147483648", "-99999999", "+15", "+05:60", "+5:3", "+05:30:00",
                          "+", "+05:", "+:30", "UTC+5x", "+ 5", "+05300", "UTCGMT+1"})
    EXPECT_EQ(utc_offset_minutes(bad, 0), std::nullopt) << bad;
}

TEST(TimeZone, NamesThatAreNoZoneAreNotKeptWithoutBound) {
  // Traits come from events: a stream of made-up zones (here 40 MB of
  // names) must not grow the collector without bound, nor break the names
  // that are zones.
  const size_t before = heap_stats().allocated;
  for (int i = 0; i < 20'000; ++i)
    ASSERT_EQ(utc_offset_minutes("Nowhere/" + std::to_string(i) + std::string(2000, 'x'), 0), std::nullopt);
  EXPECT_EQ(utc_offset_minutes("Asia/Kolkata", 0), 330);
  if (before == 0) GTEST_SKIP() << "no heap figures from " << allocator_name();
  EXPECT_LT(heap_stats().allocated - before, size_t(16) << 20);
}

}  // namespace
}  // namespace telltale::collector
