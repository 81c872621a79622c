// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/alert_book.h"

#include "alerts/summary.h"

namespace telltale::collector {

int route_rank(const std::string& route) {
  if (route == "sales-led") return 2;
  if (route == "sales-assist") return 1;
  return 0;
}

Alert AlertBook::fill(const AccountState& a, const Evaluation& ev, int64_t now_ms, Alert alert) const {
  alert.account_id = a.id;
  alert.account_name = a.trait("name");
  alert.plan = a.trait("plan");
  alert.user_count = ev.metrics.users_total;
  alert.score = ev.score;
  alert.priority = ev.priority;
  alert.contributions = ev.contributions;
  alert.fit = ev.fit_reasons;
  alert.metrics = ev.metrics;
  alert.timeline = key_moments(a, rules_);
  alert.best_contact = best_contact(a, now_ms);
  alert.updated_at_ms = now_ms;
  alert.summary = summarize(alert);
  return alert;
}

std::vector<AlertChange> AlertBook::consider(const AccountState& a, const Evaluation& ev, int64_t now_ms) {
  std::vector<AlertChange> changes;
  AccountAlerts& st = accounts_[a.id];
  std::set<std::string> satisfied;
  for (const Contribution& c : ev.contributions) satisfied.insert(c.signal);
  std::vector<const Contribution*> fresh;
  for (const Contribution& c : ev.contributions)
    if (!st.satisfied.count(c.signal)) fresh.push_back(&c);
  st.satisfied = std::move(satisfied);

  const std::string route = route_name(ev.route);
  st.last_activity_ms = std::max(st.last_activity_ms, a.last_event_ms);
  if (st.has_open) {
    if (ev.qualified) {
      st.below_since_ms = -1;
    } else if (st.below_since_ms < 0) {
      st.below_since_ms = now_ms;
    }
    if (auto closed = due_handback(st, now_ms)) {
      changes.push_back(std::move(*closed));
    } else if (ev.qualified && route_rank(route) > route_rank(st.open.route)) {
      st.open.status = "closed";
      st.open.updated_at_ms = now_ms;
      changes.push_back({AlertChange::Kind::kClosed, st.open, "escalated to " + route, true});
      st.has_open = false;
      st.ever_created = false;  // an escalation is not held back by the cooldown
    } else {
      // The living record changes only when what a rep reads changes.
      std::string fingerprint = std::to_string(ev.score) + '|' + std::to_string(ev.metrics.users_total) + '|' +
                                std::to_string(ev.metrics.active_users_14d) + '|' +
                                std::to_string(ev.metrics.active_days_7d) + '|' +
                                std::to_string(ev.metrics.features_used) + '|' + std::to_string(a.counts.size());
      if (fresh.empty() && fingerprint == st.fingerprint) return changes;
      st.fingerprint = std::move(fingerprint);
      const std::string old_priority = st.open.priority;
      st.open = fill(a, ev, now_ms, std::move(st.open));
      AlertChange change{AlertChange::Kind::kUpdated, st.open, "updated", false};
      std::vector<std::string> news;
      for (const Contribution* c : fresh) news.push_back("new signal " + c->signal + ": " + c->evidence);
      if (old_priority != st.open.priority) news.push_back("priority " + old_priority + " -> " + st.open.priority);
      if (!news.empty()) {
        change.material = true;
        change.what = news.front();
        for (size_t i = 1; i < news.size(); ++i) change.what += "; " + news[i];
      }
      changes.push_back(std::move(change));
      return changes;
    }
  }

  if (!st.has_open && ev.qualified &&
      (!st.ever_created || now_ms - st.last_created_ms >= policy_.cooldown.count())) {
    Alert alert;
    // The trigger: the strongest signal that fired with this event.
    const Contribution* trigger = nullptr;
    for (const Contribution* c : fresh)
      if (trigger == nullptr || c->points > trigger->points) trigger = c;
    if (trigger == nullptr)
      for (const Contribution& c : ev.contributions)
        if (trigger == nullptr || c.points > trigger->points) trigger = &c;
    if (trigger) alert.trigger = *trigger;
    alert.route = route;
    alert.status = "open";
    alert.created_at_ms = now_ms;
    const int64_t sla_hours = ev.priority == "high" ? rules_.high_sla_hours : rules_.medium_sla_hours;
    alert.sla_due_ms = now_ms + sla_hours * 3'600'000;
    // Self-serve PQLs are recorded, never sent to reps.
    if (ev.route != Route::kSelfServe) alert.owner = owners_.assign(a);
    alert = fill(a, ev, now_ms, std::move(alert));
    st.open = alert;
    st.has_open = true;
    st.ever_created = true;
    st.last_created_ms = now_ms;
    st.below_since_ms = -1;
    changes.push_back({AlertChange::Kind::kCreated, std::move(alert), "created", true});
  }
  return changes;
}

void AlertBook::set_id(const std::string& account, int64_t id) {
  auto it = accounts_.find(account);
  if (it != accounts_.end() && it->second.has_open) it->second.open.id = id;
}

std::optional<AlertChange> AlertBook::due_handback(AccountAlerts& st, int64_t now_ms) {
  const auto& touches = st.open.touches;
  std::string reason;
  if (touches.size() >= 3) {
    const int64_t first = touches[touches.size() - 3].at_ms;
    if (now_ms - first >= policy_.handback_after.count() && st.last_activity_ms <= first)
      reason = "3 touches without response in 14 days";
  }
  if (reason.empty() && st.below_since_ms >= 0 && now_ms - st.below_since_ms >= policy_.handback_after.count())
    reason = "below the threshold for 14 days";
  if (reason.empty()) return std::nullopt;
  st.open.status = "handed_back";
  st.open.handback_reason = reason;
  st.open.updated_at_ms = now_ms;
  st.has_open = false;
  return AlertChange{AlertChange::Kind::kClosed, st.open, "handed back: " + reason, true};
}

std::vector<AlertChange> AlertBook::tick(int64_t now_ms) {
  std::vector<AlertChange> changes;
  for (auto& [account, st] : accounts_) {
    if (!st.has_open) continue;
    if (auto closed = due_handback(st, now_ms)) {
      changes.push_back(std::move(*closed));
      continue;
    }
    Alert& a = st.open;
    if (!a.sla_breached && a.route != "self-serve" && a.touches.empty() && a.sla_due_ms && now_ms >= a.sla_due_ms) {
      a.sla_breached = true;
      a.updated_at_ms = now_ms;
      changes.push_back({AlertChange::Kind::kUpdated, a, "SLA breached: no touch by " + iso8601(a.sla_due_ms), true});
    }
  }
  return changes;
}

void AlertBook::sync_open(const std::vector<std::pair<std::string, int64_t>>& open) {
  std::unordered_map<std::string, int64_t> ids(open.begin(), open.end());
  for (auto& [account, st] : accounts_) {
    if (!st.has_open) continue;
    auto it = ids.find(account);
    if (it == ids.end()) st.has_open = false;  // a rep closed it
    else st.open.id = it->second;
  }
}

void AlertBook::restore_lifecycle(const Alert& stored) {
  auto it = accounts_.find(stored.account_id);
  if (it == accounts_.end() || !it->second.has_open || it->second.open.id != stored.id) return;
  Alert& a = it->second.open;
  a.status = stored.status;
  a.claimed_by = stored.claimed_by;
  a.claimed_at_ms = stored.claimed_at_ms;
  a.touches = stored.touches;
  a.sla_breached = stored.sla_breached;
  if (!stored.owner.empty()) a.owner = stored.owner;
}

std::optional<AlertChange> AlertBook::step(int64_t id, const LifecycleStep& step, int64_t now_ms, std::string* why) {
  AccountAlerts* st = nullptr;
  for (auto& [account, s] : accounts_)
    if (s.has_open && s.open.id == id) st = &s;
  if (st == nullptr) {
    *why = "alert " + std::to_string(id) + " is not open";
    return std::nullopt;
  }
  Alert& a = st->open;
  AlertChange change{AlertChange::Kind::kUpdated, {}, "", true};
  switch (step.kind) {
    case LifecycleStep::Kind::kClaim:
      if (step.who.empty()) {
        *why = "claim needs \"owner\"";
        return std::nullopt;
      }
      a.status = "claimed";
      a.claimed_by = step.who;
      a.claimed_at_ms = now_ms;
      a.owner = step.who;
      change.what = "claimed by " + step.who;
      break;
    case LifecycleStep::Kind::kTouch:
      if (step.channel.empty()) {
        *why = "touch needs \"channel\"";
        return std::nullopt;
      }
      a.touches.push_back({now_ms, step.channel, step.note});
      if (a.touches.size() == 1 && !a.first_touch_ms) a.first_touch_ms = now_ms;
      change.what = "touch by " + step.channel;
      break;
    case LifecycleStep::Kind::kHandback:
      a.status = "handed_back";
      a.handback_reason = step.reason.empty() ? "handed back by the rep" : step.reason;
      change.kind = AlertChange::Kind::kClosed;
      change.what = "handed back: " + a.handback_reason;
      st->has_open = false;
      break;
    case LifecycleStep::Kind::kOutcome:
      if (step.outcome != "opportunity" && step.outcome != "won" && step.outcome != "lost") {
        *why = "outcome must be opportunity, won or lost";
        return std::nullopt;
      }
      a.status = step.outcome;
      change.what = "outcome " + step.outcome;
      if (step.outcome != "opportunity") {
        change.kind = AlertChange::Kind::kClosed;
        st->has_open = false;
      }
      break;
  }
  a.updated_at_ms = now_ms;
  change.alert = a;
  return change;
}

size_t AlertBook::open_alerts() const {
  size_t n = 0;
  for (const auto& [id, st] : accounts_) n += st.has_open;
  return n;
}

}  // namespace telltale::collector
