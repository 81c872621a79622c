// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// AlertStore's feed listing (what GET /v1/alerts reads): the filters, both
// orders and both cursors, and pages that meet without a gap or a repeat;
// reads beside a write that waits; a read-only store refusing writes.
#include "alerts/alert_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "log/sqlite_db.h"
#include "log/sqlite_event_log.h"
#include "scratch_dir.h"

namespace telltale::collector {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kHour = 3'600'000;

class AlertStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = SqliteEventLog::open(dir_, std::chrono::hours(1));  // creates the database
    store_ = AlertStore::open(dir_);
  }

  // Creates alerts 1..n, alert i raised at hour i, due 4 hours later: odd
  // ids sales-led and owned by Dana, even ones self-serve; alert 3 claimed;
  // alert 1 touched after an hour, alert 5 after 5 hours. Alert 5's events
  // took 2 hours to arrive: it happened at hour 3, but was raised at hour 5.
  void create(int n) {
    std::vector<AlertChange> changes;
    for (int i = 1; i <= n; ++i) {
      auto a = std::make_shared<Alert>();
      a->account_id = "acct-" + std::to_string(i);
      a->priority = "medium";
      a->route = i % 2 ? "sales-led" : "self-serve";
      a->owner = i % 2 ? "Dana" : "";
      a->status = i == 3 ? "claimed" : "open";
      a->raised_at_ms = i * kHour;
      a->created_at_ms = i == 5 ? 3 * kHour : a->raised_at_ms;
      a->sla_due_ms = a->raised_at_ms + 4 * kHour;
      if (i == 1) a->first_touch_ms = a->raised_at_ms + kHour;
      if (i == 5) a->first_touch_ms = a->raised_at_ms + 5 * kHour;
      changes.push_back({AlertChange::Kind::kCreated, a, "created", true});
    }
    std::vector<int64_t> ids;
    std::string error;
    ASSERT_TRUE(store_->apply(changes, 1, &ids, &error)) << error;
    ASSERT_EQ(ids.size(), size_t(n));
  }

  // The ids of the alerts `filter` lists, in the order listed.
  std::vector<int64_t> ids(const AlertFilter& filter) {
    std::vector<int64_t> out;
    for (const auto& [id, body] : store_->list(filter)) {
      EXPECT_EQ(boost::json::parse(body).at("id").as_int64(), id) << "the body carries its id";
      out.push_back(id);
    }
    return out;
  }

  const telltale::testing::ScratchDir scratch_{"alert_store_test"};
  const std::string& dir_ = scratch_.path();
  std::unique_ptr<SqliteEventLog> log_;
  std::unique_ptr<AlertStore> store_;
};

TEST_F(AlertStoreTest, ListsOldestFirstFromTheCursor) {
  create(6);
  EXPECT_THAT(ids({}), ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(ids({.after = 4}), ElementsAre(5, 6));
  EXPECT_THAT(ids({.after = 1, .limit = 2}), ElementsAre(2, 3));
  EXPECT_THAT(ids({.after = 6}), ElementsAre());
}

TEST_F(AlertStoreTest, ListsNewestFirstBackFromTheCursor) {
  create(6);
  EXPECT_THAT(ids({.newest_first = true, .limit = 2}), ElementsAre(6, 5));
  EXPECT_THAT(ids({.before = 5, .newest_first = true, .limit = 2}), ElementsAre(4, 3));
  EXPECT_THAT(ids({.before = 3, .newest_first = true, .limit = 2}), ElementsAre(2, 1));
  EXPECT_THAT(ids({.before = 1, .newest_first = true}), ElementsAre());
  // Both cursors: the alerts between them.
  EXPECT_THAT(ids({.after = 2, .before = 5}), ElementsAre(3, 4));
}

TEST_F(AlertStoreTest, PagesMeetWithoutGapsOrRepeatsInEitherOrder) {
  create(7);
  for (bool newest_first : {false, true}) {
    std::vector<int64_t> seen;
    AlertFilter page{.newest_first = newest_first, .limit = 3};
    for (;;) {
      const std::vector<int64_t> got = ids(page);
      if (got.empty()) break;
      seen.insert(seen.end(), got.begin(), got.end());
      (newest_first ? page.before : page.after) = got.back();  // the answer's `next`
    }
    if (newest_first) EXPECT_THAT(seen, ElementsAre(7, 6, 5, 4, 3, 2, 1));
    else EXPECT_THAT(seen, ElementsAre(1, 2, 3, 4, 5, 6, 7));
  }
}

TEST_F(AlertStoreTest, FiltersHoldInEitherOrder) {
  create(6);
  EXPECT_THAT(ids({.route = "sales-led"}), ElementsAre(1, 3, 5));
  EXPECT_THAT(ids({.route = "sales-led", .newest_first = true}), ElementsAre(5, 3, 1));
  EXPECT_THAT(ids({.owner = "Dana", .before = 5, .newest_first = true}), ElementsAre(3, 1));
  EXPECT_THAT(ids({.status = "claimed"}), ElementsAre(3));
  EXPECT_THAT(ids({.status = "open", .route = "self-serve", .newest_first = true, .limit = 2}), ElementsAre(6, 4));
}

// An account's alerts (its story's history, GET /v1/alerts?account=), in
// the account's index, with the other filters and cursors.
TEST_F(AlertStoreTest, ListsAnAccountsAlertsInEitherOrder) {
  create(6);
  std::vector<AlertChange> again;
  for (int i = 0; i < 2; ++i) {
    auto a = std::make_shared<Alert>();
    a->account_id = "acct-3";
    a->priority = "high";
    a->route = "sales-led";
    again.push_back({AlertChange::Kind::kCreated, a, "created", true});
  }
  std::vector<int64_t> created;
  std::string error;
  ASSERT_TRUE(store_->apply(again, 2, &created, &error)) << error;
  EXPECT_THAT(ids({.account = "acct-3"}), ElementsAre(3, 7, 8));
  EXPECT_THAT(ids({.account = "acct-3", .newest_first = true, .limit = 2}), ElementsAre(8, 7));
  EXPECT_THAT(ids({.status = "open", .account = "acct-3"}), ElementsAre(7, 8));  // 3 is claimed
  EXPECT_THAT(ids({.account = "acct-3", .after = 3}), ElementsAre(7, 8));
  EXPECT_THAT(ids({.account = "acct-9"}), ElementsAre());
}

// GET /v1/stats reads the figures of the alerts its filter picks.
TEST_F(AlertStoreTest, FiguresAreOfTheAlertsTheFilterPicks) {
  create(6);
  auto stats = [&](const StatsFilter& filter) { return boost::json::value(store_->stats(filter, 100 * kHour)); };
  const boost::json::value all = stats({});
  EXPECT_EQ(all.at("pql_volume").at("sales-led").at("medium").as_int64(), 3);
  EXPECT_EQ(all.at("pql_volume").at("self-serve").at("medium").as_int64(), 3);
  EXPECT_EQ(all.at("sla").at("due").as_int64(), 3);
  EXPECT_EQ(all.at("sla").at("touched_in_time").as_int64(), 1);
  EXPECT_EQ(all.at("sla").at("breached").as_int64(), 2);  // 3 never touched, 5 touched late
  EXPECT_EQ(all.at("response").at("median_hours_to_first_touch").to_number<double>(), 3);
  EXPECT_EQ(all.at("by_owner").at(0).at("owner"), "Dana");

  // Raised in [hour 3, hour 6): alerts 3, 4 and 5.
  const boost::json::value period = stats({.since_ms = 3 * kHour, .until_ms = 6 * kHour});
  EXPECT_EQ(period.at("pql_volume").at("sales-led").at("medium").as_int64(), 2);
  EXPECT_EQ(period.at("pql_volume").at("self-serve").at("medium").as_int64(), 1);
  EXPECT_EQ(period.at("response").at("touched").as_int64(), 1);
  EXPECT_EQ(period.at("filter").at("until"), "1970-01-01T06:00:00.000Z");

  const boost::json::value self_serve = stats({.route = "self-serve"});
  EXPECT_FALSE(self_serve.at("pql_volume").as_object().contains("sales-led"));
  EXPECT_EQ(self_serve.at("sla").at("alerts").as_int64(), 0);
  // By when they were raised, not when their events happened: alert 5 is of hour 5.
  const boost::json::value late = stats({.since_ms = 4 * kHour, .until_ms = 6 * kHour, .route = "sales-led"});
  EXPECT_EQ(late.at("sla").at("alerts").as_int64(), 1);
  const boost::json::value nobody = stats({.owner = "Ravi"});
  EXPECT_TRUE(nobody.at("pql_volume").as_object().empty());
}

// A write waiting for the database (here another connection's
// transaction, as a slow fsync would) holds up no reader: the alerts, the
// feed and the figures are read meanwhile, and the write lands after.
TEST_F(AlertStoreTest, ReadsGoOnWhileAWriteWaits) {
  create(2);
  sqlite3* other = open_database(dir_, false);
  exec_or_throw(other, "BEGIN IMMEDIATE", "the other writer");
  std::atomic<bool> written{false};
  std::thread writer([&] {
    auto a = std::make_shared<Alert>();
    a->account_id = "acct-3";
    std::vector<int64_t> ids;
    std::string error;
    EXPECT_TRUE(store_->apply({{AlertChange::Kind::kCreated, a, "created", true}}, 2, &ids, &error)) << error;
    written = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the write is waiting now
  EXPECT_THAT(ids({}), ElementsAre(1, 2));
  EXPECT_EQ(store_->feed_after(0, 10).size(), 2u);
  EXPECT_EQ(boost::json::value(store_->stats({}, 0)).at("pql_volume").at("self-serve").at("medium").as_int64(), 1);
  EXPECT_FALSE(written) << "the reads were made while the write waited";
  exec_or_throw(other, "COMMIT", "the other writer");
  sqlite3_close(other);
  writer.join();
  EXPECT_THAT(ids({}), ElementsAre(1, 2, 3));
}

// A feed entry that gives the alert to another rep names the one it took
// it from; others name no one.
TEST_F(AlertStoreTest, TheFeedNamesWhomAnEntryTookTheAlertFrom) {
  create(1);  // Dana's
  auto update = [&](const std::string& owner, bool material) {
    auto a = std::make_shared<Alert>();
    a->id = 1;
    a->account_id = "acct-1";
    a->owner = owner;
    std::vector<int64_t> ids;
    std::string error;
    ASSERT_TRUE(store_->apply({{AlertChange::Kind::kUpdated, a, "an update", material}}, 2, &ids, &error)) << error;
  };
  update("Ravi", true);
  update("Ravi", true);
  update("Mei", false);  // no entry
  update("Dana", true);
  const std::vector<FeedEntry> feed = store_->feed_after(0, 10);
  ASSERT_EQ(feed.size(), 4u);
  EXPECT_EQ(feed[0].owner_before, "");  // created
  EXPECT_EQ(feed[1].owner_before, "Dana");
  EXPECT_EQ(feed[2].owner_before, "");
  EXPECT_EQ(feed[3].owner_before, "Mei");
  EXPECT_TRUE(feed[1].concerns("Dana", "Ravi"));
  EXPECT_TRUE(feed[1].concerns("Ravi", "Ravi"));
  EXPECT_FALSE(feed[2].concerns("Dana", "Ravi"));
}

TEST_F(AlertStoreTest, StatesAreStoredAloneOrSeveralAtOnce) {
  EXPECT_EQ(store_->state("webhook:a"), std::nullopt);
  ASSERT_TRUE(store_->set_state("webhook:a", 7));
  ASSERT_TRUE(store_->set_states({{"webhook:a", 8}, {"failures-in-a-row:a", 3}, {"failing-since:a", 0}}));
  EXPECT_EQ(store_->state("webhook:a"), 8);
  EXPECT_EQ(store_->state("failures-in-a-row:a"), 3);
  EXPECT_EQ(store_->state("failing-since:a"), 0);
  auto read_only = AlertStore::open_read_only(dir_);
  EXPECT_EQ(read_only->state("failures-in-a-row:a"), 3);
  EXPECT_FALSE(read_only->set_states({{"webhook:a", 9}, {"webhook:b", 1}}));
  EXPECT_EQ(store_->state("webhook:a"), 8);
  EXPECT_EQ(store_->state("webhook:b"), std::nullopt);
}

TEST_F(AlertStoreTest, AReadOnlyStoreRefusesWritesWithSqlitesReason) {
  create(1);
  auto read_only = AlertStore::open_read_only(dir_);
  EXPECT_EQ(read_only->list({}).size(), 1u);
  std::vector<int64_t> ids;
  std::string error;
  EXPECT_FALSE(read_only->apply({}, 2, &ids, &error));
  EXPECT_THAT(error, ::testing::HasSubstr("readonly"));
  EXPECT_FALSE(read_only->set_state("webhook.x", 1));
  EXPECT_EQ(store_->position(), 1) << "nothing written";
}

// The alert store opened on a database an earlier build left: `tables`
// made it (SQL), beside the event log.
std::unique_ptr<AlertStore> open_earlier_builds(const std::string& dir, const char* tables) {
  {
    auto log = SqliteEventLog::open(dir, std::chrono::hours(1));
    sqlite3* db = open_database(dir, false);
    exec_or_throw(db, tables, "an earlier build's tables");
    sqlite3_close(db);
  }
  return AlertStore::open(dir);
}

// A database of an earlier build, its alerts' times only in their bodies:
// opened, it gets the figures' columns filled from them.
TEST(AlertStoreUpgrade, FillsTheFiguresColumnsOfAnEarlierBuildsAlerts) {
  const telltale::testing::ScratchDir scratch{"alert_store_upgrade"};
  auto store = open_earlier_builds(scratch.path(), R"sql(
      CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL, status TEXT NOT NULL,
        route TEXT NOT NULL, priority TEXT NOT NULL, owner TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL, body TEXT NOT NULL);
      INSERT INTO alerts(account_id, status, route, priority, owner, created_at_ms, updated_at_ms, body) VALUES
        ('acme', 'won', 'sales-led', 'high', 'Dana', 3600000, 0,
         '{"created_at":"1970-01-01T01:00:00.000Z","sla_due":"1970-01-01T05:00:00.000Z",
           "first_touch_at":"1970-01-01T02:30:00.000Z"}');)sql");
  const boost::json::value stats = boost::json::value(store->stats({.since_ms = 3'600'000}, 100 * kHour));
  EXPECT_EQ(stats.at("sla").at("touched_in_time").as_int64(), 1);
  EXPECT_EQ(stats.at("response").at("median_hours_to_first_touch").to_number<double>(), 1.5);
  EXPECT_EQ(stats.at("conversion").at("won").as_int64(), 1);
  // Opened again: nothing to fill twice.
  store.reset();
  EXPECT_NO_THROW(store = AlertStore::open(scratch.path()));
}

// A feed of an earlier build gets the column naming whom an entry took its
// alert from; its own entries name no one.
TEST(AlertStoreUpgrade, GivesAnEarlierBuildsFeedItsOwnerBeforeColumn) {
  const telltale::testing::ScratchDir scratch{"alert_store_upgrade_feed"};
  auto store = open_earlier_builds(scratch.path(), R"sql(
      CREATE TABLE alert_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, alert_id INTEGER NOT NULL, kind TEXT NOT NULL,
        what TEXT NOT NULL, at_ms INTEGER NOT NULL, body TEXT NOT NULL);
      INSERT INTO alert_feed(alert_id, kind, what, at_ms, body) VALUES (1, 'created', 'created', 0, '{}');)sql");
  const std::vector<FeedEntry> feed = store->feed_after(0, 10);
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_EQ(feed[0].kind, "created");
  EXPECT_EQ(feed[0].owner_before, "");
}

}  // namespace
}  // namespace telltale::collector
