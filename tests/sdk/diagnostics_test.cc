// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "diagnostics.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace telltale::detail {
namespace {

TEST(Diagnostics, RateLimitsAndMentionsWhatItSuppressed) {
  std::vector<std::string> seen;
  Diagnostics d([&](LogLevel, std::string_view m) { seen.emplace_back(m); }, 20);
  for (int i = 0; i < 1000; ++i) d.report(LogLevel::kWarning, "boom");
  EXPECT_LE(seen.size(), 21u);
  EXPECT_GE(d.suppressed(), 979u);
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  d.report(LogLevel::kWarning, "again");
  ASSERT_FALSE(seen.empty());
  EXPECT_NE(seen.back().find("suppressed"), std::string::npos);
}

TEST(Diagnostics, SwallowsACallbackThatThrows) {
  Diagnostics d([](LogLevel, std::string_view) { throw std::runtime_error("host bug"); }, 10);
  EXPECT_NO_THROW(d.report(LogLevel::kError, "x"));
}

}  // namespace
}  // namespace telltale::detail
