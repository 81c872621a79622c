// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "cli/accounts_command.h"

#include <cstdio>

#include <boost/json.hpp>

#include "app/json_text.h"
#include "cli/csv_text.h"

namespace telltale::cli {
namespace {

std::string text(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

// "#12 claimed, Dana"; "-" without an open alert.
std::string alert_words(const boost::json::value& alert) {
  if (alert.is_null()) return "-";
  const auto& a = alert.as_object();
  const std::string owner = text(a.at("owner"));
  return "#" + collector::json_text(a.at("id")) + " " + text(a.at("status")) + (owner.empty() ? "" : ", " + owner);
}

void print_accounts(const boost::json::object& out, const AccountsQuery& query) {
  const auto& accounts = out.at("accounts").as_array();
  const long long matching = out.at("matching").to_number<long long>();
  const std::string threshold = collector::json_text(out.at("threshold"));
  const std::string shown =
      matching > (long long)accounts.size() ? ", the first " + std::to_string(accounts.size()) : "";
  const char* plural = matching == 1 ? "" : "s";
  if (query.qualified == "true")
    std::printf("%lld qualified account%s (score %s or more), highest score first%s\n", matching, plural,
                threshold.c_str(), shown.c_str());
  else if (query.qualified == "false")
    std::printf("%lld account%s warming up (below the threshold of %s), the closest first%s\n", matching, plural,
                threshold.c_str(), shown.c_str());
  else
    std::printf("%lld account%s, highest score first (the PQL threshold is %s)%s\n", matching, plural,
                threshold.c_str(), shown.c_str());
  if (accounts.empty()) return;
  std::printf("\n  %-20s %-20s %7s %-12s %5s  %-34s %s\n", "ACCOUNT", "NAME", "SCORE", "ROUTE", "USERS", "SIGNALS",
              "ALERT");
  for (const auto& v : accounts) {
    const auto& a = v.as_object();
    std::string signals;
    for (const auto& s : a.at("signals").as_array()) signals += (signals.empty() ? "" : ",") + text(s);
    if (signals.size() > 34) signals = signals.substr(0, 31) + "...";
    std::printf("  %-20.20s %-20.20s %7.1f %-12s %5lld  %-34s %s\n", text(a.at("account_id")).c_str(),
                text(a.at("account_name")).c_str(), a.at("score").to_number<double>(), text(a.at("route")).c_str(),
                a.at("user_count").to_number<long long>(), signals.c_str(), alert_words(a.at("alert")).c_str());
  }
}

// The CSV's columns: the account's fields, and its open alert's.
constexpr const char* kCsvColumns[] = {"account_id", "account_name", "plan", "score", "qualified", "priority", "route",
                                       "user_count", "active_users_14d", "signals", "last_event", "alert_id",
                                       "alert_status", "alert_owner", "points_to_threshold", "tipping_signals"};

void print_csv(const boost::json::object& out) {
  std::printf("%s\n", csv_header(kCsvColumns).c_str());
  for (const auto& v : out.at("accounts").as_array()) {
    boost::json::object row = v.as_object();
    // The alert read from the answer, not the row: adding to the row moves its fields.
    if (const auto* alert = v.as_object().at("alert").if_object())
      for (const char* field : {"id", "status", "owner"}) row[std::string("alert_") + field] = alert->at(field);
    std::printf("%s\n", csv_row(row, kCsvColumns).c_str());
  }
}

}  // namespace

int accounts(const Collector& collector, const AccountsQuery& query, AccountsFormat format) {
  std::string routes;
  for (const std::string& route : query.routes) routes += (routes.empty() ? "" : ",") + route;
  const std::string params = query_string({{"q", &query.search},
                                           {"qualified", &query.qualified},
                                           {"route", &routes},
                                           {"min_score", &query.min_score},
                                           {"limit", &query.limit}});
  return print_answer(collector, "accounts", "/v1/accounts" + params, [&](const boost::json::value& out) {
    if (format == AccountsFormat::kJson) std::printf("%s\n", collector::json_text(out).c_str());
    else if (format == AccountsFormat::kCsv) print_csv(out.as_object());
    else print_accounts(out.as_object(), query);
  });
}

}  // namespace telltale::cli
