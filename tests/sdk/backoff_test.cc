// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "backoff.h"

#include <gtest/gtest.h>

namespace telltale::detail {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, FullJitterStaysUnderAGrowingCeiling) {
  Backoff b(milliseconds(100), milliseconds(30000), 42);
  int64_t ceiling = 100;
  for (int attempt = 0; attempt < 20; ++attempt) {
    milliseconds d = b.next();
    EXPECT_GE(d.count(), 1);
    EXPECT_LE(d.count(), ceiling);
    ceiling = std::min<int64_t>(ceiling * 2, 30000);
  }
}

TEST(Backoff, JitterSpreadsDelays) {
  Backoff b(milliseconds(1000), milliseconds(1000), 1);
  int64_t lo = 1000, hi = 0;
  for (int i = 0; i < 200; ++i) {
    int64_t d = b.next().count();
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, 200);
  EXPECT_GT(hi, 800);
}

TEST(Backoff, ResetStartsOver) {
  Backoff b(milliseconds(10), milliseconds(100000), 3);
  for (int i = 0; i < 10; ++i) b.next();
  b.reset();
  EXPECT_LE(b.next().count(), 10);
  EXPECT_EQ(b.attempts(), 1);
}

TEST(Backoff, ParsesRetryAfterSeconds) {
  auto now = std::chrono::system_clock::now();
  EXPECT_EQ(Backoff::parse_retry_after("120", now), milliseconds(120000));
  EXPECT_EQ(Backoff::parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(Backoff::parse_retry_after("99999999999", now), Backoff::kMaxRetryAfter);
  EXPECT_EQ(Backoff::parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(Backoff::parse_retry_after("-5", now), std::nullopt);
  EXPECT_EQ(Backoff::parse_retry_after("soon", now), std::nullopt);
}

TEST(Backoff, ParsesRetryAfterHttpDate) {
  auto now = std::chrono::system_clock::from_time_t(1792222222);  // 2026-10-18 ...
  std::time_t later = 1792222222 + 30;
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&later));
  EXPECT_EQ(Backoff::parse_retry_after(text, now), milliseconds(30000));
  EXPECT_EQ(Backoff::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), milliseconds(0));
}

}  // namespace
}  // namespace telltale::detail
