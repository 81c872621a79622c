// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/iso8601.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

TEST(Iso8601, ReadsWhatClientLibrariesWrite) {
  const int64_t t = 1'795'428'000'000;  // 2026-11-23T10:00:00Z
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00Z"), t);
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00.123Z"), t + 123);             // JavaScript
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00.123456+00:00"), t + 123);     // Python
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00.123456789Z"), t + 123);       // Go's RFC3339Nano
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00.1236Z"), t + 124);            // rounded
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00.9996Z"), t + 1000);
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T10:00:00.5"), t + 500);                // no zone: UTC
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T11:30:00+01:30"), t);
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T11:30:00+0130"), t);
  EXPECT_EQ(parse_iso8601_ms("2026-11-23T09:00:00-01"), t);
  EXPECT_EQ(parse_iso8601_ms("2026-11-23 10:00:00z"), t);
  EXPECT_EQ(parse_iso8601_ms("2026-11-23t10:00:00Z"), t);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00.250Z"), 250);
  EXPECT_EQ(parse_iso8601_ms("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(parse_iso8601_ms("2024-02-29T00:00:00Z"), 1'709'164'800'000);  // a leap day
  EXPECT_EQ(parse_iso8601_ms("2016-12-31T23:59:60Z"), 1'483'228'800'000);  // a leap second
  EXPECT_EQ(parse_iso8601_ms("0000-01-01T00:00:00Z"), -62'167'219'200'000);
  EXPECT_EQ(parse_iso8601_ms("9999-12-31T23:59:59Z"), 253'402'300'799'000);
}

TEST(Iso8601, RefusesWhatIsNotATime) {
  for (const char* bad : {"", "yesterday", "2026-11-23", "2026-11-23T10:00Z", "2026-11-23T10:00:00ZZ",
                          "2026-11-23T10:00:00+02:00:00", "2026-11-23T10:00:00+2", "2026-11-23T10:00:00+24:00",
                          "2026-11-23T10:00:00+01:60", "2026-11-23T10:00:00.Z", "2026-11-23T10:00:00 ",
                          "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z",
                          "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-23T24:00:00Z",
                          "2026-11-23T10:60:00Z", "2026-11-23T10:00:61Z", "2026-11-23T10:00:1e300Z",
                          "+2026-11-23T10:00:00Z", "20261-11-23T10:00:00Z", "-001-11-23T10:00:00Z",
                          "2147483647-12-31T23:59:59Z", "2026-1-23T10:00:00Z", "2026-11-23T10:00:0Z",
                          " 2026-11-23T10:00:00Z", "2026/11/23T10:00:00Z"})
    EXPECT_EQ(parse_iso8601_ms(bad), std::nullopt) << bad;
}

TEST(Iso8601, WritesUtcWithMillisecondsThatReadBack) {
  for (const int64_t ms : {int64_t(0), int64_t(1'795'428'000'123), int64_t(253'402'300'799'999)}) {
    EXPECT_EQ(parse_iso8601_ms(iso8601(ms)), ms) << iso8601(ms);
  }
  EXPECT_EQ(iso8601(1'795'428'000'123), "2026-11-23T10:00:00.123Z");
}

}  // namespace
}  // namespace telltale::collector
