// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/engine_runner.h"

#include "app/wall_clock.h"
#include "log/jetstream_event_log.h"
#include "log/sqlite_event_log.h"
#include "signals/frame_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "log_frames.h"
#include "nats_server.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class EngineRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "engine-runner-" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    log_ = SqliteEventLog::open(dir_, std::chrono::hours(1));
  }
  void TearDown() override {
    log_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Appends Segment calls (timestamps fixed, so the outcome is too),
  // arriving now: SLAs count from their arrival, so an alert's deadline is
  // a day ahead however long after its events' dates the test runs.
  int64_t append(std::initializer_list<std::string> calls) {
    std::vector<Frame> frames;
    for (const std::string& c : calls) frames.push_back(testing::segment_frame(c, wall_clock_ms()));
    std::vector<const Frame*> all;
    for (const Frame& f : frames) all.push_back(&f);
    std::vector<bool> duplicate;
    EXPECT_TRUE(log_->append(all, &duplicate).ok);
    return log_->last_position();
  }
  // Acme (or `account`, used by `user`): 800 employees (x1.5); core value 30
  // + pricing 12 = 42 points: 63, a PQL.
  int64_t append_a_qualifying_account(const std::string& account = "acme", const std::string& user = "ana") {
    const std::string who = R"({"userId":")" + user + R"(",)";
    const std::string where = R"("context":{"groupId":")" + account + R"("},)";
    return append({
        who + R"("type":"group","groupId":")" + account +
            R"(","traits":{"name":"Acme","employees":800},"timestamp":"2026-11-23T10:00:00Z"})",
        who + R"("type":"track","event":"Report Created",)" + where + R"("timestamp":"2026-11-23T10:01:00Z"})",
        who + R"("type":"track","event":"Pricing Page Viewed",)" + where + R"("timestamp":"2026-11-23T10:02:00Z"})",
    });
  }
  // A runner over this test's alerts, following the log in `log_dir` (this
  // test's own by default).
  std::unique_ptr<EngineRunner> make_runner(PqlRules rules = {}, const std::string& log_dir = "") {
    return std::make_unique<EngineRunner>(dir_, SqliteEventLog::open_read_only(log_dir.empty() ? dir_ : log_dir),
                                          std::move(rules), AlertPolicy{}, std::chrono::hours(1), SeenFramesLimits{},
                                          &metrics_);
  }
  std::vector<boost::json::object> alerts(EngineRunner& runner) {
    std::vector<boost::json::object> out;
    for (const auto& [id, body] : runner.store().list(AlertFilter{})) out.push_back(boost::json::parse(body).as_object());
    return out;
  }

  std::string dir_;
  std::unique_ptr<SqliteEventLog> log_;
  Metrics metrics_;
};

TEST_F(EngineRunnerTest, DecidesEveryFrameOfTheLogAndFollowsWhatIsAppended) {
  auto runner = make_runner();
  runner->start();
  const int64_t last = append_a_qualifying_account();
  runner->notify();
  ASSERT_TRUE(runner->wait_for_position(last, 10s));
  auto list = alerts(*runner);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("account_id"), "acme");
  EXPECT_EQ(list[0].at("score").to_number<double>(), 63);
  runner->stop();
}

// A Segment library that repeats the identify traits in every call's
// context.traits names the account's people without an identify call.
TEST_F(EngineRunnerTest, TheContextTraitsOfACallSayWhoItsUserIs) {
  auto runner = make_runner();
  runner->start();
  const int64_t last = append({
      R"({"type":"track","userId":"ana","event":"Report Created","timestamp":"2026-11-23T10:01:00Z",
          "context":{"groupId":"acme","traits":{"email":"ana@acme.com","firstName":"Ana","lastName":"Lopez"}}})",
  });
  runner->notify();
  ASSERT_TRUE(runner->wait_for_position(last, 10s));
  const auto account = boost::json::parse(*runner->account_json("acme")).as_object();
  const auto& users = account.at("users").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].at("email"), "ana@acme.com");
  EXPECT_EQ(users[0].at("name"), "Ana Lopez");
  runner->stop();
}

// Alerts decided from one log are never followed up from another, shorter
// one: that would skip its first frames in silence.
TEST_F(EngineRunnerTest, RefusesALogThatEndsBeforeItsAlerts) {
  const int64_t last = append_a_qualifying_account();
  {
    auto runner = make_runner();
    runner->start();
    ASSERT_TRUE(runner->wait_for_position(last, 10s));
    runner->stop();
  }
  const telltale::testing::ScratchDir other("engine-runner-other-log");
  SqliteEventLog::open(other.path(), std::chrono::hours(1));  // an empty log
  try {
    make_runner(PqlRules{}, other.path());
    FAIL() << "followed a log that ends before its alerts";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("decided up to log position " + std::to_string(last)));
    EXPECT_THAT(e.what(), HasSubstr("ends at 0"));
  }
}

// A restart restores the snapshot, and the open alerts' words follow the
// rules it starts with (here the summary's), not the ones they were built by.
TEST_F(EngineRunnerTest, ARestoreRewordsTheOpenAlertsWithTheCurrentRules) {
  const int64_t last = append_a_qualifying_account();
  {
    auto runner = make_runner();
    runner->start();
    ASSERT_TRUE(runner->wait_for_position(last, 10s));
    ASSERT_EQ(alerts(*runner).size(), 1u);
    EXPECT_THAT(std::string(alerts(*runner)[0].at("summary").as_string()), HasSubstr("viewed pricing once"));
    runner->stop();  // snapshots
  }
  PqlRules terse;
  terse.summary_signals = 0;
  auto runner = make_runner(terse);
  const int64_t feed = runner->store().last_feed_seq();
  runner->start();
  std::string summary;
  for (int i = 0; i < 100 && summary.find("2 more signals") == std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
    summary = std::string(alerts(*runner)[0].at("summary").as_string());
  }
  EXPECT_THAT(summary, HasSubstr("in 14 days; 2 more signals. Sales-led, medium"));
  EXPECT_EQ(alerts(*runner).size(), 1u);
  EXPECT_EQ(runner->store().last_feed_seq(), feed) << "re-wording is no news";
  runner->stop();
}

// Reps change while the collector runs (a config reload): new leads go by
// the new reps, the alerts a rep works stay theirs, and a restart with them
// keeps the snapshot (who works leads is not part of the scoring).
TEST_F(EngineRunnerTest, ARepWhoGoesAwayTakesNoNewLeadsFromTheReloadOn) {
  PqlRules dana;
  dana.owners.reps = {{"Dana", 1}};
  auto runner = make_runner(dana);
  runner->start();
  ASSERT_TRUE(runner->wait_for_position(append_a_qualifying_account(), 10s));
  EngineRunner::LifecycleRefusal refused;
  ASSERT_TRUE(runner->lifecycle(1, {LifecycleStep::Kind::kClaim, "Dana", "", "", "", ""}, &refused)) << refused.detail;
  PqlRules away = dana;
  away.owners.reps = {{"Dana", 1, true}, {"Ravi", 1}};
  EXPECT_EQ(runner->owner_rules().reps, dana.owners.reps);
  runner->set_owner_rules(away.owners);
  EXPECT_EQ(runner->owner_rules().reps, away.owners.reps);  // what the API's filters and figures read
  const int64_t last = append_a_qualifying_account("globex", "bo");
  ASSERT_TRUE(runner->wait_for_position(last, 10s));
  std::map<std::string, std::string> owner;
  for (const auto& a : alerts(*runner)) owner[std::string(a.at("account_id").as_string())] = a.at("owner").as_string();
  EXPECT_EQ(owner, (std::map<std::string, std::string>{{"acme", "Dana"}, {"globex", "Ravi"}}));
  runner->stop();  // snapshots

  runner = make_runner(away);
  runner->start();
  ASSERT_TRUE(runner->wait_for_position(last, 10s));
  EXPECT_EQ(runner->snapshot_position(), last) << "restored, not replayed from the start";
  EXPECT_EQ(alerts(*runner).size(), 2u);
  runner->stop();
}

// Lifecycle steps are not in the log: a rep's outcome after the last
// snapshot, with no event since, must survive a restart (the snapshot's
// older lifecycle must not come back and be written over it).
TEST_F(EngineRunnerTest, AStepAfterTheLastSnapshotSurvivesARestartWithoutNewEvents) {
  auto runner = make_runner();
  runner->start();
  const int64_t last = append_a_qualifying_account();
  runner->notify();
  ASSERT_TRUE(runner->wait_for_position(last, 10s));
  EngineRunner::LifecycleRefusal refused;
  ASSERT_TRUE(runner->lifecycle(1, {LifecycleStep::Kind::kClaim, "Dana", "", "", "", ""}, &refused)) << refused.detail;
  runner->stop();  // a snapshot: the alert claimed

  metrics_.engine_accounts.set(0);  // as in a new process
  runner = make_runner();
  runner->start();
  ASSERT_TRUE(runner->wait_for_position(last, 10s));
  EXPECT_EQ(metrics_.engine_accounts.value(), 1) << "/metrics tells of the restored state before any new frame";
  ASSERT_TRUE(runner->lifecycle(1, {LifecycleStep::Kind::kOutcome, "", "", "", "", "won"}, &refused)) << refused.detail;
  runner->stop();  // no event since the snapshot: none taken

  runner = make_runner();
  runner->start();
  const int64_t later = append({R"({"userId":"ana","type":"track","event":"Report Created",)"
                                R"("context":{"groupId":"acme"},"timestamp":"2026-11-23T11:00:00Z"})"});
  runner->notify();
  ASSERT_TRUE(runner->wait_for_position(later, 10s));
  const auto list = alerts(*runner);
  ASSERT_EQ(list.size(), 1u);  // within the cooldown: nothing new
  EXPECT_EQ(list[0].at("status"), "won");
  EXPECT_FALSE(runner->lifecycle(1, {LifecycleStep::Kind::kTouch, "", "call", "", "", ""}, &refused));
  EXPECT_EQ(refused.status, 409);  // closed, in the engine too
  runner->stop();
}

// JetStream forgets a frame's key after the stream's duplicate window: a
// Segment call retried later is stored again. The engine skips the copy
// live, after a restart from its snapshot, and in a replay of the stream.
TEST_F(EngineRunnerTest, ACopyJetStreamStoresAfterItsDuplicateWindowCountsOnce) {
  const telltale::testing::ScratchDir store{"engine-jetstream"};
  telltale::testing::NatsServer nats{TELLTALE_NATS_SERVER, store.path()};
  ASSERT_TRUE(nats.start()) << nats.log();
  JetStreamConfig config;
  config.servers = {nats.url()};
  config.duplicate_window = 100ms;  // the servers' least
  auto stream = JetStreamEventLog::open(config);
  const auto call = [](const std::string& message_id, const std::string& json) {
    Frame f = testing::segment_frame(json, wall_clock_ms());
    f.dedup_key = "m:" + message_id;
    return f;
  };
  const Frame pricing = call("pricing-1", R"({"userId":"ana","type":"track","event":"Pricing Page Viewed",)"
                                          R"("context":{"groupId":"acme"},"timestamp":"2026-11-23T10:02:00Z"})");
  // Stores the pricing call again once the stream has forgotten its key.
  const auto resend_pricing = [&] {
    for (int tries = 0; tries < 100; ++tries) {
      std::this_thread::sleep_for(100ms);
      std::vector<bool> duplicate;
      EXPECT_TRUE(stream->append({&pricing}, &duplicate).ok);
      if (!duplicate.empty() && !duplicate[0]) return stream->last_position();
    }
    ADD_FAILURE() << "the stream never forgot the key";
    return int64_t(0);
  };
  const Frame group = call("group-1", R"({"userId":"ana","type":"group","groupId":"acme",)"
                                      R"("traits":{"name":"Acme","employees":800},"timestamp":"2026-11-23T10:00:00Z"})");
  const Frame core = call("core-1", R"({"userId":"ana","type":"track","event":"Report Created",)"
                                    R"("context":{"groupId":"acme"},"timestamp":"2026-11-23T10:01:00Z"})");
  std::vector<bool> duplicate;
  ASSERT_TRUE(stream->append({&group, &core, &pricing}, &duplicate).ok);
  const int64_t copy = resend_pricing();
  ASSERT_EQ(copy, 4);

  const auto runner_on_stream = [&] {
    return std::make_unique<EngineRunner>(dir_, JetStreamEventLog::open(config), PqlRules{}, AlertPolicy{}, 1h,
                                          SeenFramesLimits{}, &metrics_);
  };
  // What the account's explanation says of pricing: its contribution's evidence.
  const auto pricing_evidence = [&](EngineRunner& runner) -> std::string {
    const auto account = runner.account_json("acme");
    if (!account) return "no account";
    const boost::json::value explanation = boost::json::parse(*account);
    for (const auto& c : explanation.at("contributions").as_array())
      if (c.at("signal") == "pricing_page") return std::string(c.at("evidence").as_string());
    return "no pricing contribution";
  };
  auto runner = runner_on_stream();
  runner->start();
  ASSERT_TRUE(runner->wait_for_position(copy, 10s));
  EXPECT_EQ(pricing_evidence(*runner), "viewed pricing once");
  EXPECT_EQ(metrics_.engine_duplicate_frames.value(), 1u);
  runner->stop();  // a snapshot, with the keys

  const int64_t second_copy = resend_pricing();
  runner = runner_on_stream();
  runner->start();
  ASSERT_TRUE(runner->wait_for_position(second_copy, 10s));
  EXPECT_EQ(pricing_evidence(*runner), "viewed pricing once");
  EXPECT_EQ(metrics_.engine_duplicate_frames.value(), 2u);
  runner->stop();

  // `telltale replay` of the stream decides the same.
  auto reader = JetStreamEventLog::open(config);
  SignalEngine engine{PqlRules{}};
  AlertBook book(engine, AlertPolicy{});
  ASSERT_TRUE(replay_log(*reader, SeenFramesLimits{}, engine, book, [](int64_t, const std::vector<AlertChange>&) {}).ok);
  const AccountState* acme = engine.account("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->count(RuleEvent::kPricing), 1u);
}

// The alert store cannot be written (another process holds the database's
// write lock past the busy timeout): the decisions are kept and written
// once it can, and the frames behind them are not applied a second time.
TEST_F(EngineRunnerTest, AFailedAlertWriteKeepsItsDecisionsAndAppliesNoFrameTwice) {
  const int64_t last = append_a_qualifying_account();
  auto runner = make_runner();
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/telltale.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  runner->start();
  // The runner's write waits out the busy timeout (10 s) and fails.
  EXPECT_FALSE(runner->wait_for_position(last, 12s));
  ASSERT_EQ(sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(blocker);

  // The next write (a refresh within a second) carries the kept decisions.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (alerts(*runner).empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  auto list = alerts(*runner);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("score").to_number<double>(), 63);
  // Each event counted once: one report, one pricing view.
  EXPECT_THAT(std::string(list[0].at("summary").as_string()), HasSubstr("Report Created x1"));
  EXPECT_EQ(list[0].at("metrics").at("team_size"), 1);
  runner->stop();
}

}  // namespace
}  // namespace telltale::collector
