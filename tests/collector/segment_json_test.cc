// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "ingest/segment_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;

TEST(SegmentJson, ParsesABatchAsOneCallPerFrame) {
  IngestLimits limits;
  auto p = parse_segment(R"({"writeKey":"wk","context":{"library":{"name":"x"}},"batch":[
      {"type":"track","userId":"u1","event":"Report Created","properties":{"rows":3},"messageId":"m1"},
      {"type":"identify","anonymousId":"a1","traits":{"email":"a@b.c"}},
      {"type":"group","userId":"u1","groupId":"acme","traits":{"employees":800}}]})",
                         "", limits);
  ASSERT_TRUE(p.ok) << p.detail;
  EXPECT_EQ(p.write_key, "wk");
  ASSERT_EQ(p.calls.size(), 3u);
  EXPECT_EQ(p.calls[0].message_id, "m1");
  EXPECT_FALSE(p.calls[1].message_id.empty());  // generated
  auto first = boost::json::parse(p.calls[0].json).as_object();
  EXPECT_EQ(first.at("context").at("library").at("name"), "x");  // batch context folded in
  EXPECT_FALSE(first.contains("writeKey"));
}

TEST(SegmentJson, TheBatchsSentAtGoesIntoEachCallWithoutItsOwn) {
  IngestLimits limits;
  auto p = parse_segment(R"({"sentAt":"2026-11-23T10:00:05Z","batch":[
      {"type":"track","userId":"u1","event":"E","timestamp":"2026-11-23T10:00:00Z"},
      {"type":"track","userId":"u1","event":"E","sentAt":"2026-11-23T10:00:06Z"}]})",
                         "", limits);
  ASSERT_TRUE(p.ok) << p.detail;
  EXPECT_EQ(boost::json::parse(p.calls[0].json).at("sentAt"), "2026-11-23T10:00:05Z");
  EXPECT_EQ(boost::json::parse(p.calls[1].json).at("sentAt"), "2026-11-23T10:00:06Z");
}

TEST(SegmentJson, SingleRoutesImplyTheType) {
  IngestLimits limits;
  auto p = parse_segment(R"({"userId":"u1","event":"Pricing Page Viewed"})", "track", limits);
  ASSERT_TRUE(p.ok) << p.detail;
  EXPECT_EQ(p.calls[0].type, "track");
  auto wrong = parse_segment(R"({"type":"identify","userId":"u1"})", "track", limits);
  EXPECT_FALSE(wrong.ok);
  EXPECT_THAT(wrong.detail, HasSubstr("sent to the track route"));
}

TEST(SegmentJson, RefusesMalformedInputNamingTheCall) {
  IngestLimits limits;
  limits.max_string_bytes = 100;
  struct Case {
    const char* body;
    const char* route;
    const char* expect;
  } cases[] = {
      {"{not json", "", "invalid_json"},
      {"[1,2]", "", "invalid_json"},
      {R"({"batch":{}})", "", "invalid_batch"},
      {R"({"batch":[42]})", "", "batch[0] is not an object"},
      {R"({"batch":[{"type":"track","userId":"u"}]})", "", "batch[0]: track needs a non-empty"},
      {R"({"batch":[{"type":"track","event":"E"}]})", "", "needs a \"userId\" or an \"anonymousId\""},
      {R"({"batch":[{"type":"launch","userId":"u"}]})", "", "unknown type"},
      {R"({"userId":["u"],"event":"E"})", "track", "\"userId\" must be a string"},
      {R"({"userId":"u","event":"E","properties":[1]})", "track", "\"properties\" must be an object"},
      {R"({"userId":"u","groupId":""})", "group", "group needs a \"groupId\""},
      {R"({"userId":"u","event":"E","timestamp":5})", "track", "\"timestamp\" must be a string"},
      {R"({"userId":"u","event":"E","timestamp":"yesterday"})", "track",
       R"("timestamp" is not an ISO-8601 time (2026-11-23T10:15:00.123Z): "yesterday")"},
      {R"({"batch":[{"type":"track","userId":"u","event":"E"},
                    {"type":"track","userId":"u","event":"E","originalTimestamp":"2026-02-30T00:00:00Z"}]})", "",
       R"(batch[1]: "originalTimestamp" is not an ISO-8601 time)"},
      {R"({"sentAt":"2147483647-12-31T23:59:59Z","batch":[{"type":"track","userId":"u","event":"E"}]})", "",
       R"(batch[0]: "sentAt" is not an ISO-8601 time)"},
  };
  for (const Case& c : cases) {
    auto p = parse_segment(c.body, c.route, limits);
    EXPECT_FALSE(p.ok) << c.body;
    EXPECT_EQ(p.status, 400) << c.body;
    EXPECT_THAT(p.error + " " + p.detail, HasSubstr(c.expect)) << c.body;
    EXPECT_TRUE(p.calls.empty());
  }
}

TEST(SegmentJson, RefusesOversizedStringsWithTheirPath) {
  IngestLimits limits;
  limits.max_string_bytes = 16;
  auto p = parse_segment(R"({"userId":"u","event":"E","properties":{"note":"01234567890123456789"}})", "track",
                         limits);
  EXPECT_FALSE(p.ok);
  EXPECT_THAT(p.detail, HasSubstr("properties.note"));
}

TEST(SegmentJson, TooManyCallsIs413) {
  IngestLimits limits;
  limits.max_events_per_batch = 2;
  auto p = parse_segment(R"({"batch":[{"type":"identify","userId":"a"},{"type":"identify","userId":"b"},
                                     {"type":"identify","userId":"c"}]})",
                         "", limits);
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.status, 413);
}

}  // namespace
}  // namespace telltale::collector
