// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/seen_frames.h"

#include <gtest/gtest.h>

#include <string>

namespace telltale::collector {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kWindow = 24 * kHour;

SeenFrames::Key key(const std::string& dedup_key) { return *SeenFrames::key_of(dedup_key); }

TEST(SeenFrames, AKeysDigestIsItsOwnAndAnEmptyKeyHasNone) {
  EXPECT_FALSE(SeenFrames::key_of(""));
  EXPECT_EQ(key("b:0123456789abcdef"), key("b:0123456789abcdef"));
  EXPECT_NE(key("b:0123456789abcdef"), key("b:0123456789abcdeg"));
  EXPECT_NE(key("m:1"), key("m:2"));
}

TEST(SeenFrames, ACopyWithinTheWindowIsADuplicate) {
  SeenFrames seen({std::chrono::milliseconds{kWindow}});
  EXPECT_TRUE(seen.first(key("m:1"), 0));
  EXPECT_TRUE(seen.first(key("m:2"), kHour));
  // Frames go on arriving all day: the key stays remembered however many
  // generations they open.
  for (int64_t t = kHour; t < kWindow; t += kHour / 4) EXPECT_TRUE(seen.first(key("m:t" + std::to_string(t)), t));
  EXPECT_FALSE(seen.first(key("m:1"), kWindow - 1));
  EXPECT_FALSE(seen.first(key("m:2"), kWindow));
  EXPECT_EQ(seen.duplicates(), 2);
  EXPECT_EQ(seen.remembered_since_ms(), 0);
}

TEST(SeenFrames, AKeyIsForgottenAnEighthOfTheWindowAfterTheWindowAtMost) {
  SeenFrames seen({std::chrono::milliseconds{kWindow}});
  EXPECT_TRUE(seen.first(key("m:1"), 0));
  EXPECT_TRUE(seen.first(key("m:later"), kWindow + kWindow / 8));
  EXPECT_TRUE(seen.first(key("m:1"), kWindow + kWindow / 8)) << "a copy after the window is a frame of its own";
  EXPECT_EQ(seen.duplicates(), 0);
  EXPECT_EQ(seen.keys(), 2u);  // m:1's first generation is gone; its copy is remembered anew
  EXPECT_GT(seen.remembered_since_ms(), 0);
}

TEST(SeenFrames, ACollectorWhoseClockLagsDoesNotTurnTimeBack) {
  SeenFrames seen({std::chrono::milliseconds{kWindow}});
  EXPECT_TRUE(seen.first(key("m:1"), 0));
  EXPECT_TRUE(seen.first(key("m:2"), 2 * kWindow));
  // Received "long ago" by a lagging collector, yet after m:2: the set's time
  // stays at m:2's, and m:2 is still remembered.
  EXPECT_TRUE(seen.first(key("m:3"), 0));
  EXPECT_FALSE(seen.first(key("m:2"), 0));
  EXPECT_FALSE(seen.first(key("m:3"), 2 * kWindow));
}

TEST(SeenFrames, OverItsCapTheOldestKeysGoFirst) {
  constexpr size_t kCap = 800;
  SeenFrames seen({std::chrono::milliseconds{kWindow}, kCap});
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(seen.first(key("m:" + std::to_string(i)), i));
  EXPECT_LE(seen.keys(), kCap + kCap / SeenFrames::kGenerations);
  EXPECT_GE(seen.keys(), kCap - kCap / SeenFrames::kGenerations);
  EXPECT_GT(seen.remembered_since_ms(), 0) << "the window it covers is shorter, and says so";
  EXPECT_FALSE(seen.first(key("m:1999"), 2000));
  EXPECT_TRUE(seen.first(key("m:0"), 2000));
  EXPECT_GT(seen.memory_bytes(), seen.keys() * sizeof(SeenFrames::Key));
}

TEST(SeenFrames, ASavedSetDecidesAsTheOneItWasSavedFrom) {
  SeenFrames live({std::chrono::milliseconds{kWindow}, 800});
  for (int i = 0; i < 1000; ++i) live.first(key("m:" + std::to_string(i)), int64_t(i) * kHour / 10);
  SnapshotWriter w;
  live.save(w);
  SeenFrames restored({std::chrono::milliseconds{kWindow}, 800});
  SnapshotReader r(w.bytes());
  restored.load(r);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(restored.keys(), live.keys());
  EXPECT_EQ(restored.remembered_since_ms(), live.remembered_since_ms());
  SnapshotWriter again;
  restored.save(again);
  EXPECT_EQ(again.bytes(), w.bytes()) << "the same keys make the same snapshot";
  for (int i = 0; i < 1100; ++i) {
    const std::string k = "m:" + std::to_string(i);
    EXPECT_EQ(restored.first(key(k), 100 * kHour), live.first(key(k), 100 * kHour)) << k;
  }
}

TEST(SeenFrames, ACorruptSnapshotIsRefused) {
  SeenFrames seen({std::chrono::milliseconds{kWindow}});
  seen.first(key("m:1"), 0);
  SnapshotWriter w;
  seen.save(w);
  std::string bytes = w.bytes();
  bytes.pop_back();  // the last key cut short
  SnapshotReader cut(bytes);
  EXPECT_THROW(seen.load(cut), SnapshotError);
}

}  // namespace
}  // namespace telltale::collector
