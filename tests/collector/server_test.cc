// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/server.h"

#include "log/sqlite_event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "log_frames.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// /readyz (DESIGN.md: the log open, the replay done): a collector whose
// engine has not yet caught up with the log it opened says so, with how far
// it got; once the engine has, it is ready.
TEST(Server, IsReadyOnceTheEngineHasReplayedTheLogItOpened) {
  const telltale::testing::ScratchDir scratch{"server-ready"};
  {
    auto log = SqliteEventLog::open(scratch.path(), std::chrono::hours(1));
    std::vector<Frame> frames;
    for (const char* user : {"ana", "ben", "cleo"})
      frames.push_back(testing::segment_frame(std::string(R"({"type":"track","userId":")") + user +
                                              R"(","event":"Report Created","context":{"groupId":"acme"}})"));
    std::vector<const Frame*> all;
    for (const Frame& f : frames) all.push_back(&f);
    std::vector<bool> duplicate;
    ASSERT_TRUE(log->append(all, &duplicate).ok);
  }
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

}  // namespace
}  // namespace telltale::collector
