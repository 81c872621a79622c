// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/log_read_ahead.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <thread>

#include "log_frames.h"

namespace telltale::collector {
namespace {

using namespace std::chrono_literals;

// An in-memory log that can be told to fail its next reads.
class MemoryLog : public EventLog {
 public:
  LogStatus append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Frame* f : frames) frames_.push_back(*f);
    if (duplicate) duplicate->assign(frames.size(), false);
    return {};
  }
  LogStatus read(int64_t after, size_t max, std::vector<StoredFrame>* out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    out->clear();
    if (failures_ > 0) {
      --failures_;
      return LogStatus::failure("disk I/O error");
    }
    for (auto p = size_t(after); p < frames_.size() && out->size() < max; ++p) out->push_back({int64_t(p) + 1, frames_[p]});
    return {};
  }
  std::string describe() const override { return "memory"; }
  int64_t last_position() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return int64_t(frames_.size());
  }
  void fail_next_reads(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_ = n;
  }

 private:
  std::mutex mutex_;
  std::vector<Frame> frames_;
  int failures_ = 0;
};

// A Segment track by user `u<i>`.
Frame call(int i) {
  return testing::segment_frame(R"({"type":"track","userId":"u)" + std::to_string(i) +
                                R"(","event":"Report Created","groupId":"acme","timestamp":"2026-11-23T10:00:00Z"})");
}

void append(MemoryLog& log, int from, int to) {
  std::vector<Frame> frames;
  for (int i = from; i < to; ++i) frames.push_back(call(i));
  std::vector<const Frame*> all;
  for (const Frame& f : frames) all.push_back(&f);
  ASSERT_TRUE(log.append(all, nullptr).ok);
}

// Takes every frame up to the end (kToEnd) and checks they come in order.
void expect_in_order(LogReadAhead& ahead, int from, int to) {
  for (int i = from; i < to; ++i) {
    const LogReadAhead::ReadFrame* f = ahead.next(5s);
    ASSERT_NE(f, nullptr) << "frame " << i + 1;
    EXPECT_EQ(f->position, i + 1);
    ASSERT_EQ(f->events.events().size(), 1u);
    EXPECT_EQ(f->events.events()[0].user, "u" + std::to_string(i));
    ahead.release();
  }
}

TEST(LogReadAhead, ToTheEndGivesEveryFrameInOrderThenNothing) {
  MemoryLog log;
  // More frames than one read and than the frames held ahead.
  const int n = int(LogReadAhead::kFramesPerRead * 3 + LogReadAhead::kDepth + 5);
  append(log, 0, n);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kToEnd);
  expect_in_order(ahead, 0, n);
  EXPECT_EQ(ahead.next(), nullptr);
  EXPECT_TRUE(ahead.drained());
  EXPECT_TRUE(ahead.status().ok);
}

TEST(LogReadAhead, StartsAfterTheGivenPosition) {
  MemoryLog log;
  append(log, 0, 10);
  LogReadAhead ahead(log, 4, LogReadAhead::Mode::kToEnd);
  expect_in_order(ahead, 4, 10);
  EXPECT_EQ(ahead.next(), nullptr);
}

// The engine's lag is the log's end, as the read-ahead last learnt it, less
// what the engine applied.
TEST(LogReadAhead, KnowsHowFarTheLogGoes) {
  MemoryLog log;
  append(log, 0, 200);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kFollow);
  ASSERT_NE(ahead.next(5s), nullptr);  // one frame taken: the first read is done
  EXPECT_EQ(ahead.log_end(), 200);
  ahead.release();
}

TEST(LogReadAhead, NextGivesTheSameFrameUntilItIsReleased) {
  MemoryLog log;
  append(log, 0, 3);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kToEnd);
  const LogReadAhead::ReadFrame* first = ahead.next();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(ahead.next(), first);
  EXPECT_EQ(first->position, 1);
  ahead.release();
  EXPECT_EQ(ahead.next()->position, 2);
}

TEST(LogReadAhead, AFailedReadEndsAReadToTheEndAndSaysWhy) {
  MemoryLog log;
  append(log, 0, 3);
  log.fail_next_reads(1);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kToEnd);
  EXPECT_EQ(ahead.next(), nullptr);
  EXPECT_FALSE(ahead.status().ok);
  EXPECT_EQ(ahead.status().error, "disk I/O error");
}

TEST(LogReadAhead, FollowingWaitsForAppendedFramesAndIsDrainedInBetween) {
  MemoryLog log;
  append(log, 0, 5);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kFollow);
  expect_in_order(ahead, 0, 5);
  EXPECT_EQ(ahead.next(50ms), nullptr);  // nothing more yet: the wait ends empty-handed
  EXPECT_TRUE(ahead.drained());
  append(log, 5, 8);
  ahead.notify();
  expect_in_order(ahead, 5, 8);
}

TEST(LogReadAhead, FollowingRetriesAFailedReadWithoutLosingFrames) {
  MemoryLog log;
  append(log, 0, 5);
  log.fail_next_reads(2);
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kFollow);
  EXPECT_FALSE(ahead.drained());  // a failed read is not the log's end
  expect_in_order(ahead, 0, 5);    // within the retries' 200 ms waits
  EXPECT_TRUE(ahead.status().ok);
}

// A JetStream log's reader skips late copies itself (SeenFrames): each frame
// comes with its key's digest, a frame without a key with none. Other logs'
// frames come without, at no cost.
TEST(LogReadAhead, ALogThatForgetsKeysEarlyHandsOverEachFramesKeyDigest) {
  class ForgetfulLog : public MemoryLog {
   public:
    bool forgets_keys_early() const override { return true; }
  };
  ForgetfulLog forgetful;
  MemoryLog plain;
  Frame keyed = call(0), unkeyed = call(1);
  keyed.dedup_key = "m:0";
  for (EventLog* log : {static_cast<EventLog*>(&forgetful), static_cast<EventLog*>(&plain)})
    ASSERT_TRUE(log->append({&keyed, &unkeyed}, nullptr).ok);

  LogReadAhead from_forgetful(forgetful, 0, LogReadAhead::Mode::kToEnd);
  const LogReadAhead::ReadFrame* f = from_forgetful.next(5s);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->key, SeenFrames::key_of("m:0"));
  from_forgetful.release();
  f = from_forgetful.next(5s);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->key);

  LogReadAhead from_plain(plain, 0, LogReadAhead::Mode::kToEnd);
  f = from_plain.next(5s);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->key);
}

TEST(LogReadAhead, StopEndsAWaitingNextAtOnce) {
  MemoryLog log;
  LogReadAhead ahead(log, 0, LogReadAhead::Mode::kFollow);
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    ahead.stop();
  });
  EXPECT_EQ(ahead.next(), nullptr);  // no timeout: only stop() ends it
  stopper.join();
  ahead.stop();  // again: nothing happens
}

}  // namespace
}  // namespace telltale::collector
