// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// One engine per JetStream stream: the lease a collector's engine holds in
// NATS's key-value store, against a real nats-server. A crashed holder is
// played by a value written into the bucket directly, as its last renewal
// would have left it.
#include "log/engine_lease.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nats/nats.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "log/nats_connection.h"
#include "nats_server.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

std::string this_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

class EngineLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(nats_.start()) << nats_.log();
    stream_.servers = {nats_.url()};
    options_.time_to_live = 1500ms;  // renewed every 500 ms
    std::filesystem::create_directories(dir_a_);
    std::filesystem::create_directories(dir_b_);
  }

  // Writes the stream's lease as a holder that stopped renewing would have
  // left it (the bucket exists: a lease was taken before).
  void write_holder(const std::string& host, const std::string& data_dir, int64_t pid) {
    natsConnection* connection = connect_to_nats(stream_.servers, "test");
    jsCtx* js = nullptr;
    kvStore* kv = nullptr;
    ASSERT_EQ(natsConnection_JetStream(&js, connection, nullptr), NATS_OK);
    ASSERT_EQ(js_KeyValue(&kv, js, options_.bucket.c_str()), NATS_OK);
    const std::string value = R"({"host":")" + host + R"(","data_dir":")" + data_dir + R"(","pid":)" +
                              std::to_string(pid) + R"(,"address":"10.0.0.7:7070","since_ms":1})";
    EXPECT_EQ(kvStore_PutString(nullptr, kv, stream_.stream.c_str(), value.c_str()), NATS_OK);
    kvStore_Destroy(kv);
    jsCtx_Destroy(js);
    natsConnection_Close(connection);
    natsConnection_Destroy(connection);
  }
  // The message of a refused take(), or "" when it was not refused.
  std::string refusal(const std::string& data_dir) {
    try {
      EngineLease::take(stream_, data_dir, [](const std::string&) {}, options_);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
  std::unique_ptr<EngineLease> take(const std::string& data_dir) {
    return EngineLease::take(stream_, data_dir, [this](const std::string& why) {
      std::lock_guard<std::mutex> lock(mutex_);
      lost_ = why;
    }, options_);
  }
  std::string lost() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lost_;
  }

  const telltale::testing::ScratchDir store_{"lease-nats"};
  const telltale::testing::ScratchDir data_{"lease-data"};
  const std::string dir_a_ = data_.path() + "/a", dir_b_ = data_.path() + "/b";
  telltale::testing::NatsServer nats_{TELLTALE_NATS_SERVER, store_.path()};
  JetStreamConfig stream_;
  EngineLeaseOptions options_;
  std::mutex mutex_;
  std::string lost_;
};

TEST_F(EngineLeaseTest, TheFirstEngineHoldsTheStreamAndASecondIsRefusedWithItsName) {
  EXPECT_FALSE(EngineLease::holder(stream_, options_)) << "no bucket yet: no holder";
  auto lease = take(dir_a_);
  lease->say_address("127.0.0.1:7070");  // renewed at once
  for (int i = 0; i < 60 && EngineLease::holder(stream_, options_)->address.empty(); ++i)
    std::this_thread::sleep_for(50ms);

  const std::string why = refusal(dir_b_);
  EXPECT_THAT(why, StartsWith("stream TELLTALE_FRAMES is already followed by the engine of telltale-collector pid " +
                              std::to_string(::getpid()) + " on " + this_host() + " (data directory " + dir_a_ +
                              ", 127.0.0.1:7070), which renewed its lease "));
  EXPECT_THAT(why, HasSubstr("set [engine] enabled = false on this collector, or stop that one (its lease lapses 1 s "
                             "after it stops)"));
  const auto holder = EngineLease::holder(stream_, options_);
  ASSERT_TRUE(holder);
  EXPECT_EQ(holder->data_dir, dir_a_);
  EXPECT_EQ(holder->address, "127.0.0.1:7070");
  EXPECT_EQ(lost(), "");

  // Another stream is another lease.
  JetStreamConfig other = stream_;
  other.stream = "OTHER_FRAMES";
  EXPECT_NO_THROW(EngineLease::take(other, dir_b_, [](const std::string&) {}, options_));
}

TEST_F(EngineLeaseTest, ACleanStopFreesTheStreamAtOnce) {
  take(dir_a_).reset();
  EXPECT_FALSE(EngineLease::holder(stream_, options_));
  EXPECT_NO_THROW(take(dir_b_));
}

TEST_F(EngineLeaseTest, ARestartOnItsOwnDataDirectoryTakesTheLeaseOfItsCrashedRunAtOnce) {
  take(dir_a_).reset();  // makes the bucket
  write_holder(this_host(), dir_a_, 4242);  // the run that crashed a moment ago
  std::unique_ptr<EngineLease> lease;
  EXPECT_NO_THROW(lease = take(dir_a_));
  EXPECT_EQ(EngineLease::holder(stream_, options_)->pid, ::getpid());
}

TEST_F(EngineLeaseTest, ACrashedHoldersLeaseLapsesAndAnotherEngineTakesIt) {
  take(dir_a_).reset();
  write_holder("db-2", "/var/lib/telltale", 4242);
  EXPECT_THAT(refusal(dir_a_), HasSubstr("telltale-collector pid 4242 on db-2 (data directory /var/lib/telltale, "
                                         "10.0.0.7:7070)"));
  std::this_thread::sleep_for(2s);  // past its time to live, unrenewed
  std::unique_ptr<EngineLease> lease;
  EXPECT_NO_THROW(lease = take(dir_a_));
}

TEST_F(EngineLeaseTest, AHolderWhoseLeaseWasTakenIsToldSoOnce) {
  auto lease = take(dir_a_);
  write_holder("db-2", "/var/lib/telltale", 4242);  // as after an outage longer than the lease
  for (int i = 0; i < 40 && lost().empty(); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(lost(), "the engine's lease was taken by telltale-collector pid 4242 on db-2 (data directory "
                    "/var/lib/telltale, 10.0.0.7:7070) while this collector could not renew it");
  lease.reset();  // leaves the other's lease alone
  EXPECT_EQ(EngineLease::holder(stream_, options_)->host, "db-2");
}

TEST_F(EngineLeaseTest, ALeaseThatLapsedInAnOutageIsTakenAgainWhenNatsIsBack) {
  auto lease = take(dir_a_);
  nats_.stop();
  std::this_thread::sleep_for(2s);  // past the lease's time to live
  ASSERT_TRUE(nats_.start()) << nats_.log();
  std::optional<EngineLeaseHolder> holder;
  for (int i = 0; i < 60; ++i) {
    std::this_thread::sleep_for(100ms);
    try {
      holder = EngineLease::holder(stream_, options_);
    } catch (const std::runtime_error&) {
    }
    if (holder && holder->renewed_ms > 0) break;
  }
  ASSERT_TRUE(holder);
  EXPECT_EQ(holder->pid, ::getpid());
  EXPECT_EQ(lost(), "");
}

}  // namespace
}  // namespace telltale::collector
