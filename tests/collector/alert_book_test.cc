// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Scenario tests for alerts: timelines of events on event time and the
// alerts they raise (or must not).
#include "alerts/alert_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "app/iso8601.h"
#include "usage_events.h"

#include "signals/signal_engine.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kStart = 20'000 * kDay;

using testing::num;
using testing::str;

// Feeds events to an engine and the book, collecting every change.
class Scenario {
 public:
  explicit Scenario(PqlRules rules = {}) : engine_(std::move(rules)), book_(engine_, AlertPolicy{}) {}

  Scenario& group(const std::string& account, testing::Traits traits, double day = 0) {
    return apply(testing::group_event(account, std::move(traits), kStart + int64_t(day * kDay)));
  }
  Scenario& track(const std::string& account, const std::string& user, const std::string& name, double day) {
    return apply(testing::track_event(account, user, name, kStart + int64_t(day * kDay)));
  }
  // `received_at_ms`: when the event reached the collector (0: as it happened).
  Scenario& apply(const UsageEvent& e, int64_t received_at_ms = 0) {
    const AccountState* account = engine_.apply(e);
    if (account == nullptr) return *this;
    for (auto& c : book_.consider(*account, engine_.evaluate(*account), e.time_ms, received_at_ms)) {
      if (c.kind == AlertChange::Kind::kCreated) book_.set_id(account->id, ++next_id_);
      changes.push_back(std::move(c));
    }
    if (refresh_each_event) refresh();
    return *this;
  }
  // What the live engine does at the end of each step.
  void refresh() {
    for (auto& c : book_.refresh()) changes.push_back(std::move(c));
  }
  std::vector<AlertChange> of(AlertChange::Kind kind) const {
    std::vector<AlertChange> out;
    for (const auto& c : changes)
      if (c.kind == kind) out.push_back(c);
    return out;
  }

  AlertBook& book() { return book_; }
  std::vector<AlertChange> changes;
  bool refresh_each_event = true;

 private:
  SignalEngine engine_;
  AlertBook book_;
  int64_t next_id_ = 0;
};

// An account that qualifies on day 0: core value (30) + pricing (12) + invite (15) = 57.
void qualify(Scenario& s, const std::string& account, double day = 0) {
  s.track(account, "u1", "Report Created", day).track(account, "u1", "Pricing Page Viewed", day);
  s.track(account, "u1", "User Invited", day);
}

TEST(AlertBook, OneAlertPerQualificationWithTheTippingTrigger) {
  Scenario s;
  s.group("acme", {{"name", str("Acme")}, {"employees", num(20)}});
  qualify(s, "acme");
  s.track("acme", "u1", "Report Created", 0.5).track("acme", "u1", "Pricing Page Viewed", 1);
  auto created = s.of(AlertChange::Kind::kCreated);
  ASSERT_EQ(created.size(), 1u);
  const Alert& a = *created[0].alert;
  EXPECT_EQ(a.account_name, "Acme");
  EXPECT_EQ(a.trigger.signal, kSignalInvited);  // the event that crossed 50
  EXPECT_EQ(a.score, 57);
  EXPECT_EQ(a.priority, "medium");
  EXPECT_EQ(a.raised_at_ms, a.created_at_ms);  // its events came as they happened
  EXPECT_EQ(a.sla_due_ms, a.created_at_ms + 24 * kHour);
  EXPECT_THAT(a.summary, HasSubstr("Acme: 1 active user"));
  EXPECT_THAT(a.summary, HasSubstr("viewed pricing once"));
  EXPECT_THAT(a.summary, HasSubstr("Self-serve, medium"));
  ASSERT_EQ(a.contacts.size(), 1u);  // whom to write to
  EXPECT_EQ(a.contacts[0].id, "u1");
  EXPECT_EQ(a.contacts[0].active_days_14d, 1);
}

// Events that reach the collector late (an SDK's spool, sent days after an
// outage) raise an alert when they arrive: its SLA counts from then, not
// from when the account did what tipped it over.
TEST(AlertBook, AnAlertOfEventsThatCameLateIsDueFromTheirArrival) {
  Scenario s;
  const int64_t arrived = kStart + 3 * kDay;
  for (const char* name : {"Report Created", "Pricing Page Viewed", "User Invited"})  // 57: a PQL
    s.apply(testing::track_event("acme", "u1", name, kStart + kDay), arrived);
  auto created = s.of(AlertChange::Kind::kCreated);
  ASSERT_EQ(created.size(), 1u);
  const Alert& a = *created[0].alert;
  EXPECT_EQ(a.created_at_ms, kStart + kDay);  // what the account did, when
  EXPECT_EQ(a.raised_at_ms, arrived);
  EXPECT_EQ(a.sla_due_ms, arrived + 24 * kHour);
  EXPECT_EQ(boost::json::value_to<std::string>(a.to_json().at("raised_at")), iso8601(arrived));
}

TEST(AlertBook, ContactsAreTheMostActivePeopleAndFollowTheAccount) {
  Scenario s;
  s.group("acme", {{"employees", num(20)}});
  for (int u = 1; u <= 4; ++u)
    for (int d = 0; d < u; ++d) s.track("acme", "u" + std::to_string(u), "Dashboard Viewed", d);
  qualify(s, "acme", 4);
  ASSERT_EQ(s.of(AlertChange::Kind::kCreated).size(), 1u);
  const Alert& created = *s.of(AlertChange::Kind::kCreated)[0].alert;
  ASSERT_EQ(created.contacts.size(), kAlertContacts);
  EXPECT_EQ(created.contacts[0].id, "u4");  // 4 days
  EXPECT_EQ(created.contacts[1].id, "u3");  // 3
  EXPECT_EQ(created.contacts[2].id, "u1");  // 2 (day 0, and qualifying on day 4) and later than u2's 2
  // Someone new and busier shows up: the open alert's contacts follow.
  for (int d = 5; d < 12; ++d) s.track("acme", "u9", "Dashboard Viewed", d);
  s.refresh();
  EXPECT_EQ(s.of(AlertChange::Kind::kUpdated).back().alert->contacts[0].id, "u9");
}

TEST(AlertBook, BelowTheThresholdNothingIsRaised) {
  Scenario s;
  s.track("acme", "u1", "Report Created", 0).track("acme", "u1", "Pricing Page Viewed", 0);  // 42
  EXPECT_TRUE(s.of(AlertChange::Kind::kCreated).empty());
}

TEST(AlertBook, AnOpenAlertFollowsTheAccountAndNewSignalsAreMaterial) {
  Scenario s;
  qualify(s, "acme");
  s.track("acme", "u1", "Content Shared", 1);   // new signal: material
  s.track("acme", "u1", "Report Created", 2);   // nothing new: not material
  auto updates = s.of(AlertChange::Kind::kUpdated);
  ASSERT_GE(updates.size(), 2u);
  EXPECT_TRUE(updates[0].material);
  EXPECT_THAT(updates[0].what, HasSubstr("collaboration"));
  EXPECT_EQ(updates[0].alert->score, 77);
  EXPECT_FALSE(updates.back().material);
  EXPECT_EQ(s.of(AlertChange::Kind::kCreated).size(), 1u);
}

TEST(AlertBook, AnAlertsWordsAreRebuiltOncePerRefreshWithTheLatestStory) {
  Scenario s;
  qualify(s, "acme");
  s.refresh_each_event = false;
  for (int u = 2; u <= 6; ++u) s.track("acme", "u" + std::to_string(u), "Report Created", 1);
  EXPECT_TRUE(s.of(AlertChange::Kind::kUpdated).empty());  // nothing material: no write per event
  s.refresh();
  auto updates = s.of(AlertChange::Kind::kUpdated);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_FALSE(updates[0].material);
  EXPECT_EQ(updates[0].alert->user_count, 6);
  EXPECT_THAT(updates[0].alert->summary, HasSubstr("6 active users"));
  s.refresh();
  EXPECT_EQ(s.of(AlertChange::Kind::kUpdated).size(), 1u);  // nothing new since
}

TEST(AlertBook, HighPriorityAtEightyWithAFourHourSla) {
  Scenario s;
  qualify(s, "acme");
  s.track("acme", "u1", "Content Shared", 0).track("acme", "u1", "Premium Feature Attempted", 0);  // 97
  auto updates = s.of(AlertChange::Kind::kUpdated);
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates.back().alert->priority, "high");
  bool saw_priority_change = false;
  for (const auto& u : updates) saw_priority_change |= u.what.find("priority medium -> high") != std::string::npos;
  EXPECT_TRUE(saw_priority_change);
}

TEST(AlertBook, RouteEscalationRaisesANewAlert) {
  Scenario s;
  s.group("acme", {{"employees", num(20)}});
  qualify(s, "acme");
  s.track("acme", "u1", "SSO Configured", 1);  // enterprise signal: sales-led
  auto created = s.of(AlertChange::Kind::kCreated);
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].alert->route, "self-serve");
  EXPECT_EQ(created[1].alert->route, "sales-led");
  auto closed = s.of(AlertChange::Kind::kClosed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_THAT(closed[0].what, HasSubstr("escalated to sales-led"));
}

TEST(AlertBook, HandBackAfterFourteenDaysBelowThresholdThenRequalify) {
  PqlRules rules;
  rules.weights[kSignalActiveWeek] = 60;  // qualification that can lapse: active 5 of 7 days
  Scenario s(rules);
  for (int d = 0; d < 5; ++d) s.track("acme", "u1", "Dashboard Viewed", d);
  ASSERT_EQ(s.of(AlertChange::Kind::kCreated).size(), 1u);
  s.track("acme", "u1", "Dashboard Viewed", 12);  // below threshold from here
  s.track("acme", "u1", "Dashboard Viewed", 25);  // 13 days below: still open
  EXPECT_TRUE(s.of(AlertChange::Kind::kClosed).empty());
  s.track("acme", "u1", "Dashboard Viewed", 26);  // 14 days below: handed back
  auto closed = s.of(AlertChange::Kind::kClosed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].alert->status, "handed_back");
  for (int d = 27; d < 31; ++d) s.track("acme", "u1", "Dashboard Viewed", d);  // active again
  EXPECT_EQ(s.of(AlertChange::Kind::kCreated).size(), 2u);
}

TEST(AlertBook, CooldownHoldsBackARepeatQualification) {
  PqlRules rules;
  rules.weights[kSignalActiveWeek] = 60;
  AlertPolicy policy;
  policy.handback_after = std::chrono::hours(24);  // lapse quickly
  SignalEngine engine(rules);
  AlertBook book(engine, policy);
  int created = 0;
  auto at = [&](double day) {
    UsageEvent e;
    e.kind = UsageKind::kTrack;
    e.account = "acme";
    e.user = "u1";
    e.name = "Dashboard Viewed";
    e.time_ms = kStart + int64_t(day * kDay);
    const AccountState* account = engine.apply(e);
    for (auto& c : book.consider(*account, engine.evaluate(*account), e.time_ms, 0))
      created += c.kind == AlertChange::Kind::kCreated;
  };
  for (int d = 0; d < 5; ++d) at(d);       // alert 1 on day 4
  at(9);                                    // below
  at(10.5);                                 // handed back (1 day below)
  for (int d = 11; d < 15; ++d) at(d);      // qualifies again on day 14: within 7 days of day 4? no: 10 days
  EXPECT_EQ(created, 2);
  for (int d = 16; d < 18; ++d) at(d + 0.1);
  at(19.2);
  at(21);                                   // lapse again
  for (int d = 22; d < 23; ++d) at(d);      // qualifies on day 22: within 7 days of day 14
  EXPECT_EQ(created, 2);
}

TEST(AlertBook, OwnerPrecedenceTraitThenTerritoryThenWeightedRoundRobin) {
  PqlRules rules;
  rules.owners.territories = {{"emea", "", "Dana"}};
  rules.owners.reps = {{"Ravi", 2}, {"Sam", 1}};
  Scenario s(rules);
  s.group("a1", {{"employees", num(100)}, {"owner", str("Olga")}, {"region", str("emea")}});
  s.group("a2", {{"employees", num(100)}, {"region", str("EMEA")}});
  for (int i = 3; i <= 6; ++i) s.group("a" + std::to_string(i), {{"employees", num(100)}, {"region", str("na")}});
  for (int i = 1; i <= 6; ++i) qualify(s, "a" + std::to_string(i));
  std::map<std::string, std::string> owner;
  for (const auto& c : s.of(AlertChange::Kind::kCreated)) owner[c.alert->account_id] = c.alert->owner;
  EXPECT_EQ(owner["a1"], "Olga");
  EXPECT_EQ(owner["a2"], "Dana");
  std::map<std::string, int> rr;
  for (int i = 3; i <= 6; ++i) ++rr[owner["a" + std::to_string(i)]];
  EXPECT_EQ(rr["Ravi"], 3);  // capacity 2 : 1
  EXPECT_EQ(rr["Sam"], 1);
}

// A rep goes on leave: the leads that wait for them (assigned, neither
// claimed nor touched) go to another rep at the next tick; those they work
// stay theirs.
TEST(AlertBook, ALeadWaitingForARepWhoIsAwayGoesToAnotherAtTheTick) {
  PqlRules rules;
  rules.owners.reps = {{"Dana", 1}, {"Ravi", 1}};
  Scenario s(rules);
  for (const char* account : {"a1", "a2", "a3", "a4"}) {
    s.group(account, {{"employees", num(100)}});
    qualify(s, account);
  }
  std::map<std::string, std::string> owner;
  for (const auto& c : s.of(AlertChange::Kind::kCreated)) owner[c.alert->account_id] = c.alert->owner;
  ASSERT_EQ(owner,
            (std::map<std::string, std::string>{{"a1", "Dana"}, {"a2", "Ravi"}, {"a3", "Dana"}, {"a4", "Ravi"}}));
  AlertBook& book = s.book();
  StepRefusal why;
  ASSERT_TRUE(book.step(3, {LifecycleStep::Kind::kClaim, "Dana", "", "", "", ""}, kStart + kHour, &why));
  EXPECT_TRUE(book.tick(kStart + 2 * kHour).empty()) << "no one is away";

  book.set_owner_rules({{}, {{"Dana", 1, true}, {"Ravi", 1}}});
  const auto moved = book.tick(kStart + 3 * kHour);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].alert->account_id, "a1");
  EXPECT_EQ(moved[0].alert->owner, "Ravi");
  EXPECT_EQ(moved[0].what, "reassigned from Dana to Ravi: Dana is away");
  EXPECT_TRUE(moved[0].material);
  EXPECT_THAT(moved[0].alert->summary, HasSubstr("owner Ravi"));
  EXPECT_EQ(moved[0].alert->claimed_by, "") << "given, not claimed: Ravi claims it when he takes it up";
  EXPECT_TRUE(book.tick(kStart + 4 * kHour).empty()) << "once";

  // With every rep away, a lead waits for a claim rather than go to no one.
  book.set_owner_rules({{}, {{"Dana", 1, true}, {"Ravi", 1, true}}});
  EXPECT_TRUE(book.tick(kStart + 5 * kHour).empty());
}

TEST(AlertBook, SelfServeAlertsHaveNoOwner) {
  PqlRules rules;
  rules.owners.reps = {{"Ravi", 1}};
  Scenario s(rules);
  s.group("solo", {{"employees", num(10)}});
  qualify(s, "solo");
  auto created = s.of(AlertChange::Kind::kCreated);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].alert->route, "self-serve");
  EXPECT_EQ(created[0].alert->owner, "");
}

TEST(AlertBook, LifecycleStepsAndTheirRules) {
  Scenario s;
  qualify(s, "acme");
  AlertBook& book = s.book();
  book.set_id("acme", 7);  // the id the store would have given
  StepRefusal why;
  LifecycleStep claim{LifecycleStep::Kind::kClaim, "Dana", "", "", "", ""};
  auto claimed = book.step(7, claim, kStart + kHour, &why);
  ASSERT_TRUE(claimed) << why.why;
  EXPECT_EQ(claimed->alert->status, "claimed");
  EXPECT_EQ(claimed->alert->owner, "Dana");
  EXPECT_THAT(claimed->alert->summary, HasSubstr("owner Dana"));  // the summary names who has it now
  EXPECT_TRUE(claimed->material);
  LifecycleStep touch{LifecycleStep::Kind::kTouch, "", "email", "intro", "", ""};
  auto touched = book.step(7, touch, kStart + 2 * kHour, &why);
  ASSERT_TRUE(touched);
  EXPECT_EQ(touched->alert->touches.size(), 1u);
  EXPECT_EQ(touched->alert->first_touch_ms, kStart + 2 * kHour);
  EXPECT_TRUE(claimed->alert->touches.empty());  // an earlier change still reads as it was made
  EXPECT_FALSE(book.step(7, LifecycleStep{LifecycleStep::Kind::kOutcome, "", "", "", "", "maybe"}, kStart, &why));
  EXPECT_THAT(why.why, HasSubstr("opportunity, won or lost"));
  EXPECT_EQ(why.kind, StepRefusal::Kind::kInvalid);
  // The words a step keeps in the alert are bounded.
  LifecycleStep long_note = touch;
  long_note.note.assign(LifecycleStep::kMaxText + 1, 'x');
  EXPECT_FALSE(book.step(7, long_note, kStart, &why));
  EXPECT_EQ(why.why, "\"note\" is longer than 2000 bytes");
  long_note.note.pop_back();
  EXPECT_TRUE(book.step(7, long_note, kStart + 3 * kHour, &why)) << why.why;
  auto won = book.step(7, LifecycleStep{LifecycleStep::Kind::kOutcome, "", "", "", "", "won"}, kStart + kDay, &why);
  ASSERT_TRUE(won);
  EXPECT_EQ(won->kind, AlertChange::Kind::kClosed);
  EXPECT_EQ(won->alert->status, "won");
  EXPECT_FALSE(book.step(7, touch, kStart + kDay, &why));  // closed now
  EXPECT_THAT(why.why, HasSubstr("not open"));
  EXPECT_EQ(why.kind, StepRefusal::Kind::kNotOpen);
  EXPECT_EQ(book.open_alerts(), 0u);
}

// Two reps never both hold an alert: a claim of one another rep holds is
// refused unless it reassigns; the holder claiming again changes nothing.
TEST(AlertBook, AClaimTakesNoAlertFromAnotherRepUnlessItReassigns) {
  auto claim_by = [](std::string who, bool reassign = false) {
    LifecycleStep step;
    step.who = std::move(who);
    step.reassign = reassign;
    return step;
  };
  Scenario s;
  qualify(s, "acme");
  AlertBook& book = s.book();
  book.set_id("acme", 7);
  StepRefusal why;
  ASSERT_TRUE(book.step(7, claim_by("Dana"), kStart + kHour, &why));

  // Dana again: nothing changes, nothing worth a feed entry.
  auto again = book.step(7, claim_by("Dana"), kStart + 2 * kHour, &why);
  ASSERT_TRUE(again) << why.why;
  EXPECT_FALSE(again->material);
  EXPECT_EQ(again->alert->claimed_at_ms, kStart + kHour);
  EXPECT_EQ(again->alert->updated_at_ms, kStart + kHour);

  // Ravi, without reassign: refused, naming the holder.
  EXPECT_FALSE(book.step(7, claim_by("Ravi"), kStart + 3 * kHour, &why));
  EXPECT_EQ(why.kind, StepRefusal::Kind::kClaimed);
  EXPECT_THAT(why.why, HasSubstr("claimed by Dana"));

  // An opportunity reassigned stays an opportunity, now Ravi's.
  ASSERT_TRUE(book.step(7, LifecycleStep{LifecycleStep::Kind::kOutcome, "", "", "", "", "opportunity"},
                        kStart + 4 * kHour, &why));
  auto taken = book.step(7, claim_by("Ravi", true), kStart + 5 * kHour, &why);
  ASSERT_TRUE(taken) << why.why;
  EXPECT_TRUE(taken->material);
  EXPECT_EQ(taken->what, "reassigned from Dana to Ravi");
  EXPECT_EQ(taken->alert->status, "opportunity");
  EXPECT_EQ(taken->alert->claimed_by, "Ravi");
  EXPECT_EQ(taken->alert->owner, "Ravi");
  EXPECT_EQ(taken->alert->claimed_at_ms, kStart + 5 * kHour);
  EXPECT_THAT(taken->alert->summary, HasSubstr("owner Ravi"));
}

// A rep typing their name in another case (`telltale claim 7 --owner dana`)
// is the configured rep, so their alerts stay under one name.
TEST(AlertBook, AClaimNamesAConfiguredRepAsTheConfigWritesThem) {
  PqlRules rules;
  rules.owners.reps = {{"Dana", 1}, {"Ravi", 1}};
  Scenario s(rules);
  qualify(s, "acme");
  AlertBook& book = s.book();
  book.set_id("acme", 7);
  StepRefusal why;
  LifecycleStep claim;
  claim.who = "dana";
  auto claimed = book.step(7, claim, kStart + kHour, &why);
  ASSERT_TRUE(claimed) << why.why;
  EXPECT_EQ(claimed->what, "claimed by Dana");
  EXPECT_EQ(claimed->alert->claimed_by, "Dana");
  EXPECT_EQ(claimed->alert->owner, "Dana");
  claim.who = "DANA";
  auto again = book.step(7, claim, kStart + 2 * kHour, &why);
  ASSERT_TRUE(again) << why.why;
  EXPECT_FALSE(again->material);  // the holder again, not a reassignment
  claim.who = "Olga";  // not a rep: a claim in her own words
  claim.reassign = true;
  auto taken = book.step(7, claim, kStart + 3 * kHour, &why);
  ASSERT_TRUE(taken) << why.why;
  EXPECT_EQ(taken->alert->owner, "Olga");
}

TEST(AlertBook, TickHandsBackAfterThreeUnansweredTouchesAndCountsSlaBreaches) {
  Scenario s;
  s.group("acme", {{"employees", num(200)}});  // sales-assist: has an SLA
  qualify(s, "acme");                         // alert 1
  AlertBook& book = s.book();
  // 57 x 1.2 = 68.4: medium, 24 h SLA. No touch by then: breached, once.
  auto at_sla = book.tick(kStart + 25 * kHour);
  ASSERT_EQ(at_sla.size(), 1u);
  EXPECT_THAT(at_sla[0].what, HasSubstr("SLA breached"));
  EXPECT_TRUE(at_sla[0].alert->sla_breached);
  EXPECT_TRUE(book.tick(kStart + 26 * kHour).empty());
  StepRefusal why;
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(book.step(1, LifecycleStep{LifecycleStep::Kind::kTouch, "", "email", "", "", ""},
                          kStart + kDay + i * kHour, &why));
  EXPECT_TRUE(book.tick(kStart + 14 * kDay).empty());  // 13 days after the first touch
  auto later = book.tick(kStart + 16 * kDay);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].alert->status, "handed_back");
  EXPECT_THAT(later[0].alert->handback_reason, HasSubstr("3 touches without response"));
}

}  // namespace
}  // namespace telltale::collector
