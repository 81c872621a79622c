// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Restart from a snapshot equals a full replay: a realistic stream of
// frames through the engine and the alert book, once straight through and
// once with a snapshot, a fresh engine restored from it, and the rest of
// the stream. Every decision and the final state must be the same.
#include "signals/engine_snapshot.h"

#include <gtest/gtest.h>

#include <random>

#include "signals/frame_processor.h"
#include "usage_events.h"

namespace telltale::collector {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 20'000 * kDay;
constexpr size_t kFrameEvents = 50;
constexpr size_t kFramesPerRefresh = 7;

using testing::num;
using testing::str;

// 40 accounts over 60 days: traits, users joining and saying who they are,
// intent events, seat usage.
std::vector<UsageEvent> stream() {
  std::mt19937_64 rng(42);
  const char* names[] = {"Dashboard Viewed", "Report Created", "Content Shared", "User Invited", "Data Imported",
                         "Workspace Created", "Integration Connected", "Pricing Page Viewed",
                         "Premium Feature Attempted", "SSO Configured", "Contract Requested"};
  std::vector<UsageEvent> out;
  for (int a = 0; a < 40; ++a) {
    const std::string account = "acct-" + std::to_string(a);
    out.push_back(testing::group_event(
        account, {{"name", str("Account " + std::to_string(a))}, {"employees", num(int64_t(rng() % 900))},
                  {"region", str(a % 2 ? "emea" : "amer")}, {"timezone", str("Europe/Berlin")}},
        kStart));
  }
  size_t n = 0;
  for (int64_t t = kStart; t < kStart + 60 * kDay; t += int64_t(rng() % 600'000)) {
    const int a = int(rng() % 40);
    if (++n % 97 == 0) {
      const std::string user = "acct-" + std::to_string(a) + "-u" + std::to_string(n % 13);
      out.push_back(testing::identify_event(user, {{"email", str(user + "@example.com")}, {"title", str("n" + std::to_string(n))}}, t));
    }
    const std::string account = "acct-" + std::to_string(a);
    const int day = int((t - kStart) / kDay);
    const int users = 1 + std::min(12, day * (a % 5) / 8);
    if (rng() % 40 == 0) {
      UsageEvent u;
      u.kind = UsageKind::kUsage;
      u.account = account;
      u.time_ms = t;
      u.props = {{"metric", str("seats")}, {"used", num(users)}, {"limit", num(10)}};
      out.push_back(u);
      continue;
    }
    const uint64_t r = rng() % 100;
    const char* name = names[r < 50 ? 0 : r < 70 ? 1 : r < 80 ? 2 : 3 + rng() % 8];
    // Consultants work in several accounts, some of their events naming none.
    if (rng() % 30 == 0) {
      out.push_back(testing::track_event(rng() % 3 ? account : "", "consultant-" + std::to_string(rng() % 4), name, t));
      continue;
    }
    // Some events carry no account: they follow the user's last group.
    UsageEvent e = testing::track_event(rng() % 5 ? account : "", account + "-u" + std::to_string(rng() % users),
                                        name, t);
    out.push_back(e);
  }
  return out;
}

struct Pipeline {
  SignalEngine engine{PqlRules{}};
  AlertBook book{engine, AlertPolicy{}};
  std::vector<std::string> decisions;  // every change, in order
  int64_t next_id = 0;
  size_t frames = 0;

  void frame(std::span<const UsageEvent> events) {
    std::vector<AlertChange> changes;
    process_events(events, 0, engine, book, &changes);
    if (++frames % kFramesPerRefresh == 0)
      for (auto& c : book.refresh()) changes.push_back(std::move(c));
    for (const AlertChange& c : changes) {
      if (c.kind == AlertChange::Kind::kCreated) book.set_id(c.alert->account_id, ++next_id);
      decisions.push_back(std::to_string(int(c.kind)) + " " + c.alert->account_id + " " + c.what + " | " +
                          c.alert->summary);
    }
  }
};

void feed(Pipeline& run, const std::vector<UsageEvent>& events, size_t from_frame, size_t to_frame) {
  for (size_t f = from_frame; f < to_frame; ++f) {
    const size_t begin = f * kFrameEvents, end = std::min(events.size(), begin + kFrameEvents);
    run.frame(std::span<const UsageEvent>(events.data() + begin, end - begin));
  }
}

TEST(EngineSnapshot, RestartFromASnapshotEqualsAFullReplay) {
  const auto events = stream();
  const size_t frames = (events.size() + kFrameEvents - 1) / kFrameEvents;
  const std::string fingerprint = rules_fingerprint(PqlRules{}, AlertPolicy{});

  Pipeline full;
  feed(full, events, 0, frames);
  ASSERT_GT(full.next_id, 5) << "the stream should raise alerts";
  size_t identified = 0;
  for (int a = 0; a < 40; ++a)
    for (const AccountUser& u : full.engine.people(*full.engine.account("acct-" + std::to_string(a)), 100))
      identified += !u.identity.empty();
  ASSERT_GT(identified, 100u) << "the stream should say who many users are";

  for (size_t cut : {frames / 3, frames / 2, frames - 1}) {
    Pipeline before;
    feed(before, events, 0, cut);
    const std::string blob = encode_snapshot(before.engine, before.book, nullptr, int64_t(cut), fingerprint);

    Pipeline after;
    EXPECT_EQ(decode_snapshot(blob, fingerprint, after.engine, after.book, nullptr), int64_t(cut));
    after.decisions = before.decisions;
    after.next_id = before.next_id;
    after.frames = before.frames;
    feed(after, events, cut, frames);

    ASSERT_EQ(after.decisions.size(), full.decisions.size()) << "cut at frame " << cut;
    for (size_t i = 0; i < full.decisions.size(); ++i)
      ASSERT_EQ(after.decisions[i], full.decisions[i]) << "cut at frame " << cut << ", decision " << i;
    EXPECT_EQ(encode_snapshot(after.engine, after.book, nullptr, 0, fingerprint),
              encode_snapshot(full.engine, full.book, nullptr, 0, fingerprint));
    for (int a = 0; a < 40; ++a) {
      const std::string id = "acct-" + std::to_string(a);
      EXPECT_EQ(after.engine.explain(id).score, full.engine.explain(id).score) << id;
      EXPECT_EQ(after.engine.explain(id).contributions.size(), full.engine.explain(id).contributions.size()) << id;
      const auto people = [&](const SignalEngine& e) {
        std::vector<std::string> out;
        for (const AccountUser& u : e.people(*e.account(id), 100))
          out.push_back(u.id + " " + u.identity.email + " " + u.identity.title + " " + std::to_string(u.active_days_14d));
        return out;
      };
      EXPECT_EQ(people(after.engine), people(full.engine)) << id;
    }
  }
}

TEST(EngineSnapshot, ASnapshotOfOtherRulesIsRefused) {
  Pipeline run;
  feed(run, stream(), 0, 20);
  const std::string blob =
      encode_snapshot(run.engine, run.book, nullptr, 20, rules_fingerprint(PqlRules{}, AlertPolicy{}));
  PqlRules other;
  other.pql_threshold = 60;
  Pipeline fresh;
  EXPECT_THROW(decode_snapshot(blob, rules_fingerprint(other, AlertPolicy{}), fresh.engine, fresh.book, nullptr),
               SnapshotError);
}

// The frames' keys an engine on a JetStream log keeps (SeenFrames) come
// back with its snapshot; a snapshot taken without them (another log) is
// refused, and the other way round, so the whole log is replayed instead.
TEST(EngineSnapshot, TheFramesKeysComeBackAndASnapshotWithoutThemIsRefused) {
  Pipeline run;
  feed(run, stream(), 0, 20);
  const std::string fingerprint = rules_fingerprint(PqlRules{}, AlertPolicy{});
  SeenFrames seen({std::chrono::hours(1)});
  ASSERT_TRUE(seen.first(*SeenFrames::key_of("m:1"), 1000));
  const std::string with_keys = encode_snapshot(run.engine, run.book, &seen, 20, fingerprint);
  const std::string without = encode_snapshot(run.engine, run.book, nullptr, 20, fingerprint);

  Pipeline restored;
  SeenFrames restored_seen({std::chrono::hours(1)});
  EXPECT_EQ(decode_snapshot(with_keys, fingerprint, restored.engine, restored.book, &restored_seen), 20);
  EXPECT_FALSE(restored_seen.first(*SeenFrames::key_of("m:1"), 2000));

  Pipeline a, b;
  SeenFrames b_seen({std::chrono::hours(1)});
  EXPECT_THROW(decode_snapshot(with_keys, fingerprint, a.engine, a.book, nullptr), SnapshotError);
  EXPECT_THROW(decode_snapshot(without, fingerprint, b.engine, b.book, &b_seen), SnapshotError);
}

// Who works new leads and how a summary reads are not part of the
// scoring: changing them keeps the snapshot.
TEST(EngineSnapshot, OtherRepsTerritoriesOrWordingKeepTheSnapshot) {
  PqlRules other;
  other.owners.reps = {{"Dana", 2, true}, {"Ravi", 1}};
  other.owners.territories = {{"emea", "", "Ravi"}};
  other.summary_signals = 2;
  EXPECT_EQ(rules_fingerprint(other, AlertPolicy{}), rules_fingerprint(PqlRules{}, AlertPolicy{}));
}

TEST(EngineSnapshot, ACorruptSnapshotIsRefusedNotMisread) {
  Pipeline run;
  feed(run, stream(), 0, 40);
  const std::string fingerprint = rules_fingerprint(PqlRules{}, AlertPolicy{});
  const std::string blob = encode_snapshot(run.engine, run.book, nullptr, 40, fingerprint);
  std::mt19937 rng(3);
  for (int i = 0; i < 200; ++i) {
    std::string bad = blob;
    if (i % 2) bad.resize(rng() % bad.size());
    else bad[rng() % bad.size()] ^= char(1 + rng() % 255);
    Pipeline fresh;
    try {
      decode_snapshot(bad, fingerprint, fresh.engine, fresh.book, nullptr);
      // A flip in the header's fingerprint or position can still decode; the
      // body is checksummed.
    } catch (const SnapshotError&) {
    }
  }
  EXPECT_THROW(decode_snapshot("not a snapshot", fingerprint, run.engine, run.book, nullptr), SnapshotError);
}

}  // namespace
}  // namespace telltale::collector
