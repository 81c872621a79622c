// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/group_committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace telltale::collector {
namespace {

using namespace std::chrono_literals;

// An EventLog in memory that can be made to fail or to block.
class FakeLog : public EventLog {
 public:
  LogStatus append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) override {
    std::unique_lock<std::mutex> lock(mutex);
    gate.wait(lock, [&] { return open; });
    ++appends;
    if (failing) return LogStatus::failure("disk full");
    duplicate->assign(frames.size(), false);
    for (size_t i = 0; i < frames.size(); ++i) {
      if (!frames[i]->dedup_key.empty() && !keys.insert(frames[i]->dedup_key).second) (*duplicate)[i] = true;
      else ++stored;
    }
    return {};
  }
  LogStatus read(int64_t, size_t, std::vector<StoredFrame>*) override { return {}; }
  int64_t last_position() override { return stored; }
  std::string describe() const override { return "memory"; }

  std::mutex mutex;
  std::condition_variable gate;
  bool open = true;
  bool failing = false;
  int appends = 0;
  int64_t stored = 0;
  std::set<std::string> keys;
};

CommitRequest request(std::string key, std::promise<CommitResult>* done) {
  CommitRequest r;
  Frame f;
  f.dedup_key = std::move(key);
  f.events = 2;
  f.payload = {1, 2, 3};
  r.frames.push_back(std::move(f));
  r.done = [done](const CommitResult& result) { done->set_value(result); };
  return r;
}

TEST(GroupCommitter, CommitsAndReportsAcceptedAndDuplicates) {
  FakeLog log;
  Metrics metrics;
  GroupCommitter c(&log, &metrics, {});
  std::promise<CommitResult> a, b;
  ASSERT_TRUE(c.submit(request("k", &a)));
  CommitResult ra = a.get_future().get();
  ASSERT_TRUE(c.submit(request("k", &b)));
  CommitResult rb = b.get_future().get();
  EXPECT_TRUE(ra.ok);
  EXPECT_EQ(ra.accepted, 2u);
  EXPECT_EQ(rb.duplicates, 2u);
  EXPECT_EQ(metrics.events_accepted.value(), 2u);
  EXPECT_EQ(metrics.events_duplicate.value(), 2u);
}

TEST(GroupCommitter, GroupsRequestsThatArriveTogether) {
  FakeLog log;
  Metrics metrics;
  std::vector<std::promise<CommitResult>> done(20);
  GroupCommitter c(&log, &metrics, {});
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.open = false;  // hold the first commit while more arrive
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(c.submit(request("k" + std::to_string(i), &done[i])));
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.open = true;
  }
  log.gate.notify_all();
  for (auto& d : done) EXPECT_TRUE(d.get_future().get().ok);
  EXPECT_LE(log.appends, 3);  // 20 requests, at most a few transactions
}

TEST(GroupCommitter, RefusesWhenTheQueueIsFull) {
  FakeLog log;
  Metrics metrics;
  CommitterLimits limits;
  limits.max_queued_requests = 2;
  std::vector<std::promise<CommitResult>> done(10);  // outlives the committer's callbacks
  GroupCommitter c(&log, &metrics, limits);
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.open = false;
  }
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += c.submit(request("k" + std::to_string(i), &done[i]));
  // The committer takes what is queued (here 1 or 2) into the commit the log
  // holds up, and 2 more queue behind it; the rest are refused.
  EXPECT_LE(accepted, 4);
  EXPECT_GE(accepted, 2);
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.open = true;
  }
  log.gate.notify_all();
}

TEST(GroupCommitter, FailsRequestsWhileStorageFailsAndRecovers) {
  FakeLog log;
  Metrics metrics;
  GroupCommitter c(&log, &metrics, {});
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.failing = true;
  }
  std::promise<CommitResult> a;
  ASSERT_TRUE(c.submit(request("a", &a)));
  CommitResult ra = a.get_future().get();
  EXPECT_FALSE(ra.ok);
  EXPECT_EQ(ra.error, "disk full");
  EXPECT_FALSE(c.healthy());
  EXPECT_EQ(metrics.storage_ok.value(), 0);
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.failing = false;
  }
  // The committer probes on its own, without new traffic.
  for (int i = 0; i < 40 && !c.healthy(); ++i) std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(c.healthy());
  std::promise<CommitResult> b;
  ASSERT_TRUE(c.submit(request("a", &b)));
  EXPECT_TRUE(b.get_future().get().ok);  // nothing of the failed attempt was kept
}

TEST(GroupCommitter, StopCommitsWhatIsQueued) {
  FakeLog log;
  Metrics metrics;
  auto c = std::make_unique<GroupCommitter>(&log, &metrics, CommitterLimits{});
  std::vector<std::promise<CommitResult>> done(50);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(c->submit(request("k" + std::to_string(i), &done[i])));
  c->stop();
  for (auto& d : done) EXPECT_TRUE(d.get_future().get().ok);
  std::promise<CommitResult> late;
  EXPECT_FALSE(c->submit(request("late", &late)));
}

}  // namespace
}  // namespace telltale::collector
