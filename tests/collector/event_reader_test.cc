// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/event_reader.h"

#include <gtest/gtest.h>

#include "log_frames.h"

namespace telltale::collector {
namespace {

TEST(EventReader, CorrectsSdkEventTimesForClockSkewAndKeepsThePropertiesTheEngineReads) {
  wire::BatchEncoder enc;
  wire::Property p{"rows", {wire::ValueType::kInt, 3, 0, {}}};
  wire::Event e;
  e.type = wire::EventType::kTrack;
  e.time_ms = 1'000'000;
  e.account = "acme";
  e.user = "u1";
  e.name = "Report Created";
  e.props = &p;
  e.prop_count = 1;
  enc.add(e);
  const wire::Property usage[] = {{"metric", {wire::ValueType::kString, 0, 0, "seats"}},
                                  {"used", {wire::ValueType::kInt, 8, 0, {}}}};
  e.type = wire::EventType::kUsage;
  e.name = "Usage Reported";
  e.props = usage;
  e.prop_count = 2;
  enc.add(e);
  wire::BatchHeader h;
  h.sent_at_ms = 1'500'000;  // the client's clock
  Frame f;
  f.format = FrameFormat::kSdkBatch;
  f.received_at_ms = 1'600'000;  // the collector's: the client is 100 s behind
  enc.finish(h, &f.payload);
  EventReader reader;
  auto out = reader.read(f);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].time_ms, 1'100'000);
  EXPECT_EQ(out[0].account, "acme");
  EXPECT_TRUE(out[0].props.empty());  // a track's properties: the engine never reads them
  EXPECT_EQ(out[1].kind, UsageKind::kUsage);
  EXPECT_EQ(out[1].prop_string("metric"), "seats");
  EXPECT_EQ(out[1].prop("used")->i, 8);
}

TEST(EventReader, ReadsSegmentCallsWithGroupContextAndSkew) {
  std::string call = R"({"type":"track","userId":"u1","event":"Usage Reported",
      "timestamp":"2026-11-23T10:00:00.000Z","sentAt":"2026-11-23T10:00:05.000Z",
      "context":{"groupId":"acme"},"properties":{"used":7,"metric":"seats"}})";
  const Frame f = testing::segment_frame(call, *parse_iso8601_ms("2026-11-23T10:00:10.000Z"));
  EventReader reader;
  auto out = reader.read(f);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].account, "acme");
  EXPECT_EQ(out[0].time_ms, *parse_iso8601_ms("2026-11-23T10:00:05.000Z"));  // +5 s of skew
  EXPECT_EQ(out[0].kind, UsageKind::kUsage);
  EXPECT_EQ(out[0].prop("used")->i, 7);
  EXPECT_EQ(out[0].prop_string("metric"), "seats");
}

TEST(EventReader, ReadsWhoASegmentIdentifySaysTheUserIs) {
  const Frame f = testing::segment_frame(
      R"({"type":"identify","userId":"u1","traits":{"email":"ana@acme.com","firstName":"Ana"},
          "timestamp":"2026-11-23T10:00:00.000Z"})",
      *parse_iso8601_ms("2026-11-23T10:00:01.000Z"));
  EventReader reader;
  auto out = reader.read(f);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, UsageKind::kIdentify);
  EXPECT_EQ(out[0].user, "u1");
  EXPECT_EQ(out[0].prop_string("email"), "ana@acme.com");
  EXPECT_EQ(out[0].prop_string("firstName"), "Ana");
}

TEST(EventReader, ReadsWhoTheUserIsFromTheContextTraitsOfOtherCalls) {
  const Frame f = testing::segment_frame(
      R"({"type":"track","userId":"u1","event":"Report Created","timestamp":"2026-11-23T10:00:00.000Z",
          "context":{"groupId":"acme","traits":{"email":"ana@acme.com","name":"Ana Lopez","plan":"pro"}}})",
      *parse_iso8601_ms("2026-11-23T10:00:01.000Z"));
  EventReader reader;
  auto out = reader.read(f);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, UsageKind::kIdentify);
  EXPECT_EQ(out[0].user, "u1");
  EXPECT_EQ(out[0].time_ms, out[1].time_ms);
  EXPECT_EQ(out[0].prop_string("email"), "ana@acme.com");
  EXPECT_EQ(out[0].prop_string("name"), "Ana Lopez");
  EXPECT_EQ(out[0].prop("plan"), nullptr) << "only what the engine keeps of an identify";
  EXPECT_EQ(out[1].kind, UsageKind::kTrack);
  EXPECT_EQ(out[1].account, "acme");
  EXPECT_EQ(out[1].name, "Report Created");

  // Traits that say nothing of who the user is add nothing.
  const Frame plain = testing::segment_frame(
      R"({"type":"track","userId":"u1","event":"Report Created","context":{"traits":{"plan":"pro"}}})");
  ASSERT_EQ(reader.read(plain).size(), 1u);
  EXPECT_EQ(reader.read(plain)[0].kind, UsageKind::kTrack);
}

TEST(EventReader, ParsesTimestampsWithOffsets) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00.250Z"), 250);
  EXPECT_FALSE(parse_iso8601_ms("yesterday"));
}

TEST(EventReader, CountsFramesThatNoLongerDecode) {
  Frame f;
  f.format = FrameFormat::kSdkBatch;
  f.payload = {1, 2, 3};
  EventReader reader;
  EXPECT_TRUE(reader.read(f).empty());
  EXPECT_EQ(reader.undecodable(), 1u);
}

}  // namespace
}  // namespace telltale::collector
