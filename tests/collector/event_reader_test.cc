// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/event_reader.h"

#include <gtest/gtest.h>

#include "app/iso8601.h"
#include "log_frames.h"

namespace telltale::collector {
namespace {

TEST(EventReader, CorrectsSdkEventTimesForClockSkewAndKeepsThePropertiesTheEngineReads) {
  wire::BatchEncoder enc;
  wire::Property p{"rows", {wire::ValueType::kInt, 3, 0, {}}};
  wire::Event e;
  e.type = wire::EventType::kTrack;
  const int64_t t0 = *parse_iso8601_ms("2026-11-23T10:00:00Z");
  e.time_ms = t0;
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
  h.sent_at_ms = t0 + 500'000;  // the client's clock
  Frame f;
  f.format = FrameFormat::kSdkBatch;
  f.received_at_ms = t0 + 600'000;  // the collector's: the client is 100 s behind
  enc.finish(h, &f.payload);
  EventReader reader;
  auto out = reader.read(f);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].time_ms, t0 + 100'000);
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

// A Segment call's time when it arrived `received_at`, said by `fields`.
int64_t time_of(const std::string& fields, const char* received_at = "2026-11-23T10:00:10.000Z") {
  EventReader reader;
  const auto out = reader.read(testing::segment_frame(
      R"({"type":"track","userId":"u1","groupId":"acme","event":"Report Created")" + fields + "}",
      *parse_iso8601_ms(received_at)));
  return out.size() == 1 ? out[0].time_ms : -1;
}

TEST(EventReader, ReadsAnalyticsJsOriginalTimestampWhenNoTimestampIsSaid) {
  EXPECT_EQ(time_of(R"(,"originalTimestamp":"2026-11-23T09:00:00Z","sentAt":"2026-11-23T10:00:00Z")"),
            *parse_iso8601_ms("2026-11-23T09:00:10Z"));  // an hour queued in the browser, 10 s of skew
  EXPECT_EQ(time_of(R"(,"timestamp":"2026-11-23T08:00:00Z","originalTimestamp":"2026-11-23T09:00:00Z")"),
            *parse_iso8601_ms("2026-11-23T08:00:00Z"));
  EXPECT_EQ(time_of(R"(,"sentAt":"2026-11-23T10:00:00Z")"), *parse_iso8601_ms("2026-11-23T10:00:10Z"))
      << "no time said: the arrival's, whatever the client's clock";
}

TEST(EventReader, TakesTheArrivalForATimeBefore2000OrAfterTheArrival) {
  const int64_t arrival = *parse_iso8601_ms("2026-11-23T10:00:10Z");
  EXPECT_EQ(time_of(R"(,"timestamp":"2026-11-23T10:01:10Z")"), arrival + 60'000) << "a minute ahead is allowed";
  EXPECT_EQ(time_of(R"(,"timestamp":"2026-11-23T10:01:11Z")"), arrival) << "a clock ahead, no sentAt";
  EXPECT_EQ(time_of(R"(,"timestamp":"2027-01-01T00:00:00Z")"), arrival);
  EXPECT_EQ(time_of(R"(,"timestamp":"9999-12-31T23:59:59Z","sentAt":"9999-12-31T23:59:59Z")"),
            arrival);
  EXPECT_EQ(time_of(R"(,"timestamp":"1999-12-31T23:59:59Z")"), arrival) << "an unset clock";
  EXPECT_EQ(time_of(R"(,"timestamp":"2000-01-01T00:00:00Z")"), *parse_iso8601_ms("2000-01-01T00:00:00Z"));
  EXPECT_EQ(time_of(R"(,"timestamp":"2026-11-23T10:00:00Z","sentAt":"0001-01-01T00:00:00Z")"),
            *parse_iso8601_ms("2026-11-23T10:00:00Z")) << "a sentAt that cannot be is not a skew";
  EXPECT_EQ(time_of(R"(,"timestamp":"2000-01-01T00:00:00Z","sentAt":"2000-01-02T00:00:00Z")"), arrival - 86'400'000)
      << "a clock that was reset to 2000, corrected";
  EXPECT_EQ(time_of(R"(,"timestamp":"2000-01-01T00:00:00Z","sentAt":"2050-01-01T00:00:00Z")"), arrival)
      << "corrected to before 2000";

  // The same bounds for the SDK's batches, whose times are numbers.
  wire::BatchEncoder enc;
  wire::Event e;
  e.type = wire::EventType::kTrack;
  e.account = "acme";
  e.name = "Report Created";
  for (const int64_t t : {INT64_MIN, int64_t(-1), int64_t(0), arrival + 3'600'000, INT64_MAX, arrival - 5'000}) {
    e.time_ms = t;
    enc.add(e);
  }
  wire::BatchHeader h;
  h.sent_at_ms = INT64_MAX;
  Frame f;
  f.format = FrameFormat::kSdkBatch;
  f.received_at_ms = arrival;
  enc.finish(h, &f.payload);
  EventReader reader;
  std::vector<int64_t> times;
  for (const UsageEvent& u : reader.read(f)) times.push_back(u.time_ms);
  EXPECT_EQ(times, (std::vector<int64_t>{arrival, arrival, arrival, arrival, arrival, arrival - 5'000}));
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
