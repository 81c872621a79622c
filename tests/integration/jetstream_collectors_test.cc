// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Collectors on one JetStream log, as real processes: an ingest-only
// collector takes events, the collector that runs the engine raises the
// alert; each survives the NATS server going away and a kill -9.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nats/nats.h>
#include <signal.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <fstream>
#include <tuple>
#include <thread>

#include "child_process.h"
#include "collector_process.h"
#include "log/jetstream_event_log.h"
#include "log/nats_connection.h"
#include "nats_server.h"
#include "scratch_dir.h"
#include "telltale/telltale.h"

namespace telltale {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::CollectorProcess;
using testing::http_request;

const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

// Acme: 800 employees (x1.5); core value 30 + pricing 12 = 42 points: 63, a PQL.
const std::string kQualifyingBatch = R"({"batch":[
  {"type":"group","messageId":"g1","userId":"ana","groupId":"acme","traits":{"name":"Acme","employees":800},"timestamp":"2026-11-23T10:00:00Z"},
  {"type":"track","messageId":"t1","userId":"ana","event":"Report Created","context":{"groupId":"acme"},"timestamp":"2026-11-23T10:01:00Z"},
  {"type":"track","messageId":"t2","userId":"ana","event":"Pricing Page Viewed","context":{"groupId":"acme"},"timestamp":"2026-11-23T10:02:00Z"}]})";

class JetStreamCollectors : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(nats_.start()) << nats_.log(); }
  // A collector on the stream; `engine` false: ingest only.
  std::string config_of(const std::string& name) const { return scratch_.path() + "/" + name + ".toml"; }
  std::unique_ptr<CollectorProcess> collector(const std::string& name, bool engine) {
    const std::string dir = scratch_.path() + "/" + name, config = config_of(name);
    std::filesystem::create_directories(scratch_.path());
    std::ofstream(config) << testing::jetstream_collector_config(nats_, engine);
    return std::make_unique<CollectorProcess>(TELLTALE_COLLECTOR_BINARY, dir,
                                              std::vector<std::string>{"--config", config});
  }
  // The alerts `c` lists, waiting up to 15 s for at least `least`.
  static boost::json::array alerts(const CollectorProcess& c, size_t least) {
    boost::json::array list;
    for (int i = 0; i < 150; ++i) {
      auto res = http_request(c.port(), "GET", "/v1/alerts");
      if (res.status == 200) list = boost::json::parse(res.body).at("alerts").as_array();
      if (list.size() >= least) break;
      std::this_thread::sleep_for(100ms);
    }
    return list;
  }
  static int ready(const CollectorProcess& c) { return http_request(c.port(), "GET", "/readyz").status; }

  const telltale::testing::ScratchDir scratch_{"jetstream_collectors"};
  const telltale::testing::ScratchDir nats_dir_{"jetstream_collectors_nats"};
  telltale::testing::NatsServer nats_{TELLTALE_NATS_SERVER, nats_dir_.path()};
};

TEST_F(JetStreamCollectors, OneIngestsTheOtherRaisesTheAlertAndBothRideOutAnOutage) {
  auto engine = collector("engine", true);
  auto ingest = collector("ingest", false);
  ASSERT_TRUE(engine->start()) << engine->log();
  ASSERT_TRUE(ingest->start()) << ingest->log();
  EXPECT_THAT(ingest->log(), HasSubstr("ingest only"));

  auto sent = http_request(ingest->port(), "POST", "/v1/batch", kJson, kQualifyingBatch);
  ASSERT_EQ(sent.status, 200) << sent.body << ingest->log();
  EXPECT_THAT(sent.body, HasSubstr("\"accepted\":3"));
  boost::json::array raised = alerts(*engine, 1);
  ASSERT_EQ(raised.size(), 1u) << engine->log();
  EXPECT_EQ(raised[0].at("account_id"), "acme");
  // The ingest-only collector says where alerts are not, and where they are.
  auto none = http_request(ingest->port(), "GET", "/v1/alerts");
  EXPECT_EQ(none.status, 404);
  EXPECT_THAT(none.body, HasSubstr("no_engine"));
  EXPECT_THAT(none.body, HasSubstr("ask the one that runs the engine: telltale-collector pid " +
                                   std::to_string(engine->pid()) + " on "));
  EXPECT_THAT(none.body, HasSubstr("127.0.0.1:" + std::to_string(engine->port()) + ")"));
  EXPECT_EQ(http_request(ingest->port(), "GET", "/metrics").status, 200);
  // The tool reads the stream its config names.
  const std::string tool = std::string(TELLTALE_CLI_BINARY);
  auto [tail_status, tail] = testing::run_command(tool + " log tail --config " + config_of("engine"));
  EXPECT_EQ(tail_status, 0) << tail;
  EXPECT_THAT(tail, HasSubstr("Pricing Page Viewed"));
  auto [replay_status, replayed] = testing::run_command(tool + " replay --config " + config_of("engine") +
                                                        " --data-dir " + scratch_.path() + "/engine");
  EXPECT_EQ(replay_status, 0) << replayed;
  EXPECT_THAT(replayed, HasSubstr("3 frames replayed; live alerts: 1 on 1 accounts"));
  // Either collector knows what the stream holds already.
  auto again = http_request(engine->port(), "POST", "/v1/batch", kJson, kQualifyingBatch);
  EXPECT_EQ(again.status, 200);
  EXPECT_THAT(again.body, HasSubstr("\"duplicates\":3"));

  // NATS goes away: ingest is not ready (before any request fails) and
  // refuses (503), then recovers.
  nats_.stop();
  int unready = 0;
  for (int i = 0; i < 50 && unready != 503; ++i) {
    unready = ready(*ingest);
    if (unready != 503) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(unready, 503);
  const std::string late = R"({"type":"track","messageId":"t3","userId":"ana","event":"Report Created",)"
                           R"("context":{"groupId":"acme"},"timestamp":"2026-11-23T10:03:00Z"})";
  auto refused = http_request(ingest->port(), "POST", "/v1/track", kJson, late);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("NATS"));
  EXPECT_EQ(ready(*ingest), 503);
  ASSERT_TRUE(nats_.start()) << nats_.log();
  int status = 0;
  for (int i = 0; i < 150 && status != 200; ++i) {
    status = ready(*ingest);
    if (status != 200) std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(status, 200) << ingest->log();
  auto resent = http_request(ingest->port(), "POST", "/v1/track", kJson, late);
  ASSERT_EQ(resent.status, 200) << resent.body;

  // The engine's collector dies and comes back: it resumes where its store
  // was, raising nothing twice and missing nothing.
  engine->signal(SIGKILL);
  engine->wait_exit(5s);
  ASSERT_TRUE(engine->start()) << engine->log();
  EXPECT_EQ(alerts(*engine, 1).size(), 1u);
  // The stream holds four frames (three calls, then the late one; the
  // resent batch was a duplicate): the engine consumes them all.
  std::string metrics;
  for (int i = 0; i < 150; ++i) {
    metrics = http_request(engine->port(), "GET", "/metrics").body;
    if (metrics.find("\ntelltale_engine_position 4\n") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_THAT(metrics, HasSubstr("\ntelltale_engine_position 4\n"));
  EXPECT_THAT(metrics, HasSubstr("\ntelltale_engine_lag_frames 0\n"));  // caught up with the stream
  EXPECT_EQ(http_request(engine->port(), "GET", "/v1/accounts/acme").status, 200);
}

// One engine per stream: a second collector running the engine on the
// stream, from another data directory, would raise every alert again; it is
// refused, naming the first, until the first stops.
TEST_F(JetStreamCollectors, ASecondEngineOnTheStreamIsRefusedUntilTheFirstStops) {
  auto first = collector("engine", true);
  ASSERT_TRUE(first->start()) << first->log();
  auto second = collector("second", true);
  const auto [refused, why] = testing::run_command("timeout 10 " + std::string(TELLTALE_COLLECTOR_BINARY) +
                                                   " --listen 127.0.0.1:0 --config " + config_of("second") +
                                                   " --data-dir " + scratch_.path() + "/second 2>&1");
  EXPECT_EQ(refused, 1) << why;
  EXPECT_THAT(why, HasSubstr("error stream TELLTALE_FRAMES is already followed by the engine of telltale-collector "
                             "pid " + std::to_string(first->pid()) + " on "));
  EXPECT_THAT(why, HasSubstr("(data directory " + scratch_.path() + "/engine, 127.0.0.1:" +
                             std::to_string(first->port()) + "), which renewed its lease "));
  EXPECT_THAT(why, HasSubstr("run one engine per stream: set [engine] enabled = false on this collector"));
  // The tool says which collector raises the stream's alerts.
  const std::string stats = std::string(TELLTALE_CLI_BINARY) + " log stats --config " + config_of("engine");
  auto [status, said] = testing::run_command(stats);
  EXPECT_EQ(status, 0) << said;
  EXPECT_THAT(said, HasSubstr("  engine            telltale-collector pid " + std::to_string(first->pid())));
  // Stopped cleanly, the first frees the stream at once.
  first->signal(SIGTERM);
  EXPECT_EQ(WEXITSTATUS(first->wait_exit(10s)), 0);
  std::tie(status, said) = testing::run_command(stats);
  EXPECT_THAT(said, HasSubstr("  engine            none holds the stream's lease"));
  ASSERT_TRUE(second->start()) << second->log();
  std::tie(status, said) = testing::run_command(stats);
  EXPECT_THAT(said, HasSubstr("(data directory " + scratch_.path() + "/second, 127.0.0.1:"));

  // Its lease taken by another engine (as when it could not renew it for
  // longer than the lease lives), it stops at its next renewal rather than
  // raise alerts beside the other.
  natsConnection* connection = collector::connect_to_nats({nats_.url()}, "test");
  jsCtx* js = nullptr;
  kvStore* kv = nullptr;
  ASSERT_EQ(natsConnection_JetStream(&js, connection, nullptr), NATS_OK);
  ASSERT_EQ(js_KeyValue(&kv, js, "TELLTALE_ENGINES"), NATS_OK);
  EXPECT_EQ(kvStore_PutString(nullptr, kv, "TELLTALE_FRAMES",
                              R"({"host":"db-2","data_dir":"/var/lib/telltale","pid":4242,"address":"10.0.0.7:7070"})"),
            NATS_OK);
  kvStore_Destroy(kv);
  jsCtx_Destroy(js);
  natsConnection_Close(connection);
  natsConnection_Destroy(connection);
  EXPECT_EQ(WEXITSTATUS(second->wait_exit(15s)), 1) << second->log();
  EXPECT_THAT(second->log(), HasSubstr("error the engine's lease was taken by telltale-collector pid 4242 on db-2 "
                                       "(data directory /var/lib/telltale, 10.0.0.7:7070) while this collector could "
                                       "not renew it; stopping, so that one engine alone raises the alerts\n"));
}

// SDK batches (binary batch ids) through an ingest-only collector into the
// stream: every event once, every batch once.
TEST_F(JetStreamCollectors, TheSdkDeliversEveryEventIntoTheStreamOnce) {
  auto ingest = collector("ingest", false);
  ASSERT_TRUE(ingest->start()) << ingest->log();
  Options o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(ingest->port());
  o.write_key = "wk_test";
  o.batch_max_delay = 10ms;
  auto tracker = Tracker::create(o);
  for (int n = 0; n < 3000; ++n) tracker->track("acct" + std::to_string(n % 30), "u" + std::to_string(n % 90), "E");
  ASSERT_TRUE(tracker->flush(20s));
  EXPECT_EQ(tracker->stats().acked, 3000u);

  collector::JetStreamConfig config;
  config.servers = {nats_.url()};
  auto log = collector::JetStreamEventLog::open(config);
  std::map<std::string, int> batches;
  uint64_t events = 0;
  std::vector<collector::StoredFrame> frames;
  int64_t after = 0;
  do {
    ASSERT_TRUE(log->read(after, 64, &frames).ok);
    for (const auto& f : frames) {
      EXPECT_EQ(f.frame.format, collector::FrameFormat::kSdkBatch);
      EXPECT_EQ(f.frame.dedup_key.size(), 18u);  // "b:" and the 16 bytes of the batch id
      ++batches[f.frame.dedup_key];
      events += f.frame.events;
      after = f.position;
    }
  } while (!frames.empty());
  EXPECT_EQ(events, 3000u);
  for (const auto& [key, times] : batches) EXPECT_EQ(times, 1);
}

}  // namespace
}  // namespace telltale
