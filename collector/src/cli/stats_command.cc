// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "cli/stats_command.h"

#include <cstdio>

#include <boost/json.hpp>

#include "app/json_text.h"

namespace telltale::cli {
namespace {

std::string text(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }
long long count(const boost::json::value& v) { return (long long)v.to_number<int64_t>(); }

// "12.5%", "100%"; "-" when there is nothing to divide by (null).
std::string percent(const boost::json::value& ratio) {
  if (ratio.is_null()) return "-";
  const double p = ratio.to_number<double>() * 100;
  char buf[32];
  std::snprintf(buf, sizeof buf, p == double((long long)p) ? "%.0f%%" : "%.1f%%", p);
  return buf;
}

// A response time: minutes under an hour, days from two; "-" when none (null).
std::string hours(const boost::json::value& h) {
  if (h.is_null()) return "-";
  const double v = h.to_number<double>();
  char buf[32];
  if (v < 1) std::snprintf(buf, sizeof buf, "%.0f min", v * 60);
  else if (v < 48) std::snprintf(buf, sizeof buf, "%.1f h", v);
  else std::snprintf(buf, sizeof buf, "%.1f d", v / 24);
  return buf;
}

// Which alerts the figures are of, in words: "all alerts", or "alerts
// raised since ..., owner Dana".
std::string scope(const boost::json::object& filter) {
  std::string words;
  auto add = [&](const char* what, const char* key) {
    if (filter.at(key).is_null()) return;
    words += (words.empty() ? "" : ", ") + std::string(what) + text(filter.at(key));
  };
  add("raised since ", "since");
  add("raised before ", "until");
  add("owner ", "owner");
  add("route ", "route");
  return words.empty() ? "all alerts" : "alerts " + words;
}

// "136: sales-assist 56 (high 56), self-serve 80 (high 7, medium 73)".
std::string volume(const boost::json::object& by_route) {
  long long total = 0;
  std::string routes;
  for (const auto& [route, by_priority] : by_route) {
    long long n = 0;
    std::string priorities;
    for (const auto& [priority, alerts] : by_priority.as_object()) {
      n += count(alerts);
      priorities += (priorities.empty() ? "" : ", ") + std::string(priority) + " " + std::to_string(count(alerts));
    }
    total += n;
    routes += (routes.empty() ? ": " : ", ") + std::string(route) + " " + std::to_string(n) + " (" + priorities + ")";
  }
  return std::to_string(total) + routes;
}

void print_figures(const boost::json::object& out) {
  std::printf("PQL figures of %s\n", scope(out.at("filter").as_object()).c_str());
  std::printf("  %-19s %s\n", "PQLs", volume(out.at("pql_volume").as_object()).c_str());
  const auto& sla = out.at("sla").as_object();
  std::printf("  %-19s %lld\n", "bound for reps", count(sla.at("alerts")));
  std::printf("  %-19s %s of %lld due touched in time (%lld breached)\n", "SLA adherence",
              percent(sla.at("adherence")).c_str(), count(sla.at("due")), count(sla.at("breached")));
  std::printf("  %-19s %lld (%lld past the deadline)\n", "waiting for a touch", count(sla.at("waiting")),
              count(sla.at("overdue")));
  const auto& response = out.at("response").as_object();
  if (count(response.at("touched")) == 0)
    std::printf("  %-19s none yet\n", "first touch");
  else
    std::printf("  %-19s median %s, mean %s, %lld touched\n", "first touch",
                hours(response.at("median_hours_to_first_touch")).c_str(),
                hours(response.at("mean_hours_to_first_touch")).c_str(), count(response.at("touched")));
  const auto& conversion = out.at("conversion").as_object();
  std::printf("  %-19s %s (%lld)\n", "PQL -> opportunity", percent(conversion.at("pql_to_opportunity")).c_str(),
              count(conversion.at("opportunities")));
  std::printf("  %-19s %s (%lld)\n", "PQL -> won", percent(conversion.at("pql_to_won")).c_str(),
              count(conversion.at("won")));

  const auto& reps = out.at("by_owner").as_array();
  if (reps.empty()) return;
  std::printf("\n  %-16s %6s %7s %7s %6s %8s %10s %10s %6s %6s\n", "REP", "ALERTS", "WAITING", "OVERDUE", "DUE",
              "IN TIME", "ADHERENCE", "1ST TOUCH", "OPPS", "WON");
  for (const auto& v : reps) {
    const auto& rep = v.as_object();
    const auto& s = rep.at("sla");
    const auto& c = rep.at("conversion");
    const std::string owner = (rep.at("owner").is_null() ? "(no owner)" : text(rep.at("owner"))) +
                              (rep.contains("away") && rep.at("away").as_bool() ? " (away)" : "");
    std::printf("  %-16.16s %6lld %7lld %7lld %6lld %8lld %10s %10s %6lld %6lld\n", owner.c_str(),
                count(s.at("alerts")), count(s.at("waiting")), count(s.at("overdue")), count(s.at("due")),
                count(s.at("touched_in_time")), percent(s.at("adherence")).c_str(),
                hours(rep.at("response").at("median_hours_to_first_touch")).c_str(), count(c.at("opportunities")),
                count(c.at("won")));
  }
}

}  // namespace

int stats(const Collector& collector, const StatsQuery& query, bool json) {
  const std::string params = query_string(
      {{"since", &query.since}, {"until", &query.until}, {"owner", &query.owner}, {"route", &query.route}});
  return print_answer(collector, "stats", "/v1/stats" + params, [&](const boost::json::value& out) {
    if (json) std::printf("%s\n", collector::json_text(out).c_str());
    else print_figures(out.as_object());
  });
}

}  // namespace telltale::cli
