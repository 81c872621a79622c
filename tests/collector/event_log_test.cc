// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The EventLog contract (log/event_log.h), run against each implementation:
// the embedded SQLite log and a JetStream stream on a real nats-server.
#include "log/event_log.h"

#include <gtest/gtest.h>

#include "log/open_event_log.h"
#include "log_frames.h"
#include "nats_server.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using testing::read_all;

class EventLogContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    config_.backend = GetParam();
    if (config_.backend == "jetstream") {
      nats_ = std::make_unique<telltale::testing::NatsServer>(TELLTALE_NATS_SERVER, nats_dir_.path());
      ASSERT_TRUE(nats_->start()) << nats_->log();
      config_.jetstream.servers = {nats_->url()};
    }
  }
  std::unique_ptr<EventLog> open_writer() { return open_event_log(dir_, config_, std::chrono::hours(24)); }
  std::unique_ptr<EventLog> open_reader() { return open_event_log_reader(dir_, config_); }

  static Frame frame(std::string key, uint32_t events, std::string payload, int64_t at = 1000,
                     FrameFormat format = FrameFormat::kSegmentJson) {
    Frame f;
    f.format = format;
    f.received_at_ms = at;
    f.dedup_key = std::move(key);
    f.events = events;
    f.payload.assign(payload.begin(), payload.end());
    return f;
  }
  static std::string text(const Frame& f) { return std::string(f.payload.begin(), f.payload.end()); }

  const telltale::testing::ScratchDir scratch_{"event_log"};
  const std::string& dir_ = scratch_.path();
  const telltale::testing::ScratchDir nats_dir_{"event_log_nats"};
  LogConfig config_;
  std::unique_ptr<telltale::testing::NatsServer> nats_;
};

TEST_P(EventLogContract, KeepsEachFrameAsAppendedInPositionOrder) {
  auto log = open_writer();
  EXPECT_EQ(log->last_position(), 0);
  Frame a = frame("m:1", 1, "{\"a\":1}", 1'790'000'000'123);
  Frame b = frame("b:2", 3, std::string("\0\x28\xb5\x2f\xfd binary", 12), 1'790'000'000'456, FrameFormat::kSdkBatch);
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&a, &b}, &dup).ok);
  EXPECT_EQ(dup, (std::vector<bool>{false, false}));
  const std::vector<StoredFrame> all = read_all(*log);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_LT(all[0].position, all[1].position);
  EXPECT_EQ(log->last_position(), all[1].position);
  EXPECT_EQ(log->last_appended(), all[1].position);
  ASSERT_TRUE(log->append({&a}, &dup).ok);  // a duplicate moves nothing
  EXPECT_TRUE(dup[0]);
  EXPECT_EQ(log->last_appended(), all[1].position);
  EXPECT_EQ(all[0].frame.format, FrameFormat::kSegmentJson);
  EXPECT_EQ(all[0].frame.received_at_ms, 1'790'000'000'123);
  EXPECT_EQ(all[0].frame.dedup_key, "m:1");
  EXPECT_EQ(all[0].frame.events, 1u);
  EXPECT_EQ(text(all[0].frame), "{\"a\":1}");
  EXPECT_EQ(all[1].frame.format, FrameFormat::kSdkBatch);
  EXPECT_EQ(all[1].frame.received_at_ms, 1'790'000'000'456);
  EXPECT_EQ(all[1].frame.events, 3u);
  EXPECT_EQ(text(all[1].frame), text(b));  // bytes as received, NULs and all
  EXPECT_EQ(read_all(*log, all[0].position).size(), 1u);
  EXPECT_TRUE(read_all(*log, all[1].position).empty());
}

TEST_P(EventLogContract, StoresAKeyOnceWithinAnAppendAndAcrossReopening) {
  {
    auto log = open_writer();
    Frame a = frame("b:x", 10, "p"), again = frame("b:x", 10, "p"), none = frame("", 1, "q");
    std::vector<bool> dup;
    ASSERT_TRUE(log->append({&a, &again, &none}, &dup).ok);
    EXPECT_EQ(dup, (std::vector<bool>{false, true, false}));
  }
  auto log = open_writer();
  Frame a = frame("b:x", 10, "p"), b = frame("b:y", 2, "r");
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&a, &b}, &dup).ok);
  EXPECT_EQ(dup, (std::vector<bool>{true, false}));
  const std::vector<StoredFrame> all = read_all(*log);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(text(all[0].frame), "p");
  EXPECT_EQ(text(all[1].frame), "q");
  EXPECT_EQ(text(all[2].frame), "r");
}

TEST_P(EventLogContract, AReaderFollowsWhatTheWriterAppendsInPages) {
  auto log = open_writer();
  auto reader = open_reader();
  std::vector<StoredFrame> out;
  ASSERT_TRUE(reader->read(0, 64, &out).ok);
  EXPECT_TRUE(out.empty());
  // 300 frames in appends of 50; the reader reads 64 at a time, from where
  // it stopped, while they are appended.
  std::vector<StoredFrame> seen;
  int64_t after = 0;
  for (int round = 0; round < 6; ++round) {
    std::vector<Frame> frames;
    for (int i = round * 50; i < round * 50 + 50; ++i)
      frames.push_back(frame("m:" + std::to_string(i), 1, std::to_string(i)));
    std::vector<const Frame*> pointers;
    for (const Frame& f : frames) pointers.push_back(&f);
    std::vector<bool> dup;
    ASSERT_TRUE(log->append(pointers, &dup).ok);
    for (StoredFrame& f : read_all(*reader, after, 64)) {
      after = f.position;
      seen.push_back(std::move(f));
    }
  }
  ASSERT_EQ(seen.size(), 300u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(text(seen[i].frame), std::to_string(i));
  EXPECT_EQ(reader->last_position(), after);
  // And from any earlier position again.
  const std::vector<StoredFrame> tail = read_all(*reader, seen[99].position, 64);
  ASSERT_EQ(tail.size(), 200u);
  EXPECT_EQ(text(tail.front().frame), "100");
  // A reader part way knows how far the log goes: what a follower catches up to.
  auto behind = open_reader();
  ASSERT_TRUE(behind->read(0, 10, &out).ok);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(behind->read_end(), after);
}

TEST_P(EventLogContract, AnEmptyAppendProbesTheLog) {
  auto log = open_writer();
  std::vector<bool> dup;
  EXPECT_TRUE(log->append({}, &dup).ok);
  EXPECT_TRUE(dup.empty());
  EXPECT_EQ(log->last_position(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventLogContract,
                         ::testing::ValuesIn(std::vector<std::string>(std::begin(LogConfig::kBackends),
                                                                      std::end(LogConfig::kBackends))),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace telltale::collector
