// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// PqlRules: every number and event name the signal engine, the score and the
// router use, with the defaults of DESIGN.md (the product-led-sales
// playbooks). Each is overridable in the collector's config. A plain value.
#pragma once

#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "signals/signal.h"

namespace telltale::collector {

struct Rep {
  std::string name;
  double capacity = 1;  // relative share of round-robin assignments
  bool away = false;    // on leave: takes no new leads (trait, territory or round-robin)
  bool operator==(const Rep&) const = default;
};

struct TerritoryRule {
  std::string region;    // empty: any
  std::string industry;  // empty: any
  std::string owner;
  bool operator==(const TerritoryRule&) const = default;
};

// Who works new leads. Not part of the scoring: a change applies to the
// alerts raised after it (SIGHUP reloads it) and keeps the engine's
// snapshot.
struct OwnerRules {
  std::vector<TerritoryRule> territories;
  std::vector<Rep> reps;
  bool operator==(const OwnerRules&) const = default;
};

// The summary's default order of preference: buying intent, then plan
// limits, then the team, then usage (team_expansion leads every summary).
inline constexpr const char* kDefaultSummaryOrder[] = {
    kSignalContract, kSignalSso,       kSignalPremium,     kSignalPricing,       kSignalLimitHit,  kSignalSweetSpot,
    kSignalInvited,  kSignalIntegration, kSignalCoreValue, kSignalCollaboration, kSignalActivated, kSignalActiveWeek};

struct PqlRules {
  // Event names of each signal family.
  std::vector<std::string> milestones = {"Workspace Created", "Data Imported", "Report Created",
                                         "Integration Connected"};
  std::string core_value_event = "Report Created";
  std::string invite_event = "User Invited";
  std::string collaboration_event = "Content Shared";
  std::string integration_event = "Integration Connected";
  std::string pricing_event = "Pricing Page Viewed";
  std::string premium_event = "Premium Feature Attempted";
  std::string sso_event = "SSO Configured";
  std::string contract_event = "Contract Requested";

  // Weights (points) per signal.
  std::map<std::string, double> weights = {
      {kSignalActivated, 10},  {kSignalCoreValue, 30},   {kSignalActiveWeek, 8},  {kSignalInvited, 15},
      {kSignalCollaboration, 20}, {kSignalIntegration, 15}, {kSignalPricing, 12}, {kSignalPremium, 20},
      {kSignalSso, 15},        {kSignalContract, 30},    {kSignalExpansion, 25}, {kSignalSweetSpot, 20},
      {kSignalLimitHit, 25}};

  // Windows and thresholds.
  int expansion_window_days = 14;
  int expansion_min_new_users = 3;
  double expansion_min_growth = 2.0;
  double sweet_spot_ratio = 0.8;
  int sweet_spot_days = 14;
  double limit_hit_ratio = 1.0;
  int active_days_needed = 5;  // of the last 7

  // Score.
  double pql_threshold = 50;
  double high_priority_score = 80;
  int64_t high_sla_hours = 4;
  int64_t medium_sla_hours = 24;

  // Fit multipliers.
  std::map<int64_t, double> employee_tiers = {{0, 0.8}, {10, 1.0}, {50, 1.2}, {500, 1.5}};  // from N employees
  double free_mail_multiplier = 0.7;
  std::vector<std::string> free_mail_domains = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com",
                                                "icloud.com", "proton.me", "protonmail.com", "aol.com",
                                                "gmx.com", "mail.com", "yandex.com", "live.com"};
  std::map<std::string, double> industry_multipliers;  // e.g. {"software", 1.1}
  std::map<std::string, double> region_multipliers;

  // Routing.
  int64_t sales_led_employees = 500;
  int64_t sales_led_users = 15;
  int64_t sales_assist_employees = 50;
  int64_t sales_assist_users = 3;
  int64_t self_serve_max_seats = 5;

  // The alert summary: how many signals it names after the team (whose
  // growth always leads), the first of them by this order of preference;
  // signals not listed follow in the default order.
  int summary_signals = 4;
  std::vector<std::string> summary_order{std::begin(kDefaultSummaryOrder), std::end(kDefaultSummaryOrder)};

  OwnerRules owners;

  double weight(const std::string& signal) const {
    auto it = weights.find(signal);
    return it == weights.end() ? 0 : it->second;
  }
};

}  // namespace telltale::collector
