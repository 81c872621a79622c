// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// What only the JetStream log does (event_log_test.cc holds the contract
// both logs keep): its refusals at startup, and an outage of the server.
#include "log/jetstream_event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nats/nats.h>

#include <thread>

#include "log_frames.h"
#include "nats_server.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class JetStreamEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(nats_.start()) << nats_.log();
    config_.servers = {nats_.url()};
    config_.ack_timeout = 1s;
  }
  static Frame frame(std::string key, std::string payload) {
    Frame f;
    f.format = FrameFormat::kSegmentJson;
    f.received_at_ms = 1000;
    f.dedup_key = std::move(key);
    f.events = 1;
    f.payload.assign(payload.begin(), payload.end());
    return f;
  }
  static std::string open_error(const JetStreamConfig& config) {
    try {
      JetStreamEventLog::open(config);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }

  const telltale::testing::ScratchDir store_{"jetstream"};
  telltale::testing::NatsServer nats_{TELLTALE_NATS_SERVER, store_.path()};
  JetStreamConfig config_;
};

TEST_F(JetStreamEventLogTest, RefusesToStartWithoutAServerAndSaysWhere) {
  JetStreamConfig nowhere = config_;
  nats_.stop();
  nowhere.servers = {nats_.url()};
  const std::string error = open_error(nowhere);
  EXPECT_THAT(error, HasSubstr("cannot connect to NATS"));
  EXPECT_THAT(error, HasSubstr(nats_.url()));
}

TEST_F(JetStreamEventLogTest, CreatesItsStreamAndRefusesOneThatHoldsOtherSubjects) {
  config_.max_age = 48h;  // [log] retention_days = 2
  auto log = JetStreamEventLog::open(config_);
  EXPECT_THAT(log->describe(), HasSubstr("TELLTALE_FRAMES"));
  // The stream as created: file storage, the duplicate window, the retention.
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, nats_.url().c_str()), NATS_OK);
  jsCtx* js = nullptr;
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  jsStreamInfo* info = nullptr;
  ASSERT_EQ(js_GetStreamInfo(&info, js, "TELLTALE_FRAMES", nullptr, nullptr), NATS_OK);
  EXPECT_EQ(info->Config->Storage, js_FileStorage);
  EXPECT_EQ(info->Config->Duplicates, std::chrono::nanoseconds(config_.duplicate_window).count());
  EXPECT_EQ(info->Config->MaxAge, std::chrono::nanoseconds(48h).count());
  jsStreamInfo_Destroy(info);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
  JetStreamConfig other = config_;
  other.subject = "somebody.else";
  const std::string error = open_error(other);
  EXPECT_THAT(error, HasSubstr("holds subjects [telltale.frames]"));
  EXPECT_THAT(error, HasSubstr("[somebody.else]"));
}

// `telltale log stats` on a stream: what its servers say of it.
TEST_F(JetStreamEventLogTest, ItsStatsAreTheServersFigures) {
  config_.max_age = 48h;
  auto log = JetStreamEventLog::open(config_);
  JetStreamStats empty = log->stats();
  EXPECT_EQ(empty.frames, 0);
  EXPECT_EQ(empty.first_stored_ms, 0);
  Frame a = frame("m:a", "{}"), b = frame("m:b", "{\"x\":1}");
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&a, &b}, &dup).ok);
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
  const JetStreamStats st = log->stats();
  EXPECT_EQ(st.frames, 2);
  EXPECT_EQ(st.first_position, 1);
  EXPECT_EQ(st.last_position, 2);
  EXPECT_NEAR(double(st.last_stored_ms), double(now_ms), 60'000);
  EXPECT_LE(st.first_stored_ms, st.last_stored_ms);
  EXPECT_GT(st.bytes, 0);
  EXPECT_EQ(st.replicas, 1);
  EXPECT_EQ(st.consumers, 0);
  EXPECT_EQ(st.duplicate_window_ms, 120 * 60'000);
  EXPECT_EQ(st.max_age_ms, 48 * 3'600'000);
  nats_.stop();
  try {
    log->stats();
    ADD_FAILURE() << "stats without a server";
  } catch (const std::runtime_error& e) {
    // Said as the client finds it: disconnected, or an unanswered request.
    EXPECT_THAT(e.what(), ::testing::AnyOf(HasSubstr("not connected to NATS"), HasSubstr("JetStream stream ")));
  }
}

TEST_F(JetStreamEventLogTest, KeysOfAnyBytesSurviveTheTrip) {
  auto log = JetStreamEventLog::open(config_);
  Frame f = frame(std::string("b:\0\r\n:\xff id", 10), "x");
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&f}, &dup).ok);
  ASSERT_TRUE(log->append({&f}, &dup).ok);
  EXPECT_TRUE(dup[0]);
  std::vector<StoredFrame> out = testing::read_all(*log);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].frame.dedup_key, f.dedup_key);
}

TEST_F(JetStreamEventLogTest, AMessageSomeoneElsePublishedIsAFrameWithoutEvents) {
  auto log = JetStreamEventLog::open(config_);
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, nats_.url().c_str()), NATS_OK);
  jsCtx* js = nullptr;
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  ASSERT_EQ(js_Publish(nullptr, js, config_.subject.c_str(), "hello", 5, nullptr, nullptr), NATS_OK);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
  Frame after = frame("m:after", "{}");
  std::vector<bool> dup;
  ASSERT_TRUE(log->append({&after}, &dup).ok);
  std::vector<StoredFrame> out = testing::read_all(*log);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].position, 1);
  EXPECT_EQ(out[0].frame.events, 0u);
  EXPECT_TRUE(out[0].frame.payload.empty());
  EXPECT_EQ(out[1].frame.dedup_key, "m:after");
  ASSERT_TRUE(log->read(out[1].position, 10, &out).ok);
  EXPECT_TRUE(out.empty());
}

TEST_F(JetStreamEventLogTest, AnOutageFailsAppendsAndReadsWithTheReasonThenPasses) {
  auto writer = JetStreamEventLog::open(config_);
  auto reader = JetStreamEventLog::open(config_);
  Frame before = frame("m:before", "1"), during = frame("m:during", "2");
  std::vector<bool> dup;
  ASSERT_TRUE(writer->append({&before}, &dup).ok);
  std::vector<StoredFrame> out = testing::read_all(*reader);
  ASSERT_EQ(out.size(), 1u);

  nats_.stop();
  const LogStatus refused = writer->append({&during}, &dup);
  EXPECT_FALSE(refused.ok);
  EXPECT_FALSE(refused.error.empty());
  EXPECT_FALSE(writer->append({}, &dup).ok);  // the probe fails too
  EXPECT_FALSE(reader->read(out.back().position, 10, &out).ok);

  ASSERT_TRUE(nats_.start()) << nats_.log();
  bool back = false;
  for (int i = 0; i < 150 && !back; ++i) {
    back = writer->append({}, &dup).ok;
    if (!back) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(back) << "the log did not recover after the server came back";
  // The client resends what it was refused: stored once, whether or not
  // the refused append reached the stream after all.
  ASSERT_TRUE(writer->append({&during}, &dup).ok);
  std::vector<StoredFrame> all;
  for (int i = 0; i < 50 && all.size() < 2; ++i) {
    std::vector<StoredFrame> page;
    const int64_t after = all.empty() ? 0 : all.back().position;
    if (reader->read(after, 10, &page).ok)
      for (StoredFrame& f : page) all.push_back(std::move(f));
    if (all.size() < 2) std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].frame.dedup_key, "m:before");
  EXPECT_EQ(all[1].frame.dedup_key, "m:during");
}

}  // namespace
}  // namespace telltale::collector
