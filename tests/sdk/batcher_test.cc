// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "batcher.h"

#include <gtest/gtest.h>

#include <set>

namespace telltale::detail {
namespace {

EventRecord make(std::string_view account, Properties props = {}) {
  EventRecord r;
  size_t n = EventRecord::packed_size(account, "u1", "Report Created", props);
  r.pack(wire::EventType::kTrack, 1000, account, "u1", "Report Created", props, n);
  return r;
}

wire::DecodedBatch decode(const OutgoingBatch& b) {
  wire::BatchDecoder dec;
  wire::DecodedBatch d;
  EXPECT_TRUE(dec.decode(b.body.data(), b.body.size(), &d).ok());
  return d;
}

TEST(Batcher, IsFullAtMaxEvents) {
  Batcher b({3, 1 << 20, std::chrono::milliseconds(250), 1}, 1);
  auto now = std::chrono::steady_clock::now();
  b.add(make("a"), now);
  b.add(make("a"), now);
  EXPECT_FALSE(b.full());
  b.add(make("a"), now);
  EXPECT_TRUE(b.full());
}

TEST(Batcher, IsFullAtMaxBytes) {
  Batcher b({1000, 2048, std::chrono::milliseconds(250), 1}, 1);
  auto now = std::chrono::steady_clock::now();
  std::string big(600, 'x');
  int added = 0;
  while (!b.full()) {
    b.add(make("a", {{"blob", big + std::to_string(added)}}), now);
    ++added;
  }
  EXPECT_GE(added, 3);
  EXPECT_LE(added, 4);
}

TEST(Batcher, IsDueAfterMaxDelayFromTheFirstEvent) {
  Batcher b({1000, 1 << 20, std::chrono::milliseconds(250), 1}, 1);
  auto t0 = std::chrono::steady_clock::now();
  b.add(make("a"), t0);
  b.add(make("a"), t0 + std::chrono::milliseconds(100));
  EXPECT_EQ(b.due_at(), t0 + std::chrono::milliseconds(250));
}

TEST(Batcher, GivesUniqueMessageIdsAndBatchIds) {
  Batcher b({1000, 1 << 20, std::chrono::milliseconds(250), 1}, 7);
  auto now = std::chrono::steady_clock::now();
  std::set<std::string> message_ids, batch_ids;
  for (int batch = 0; batch < 3; ++batch) {
    for (int i = 0; i < 10; ++i) b.add(make("a"), now);
    OutgoingBatch out;
    ASSERT_TRUE(b.seal({}, &out).ok());
    EXPECT_EQ(out.events, 10u);
    EXPECT_TRUE(b.empty());
    auto d = decode(out);
    EXPECT_EQ(d.header.batch_id, out.id);
    EXPECT_EQ(d.header.sdk_name, kSdkName);
    batch_ids.insert(out.id.hex());
    for (const auto& e : d.events) message_ids.insert(e.message_id.hex());
  }
  EXPECT_EQ(batch_ids.size(), 3u);
  EXPECT_EQ(message_ids.size(), 30u);
}

TEST(Batcher, SplitKeepsMessageIdsAndOrderWithNewBatchIds) {
  Batcher b({1000, 1 << 20, std::chrono::milliseconds(250), 1}, 7);
  auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) b.add(make("acct" + std::to_string(i)), now);
  wire::ClientReport report;
  report.retried = 4;
  OutgoingBatch whole, first, second;
  ASSERT_TRUE(b.seal(report, &whole).ok());
  ASSERT_TRUE(b.split(whole, &first, &second));
  auto dw = decode(whole), d1 = decode(first), d2 = decode(second);
  ASSERT_EQ(d1.events.size() + d2.events.size(), 5u);
  EXPECT_NE(first.id, whole.id);
  EXPECT_NE(second.id, whole.id);
  EXPECT_EQ(d1.header.report.retried, 4u);
  EXPECT_EQ(d2.header.report.retried, 0u);
  for (size_t i = 0; i < 5; ++i) {
    const auto& e = i < d1.events.size() ? d1.events[i] : d2.events[i - d1.events.size()];
    EXPECT_EQ(e.message_id, dw.events[i].message_id);
    EXPECT_EQ(e.account, dw.events[i].account);
  }
}

TEST(Batcher, ASingleEventCannotBeSplit) {
  Batcher b({1000, 1 << 20, std::chrono::milliseconds(250), 1}, 7);
  b.add(make("x"), std::chrono::steady_clock::now());
  OutgoingBatch one, a, c;
  ASSERT_TRUE(b.seal({}, &one).ok());
  EXPECT_FALSE(b.split(one, &a, &c));
}

}  // namespace
}  // namespace telltale::detail
