// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/alert_book.h"

#include <utility>

#include "alerts/summary.h"
#include "app/iso8601.h"

namespace telltale::collector {

void AlertBook::fill(const AccountState& a, int64_t now_ms, Alert& alert) const {
  Explanation ex = explain(a, rules_);
  alert.account_id = a.id;
  alert.account_name = a.trait("name");
  alert.plan = a.trait("plan");
  alert.domain = a.trait("domain");
  alert.employees = a.employees;
  alert.industry = a.trait("industry");
  alert.region = a.trait("region");
  alert.user_count = ex.metrics.users_total;
  alert.score = ex.score;
  alert.priority = ex.priority;
  alert.contributions = std::move(ex.contributions);
  alert.fit = std::move(ex.fit_reasons);
  alert.metrics = ex.metrics;
  alert.limit_percent = std::move(ex.limit_percent);
  alert.timeline = key_moments(a, rules_);
  alert.contacts = engine_.people(a, kAlertContacts);
  alert.best_contact = best_contact(a, now_ms);
  alert.updated_at_ms = now_ms;
  alert.summary = summarize(alert, rules_);
}

void AlertBook::prefetch(const AccountState& a) const {
  if (a.number >= accounts_.size()) return;
  const AccountAlerts& st = accounts_[a.number];
  for (const char* line = reinterpret_cast<const char*>(&st); line < reinterpret_cast<const char*>(&st + 1); line += 64)
    __builtin_prefetch(line);
}

std::vector<AlertChange> AlertBook::consider(const AccountState& a, const Evaluation& ev, int64_t now_ms,
                                             int64_t received_at_ms) {
  std::vector<AlertChange> changes;
  if (a.number >= accounts_.size()) accounts_.resize(size_t(a.number) + 1);
  AccountAlerts& st = accounts_[a.number];
  if (st.account != &a) st.account = &a;
  const SignalSet fresh = ev.signals & ~st.satisfied;
  if (st.satisfied != ev.signals) st.satisfied = ev.signals;
  const char* route = route_name(ev.route);

  if (st.open) {
    if (ev.qualified) {
      if (st.below_since_ms >= 0) st.below_since_ms = -1;
    } else if (st.below_since_ms < 0) {
      st.below_since_ms = now_ms;
    }
    if (auto closed = due_handback(st, now_ms)) {
      changes.push_back(std::move(*closed));
    } else if (ev.qualified && ev.route > st.open_route) {
      rebuild_if_stale(st);
      Alert& closing = writable(st);
      closing.status = "closed";
      closing.updated_at_ms = now_ms;
      changes.push_back({AlertChange::Kind::kClosed, std::move(st.open), std::string("escalated to ") + route, true});
      st.open.reset();
      --open_count_;
      st.ever_created = false;  // an escalation is not held back by the cooldown
    } else {
      // The living record follows the account: refresh() rebuilds its words
      // and reports what is new (signals, priority) as a material update.
      st.pending_fresh |= fresh;
      if (!fresh && a.story_version == st.shown_version && ev.score == st.shown_score) return changes;
      st.shown_version = a.story_version;
      st.shown_score = ev.score;
      if (!st.queued) {
        stale_.push_back(&st);
        st.queued = true;
      }
      st.stale = true;
      st.stale_at_ms = now_ms;
      return changes;
    }
  }

  if (!st.open && ev.qualified && (!st.ever_created || now_ms - st.last_created_ms >= policy_.cooldown.count())) {
    auto alert = std::make_shared<Alert>();
    alert->route = route;
    alert->status = "open";
    alert->created_at_ms = now_ms;
    alert->raised_at_ms = std::max(now_ms, received_at_ms);
    const int64_t sla_hours = ev.priority == "high" ? rules_.rules.high_sla_hours : rules_.rules.medium_sla_hours;
    alert->sla_due_ms = alert->raised_at_ms + sla_hours * 3'600'000;
    // Self-serve PQLs are recorded, never sent to reps.
    if (ev.route != Route::kSelfServe) alert->owner = owners_.assign(a);
    fill(a, now_ms, *alert);  // the words, with the route and owner
    // The trigger: the strongest signal that fired with this event (else the strongest).
    const Contribution* trigger = nullptr;
    for (bool only_fresh : {true, false}) {
      for (const Contribution& c : alert->contributions)
        if ((!only_fresh || (fresh & bit(*signal_from_name(c.signal)))) && (!trigger || c.points > trigger->points))
          trigger = &c;
      if (trigger) break;
    }
    if (trigger) alert->trigger = *trigger;
    st.ever_created = true;
    st.last_created_ms = now_ms;
    st.below_since_ms = -1;
    st.shown_version = a.story_version;
    st.shown_score = ev.score;
    st.stale = false;
    st.pending_fresh = 0;
    st.shown_high = ev.priority == "high";
    st.third_last_touch_ms = 0;
    st.open_route = ev.route;
    changes.push_back({AlertChange::Kind::kCreated, alert, "created", true});
    st.open = std::move(alert);
    ++open_count_;
    numbers_.try_emplace(a.id, a.number);
  }
  return changes;
}

void AlertBook::note_touches(AccountAlerts& st) {
  const auto& touches = st.open->touches;
  st.third_last_touch_ms = touches.size() >= 3 ? touches[touches.size() - 3].at_ms : 0;
}

Alert& AlertBook::writable(AccountAlerts& st) {
  if (st.open.use_count() > 1) st.open = std::make_shared<Alert>(*st.open);
  return *st.open;
}

void AlertBook::rebuild_if_stale(AccountAlerts& st) const {
  if (!st.stale || !st.open) return;
  fill(*st.account, st.stale_at_ms, writable(st));
  st.stale = false;
}

std::vector<AlertChange> AlertBook::refresh() {
  std::vector<AlertChange> changes;
  for (AccountAlerts* st : stale_) {
    st->queued = false;
    if (!st->open || (!st->stale && !st->pending_fresh)) continue;
    rebuild_if_stale(*st);
    const Alert& a = *st->open;
    AlertChange change{AlertChange::Kind::kUpdated, st->open, "updated", false};
    std::vector<std::string> news;
    for (const Contribution& c : a.contributions)
      if (st->pending_fresh & bit(*signal_from_name(c.signal))) news.push_back("new signal " + c.signal + ": " + c.evidence);
    const bool high = a.priority == "high";
    if (high != st->shown_high)
      news.push_back(std::string("priority ") + (st->shown_high ? "high" : "medium") + " -> " + a.priority);
    if (!news.empty()) {
      change.material = true;
      change.what = news.front();
      for (size_t i = 1; i < news.size(); ++i) change.what += "; " + news[i];
    }
    st->pending_fresh = 0;
    st->shown_high = high;
    changes.push_back(std::move(change));
  }
  stale_.clear();
  return changes;
}

void AlertBook::reword_open() {
  for (AccountAlerts& st : accounts_) {
    if (!st.open) continue;
    st.stale = true;
    st.stale_at_ms = st.open->updated_at_ms;
    if (!st.queued) {
      stale_.push_back(&st);
      st.queued = true;
    }
  }
}

void AlertBook::set_id(const std::string& account, int64_t id) {
  AccountAlerts* st = find(account);
  if (st && st->open) writable(*st).id = id;
}

std::optional<AlertChange> AlertBook::due_handback(AccountAlerts& st, int64_t now_ms) {
  std::string reason;
  const int64_t first = st.third_last_touch_ms;  // of the last 3 touches
  // The account's latest event is its last activity: every event is decided on.
  if (first > 0 && now_ms - first >= policy_.handback_after.count() && st.account->last_event_ms <= first)
    reason = "3 touches without response in 14 days";
  if (reason.empty() && st.below_since_ms >= 0 && now_ms - st.below_since_ms >= policy_.handback_after.count())
    reason = "below the threshold for 14 days";
  if (reason.empty()) return std::nullopt;
  rebuild_if_stale(st);
  Alert& closing = writable(st);
  closing.status = "handed_back";
  closing.handback_reason = reason;
  closing.updated_at_ms = now_ms;
  AlertChange change{AlertChange::Kind::kClosed, std::move(st.open), "handed back: " + reason, true};
  st.open.reset();
  --open_count_;
  return change;
}

std::vector<AlertChange> AlertBook::tick(int64_t now_ms) {
  std::vector<AlertChange> changes;
  for (AccountAlerts& st : accounts_) {
    if (!st.open) continue;
    if (auto closed = due_handback(st, now_ms)) {
      changes.push_back(std::move(*closed));
      continue;
    }
    if (auto reassigned = reassign_if_away(st, now_ms)) changes.push_back(std::move(*reassigned));
    const Alert& a = *st.open;
    if (!a.sla_breached && a.route != "self-serve" && a.touches.empty() && a.sla_due_ms && now_ms >= a.sla_due_ms) {
      rebuild_if_stale(st);
      Alert& breached = writable(st);
      breached.sla_breached = true;
      breached.updated_at_ms = now_ms;
      changes.push_back(
          {AlertChange::Kind::kUpdated, st.open, "SLA breached: no touch by " + iso8601(breached.sla_due_ms), true});
    }
  }
  return changes;
}

std::optional<AlertChange> AlertBook::reassign_if_away(AccountAlerts& st, int64_t now_ms) {
  const Alert& waiting = *st.open;
  if (waiting.route == "self-serve" || !waiting.claimed_by.empty() || !waiting.touches.empty() ||
      !owners_.away(waiting.owner))
    return std::nullopt;
  std::string next = owners_.assign(*st.account);
  if (next.empty()) return std::nullopt;  // everyone is away: it waits for a claim
  rebuild_if_stale(st);
  Alert& a = writable(st);
  const std::string away = std::exchange(a.owner, std::move(next));
  a.updated_at_ms = now_ms;
  a.summary = summarize(a, rules_);  // it names the owner
  return AlertChange{AlertChange::Kind::kUpdated, st.open,
                     "reassigned from " + away + " to " + a.owner + ": " + away + " is away", true};
}

void AlertBook::sync_open(const std::vector<std::pair<std::string, int64_t>>& open) {
  std::unordered_map<std::string, int64_t> ids(open.begin(), open.end());
  for (AccountAlerts& st : accounts_) {
    if (!st.open) continue;
    auto it = ids.find(st.open->account_id);
    if (it != ids.end()) {
      writable(st).id = it->second;
    } else {  // a rep closed it
      st.open.reset();
      --open_count_;
    }
  }
}

void AlertBook::restore_lifecycle(const Alert& stored) {
  AccountAlerts* st = find(stored.account_id);
  if (!st || !st->open || st->open->id != stored.id) return;
  Alert& a = writable(*st);
  a.status = stored.status;
  a.claimed_by = stored.claimed_by;
  a.claimed_at_ms = stored.claimed_at_ms;
  a.touches = stored.touches;
  note_touches(*st);
  a.sla_breached = stored.sla_breached;
  if (!stored.owner.empty()) a.owner = stored.owner;
}

std::optional<AlertChange> AlertBook::step(int64_t id, const LifecycleStep& step, int64_t now_ms,
                                           StepRefusal* refused) {
  auto refuse = [&](StepRefusal::Kind kind, std::string why) {
    *refused = {kind, std::move(why)};
    return std::nullopt;
  };
  AccountAlerts* st = nullptr;
  for (AccountAlerts& s : accounts_)
    if (s.open && s.open->id == id) st = &s;
  if (st == nullptr) return refuse(StepRefusal::Kind::kNotOpen, "alert " + std::to_string(id) + " is not open");
  // Every word of a step is kept in the alert, which the feed, the stream
  // and webhooks repeat: each is bounded.
  struct Bounded {
    const char* field;
    const std::string& text;
    size_t most;
  };
  for (const Bounded& b : {Bounded{"owner", step.who, LifecycleStep::kMaxName},
                           Bounded{"channel", step.channel, LifecycleStep::kMaxName},
                           Bounded{"note", step.note, LifecycleStep::kMaxText},
                           Bounded{"reason", step.reason, LifecycleStep::kMaxText}})
    if (b.text.size() > b.most)
      return refuse(StepRefusal::Kind::kInvalid,
                    std::string("\"") + b.field + "\" is longer than " + std::to_string(b.most) + " bytes");
  const std::string claimant = owners_.rep_name(step.who);  // a configured rep as the config writes them
  if (step.kind == LifecycleStep::Kind::kClaim) {
    if (claimant.empty()) return refuse(StepRefusal::Kind::kInvalid, "claim needs \"owner\"");
    const std::string& holder = st->open->claimed_by;
    if (holder == claimant)
      return AlertChange{AlertChange::Kind::kUpdated, st->open, "already claimed by " + holder, false};
    if (!holder.empty() && !step.reassign)
      return refuse(StepRefusal::Kind::kClaimed, "alert " + std::to_string(id) + " is claimed by " + holder +
                                                      "; claim it with \"reassign\": true to take it over");
  }
  rebuild_if_stale(*st);
  Alert& a = writable(*st);
  AlertChange change{AlertChange::Kind::kUpdated, {}, "", true};
  bool closes = false;
  switch (step.kind) {
    case LifecycleStep::Kind::kClaim:
      change.what = a.claimed_by.empty() ? "claimed by " + claimant
                                         : "reassigned from " + a.claimed_by + " to " + claimant;
      if (a.status == "open") a.status = "claimed";  // an opportunity stays one
      a.claimed_by = claimant;
      a.claimed_at_ms = now_ms;
      a.owner = claimant;
      a.summary = summarize(a, rules_);  // it names the owner
      break;
    case LifecycleStep::Kind::kTouch:
      if (step.channel.empty()) return refuse(StepRefusal::Kind::kInvalid, "touch needs \"channel\"");
      a.touches.push_back({now_ms, step.channel, step.note});
      note_touches(*st);
      if (a.touches.size() == 1 && !a.first_touch_ms) a.first_touch_ms = now_ms;
      change.what = "touch by " + step.channel;
      break;
    case LifecycleStep::Kind::kHandback:
      a.status = "handed_back";
      a.handback_reason = step.reason.empty() ? "handed back by the rep" : step.reason;
      change.kind = AlertChange::Kind::kClosed;
      change.what = "handed back: " + a.handback_reason;
      closes = true;
      break;
    case LifecycleStep::Kind::kOutcome:
      if (step.outcome != "opportunity" && step.outcome != "won" && step.outcome != "lost")
        return refuse(StepRefusal::Kind::kInvalid, "outcome must be opportunity, won or lost");
      a.status = step.outcome;
      change.what = "outcome " + step.outcome;
      if (step.outcome != "opportunity") {
        change.kind = AlertChange::Kind::kClosed;
        closes = true;
      }
      break;
  }
  a.updated_at_ms = now_ms;
  change.alert = st->open;
  if (closes) {
    st->open.reset();
    --open_count_;
  }
  return change;
}

size_t AlertBook::open_alerts() const { return open_count_; }

const Alert* AlertBook::open_alert(const AccountState& a) const {
  return a.number < accounts_.size() ? accounts_[a.number].open.get() : nullptr;
}

void AlertBook::save(SnapshotWriter& w) const {
  owners_.save(w);
  w.u64(accounts_.size());
  for (const AccountAlerts& st : accounts_) {
    w.boolean(st.open != nullptr);
    if (st.open) st.open->save(w);
    w.i64(st.last_created_ms);
    w.boolean(st.ever_created);
    w.i64(st.below_since_ms);
    w.u64(st.satisfied);
    w.u64(st.shown_version);
    w.f64(st.shown_score);
    w.boolean(st.stale);
    w.i64(st.stale_at_ms);
    w.u64(st.pending_fresh);
    w.boolean(st.shown_high);
    w.boolean(st.queued);
  }
  // The order refresh() will rebuild in.
  w.u64(stale_.size());
  for (const AccountAlerts* st : stale_) w.u64(st->account->number);
}

void AlertBook::load(SnapshotReader& r, const std::function<const AccountState*(uint32_t)>& account) {
  if (!accounts_.empty()) throw SnapshotError("snapshot: the alert book is not fresh");
  owners_.load(r);
  const size_t n = r.count(10);
  accounts_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    AccountAlerts& st = accounts_[i];
    st.account = account(uint32_t(i));
    if (st.account == nullptr) throw SnapshotError("snapshot: alerts of an unknown account");
    if (r.boolean()) {
      st.open = std::make_shared<Alert>();
      st.open->load(r);
      st.open_route = route_from_name(st.open->route);
      note_touches(st);
      ++open_count_;
      numbers_.try_emplace(st.open->account_id, uint32_t(i));
    }
    st.last_created_ms = r.i64();
    st.ever_created = r.boolean();
    st.below_since_ms = r.i64();
    st.satisfied = SignalSet(r.u64());
    st.shown_version = r.u64();
    st.shown_score = r.f64();
    st.stale = r.boolean();
    st.stale_at_ms = r.i64();
    st.pending_fresh = SignalSet(r.u64());
    st.shown_high = r.boolean();
    st.queued = r.boolean();
  }
  for (size_t i = 0, n = r.count(); i < n; ++i) {
    const uint64_t number = r.u64();
    if (number >= accounts_.size()) throw SnapshotError("snapshot: stale alert of an unknown account");
    stale_.push_back(&accounts_[number]);
  }
}

AlertBook::AccountAlerts* AlertBook::find(const std::string& account) {
  auto it = numbers_.find(account);
  return it == numbers_.end() ? nullptr : &accounts_[it->second];
}

}  // namespace telltale::collector
