// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Scenario tests: timelines of events on event time, and what the engine
// makes of them, at each default rule's edges.
#include "signals/signal_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "usage_events.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 20'000 * kDay;  // a Monday-agnostic day number far from 0

// Builds events at day/hour offsets from kStart.
struct Timeline {
  std::vector<UsageEvent> events;

  Timeline& group(const std::string& account, testing::Traits traits, int day = 0) {
    events.push_back(testing::group_event(account, std::move(traits), kStart + day * kDay));
    return *this;
  }
  Timeline& track(const std::string& account, const std::string& user, const std::string& name, double day) {
    events.push_back(testing::track_event(account, user, name, kStart + int64_t(day * double(kDay))));
    return *this;
  }
  Timeline& usage(const std::string& account, const std::string& metric, int64_t used, int64_t limit, double day) {
    UsageEvent e;
    e.kind = UsageKind::kUsage;
    e.account = account;
    e.name = "Usage Reported";
    e.time_ms = kStart + int64_t(day * double(kDay));
    PropValue m, u, l;
    m.type = PropValue::Type::kString;
    m.s = metric;
    u.type = l.type = PropValue::Type::kInt;
    u.i = used;
    l.i = limit;
    e.props = {{"metric", m}, {"used", u}, {"limit", l}};
    events.push_back(e);
    return *this;
  }
  Explanation evaluate(const std::string& account, PqlRules rules = {}) const {
    SignalEngine engine(std::move(rules));
    for (const auto& e : events) engine.apply(e);
    return engine.explain(account);
  }
  std::vector<MissingSignal> missing(const std::string& account, PqlRules rules = {}) const {
    SignalEngine engine(std::move(rules));
    for (const auto& e : events) engine.apply(e);
    const AccountState& a = *engine.account(account);
    return missing_signals(a, engine.rules(), engine.evaluate(a));
  }
};

using testing::num;
using testing::real;
using testing::str;

const Contribution* find(const Explanation& ev, const std::string& signal) {
  for (const auto& c : ev.contributions)
    if (c.signal == signal) return &c;
  return nullptr;
}

TEST(SignalEngine, TeamExpansionFiresAtTwoToEight) {
  Timeline t;
  for (int u = 0; u < 2; ++u) t.track("acme", "old" + std::to_string(u), "Dashboard Viewed", 1);
  for (int u = 0; u < 2; ++u) t.track("acme", "old" + std::to_string(u), "Dashboard Viewed", 20);
  for (int u = 0; u < 6; ++u) t.track("acme", "new" + std::to_string(u), "Dashboard Viewed", 22);
  Explanation ev = t.evaluate("acme");
  const Contribution* c = find(ev, kSignalExpansion);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->points, 25);
  EXPECT_THAT(c->evidence, HasSubstr("2 -> 8 active users"));
  EXPECT_EQ(ev.metrics.active_users_14d, 8);
  EXPECT_EQ(ev.metrics.active_users_prev_14d, 2);
}

TEST(SignalEngine, TwoToFourIsNotExpansion) {
  Timeline t;
  for (int u = 0; u < 2; ++u) t.track("acme", "old" + std::to_string(u), "Dashboard Viewed", 1);
  for (int u = 0; u < 2; ++u) t.track("acme", "old" + std::to_string(u), "Dashboard Viewed", 20);
  for (int u = 0; u < 2; ++u) t.track("acme", "new" + std::to_string(u), "Dashboard Viewed", 22);
  EXPECT_EQ(find(t.evaluate("acme"), kSignalExpansion), nullptr);
}

TEST(SignalEngine, SweetSpotNeedsFourteenDaysAtEightyPercent) {
  auto seats_at = [](int days, int64_t used) {
    Timeline t;
    for (int d = 0; d < days; ++d) t.usage("acme", "seats", used, 10, d);
    return t.evaluate("acme");
  };
  EXPECT_NE(find(seats_at(14, 8), kSignalSweetSpot), nullptr);
  EXPECT_EQ(find(seats_at(13, 8), kSignalSweetSpot), nullptr);  // 13 days is not 14
  Timeline t79;
  for (int d = 0; d < 20; ++d) t79.usage("acme", "rows", 79, 100, d);
  EXPECT_EQ(find(t79.evaluate("acme"), kSignalSweetSpot), nullptr);  // 79 % is not the sweet spot
  EXPECT_THAT(find(seats_at(14, 8), kSignalSweetSpot)->evidence, HasSubstr("seats at or above 80% for 14 days"));
}

TEST(SignalEngine, ADipBelowTheRatioRestartsTheSweetSpotClock) {
  Timeline t;
  for (int d = 0; d < 10; ++d) t.usage("acme", "seats", 9, 10, d);
  t.usage("acme", "seats", 5, 10, 10);
  for (int d = 11; d < 20; ++d) t.usage("acme", "seats", 9, 10, d);
  EXPECT_EQ(find(t.evaluate("acme"), kSignalSweetSpot), nullptr);
}

// An SDK's usage report carries any double: one that is no number (NaN,
// infinite) says nothing of the limit, and the last real one stands.
TEST(SignalEngine, AUsageReportOfNoNumberIsIgnored) {
  for (const double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    Timeline t;
    t.usage("acme", "seats", 10, 10, 0);
    for (const char* which : {"used", "limit"}) {
      t.usage("acme", "seats", 1, 10, 1);
      UsageEvent& e = t.events.back();
      for (auto& [key, value] : e.props)
        if (key == which) value = real(bad);
    }
    const Explanation ev = t.evaluate("acme");
    const Contribution* c = find(ev, kSignalLimitHit);
    ASSERT_NE(c, nullptr) << bad;
    EXPECT_EQ(c->evidence, "seats at 100% of the limit (10/10)");
  }
}

TEST(SignalEngine, LimitHitAtOneHundredPercent) {
  Timeline t;
  t.usage("acme", "seats", 10, 10, 0);
  Explanation ev = t.evaluate("acme");
  const Contribution* c = find(ev, kSignalLimitHit);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->evidence, "seats at 100% of the limit (10/10)");
  Timeline below;
  below.usage("acme", "seats", 9, 10, 0);
  EXPECT_EQ(find(below.evaluate("acme"), kSignalLimitHit), nullptr);
}

TEST(SignalEngine, EvidenceReadsWhateverNumbersAUsageEventCarries) {
  Timeline t;
  t.usage("acme", "seats", 12, 10, 0);
  t.usage("acme", "api_calls", 0, 10, 0);
  t.events.back().props[1].second.type = PropValue::Type::kDouble;  // used: 1e300 calls
  t.events.back().props[1].second.d = 1e300;
  const Explanation ev = t.evaluate("acme");
  const Contribution* c = find(ev, kSignalLimitHit);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->evidence, "api_calls at 1e+301% of the limit (1e+300/10)");
}

TEST(SignalEngine, ActiveOnFiveOfSevenDays) {
  Timeline five, four;
  for (int d : {0, 1, 3, 5, 6}) five.track("acme", "u", "Dashboard Viewed", d);
  for (int d : {0, 1, 3, 6}) four.track("acme", "u", "Dashboard Viewed", d);
  EXPECT_NE(find(five.evaluate("acme"), kSignalActiveWeek), nullptr);
  EXPECT_EQ(find(four.evaluate("acme"), kSignalActiveWeek), nullptr);
}

TEST(SignalEngine, ActivationNeedsEveryMilestone) {
  Timeline t;
  t.track("acme", "u", "Workspace Created", 0).track("acme", "u", "Data Imported", 1).track("acme", "u", "Report Created", 2);
  EXPECT_EQ(find(t.evaluate("acme"), kSignalActivated), nullptr);
  t.track("acme", "u", "Integration Connected", 3);
  Explanation ev = t.evaluate("acme");
  const Contribution* c = find(ev, kSignalActivated);
  ASSERT_NE(c, nullptr);
  EXPECT_THAT(c->evidence, HasSubstr("in 3.0 days"));
}

TEST(SignalEngine, ScoreIsWeightsTimesFitAndQualifiesAtFifty) {
  Timeline t;
  t.group("acme", {{"employees", num(800)}, {"domain", str("acme.com")}});
  t.track("acme", "u", "Report Created", 0).track("acme", "u", "Pricing Page Viewed", 0);
  Explanation ev = t.evaluate("acme");
  EXPECT_EQ(ev.points, 42);  // core value 30 + pricing 12
  EXPECT_DOUBLE_EQ(ev.fit_multiplier, 1.5);
  EXPECT_DOUBLE_EQ(ev.score, 63);
  EXPECT_TRUE(ev.qualified);
  EXPECT_EQ(ev.priority, "medium");
  ASSERT_EQ(ev.fit_reasons.size(), 1u);
  EXPECT_THAT(ev.fit_reasons[0], HasSubstr("800 employees: x1.50"));

  Timeline small;
  small.group("solo", {{"employees", num(3)}, {"domain", str("gmail.com")}});
  small.track("solo", "u", "Report Created", 0).track("solo", "u", "Pricing Page Viewed", 0);
  Explanation s = small.evaluate("solo");
  EXPECT_NEAR(s.fit_multiplier, 0.8 * 0.7, 1e-9);
  EXPECT_FALSE(s.qualified);
}

// Traits come from events: a number no company has (from a bug, or a
// hostile client) is no employee count, and moves neither fit nor route.
TEST(SignalEngine, TraitNumbersBeyondAnyCountAreNoEmployeeCount) {
  for (const double n : {1e300, -1e300, std::numeric_limits<double>::infinity(), std::nan("")}) {
    Timeline t;
    t.group("acme", {{"employees", real(n)}, {"plan", real(n)}, {"domain", str("acme.com")}});
    t.track("acme", "u", "Report Created", 0).track("acme", "u", "Pricing Page Viewed", 0);
    Explanation ev = t.evaluate("acme");
    EXPECT_DOUBLE_EQ(ev.fit_multiplier, 1.0) << n;
    EXPECT_TRUE(ev.fit_reasons.empty()) << n;
  }
  Timeline t;
  t.group("acme", {{"employees", str("99999999999999999999999")}, {"domain", str("acme.com")}});
  t.track("acme", "u", "Report Created", 0);
  EXPECT_THAT(t.evaluate("acme").fit_reasons, ::testing::ElementsAre(HasSubstr("9223372036854775807 employees")));
}

// Group traits are merged call after call: a product (or a client) that
// sends a new key each time must not grow its account without bound, and
// the traits the engine reads are kept however many came first.
TEST(SignalEngine, AnAccountKeepsABoundedNumberOfTraitsButThoseItReads) {
  SignalEngine engine{PqlRules{}};
  for (int call = 0; call < 20; ++call) {
    testing::Traits junk;
    for (int k = 0; k < 100; ++k) junk.emplace_back("flag_" + std::to_string(call * 100 + k), str("on"));
    engine.apply(testing::group_event("acme", std::move(junk), kStart));
  }
  const size_t bytes = engine.account("acme")->memory_bytes();
  engine.apply(testing::group_event("acme", {{"employees", num(800)}, {"owner", str("Dana")}, {"flag_0", str("off")},
                                             {"flag_99999", str("on")}},
                                    kStart));
  const AccountState& a = *engine.account("acme");
  EXPECT_EQ(a.traits.size(), AccountState::kMaxTraits + 2);
  EXPECT_EQ(a.trait("owner"), "Dana");
  EXPECT_EQ(a.employees, 800);
  EXPECT_EQ(a.trait("flag_0"), "off") << "a trait kept is updated";
  EXPECT_FALSE(a.traits.contains("flag_99999"));
  EXPECT_LT(bytes, size_t(64) << 10);
}

// What would tip an account below the threshold: each missing signal, the
// most points first, what its rule asks and where the account stands, and
// whether it alone would qualify the account.
TEST(SignalEngine, AnAccountBelowTheThresholdSaysWhatWouldQualifyIt) {
  Timeline t;
  t.group("acme", {{"employees", num(20)}, {"domain", str("acme.com")}});
  t.track("acme", "u", "Workspace Created", 0).track("acme", "u", "Data Imported", 1);
  t.track("acme", "u", "Report Created", 2);
  for (int d = 0; d < 3; ++d) t.usage("acme", "seats", 6, 10, d);
  const Explanation ev = t.evaluate("acme");
  EXPECT_DOUBLE_EQ(ev.score, 30);
  std::vector<std::string> order;
  const std::vector<MissingSignal> lacks = t.missing("acme");
  for (const MissingSignal& m : lacks) order.push_back(m.signal);
  EXPECT_EQ(order, (std::vector<std::string>{kSignalContract, kSignalExpansion, kSignalLimitHit, kSignalCollaboration,
                                             kSignalPremium, kSignalSweetSpot, kSignalInvited, kSignalIntegration,
                                             kSignalSso, kSignalPricing, kSignalActivated, kSignalActiveWeek}));
  auto missing = [&](const char* signal) {
    return *std::find_if(lacks.begin(), lacks.end(), [&](const MissingSignal& m) { return m.signal == signal; });
  };
  EXPECT_EQ(missing(kSignalCollaboration).points, 20);
  EXPECT_DOUBLE_EQ(missing(kSignalCollaboration).score_gain, 20);
  EXPECT_TRUE(missing(kSignalCollaboration).qualifies);  // 50: the threshold itself
  EXPECT_FALSE(missing(kSignalInvited).qualifies);       // 45
  EXPECT_DOUBLE_EQ(missing(kSignalInvited).score_gain, 15);
  EXPECT_EQ(missing(kSignalPricing).takes, "one Pricing Page Viewed event");
  EXPECT_EQ(missing(kSignalIntegration).takes, "one Integration Connected event");
  EXPECT_EQ(missing(kSignalInvited).takes, "one User Invited event");  // not "an User"
  EXPECT_EQ(missing(kSignalActivated).takes, "the activation milestones not reached yet: Integration Connected");
  EXPECT_EQ(missing(kSignalActiveWeek).takes, "active on 5 of the last 7 days (now 3)");
  EXPECT_EQ(missing(kSignalExpansion).takes, "3 new active users and 2x growth in 14 days (now 0 -> 1)");
  EXPECT_EQ(missing(kSignalLimitHit).takes, "a plan limit at 100% or more (now seats at 60%)");
  EXPECT_EQ(missing(kSignalSweetSpot).takes,
            "a plan limit at 80% or more on each of 14 days (now seats at 60%, 0 days at or above)");

  // The fit multiplies what a signal would add; a qualified account lacks
  // signals too, none of which "qualifies" it.
  Timeline big = t;
  big.group("acme", {{"employees", num(800)}});
  big.track("acme", "u", "Pricing Page Viewed", 2);
  ASSERT_TRUE(big.evaluate("acme").qualified);
  for (const MissingSignal& m : big.missing("acme")) {
    EXPECT_FALSE(m.qualifies) << m.signal;
    if (m.signal == kSignalInvited) {
      EXPECT_DOUBLE_EQ(m.score_gain, 22.5);
    }
  }
  // A signal with no weight is not missed.
  PqlRules no_sso;
  no_sso.weights[kSignalSso] = 0;
  for (const MissingSignal& m : t.missing("acme", no_sso)) EXPECT_NE(m.signal, kSignalSso);
}

TEST(SignalEngine, RoutesBySizeUsersAndEnterpriseSignals) {
  auto route_of = [](Timeline t) { return std::string(route_name(t.evaluate("a").route)); };
  EXPECT_EQ(route_of(Timeline().group("a", {{"employees", num(800)}}).track("a", "u", "E", 0)), "sales-led");
  EXPECT_EQ(route_of(Timeline().group("a", {{"employees", num(20)}}).track("a", "u", "SSO Configured", 0)),
            "sales-led");
  EXPECT_EQ(route_of(Timeline().group("a", {{"employees", num(120)}}).track("a", "u", "E", 0)), "sales-assist");
  Timeline several;
  for (int u = 0; u < 3; ++u) several.track("a", "u" + std::to_string(u), "E", 0);
  EXPECT_EQ(route_of(several), "sales-assist");
  EXPECT_EQ(route_of(Timeline().group("a", {{"employees", num(4)}}).track("a", "u", "E", 0)), "self-serve");
}

TEST(SignalEngine, EventsWithoutAnAccountFollowTheUsersLastGroup) {
  SignalEngine engine{PqlRules{}};
  UsageEvent group;
  group.kind = UsageKind::kGroup;
  group.user = "ana";
  group.account = "acme";
  group.time_ms = kStart;
  EXPECT_EQ(engine.apply(group)->id, "acme");
  UsageEvent track;
  track.kind = UsageKind::kTrack;
  track.user = "ana";
  track.name = "Report Created";
  track.time_ms = kStart + 1000;
  EXPECT_EQ(engine.apply(track)->id, "acme");
  EXPECT_NE(find(engine.explain("acme"), kSignalCoreValue), nullptr);
  track.user = "stranger";
  EXPECT_EQ(engine.apply(track), nullptr);
}

TEST(SignalEngine, AUserActiveInTwoAccountsCountsInEach) {
  SignalEngine engine{PqlRules{}};
  auto track = [&](const std::string& account, const std::string& user, int day) {
    return engine.apply(testing::track_event(account, user, "Dashboard Viewed", kStart + day * kDay));
  };
  // Ana works in acme and, as a consultant, in globex; bob only in acme.
  track("acme", "ana", 1);
  track("globex", "ana", 1);
  track("acme", "bob", 2);
  // Without an account, ana's events go where her last track named.
  EXPECT_EQ(track("", "ana", 3)->id, "globex");
  EXPECT_EQ(track("acme", "ana", 4)->id, "acme");
  EXPECT_EQ(track("", "ana", 5)->id, "acme");
  EXPECT_EQ(track("", "ana", 6)->id, "acme");

  const Explanation acme = engine.explain("acme"), globex = engine.explain("globex");
  EXPECT_EQ(acme.metrics.users_total, 2);
  EXPECT_EQ(acme.metrics.active_users_14d, 2);
  EXPECT_EQ(globex.metrics.users_total, 1);
  EXPECT_EQ(globex.metrics.active_users_14d, 1);
  EXPECT_EQ(engine.account("acme")->active_days.count(kStart / kDay, kStart / kDay + 6), 5);  // days 1, 2, 4, 5, 6
  EXPECT_EQ(engine.account("globex")->active_days.count(kStart / kDay, kStart / kDay + 6), 2);  // days 1, 3
  EXPECT_EQ(engine.user_count(), 2u);
}

TEST(SignalEngine, ReplayingTheSameEventsGivesTheSameEvaluation) {
  Timeline t;
  t.group("acme", {{"employees", num(120)}});
  for (int d = 0; d < 30; ++d) {
    t.track("acme", "u" + std::to_string(d % 9), d % 2 ? "Report Created" : "Content Shared", d + 0.3);
    t.usage("acme", "seats", 8 + d % 3, 10, d);
  }
  Explanation a = t.evaluate("acme"), b = t.evaluate("acme");
  EXPECT_EQ(a.score, b.score);
  ASSERT_EQ(a.contributions.size(), b.contributions.size());
  for (size_t i = 0; i < a.contributions.size(); ++i) EXPECT_EQ(a.contributions[i].evidence, b.contributions[i].evidence);
}

TEST(SignalEngine, PeopleAreTheMostActiveUsersWithWhoTheyAre) {
  SignalEngine engine{PqlRules{}};
  auto at = [](double day) { return kStart + int64_t(day * double(kDay)); };
  engine.apply(testing::identify_event("ana", {{"email", str("ana@acme.com")}, {"name", str("Ana Lopez")},
                                               {"title", str("CTO")}}, at(0)));
  engine.apply(testing::identify_event("bob", {{"firstName", str("Bob")}, {"lastName", str("Ng")}}, at(0)));
  // A later identify changes what it names and keeps the rest.
  engine.apply(testing::identify_event("ana", {{"email", str("ana@acme.io")}, {"name", str("")}}, at(1)));
  // An identify that names no one leaves no identity behind.
  engine.apply(testing::identify_event("dan", {{"plan", str("pro")}}, at(1)));
  engine.apply(testing::identify_event("eve", {{"name", str(std::string(1000, 'e'))}}, at(1)));
  // Bob was active once, long ago; Carl (never identified) on 2 recent days,
  // Ana on 3; Dan and Eve twice each, Eve more recently.
  for (double day : {0.5})
    engine.apply(testing::track_event("acme", "bob", "Dashboard Viewed", at(day)));
  for (double day : {15.1, 16.1})
    engine.apply(testing::track_event("acme", "carl", "Dashboard Viewed", at(day)));
  for (double day : {14.2, 15.2, 19.2})
    engine.apply(testing::track_event("acme", "ana", "Report Created", at(day)));
  for (double day : {10.3, 12.3})
    engine.apply(testing::track_event("acme", "dan", "Dashboard Viewed", at(day)));
  for (double day : {11.4, 13.4})
    engine.apply(testing::track_event("acme", "eve", "Dashboard Viewed", at(day)));

  const std::vector<AccountUser> people = engine.people(*engine.account("acme"), 4);
  ASSERT_EQ(people.size(), 4u);
  EXPECT_EQ(people[0].id, "ana");
  EXPECT_EQ(people[0].identity, (UserIdentity{"ana@acme.io", "Ana Lopez", "CTO"}));
  EXPECT_EQ(people[0].active_days_14d, 3);
  EXPECT_EQ(people[0].last_active_day, day_of(at(19.2)));
  EXPECT_EQ(people[1].id, "carl");
  EXPECT_TRUE(people[1].identity.empty());
  EXPECT_EQ(people[1].active_days_14d, 2);
  EXPECT_EQ(people[2].id, "eve");  // as active as Dan (within the 14 days: 6..19), and later
  EXPECT_EQ(people[2].identity.name, std::string(kMaxIdentityBytes, 'e'));
  EXPECT_EQ(people[3].id, "dan");
  EXPECT_TRUE(people[3].identity.empty());
  EXPECT_EQ(engine.people(*engine.account("acme"), 10).back().id, "bob");  // not active in the last 14 days
  EXPECT_EQ(engine.people(*engine.account("acme"), 10).back().identity.name, "Bob Ng");
}

TEST(SignalEngine, WeightsAndEventNamesAreConfigurable) {
  PqlRules rules;
  rules.core_value_event = "Dashboard Shared";
  rules.weights[kSignalCoreValue] = 60;
  Timeline t;
  t.track("acme", "u", "Dashboard Shared", 0);
  Explanation ev = t.evaluate("acme", rules);
  ASSERT_NE(find(ev, kSignalCoreValue), nullptr);
  EXPECT_EQ(ev.points, 60);
  EXPECT_TRUE(ev.qualified);
}

}  // namespace
}  // namespace telltale::collector
