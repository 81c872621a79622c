// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/evaluation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace telltale::collector {
namespace {

std::string fixed(double v, int decimals = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "1 time", "3 times".
std::string times(int64_t n) { return std::to_string(n) + (n == 1 ? " time" : " times"); }

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string domain_of(const AccountState& a) {
  std::string d = lower(a.trait("domain"));
  if (auto at = d.rfind('@'); at != std::string::npos) d = d.substr(at + 1);
  return d;
}

}  // namespace

const char* route_name(Route r) {
  switch (r) {
    case Route::kSelfServe: return "self-serve";
    case Route::kSalesAssist: return "sales-assist";
    case Route::kSalesLed: return "sales-led";
  }
  return "self-serve";
}

Evaluation evaluate(const AccountState& a, const PqlRules& rules) {
  Evaluation ev;
  const int64_t today = day_of(a.last_event_ms);
  const int window = rules.expansion_window_days;

  // Metrics a rep reads, also the evidence behind the signals.
  AccountMetrics& m = ev.metrics;
  m.users_total = int64_t(a.users.size());
  m.active_users_14d = a.active_users(today - window + 1, today);
  m.active_users_prev_14d = a.active_users(today - 2 * window + 1, today - window);
  m.active_days_7d = a.active_days.count(today - 6, today);
  m.features_used = int64_t(a.features.size());
  for (const auto& [metric, u] : a.limits) m.limit_percent[metric] = std::round(u.ratio() * 1000) / 10;

  auto add = [&](const char* signal, std::string evidence) {
    double w = rules.weight(signal);
    if (w <= 0) return;
    ev.contributions.push_back({signal, w, std::move(evidence)});
    ev.points += w;
  };
  auto seen = [&](const std::string& name) { return a.counts.count(name) ? a.counts.at(name) : 0; };

  if (a.activated_ms > 0) {
    double days = double(a.activated_ms - a.first_seen_ms) / 86'400'000.0;
    add(kSignalActivated, "reached every activation milestone in " + fixed(days, 1) + " days");
  }
  if (int64_t n = seen(rules.core_value_event)) add(kSignalCoreValue, rules.core_value_event + " x" + std::to_string(n));
  if (m.active_days_7d >= rules.active_days_needed)
    add(kSignalActiveWeek, "active on " + std::to_string(m.active_days_7d) + " of the last 7 days");
  if (int64_t n = seen(rules.invite_event)) add(kSignalInvited, "invited teammates " + times(n));
  if (int64_t n = seen(rules.collaboration_event)) add(kSignalCollaboration, rules.collaboration_event + " x" + std::to_string(n));
  if (int64_t n = seen(rules.integration_event)) add(kSignalIntegration, rules.integration_event + " x" + std::to_string(n));
  if (int64_t n = seen(rules.pricing_event)) add(kSignalPricing, "viewed pricing " + times(n));
  if (int64_t n = seen(rules.premium_event)) add(kSignalPremium, "tried a premium feature " + times(n));
  if (seen(rules.sso_event)) add(kSignalSso, "configured SSO");
  if (seen(rules.contract_event)) add(kSignalContract, "requested a contract");

  const int64_t prev = m.active_users_prev_14d, cur = m.active_users_14d;
  if (cur - prev >= rules.expansion_min_new_users && double(cur) >= rules.expansion_min_growth * double(prev))
    add(kSignalExpansion, std::to_string(prev) + " -> " + std::to_string(cur) + " active users in " +
                              std::to_string(window) + " days (+" + std::to_string(cur - prev) + ")");

  for (const auto& [metric, u] : a.limits) {
    if (u.ratio() >= rules.limit_hit_ratio) {
      add(kSignalLimitHit, metric + " at " + fixed(u.ratio() * 100) + "% of the limit (" + fixed(u.used) + "/" +
                               fixed(u.limit) + ")");
      break;
    }
  }
  for (const auto& [metric, u] : a.limits) {
    if (u.near_since_day >= 0 && u.ratio() >= rules.sweet_spot_ratio &&
        today - u.near_since_day + 1 >= rules.sweet_spot_days) {
      add(kSignalSweetSpot, metric + " at or above " + fixed(rules.sweet_spot_ratio * 100) + "% for " +
                                std::to_string(today - u.near_since_day + 1) + " days");
      break;
    }
  }

  // Fit: multipliers only.
  const int64_t employees = a.employees();
  if (employees >= 0 && !rules.employee_tiers.empty()) {
    double mult = 1;
    for (const auto& [from, x] : rules.employee_tiers)
      if (employees >= from) mult = x;
    if (mult != 1) ev.fit_reasons.push_back(std::to_string(employees) + " employees: x" + fixed(mult, 2));
    ev.fit_multiplier *= mult;
  }
  const std::string domain = domain_of(a);
  if (!domain.empty() && std::find(rules.free_mail_domains.begin(), rules.free_mail_domains.end(), domain) !=
                             rules.free_mail_domains.end()) {
    ev.fit_multiplier *= rules.free_mail_multiplier;
    ev.fit_reasons.push_back("free-mail domain " + domain + ": x" + fixed(rules.free_mail_multiplier, 2));
  }
  for (const auto& [trait, table] : {std::pair{"industry", &rules.industry_multipliers},
                                     std::pair{"region", &rules.region_multipliers}}) {
    auto it = table->find(lower(a.trait(trait)));
    if (it != table->end()) {
      ev.fit_multiplier *= it->second;
      ev.fit_reasons.push_back(std::string(trait) + " " + it->first + ": x" + fixed(it->second, 2));
    }
  }

  ev.score = std::round(ev.points * ev.fit_multiplier * 10) / 10;
  ev.qualified = ev.score >= rules.pql_threshold;
  ev.priority = ev.score >= rules.high_priority_score ? "high" : "medium";

  // Route: sales-led, then sales-assist, else self-serve.
  const bool enterprise_signal = seen(rules.sso_event) || seen(rules.contract_event);
  const int64_t seats = std::max(cur, m.users_total);
  if (employees >= rules.sales_led_employees) {
    ev.route = Route::kSalesLed;
    ev.route_reason = std::to_string(employees) + " employees";
  } else if (seats >= rules.sales_led_users) {
    ev.route = Route::kSalesLed;
    ev.route_reason = std::to_string(seats) + " users";
  } else if (enterprise_signal) {
    ev.route = Route::kSalesLed;
    ev.route_reason = seen(rules.contract_event) ? "requested a contract" : "configured SSO";
  } else if (employees >= rules.sales_assist_employees) {
    ev.route = Route::kSalesAssist;
    ev.route_reason = std::to_string(employees) + " employees";
  } else if (cur >= rules.sales_assist_users) {
    ev.route = Route::kSalesAssist;
    ev.route_reason = std::to_string(cur) + " active users";
  } else {
    ev.route = Route::kSelfServe;
    ev.route_reason = seats <= 1 ? "a single user" : std::to_string(seats) + " users, no enterprise signal";
  }
  return ev;
}

}  // namespace telltale::collector
