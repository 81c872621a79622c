// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/evaluation.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

namespace telltale::collector {
namespace {

using LimitEntry = std::pair<const std::string, LimitUsage>;

// `v` with `decimals` decimals; a value too large for that, in the shortest
// form that reads back (1e+300).
std::string fixed(double v, int decimals = 0) {
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (r.ec != std::errc()) r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A whole number as such, else with one decimal: "2", "1.5".
std::string plain(double v) { return fixed(v, v == std::round(v) ? 0 : 1); }

// "once", "twice", "3 times".
std::string times(int64_t n) { return n == 1 ? "once" : n == 2 ? "twice" : std::to_string(n) + " times"; }

// The first limit at or over the limit-hit ratio.
const LimitEntry* hit_limit(const AccountState& a, const PqlRules& rules) {
  for (const auto& entry : a.limits)
    if (entry.second.ratio() >= rules.limit_hit_ratio) return &entry;
  return nullptr;
}

// Days, today included, a limit has stayed at or above the sweet-spot ratio
// since `near_since_day` (-1: it is not there).
int64_t days_near(int64_t near_since_day, int64_t today) { return near_since_day < 0 ? 0 : today - near_since_day + 1; }

// The first limit that has stayed in the sweet spot long enough; *days: how long.
const LimitEntry* sweet_spot_limit(const AccountState& a, const PqlRules& rules, int64_t today, int64_t* days) {
  for (const auto& entry : a.limits) {
    *days = days_near(entry.second.near_since_day, today);
    if (*days >= rules.sweet_spot_days) return &entry;
  }
  return nullptr;
}

// The score with signal `s`'s points added.
double score_with(const Evaluation& ev, Signal s, const CompiledRules& cr) {
  return std::round((ev.points + cr.weight(s)) * ev.fit_multiplier * 10) / 10;
}

// What the rule of missing signal `s` asks, in words, with where the account stands.
std::string what_it_takes(Signal s, const AccountState& a, const CompiledRules& cr, const AccountMetrics& m,
                          int64_t today) {
  const PqlRules& rules = cr.rules;
  // "one", not an article: the right one follows the sound of the name
  // ("a User Invited event", "an Upgrade Started event"), not its letter.
  auto event = [&](RuleEvent e) { return "one " + cr.event_name(e) + " event"; };
  switch (s) {
    case Signal::kActivated: {
      std::string missing;
      for (size_t i = 0; i < cr.milestones.size(); ++i)
        if (a.stat(cr.milestones[i]) == nullptr) missing += (missing.empty() ? "" : ", ") + cr.milestone_names[i];
      return "the activation milestones not reached yet: " + missing;
    }
    case Signal::kCoreValue: return event(RuleEvent::kCoreValue);
    case Signal::kActiveWeek:
      return "active on " + std::to_string(rules.active_days_needed) + " of the last 7 days (now " +
             std::to_string(m.active_days_7d) + ")";
    case Signal::kInvited: return event(RuleEvent::kInvite);
    case Signal::kCollaboration: return event(RuleEvent::kCollaboration);
    case Signal::kIntegration: return event(RuleEvent::kIntegration);
    case Signal::kPricing: return event(RuleEvent::kPricing);
    case Signal::kPremium: return event(RuleEvent::kPremium);
    case Signal::kSso: return event(RuleEvent::kSso);
    case Signal::kContract: return event(RuleEvent::kContract);
    case Signal::kExpansion:
      return std::to_string(rules.expansion_min_new_users) + " new active users and " +
             plain(rules.expansion_min_growth) + "x growth in " + std::to_string(rules.expansion_window_days) +
             " days (now " + std::to_string(m.active_users_prev_14d) + " -> " +
             std::to_string(m.active_users_14d) + ")";
    case Signal::kLimitHit:
    case Signal::kSweetSpot: break;
  }
  // The limit nearest to full, for where the account stands.
  const LimitEntry* fullest = nullptr;
  for (const auto& entry : a.limits)
    if (!fullest || entry.second.ratio() > fullest->second.ratio()) fullest = &entry;
  std::string now =
      fullest ? " (now " + fullest->first + " at " + fixed(fullest->second.ratio() * 100) + "%" : " (no usage reported";
  if (s == Signal::kLimitHit) return "a plan limit at " + fixed(rules.limit_hit_ratio * 100) + "% or more" + now + ")";
  int64_t longest = 0;
  for (const auto& entry : a.limits) longest = std::max(longest, days_near(entry.second.near_since_day, today));
  if (fullest) now += ", " + std::to_string(longest) + (longest == 1 ? " day" : " days") + " at or above";
  return "a plan limit at " + fixed(rules.sweet_spot_ratio * 100) + "% or more on each of " +
         std::to_string(rules.sweet_spot_days) + " days" + now + ")";
}

}  // namespace

Route route_from_name(const std::string& name) {
  if (name == "sales-led") return Route::kSalesLed;
  if (name == "sales-assist") return Route::kSalesAssist;
  return Route::kSelfServe;
}

const char* route_name(Route r) {
  switch (r) {
    case Route::kSelfServe: return "self-serve";
    case Route::kSalesAssist: return "sales-assist";
    case Route::kSalesLed: return "sales-led";
  }
  return "self-serve";
}

Evaluation evaluate(const AccountState& a, const CompiledRules& cr) {
  const PqlRules& rules = cr.rules;
  Evaluation ev;
  const int64_t today = day_of(a.last_event_ms);
  AccountMetrics& m = ev.metrics;
  m.users_total = int64_t(a.user_count());
  m.active_users_14d = a.active_users_window;
  m.active_users_prev_14d = a.active_users_prev_window;
  m.active_days_7d = a.active_days.count(today - 6, today);
  m.features_used = int64_t(a.names.size());

  SignalSet satisfied = 0;
  auto when = [&](Signal s, bool holds) {
    if (holds) satisfied |= bit(s);
  };
  auto seen = [&](RuleEvent e) { return a.count(e) > 0; };
  when(Signal::kActivated, a.activated_ms > 0);
  when(Signal::kCoreValue, seen(RuleEvent::kCoreValue));
  when(Signal::kActiveWeek, m.active_days_7d >= rules.active_days_needed);
  when(Signal::kInvited, seen(RuleEvent::kInvite));
  when(Signal::kCollaboration, seen(RuleEvent::kCollaboration));
  when(Signal::kIntegration, seen(RuleEvent::kIntegration));
  when(Signal::kPricing, seen(RuleEvent::kPricing));
  when(Signal::kPremium, seen(RuleEvent::kPremium));
  when(Signal::kSso, seen(RuleEvent::kSso));
  when(Signal::kContract, seen(RuleEvent::kContract));
  const int64_t prev = m.active_users_prev_14d, cur = m.active_users_14d;
  when(Signal::kExpansion, cur - prev >= rules.expansion_min_new_users &&
                               double(cur) >= rules.expansion_min_growth * double(prev));
  when(Signal::kLimitHit, a.limit_hit);
  when(Signal::kSweetSpot, days_near(a.near_limit_since_day, today) >= rules.sweet_spot_days);
  for (int s = 0; s < kSignalCount; ++s)
    if ((satisfied & bit(Signal(s))) && cr.weights[size_t(s)] > 0) {
      ev.signals |= bit(Signal(s));
      ev.points += cr.weights[size_t(s)];
    }

  ev.fit_multiplier = a.fit;
  ev.score = std::round(ev.points * ev.fit_multiplier * 10) / 10;
  ev.qualified = ev.score >= rules.pql_threshold;
  ev.priority = ev.score >= rules.high_priority_score ? "high" : "medium";

  // Route: sales-led, then sales-assist, else self-serve.
  const int64_t seats = std::max(cur, m.users_total);
  const bool contract = seen(RuleEvent::kContract), sso = seen(RuleEvent::kSso);
  const int64_t employees = a.employees;
  ev.route_basis = employees >= rules.sales_led_employees       ? RouteBasis::kEmployeesLed
                   : seats >= rules.sales_led_users             ? RouteBasis::kUsersLed
                   : contract                                   ? RouteBasis::kContract
                   : sso                                        ? RouteBasis::kSso
                   : employees >= rules.sales_assist_employees  ? RouteBasis::kEmployeesAssist
                   : cur >= rules.sales_assist_users            ? RouteBasis::kActiveUsersAssist
                                                                : RouteBasis::kSelfServe;
  switch (ev.route_basis) {
    case RouteBasis::kEmployeesLed:
    case RouteBasis::kUsersLed:
    case RouteBasis::kContract:
    case RouteBasis::kSso: ev.route = Route::kSalesLed; break;
    case RouteBasis::kEmployeesAssist:
    case RouteBasis::kActiveUsersAssist: ev.route = Route::kSalesAssist; break;
    case RouteBasis::kSelfServe: ev.route = Route::kSelfServe; break;
  }
  return ev;
}

Explanation explain(const AccountState& a, const CompiledRules& cr) {
  const PqlRules& rules = cr.rules;
  Explanation ex;
  static_cast<Evaluation&>(ex) = evaluate(a, cr);
  const AccountMetrics& m = ex.metrics;
  const int64_t today = day_of(a.last_event_ms);
  auto n = [&](RuleEvent e) { return int64_t(a.count(e)); };
  auto name_x = [&](RuleEvent e) { return cr.event_name(e) + " x" + std::to_string(n(e)); };

  ex.contributions.reserve(size_t(std::popcount(ex.signals)));
  for (int s = 0; s < kSignalCount; ++s) {
    if (!(ex.signals & bit(Signal(s)))) continue;
    std::string evidence;
    switch (Signal(s)) {
      case Signal::kActivated:
        evidence = "reached every activation milestone in " +
                   fixed(double(a.activated_ms - a.first_seen_ms) / 86'400'000.0, 1) + " days";
        break;
      case Signal::kCoreValue: evidence = name_x(RuleEvent::kCoreValue); break;
      case Signal::kActiveWeek: evidence = "active on " + std::to_string(m.active_days_7d) + " of the last 7 days"; break;
      case Signal::kInvited: evidence = "invited teammates " + times(n(RuleEvent::kInvite)); break;
      case Signal::kCollaboration: evidence = name_x(RuleEvent::kCollaboration); break;
      case Signal::kIntegration: evidence = name_x(RuleEvent::kIntegration); break;
      case Signal::kPricing: evidence = "viewed pricing " + times(n(RuleEvent::kPricing)); break;
      case Signal::kPremium: evidence = "tried a premium feature " + times(n(RuleEvent::kPremium)); break;
      case Signal::kSso: evidence = "configured SSO"; break;
      case Signal::kContract: evidence = "requested a contract"; break;
      case Signal::kExpansion: {
        const int64_t prev = m.active_users_prev_14d, cur = m.active_users_14d;
        evidence = std::to_string(prev) + " -> " + std::to_string(cur) + " active users in " +
                   std::to_string(rules.expansion_window_days) + " days (+" + std::to_string(cur - prev) + ")";
        break;
      }
      case Signal::kLimitHit: {
        const LimitEntry* hit = hit_limit(a, rules);
        const LimitUsage& u = hit->second;
        evidence = hit->first + " at " + fixed(u.ratio() * 100) + "% of the limit (" + fixed(u.used) + "/" +
                   fixed(u.limit) + ")";
        break;
      }
      case Signal::kSweetSpot: {
        int64_t days = 0;
        const LimitEntry* near = sweet_spot_limit(a, rules, today, &days);
        evidence = near->first + " at or above " + fixed(rules.sweet_spot_ratio * 100) + "% for " +
                   std::to_string(days) + " days";
        break;
      }
    }
    ex.contributions.push_back({signal_name(Signal(s)), cr.weights[size_t(s)], std::move(evidence)});
  }

  fit_multiplier(a.traits, rules, &ex.fit_reasons);
  for (const auto& [metric, u] : a.limits) ex.limit_percent[metric] = std::round(u.ratio() * 1000) / 10;

  const int64_t seats = std::max(m.active_users_14d, m.users_total);
  switch (ex.route_basis) {
    case RouteBasis::kEmployeesLed:
    case RouteBasis::kEmployeesAssist: ex.route_reason = std::to_string(a.employees) + " employees"; break;
    case RouteBasis::kUsersLed: ex.route_reason = std::to_string(seats) + " users"; break;
    case RouteBasis::kContract: ex.route_reason = "requested a contract"; break;
    case RouteBasis::kSso: ex.route_reason = "configured SSO"; break;
    case RouteBasis::kActiveUsersAssist: ex.route_reason = std::to_string(m.active_users_14d) + " active users"; break;
    case RouteBasis::kSelfServe:
      ex.route_reason = seats <= 1 ? "a single user" : std::to_string(seats) + " users, no enterprise signal";
      break;
  }
  return ex;
}

double points_to_threshold(const Evaluation& ev, const CompiledRules& cr) {
  return std::max(0.0, std::round((cr.rules.pql_threshold - ev.score) * 10) / 10);
}

std::vector<Signal> lacking_signals(const Evaluation& ev, const CompiledRules& cr) {
  std::vector<Signal> out;
  for (int s = 0; s < kSignalCount; ++s)
    if (!(ev.signals & bit(Signal(s))) && cr.weights[size_t(s)] > 0) out.push_back(Signal(s));
  std::stable_sort(out.begin(), out.end(), [&](Signal x, Signal y) { return cr.weight(x) > cr.weight(y); });
  return out;
}

bool would_qualify(const Evaluation& ev, Signal s, const CompiledRules& cr) {
  return !ev.qualified && score_with(ev, s, cr) >= cr.rules.pql_threshold;
}

std::vector<MissingSignal> missing_signals(const AccountState& a, const CompiledRules& cr, const Evaluation& ev) {
  std::vector<MissingSignal> out;
  const int64_t today = day_of(a.last_event_ms);
  for (Signal s : lacking_signals(ev, cr))
    out.push_back({signal_name(s), cr.weight(s), std::round((score_with(ev, s, cr) - ev.score) * 10) / 10,
                   what_it_takes(s, a, cr, ev.metrics, today), would_qualify(ev, s, cr)});
  return out;
}

}  // namespace telltale::collector
