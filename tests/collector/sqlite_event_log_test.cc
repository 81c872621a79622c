// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/sqlite_event_log.h"

#include <gtest/gtest.h>

#include "scratch_dir.h"

namespace telltale::collector {
namespace {

class SqliteEventLogTest : public ::testing::Test {
 protected:

  static Frame frame(std::string key, uint32_t events, std::string payload, int64_t at = 1000) {
    Frame f;
    f.format = FrameFormat::kSegmentJson;
    f.received_at_ms = at;
    f.dedup_key = std::move(key);
    f.events = events;
    f.payload.assign(payload.begin(), payload.end());
    return f;
  }

  const telltale::testing::ScratchDir scratch_{"log_test"};
  const std::string& dir_ = scratch_.path();
};

// (event_log_test.cc holds the contract both logs keep.)
TEST_F(SqliteEventLogTest, CountsStoredFramesAndEventsNotDuplicates) {
  {
    auto log = SqliteEventLog::open(dir_, std::chrono::hours(24));
    Frame a = frame("b:x", 10, "p"), again = frame("b:x", 10, "p"), none = frame("", 1, "q");
    std::vector<bool> dup;
    ASSERT_TRUE(log->append({&a, &again, &none}, &dup).ok);
    EXPECT_EQ(dup, (std::vector<bool>{false, true, false}));
  }
  auto log = SqliteEventLog::open(dir_, std::chrono::hours(24));
  Frame a = frame("b:x", 10, "p");
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&a}, &dup).ok);
  EXPECT_TRUE(dup[0]);
  EXPECT_EQ(log->stats().frames, 2);
  EXPECT_EQ(log->stats().events, 11);
}

TEST_F(SqliteEventLogTest, ForgetsIdsPastTheWindow) {
  auto log = SqliteEventLog::open(dir_, std::chrono::hours(1));
  Frame old = frame("m:old", 1, "o", 0), fresh = frame("m:new", 1, "n", 3'600'000);
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&old, &fresh}, &dup).ok);
  EXPECT_EQ(log->expire_seen_ids(3'600'001), 1);
  Frame again = frame("m:old", 1, "o", 3'600'002);
  ASSERT_TRUE(log->append({&again}, &dup).ok);
  EXPECT_FALSE(dup[0]);  // past the window it is new again
}

// Retention deletes the frames received before a time, only up to the
// position a snapshot covers, and positions are never given twice.
TEST_F(SqliteEventLogTest, RetentionDeletesOldFramesUpToAPositionAndKeepsPositions) {
  auto log = SqliteEventLog::open(dir_, std::chrono::hours(24));
  Frame f1 = frame("", 1, "a", 1000), f2 = frame("", 1, "b", 2000), f3 = frame("", 1, "c", 3000),
        f4 = frame("", 1, "d", 4000);
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&f1, &f2, &f3, &f4}, &dup).ok);
  EXPECT_EQ(log->expire_frames(3500, /*up_to=*/2, std::chrono::seconds(1)), 2);  // 3 is past the snapshot
  EXPECT_EQ(log->expire_frames(3500, 4, std::chrono::seconds(1)), 1);             // 4 is too new
  std::vector<StoredFrame> kept;
  ASSERT_TRUE(log->read(0, 10, &kept).ok);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].position, 4);
  EXPECT_EQ(log->expire_frames(5000, 4, std::chrono::seconds(1)), 1);
  EXPECT_EQ(log->last_position(), 4) << "an emptied log still ends where it ended";
  EXPECT_EQ(SqliteEventLog::open_read_only(dir_)->last_position(), 4);
  Frame f5 = frame("", 1, "e", 6000);
  ASSERT_TRUE(log->append({&f5}, &dup).ok);
  EXPECT_EQ(log->last_position(), 5);
  EXPECT_EQ(log->expire_frames(5000, 5, std::chrono::seconds(1)), 0);
}

TEST_F(SqliteEventLogTest, ReadersSeeWhatTheWriterCommitted) {
  auto log = SqliteEventLog::open(dir_, std::chrono::hours(24));
  auto reader = SqliteEventLog::open_read_only(dir_);
  Frame a = frame("", 1, "x");
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&a}, &dup).ok);
  EXPECT_EQ(reader->last_position(), 1);
  EXPECT_THROW(SqliteEventLog::open_read_only(dir_ + "/missing"), std::runtime_error);
}

}  // namespace
}  // namespace telltale::collector
