// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/time_zone.h"

#include <gtest/gtest.h>

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
}

}  // namespace
}  // namespace telltale::collector
