// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/server.h"

#include "log/sqlite_event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "log_frames.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Appends one Segment track call per user to the SQLite log in `dir`,
// received at `received_at_ms`.
void append_tracks(const std::string& dir, std::initializer_list<const char*> users, int64_t received_at_ms) {
  auto log = SqliteEventLog::open(dir, std::chrono::hours(1));
  std::vector<Frame> frames;
  for (const char* user : users)
    frames.push_back(testing::segment_frame(std::string(R"({"type":"track","userId":")") + user +
                                                R"(","event":"Report Created","context":{"groupId":"acme"}})",
                                            received_at_ms));
  std::vector<const Frame*> all;
  for (const Frame& f : frames) all.push_back(&f);
  std::vector<bool> duplicate;
  ASSERT_TRUE(log->append(all, &duplicate).ok);
}

// /readyz (DESIGN.md: the log open, the replay done): a collector whose
// engine has not yet caught up with the log it opened says so, with how far
// it got; once the engine has, it is ready.
TEST(Server, IsReadyOnceTheEngineHasReplayedTheLogItOpened) {
  const telltale::testing::ScratchDir scratch{"server-ready"};
  append_tracks(scratch.path(), {"ana", "ben", "cleo"}, 0);
  Config config;
  config.listen = "127.0.0.1:0";
  config.data_dir = scratch.path();
  Server server(config);
  // Not started: the engine has replayed nothing of the 3 frames.
  EXPECT_EQ(server.not_ready(), "the engine is replaying the log: position 0 of 3");
  server.start();
  ASSERT_TRUE(server.engine().wait_for_position(3, 10s));
  EXPECT_EQ(server.not_ready(), "");
  server.stop();
}

// [log] retention_days: frames received longer ago than that are deleted
// (by the committer's maintenance, its first run 5 s after start) once a
// snapshot covers them; newer ones stay, and the engine loses nothing.
TEST(Server, RetentionDeletesOldFramesOnceASnapshotCoversThem) {
  const telltale::testing::ScratchDir scratch{"server-retention"};
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  append_tracks(scratch.path(), {"ana", "ben", "cleo"}, now_ms - 10 * 24 * 3600 * 1000LL);
  append_tracks(scratch.path(), {"dee"}, now_ms);
  Config config;
  config.listen = "127.0.0.1:0";
  config.data_dir = scratch.path();
  config.log.retention_days = 7;
  config.snapshot_every_seconds = 1;
  Server server(config);
  server.start();
  ASSERT_TRUE(server.engine().wait_for_position(4, 10s));
  for (int i = 0; i < 150 && server.metrics().frames_expired.value() < 3; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(server.metrics().frames_expired.value(), 3u);
  EXPECT_GE(server.engine().snapshot_position(), 3);
  server.stop();
  auto log = SqliteEventLog::open_read_only(scratch.path());
  std::vector<StoredFrame> kept;
  ASSERT_TRUE(log->read(0, 10, &kept).ok);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].position, 4);
  EXPECT_EQ(log->last_position(), 4);
}

}  // namespace
}  // namespace telltale::collector
