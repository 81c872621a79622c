// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/sse.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

TEST(Sse, WhatIsWrittenReadsBack) {
  const std::string body = "retry: 500\n\n" + format_sse({"7", "created", R"({"a":1})"}) +
                           format_sse({"8", "updated", R"({"a":2})"});
  auto events = parse_sse(body);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[0].event, "created");
  EXPECT_EQ(events[0].data, R"({"a":1})");
  EXPECT_EQ(events[1].id, "8");
  EXPECT_EQ(events[1].event, "updated");
}

TEST(Sse, AnEmptyStreamAndALastEventWithoutItsBlankLine) {
  EXPECT_TRUE(parse_sse("retry: 500\n\n").empty());
  auto events = parse_sse("id: 3\nevent: closed\ndata: {}");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "closed");
}

// The stream moves a client past entries its filters skip with an id alone.
TEST(Sse, AnIdWithoutDataReadsAsAnEventWithoutData) {
  auto events = parse_sse(format_sse({"7", "created", "{}"}) + "id: 9\n\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].id, "9");
  EXPECT_TRUE(events[1].data.empty());
  EXPECT_TRUE(events[1].event.empty());
}

}  // namespace
}  // namespace telltale::collector
