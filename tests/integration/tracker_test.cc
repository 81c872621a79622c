// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The SDK end to end against an in-process collector (TestCollector) that
// refuses, delays, resets and answers 200/413/429/500/4xx on script.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "telltale/telltale.h"
#include "test_certificate.h"
#include "test_collector.h"

namespace telltale {
namespace {

using namespace std::chrono_literals;
using testing::Reply;
using testing::RequestInfo;
using testing::TestCollector;
namespace fs = std::filesystem;

class TrackerTest : public ::testing::Test {
 protected:
  Options options() {
    Options o;
    o.endpoint = server_.endpoint();
    o.write_key = "wk_test";
    o.batch_max_delay = 20ms;
    o.retry_initial = 10ms;
    o.retry_max = 100ms;
    o.request_timeout = 2000ms;
    o.on_diagnostic = [this](LogLevel, std::string_view m) {
      std::lock_guard<std::mutex> lock(diag_mutex_);
      diagnostics_.emplace_back(m);
    };
    return o;
  }
  std::unique_ptr<Tracker> make(const Options& o) {
    Status why;
    auto t = Tracker::create(o, &why);
    EXPECT_TRUE(t) << why.message();
    return t;
  }
  // A tracker with 100 events for a collector that is down; its sender
  // backs off from `retry_initial` up to `retry_max` (full jitter).
  std::unique_ptr<Tracker> tracking_for_a_down_collector(std::chrono::milliseconds retry_initial,
                                                         std::chrono::milliseconds retry_max) {
    server_.stop();
    Options o = options();
    o.retry_initial = retry_initial;
    o.retry_max = retry_max;
    auto t = make(o);
    for (int i = 0; i < 100; ++i) t->track("a", "u", "E");
    return t;
  }
  // The same, whose sender failed and backs off for up to 20 s; the
  // collector is back.
  std::unique_ptr<Tracker> backing_off_from_a_collector_back_up() {
    auto t = tracking_for_a_down_collector(20s, 60s);
    for (int i = 0; i < 500 && t->stats().retried == 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_GT(t->stats().retried, 0u);  // it failed, and backs off
    server_.start();
    return t;
  }
  fs::path scratch_dir() {
    auto p = fs::temp_directory_path() /
             ("telltale_tracker_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(p);
    dirs_.push_back(p);
    return p;
  }
  void TearDown() override {
    for (auto& d : dirs_) fs::remove_all(d);
  }
  // Every acknowledged message id, checking none arrived twice.
  std::set<std::string> unique_message_ids() {
    std::set<std::string> ids;
    for (const auto& b : server_.batches())
      for (const auto& e : b.events) EXPECT_TRUE(ids.insert(e.message_id).second) << "duplicate " << e.message_id;
    return ids;
  }

  TestCollector server_;
  std::mutex diag_mutex_;
  std::vector<std::string> diagnostics_;
  std::vector<fs::path> dirs_;
};

TEST_F(TrackerTest, DeliversEveryEventOnceFromManyThreads) {
  auto t = make(options());
  constexpr int kThreads = 4, kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < kPerThread; ++n)
        t->track("acct" + std::to_string(n % 7), "u" + std::to_string(i), "Report Created",
                 {{"n", n}, {"plan", "free"}});
    });
  for (auto& th : threads) th.join();
  ASSERT_TRUE(t->flush(10s));
  Stats s = t->stats();
  EXPECT_EQ(s.enqueued + s.dropped_total(), uint64_t(kThreads) * kPerThread);
  EXPECT_EQ(s.acked, s.enqueued);
  EXPECT_EQ(unique_message_ids().size(), s.enqueued);
  EXPECT_GT(s.bytes_sent, 0u);
  EXPECT_EQ(s.queue_bytes, 0u);
  // Write key by HTTP Basic, Segment's convention ("wk_test:" in base64).
  EXPECT_EQ(server_.requests().front().authorization, "Basic d2tfdGVzdDo=");
  EXPECT_EQ(server_.requests().front().target, "/v1/batch");
}

TEST_F(TrackerTest, SendsTheDocumentedEventShapes) {
  auto t = make(options());
  t->track("acme", "u42", "Report Created", {{"rows", int64_t{120}}, {"plan", "free"}});
  t->identify("u42", {{"email", "ana@acme.com"}});
  t->group("acme", {{"name", "Acme"}, {"employees", int64_t{800}}, {"domain", "acme.com"}});
  t->usage("acme", "seats", 8, 10);
  ASSERT_TRUE(t->flush(5s));
  std::vector<testing::ReceivedEvent> events;
  for (const auto& b : server_.batches()) events.insert(events.end(), b.events.begin(), b.events.end());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].type, wire::EventType::kTrack);
  EXPECT_EQ(events[0].props.at("rows"), "120");
  EXPECT_EQ(events[1].type, wire::EventType::kIdentify);
  EXPECT_EQ(events[1].user, "u42");
  EXPECT_EQ(events[1].props.at("email"), "ana@acme.com");
  EXPECT_EQ(events[2].type, wire::EventType::kGroup);
  EXPECT_EQ(events[2].props.at("employees"), "800");
  EXPECT_EQ(events[3].type, wire::EventType::kUsage);
  EXPECT_EQ(events[3].name, "Usage Reported");
  EXPECT_EQ(events[3].props.at("metric"), "seats");
  EXPECT_EQ(events[3].props.at("used"), "8");
  EXPECT_EQ(events[3].props.at("limit"), "10");
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(double(events[0].time_ms), double(now_ms), 10000.0);
}

TEST_F(TrackerTest, RetriesServerErrorsWithTheSameBatchId) {
  std::atomic<int> calls{0};
  server_.set_script([&](const RequestInfo& r) {
    return testing::reply(++calls <= 3 ? 500 : 200);
  });
  auto t = make(options());
  for (int i = 0; i < 10; ++i) t->track("a", "u", "E");
  ASSERT_TRUE(t->flush(10s));
  auto requests = server_.requests();
  ASSERT_GE(requests.size(), 4u);
  EXPECT_EQ(requests[0].batch_id, requests[1].batch_id);
  EXPECT_EQ(requests[0].batch_id, requests[3].batch_id);
  EXPECT_EQ(t->stats().retried, 3u);
  EXPECT_EQ(unique_message_ids().size(), 10u);
}

TEST_F(TrackerTest, HonoursRetryAfterOn429) {
  std::vector<std::chrono::steady_clock::time_point> seen;
  std::mutex m;
  server_.set_script([&](const RequestInfo&) {
    std::lock_guard<std::mutex> lock(m);
    seen.push_back(std::chrono::steady_clock::now());
    return seen.size() == 1 ? testing::reply(429, "1") : testing::reply(200);
  });
  auto t = make(options());
  t->track("a", "u", "E");
  ASSERT_TRUE(t->flush(10s));
  std::lock_guard<std::mutex> lock(m);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_GE(seen[1] - seen[0], 950ms);  // backoff alone would retry within 100 ms
}

TEST_F(TrackerTest, SplitsABatchOn413AndKeepsMessageIds) {
  server_.set_script([](const RequestInfo& r) { return testing::reply(r.events > 8 ? 413 : 200); });
  Options o = options();
  o.batch_max_delay = 500ms;
  auto t = make(o);
  for (int i = 0; i < 50; ++i) t->track("a", "u", "E", {{"i", i}});
  ASSERT_TRUE(t->flush(10s));
  EXPECT_EQ(unique_message_ids().size(), 50u);
  for (const auto& b : server_.batches()) EXPECT_LE(b.events.size(), 8u);
}

TEST_F(TrackerTest, DropsPermanentRejectionsAndLogsOnce) {
  server_.set_script([](const RequestInfo&) { return testing::reply(401); });
  Options o = options();
  o.batch_max_events = 1;
  auto t = make(o);
  for (int i = 0; i < 5; ++i) t->track("a", "u", "E");
  EXPECT_FALSE(t->flush(5s));
  Stats s = t->stats();
  EXPECT_EQ(s.dropped_for(DropReason::kRejected), 5u);
  EXPECT_EQ(s.retried, 0u);
  std::lock_guard<std::mutex> lock(diag_mutex_);
  size_t mentions = 0;
  for (const auto& d : diagnostics_) mentions += d.find("401") != std::string::npos;
  EXPECT_EQ(mentions, 1u);
}

TEST_F(TrackerTest, SurvivesAConnectionResetMidRequest) {
  std::atomic<int> calls{0};
  server_.set_script([&](const RequestInfo&) {
    Reply r;
    r.reset = ++calls == 1;
    return r;
  });
  auto t = make(options());
  for (int i = 0; i < 20; ++i) t->track("a", "u", "E");
  ASSERT_TRUE(t->flush(10s));
  EXPECT_EQ(unique_message_ids().size(), 20u);
}

TEST_F(TrackerTest, RetriesAfterAResponseSlowerThanTheTimeout) {
  std::atomic<int> calls{0};
  server_.set_script([&](const RequestInfo&) {
    Reply r;
    if (++calls == 1) r.delay = 1500ms;
    return r;
  });
  Options o = options();
  o.request_timeout = 300ms;
  auto t = make(o);
  t->track("a", "u", "E");
  ASSERT_TRUE(t->flush(10s));
  // The slow first answer may still have been recorded: the batch id makes
  // that a duplicate the collector drops, and the message id is the same.
  std::set<std::string> batch_ids;
  for (const auto& b : server_.batches()) batch_ids.insert(b.batch_id);
  EXPECT_EQ(batch_ids.size(), 1u);
  EXPECT_GE(t->stats().retried, 1u);
}

TEST_F(TrackerTest, MemoryStaysBoundedWhileTheCollectorIsDown) {
  server_.stop();
  Options o = options();
  o.queue_capacity = 4096;
  o.max_buffer_bytes = 256 * 1024;
  auto t = make(o);
  const uint64_t bound = o.queue_capacity * 384 * 2 + o.max_buffer_bytes + 64 * 1024;
  uint64_t peak = 0;
  constexpr int kEvents = 300000;
  for (int i = 0; i < kEvents; ++i) {
    t->track("acct" + std::to_string(i % 100), "user" + std::to_string(i % 1000), "Report Created",
             {{"i", i}, {"blob", "some reasonably sized property value " + std::to_string(i)}});
    if (i % 1000 == 0) {
      peak = std::max(peak, t->stats().queue_bytes);
      std::this_thread::sleep_for(1ms);  // paced, so most events reach the retry buffer
    }
  }
  // Let the sender drain the queue into batches: what exceeds the retry
  // buffer is then dropped as buffer_full (never held in memory).
  for (int i = 0; i < 100 && t->stats().queue_bytes > o.max_buffer_bytes + 64 * 1024; ++i) {
    peak = std::max(peak, t->stats().queue_bytes);
    std::this_thread::sleep_for(50ms);
  }
  Stats s = t->stats();
  peak = std::max(peak, s.queue_bytes);
  EXPECT_LE(peak, bound);
  EXPECT_EQ(s.enqueued + s.dropped_for(DropReason::kQueueFull), uint64_t(kEvents));
  EXPECT_GT(s.dropped_for(DropReason::kBufferFull), 0u);
  EXPECT_EQ(s.acked, 0u);
  EXPECT_FALSE(t->shutdown(100ms));
}

TEST_F(TrackerTest, SpoolSurvivesARestart) {
  auto dir = scratch_dir();
  server_.stop();
  Options o = options();
  o.spool_dir = dir.string();
  {
    auto t = make(o);
    for (int i = 0; i < 300; ++i) t->track("a", "u", "E", {{"i", i}});
    EXPECT_FALSE(t->shutdown(300ms));
    Stats s = t->stats();
    EXPECT_EQ(s.spooled, 300u);
    EXPECT_EQ(s.dropped_total(), 0u);
  }
  EXPECT_FALSE(fs::is_empty(dir));
  server_.start();
  auto t = make(o);  // a new process would do the same: resend on start
  ASSERT_TRUE(server_.wait_for_events(300, 10s));
  EXPECT_EQ(unique_message_ids().size(), 300u);
  EXPECT_TRUE(t->shutdown(2s));
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST_F(TrackerTest, ResendsSpooledBatchesOnReconnectBeforeNewOnes) {
  auto dir = scratch_dir();
  server_.stop();
  Options o = options();
  o.spool_dir = dir.string();
  o.max_buffer_bytes = 64 * 1024;
  o.batch_max_events = 50;
  auto t = make(o);
  for (int i = 0; i < 20000; ++i)
    t->track("acct" + std::to_string(i), "u" + std::to_string(i), "E", {{"i", i}, {"x", std::to_string(i * 7919)}});
  for (int i = 0; i < 200 && t->stats().spooled == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GT(t->stats().spooled, 0u);
  server_.start();
  ASSERT_TRUE(t->flush(20s));
  Stats s = t->stats();
  EXPECT_EQ(unique_message_ids().size(), s.enqueued);
  EXPECT_EQ(s.acked + s.spooled, s.enqueued + s.spooled);  // every event acked, spooled ones too
}

TEST_F(TrackerTest, ShutdownReturnsWithinItsDeadline) {
  server_.set_script([](const RequestInfo&) {
    Reply r;
    r.delay = 5000ms;
    return r;
  });
  Options o = options();
  o.request_timeout = 10000ms;
  auto t = make(o);
  for (int i = 0; i < 100; ++i) t->track("a", "u", "E");
  std::this_thread::sleep_for(100ms);  // a request is now in flight
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(t->shutdown(300ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
  EXPECT_EQ(t->stats().dropped_for(DropReason::kShutdownTimeout), 100u);
}

// A collector back while the sender backs off for longer than a shutdown
// has: the shutdown tries once more before its deadline rather than drop
// (or spool) what the collector would now take.
TEST_F(TrackerTest, ShutdownTriesOnceMoreBeforeItsDeadline) {
  auto t = backing_off_from_a_collector_back_up();
  EXPECT_TRUE(t->shutdown(3s));
  EXPECT_EQ(t->stats().acked, 100u);
  EXPECT_EQ(unique_message_ids().size(), 100u);
}

// The same for a flush: a collector back in time gets the events, and the
// flush says they were delivered.
TEST_F(TrackerTest, FlushTriesOnceMoreBeforeItsDeadline) {
  auto t = backing_off_from_a_collector_back_up();
  EXPECT_TRUE(t->flush(3s));
  EXPECT_EQ(t->stats().acked, 100u);
}

TEST_F(TrackerTest, AFlushAgainstADownCollectorDoesNotBusyLoop) {
  // Not a timing test: a busy loop would burn the whole second of CPU.
  auto t = tracking_for_a_down_collector(50ms, 200ms);
  auto cpu = [] {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 + ru.ru_stime.tv_sec * 1000 +
           ru.ru_stime.tv_usec / 1000;
  };
  long before = cpu();
  EXPECT_FALSE(t->flush(1000ms));
  EXPECT_LT(cpu() - before, 400);
}

TEST_F(TrackerTest, CallsAfterShutdownAreCountedDrops) {
  auto t = make(options());
  EXPECT_TRUE(t->shutdown(2s));
  EXPECT_TRUE(t->shutdown(2s));  // idempotent
  EXPECT_FALSE(t->track("a", "u", "E"));
  EXPECT_FALSE(t->usage("a", "seats", 1, 2));
  EXPECT_FALSE(t->flush(100ms));
  EXPECT_EQ(t->stats().dropped_for(DropReason::kAfterShutdown), 2u);
}

TEST_F(TrackerTest, OversizedEventsAreDroppedAndLargeOnesDelivered) {
  Options o = options();
  o.max_event_bytes = 8192;
  auto t = make(o);
  std::string big(4000, 'b'), huge(9000, 'h');
  EXPECT_TRUE(t->track("a", "u", "Big", {{"blob", big}}));
  EXPECT_FALSE(t->track("a", "u", "Huge", {{"blob", huge}}));
  ASSERT_TRUE(t->flush(5s));
  EXPECT_EQ(t->stats().dropped_for(DropReason::kTooLarge), 1u);
  ASSERT_EQ(server_.event_count(), 1u);
  EXPECT_EQ(server_.batches()[0].events[0].props.at("blob"), big);
}

TEST_F(TrackerTest, ReportsClientSideDropsToTheCollector) {
  Options o = options();
  o.max_event_bytes = 300;
  auto t = make(o);
  std::string huge(1000, 'h');
  t->track("a", "u", "Huge", {{"blob", huge}});
  t->track("a", "u", "Fine");
  ASSERT_TRUE(t->flush(5s));
  uint64_t reported = 0;
  for (const auto& b : server_.batches()) reported += b.report.dropped[size_t(wire::DropReason::kTooLarge)];
  EXPECT_EQ(reported, 1u);
}

TEST_F(TrackerTest, SpillsToTheSpoolWhenTheHostOptsIn) {
  auto dir = scratch_dir();
  server_.stop();
  Options o = options();
  o.queue_capacity = 64;
  o.spool_dir = dir.string();
  o.overflow = OverflowPolicy::kSpill;
  auto t = make(o);
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(t->track("a", "u", "E", {{"i", i}}));
  EXPECT_EQ(t->stats().dropped_for(DropReason::kQueueFull), 0u);
  server_.start();
  ASSERT_TRUE(server_.wait_for_events(2000, 20s));
  EXPECT_EQ(unique_message_ids().size(), 2000u);
}

TEST_F(TrackerTest, AHostClockSetsEventTimes) {
  Options o = options();
  int64_t simulated = 1'700'000'000'000;
  o.event_clock = [&] { return simulated; };
  auto t = make(o);
  t->track("a", "u", "Then");
  simulated += 86'400'000;
  t->track("a", "u", "A day later");
  ASSERT_TRUE(t->flush(5s));
  std::vector<int64_t> times;
  for (const auto& b : server_.batches())
    for (const auto& e : b.events) times.push_back(e.time_ms);
  EXPECT_EQ(times, (std::vector<int64_t>{1'700'000'000'000, 1'700'086'400'000}));
}

TEST_F(TrackerTest, CreateRejectsBadOptionsWithAReason) {
  Options o = options();
  o.endpoint = "localhost:7070";
  Status why;
  EXPECT_EQ(Tracker::create(o, &why), nullptr);
  EXPECT_EQ(why.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(why.message().find("endpoint"), std::string::npos);
  EXPECT_EQ(Tracker::create(o), nullptr);  // the reason is optional
}

TEST_F(TrackerTest, AForkedChildIsInertAndNeverHangs) {
  auto t = make(options());
  t->track("a", "u", "Before fork");
  ASSERT_TRUE(t->flush(5s));
  pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(10);  // a hang kills the child, which the parent sees
    bool ok = !t->track("a", "u", "In child") && !t->flush(1s) &&
              t->stats().dropped_for(DropReason::kForked) == 1;
    t.reset();  // must not join the parent's thread or take its locks
    ::_exit(ok ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "child died from signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  t->track("a", "u", "After fork");
  ASSERT_TRUE(t->flush(5s));
  EXPECT_EQ(server_.event_count(), 2u);
}

}  // namespace
}  // namespace telltale

namespace telltale {
namespace {

// HTTPS: a certificate made for this test (openssl), trusted through
// Options::tls_ca_file; the same server is refused when only the system
// trust store is used.
class TrackerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("telltale_tls_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    cert_ = testing::make_test_certificate((dir_ / "server").string(), "127.0.0.1");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  testing::TestCertificate cert_;
};

TEST_F(TrackerTlsTest, DeliversOverHttpsAndVerifiesTheCertificate) {
  testing::TestCollector server(0, cert_.cert_file, cert_.key_file);
  ASSERT_EQ(server.endpoint().rfind("https://", 0), 0u);
  Options o;
  o.endpoint = server.endpoint();
  o.write_key = "wk_tls";
  o.batch_max_delay = 20ms;
  o.retry_initial = 10ms;
  o.tls_ca_file = cert_.cert_file;
  auto t = Tracker::create(o);
  ASSERT_TRUE(t);
  t->track("acme", "u1", "Report Created");
  ASSERT_TRUE(t->flush(5s));
  EXPECT_EQ(server.event_count(), 1u);

  std::vector<std::string> messages;
  std::mutex m;
  Options untrusted = o;
  untrusted.tls_ca_file.clear();  // the system store does not know this certificate
  untrusted.shutdown_timeout = 100ms;
  untrusted.on_diagnostic = [&](LogLevel, std::string_view msg) {
    std::lock_guard<std::mutex> lock(m);
    messages.emplace_back(msg);
  };
  auto u = Tracker::create(untrusted);
  ASSERT_TRUE(u);
  u->track("acme", "u1", "Report Created");
  EXPECT_FALSE(u->flush(500ms));
  EXPECT_EQ(server.event_count(), 1u);
  std::lock_guard<std::mutex> lock(m);
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages.front().find("certificate"), std::string::npos) << messages.front();
}

}  // namespace
}  // namespace telltale
