// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "event_record.h"

#include <gtest/gtest.h>

#include <string>

namespace telltale::detail {
namespace {

TEST(EventRecord, PacksTypicalEventsInline) {
  // A brace list lives only as long as the call it is written in, so a
  // Properties kept in a variable views a vector.
  std::vector<Property> props = {{"rows", 120}, {"plan", "free"}, {"ratio", 0.5}, {"admin", true}};
  size_t n = EventRecord::packed_size("acme", "u42", "Report Created", props);
  ASSERT_TRUE(EventRecord::fits_inline(n));
  EventRecord r;
  ASSERT_TRUE(r.pack(wire::EventType::kTrack, 123, "acme", "u42", "Report Created", props, n));
  EXPECT_EQ(r.heap_bytes(), 0u);

  EventRecord moved(std::move(r));
  wire::Event e;
  std::vector<wire::Property> out;
  moved.unpack(&e, &out);
  EXPECT_EQ(e.type, wire::EventType::kTrack);
  EXPECT_EQ(e.time_ms, 123);
  EXPECT_EQ(e.account, "acme");
  EXPECT_EQ(e.user, "u42");
  EXPECT_EQ(e.name, "Report Created");
  ASSERT_EQ(e.prop_count, 4u);
  EXPECT_EQ(out[0].key, "rows");
  EXPECT_EQ(out[0].value.i, 120);
  EXPECT_EQ(out[1].value.s, "free");
  EXPECT_DOUBLE_EQ(out[2].value.d, 0.5);
  EXPECT_EQ(out[3].value.type, wire::ValueType::kBool);
  EXPECT_EQ(out[3].value.i, 1);
}

TEST(EventRecord, The256ByteTypicalEventFitsInline) {
  // The SDK's promise: up to 256 bytes of ids, names and values and up to 8
  // properties allocate nothing.
  std::string big(256 - 8 * 8, 'x');
  std::vector<Property> props;
  for (int i = 0; i < 8; ++i) props.emplace_back(std::string_view("k"), int64_t{i});
  size_t n = EventRecord::packed_size(big, "", "", props);
  EXPECT_TRUE(EventRecord::fits_inline(n));
}

TEST(EventRecord, LargeEventsMoveToTheHeapAndSurviveMoves) {
  std::string big(5000, 'y');
  std::vector<Property> props = {{"blob", big}};
  size_t n = EventRecord::packed_size("a", "u", "E", props);
  ASSERT_FALSE(EventRecord::fits_inline(n));
  EventRecord r;
  ASSERT_TRUE(r.pack(wire::EventType::kIdentify, 1, "a", "u", "E", props, n));
  EXPECT_EQ(r.heap_bytes(), n);
  EventRecord other;
  other = std::move(r);
  EXPECT_EQ(r.heap_bytes(), 0u);
  wire::Event e;
  std::vector<wire::Property> out;
  other.unpack(&e, &out);
  EXPECT_EQ(out[0].value.s, big);
}

TEST(EventRecord, RefusesWhatTheWireCannotCarry) {
  std::string huge(70000, 'z');
  EXPECT_EQ(EventRecord::packed_size(huge, "", "", {}), SIZE_MAX);
  std::vector<Property> many(300, Property("k", 1));
  EXPECT_EQ(EventRecord::packed_size("a", "", "", many), SIZE_MAX);
}

}  // namespace
}  // namespace telltale::detail
