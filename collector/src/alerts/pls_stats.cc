// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/pls_stats.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/json.hpp>

#include "alerts/alert.h"
#include "alerts/owner_assigner.h"

namespace telltale::collector {
namespace {

boost::json::value ratio(int64_t part, int64_t whole) {
  return whole ? json_number(double(part) / double(whole)) : boost::json::value(nullptr);
}

boost::json::value hours(double h) { return json_number(std::round(h * 100) / 100); }

}  // namespace

void PlsStats::add(const StatsRow& alert) {
  ++volume_[alert.route][alert.priority];
  if (alert.route == "self-serve") return;  // recorded, never sent to reps
  rep_bound_.add(alert, now_ms_);
  by_owner_[alert.owner].add(alert, now_ms_);
}

void PlsStats::RepTally::add(const StatsRow& alert, int64_t now_ms) {
  ++alerts;
  // An alert touched before its deadline has met its SLA already.
  const bool late = past_deadline(alert.sla_due_ms, now_ms);
  if (alert.first_touch_ms || late) ++due;
  if (waits_for_first_touch(alert.status, alert.first_touch_ms != 0)) {
    ++waiting;
    overdue += late;
  }
  if (alert.first_touch_ms) {
    if (alert.first_touch_ms <= alert.sla_due_ms) ++touched_in_time;
    hours_to_first_touch.push_back(double(alert.first_touch_ms - alert.raised_ms) / 3'600'000.0);
  }
  opportunities += alert.status == "opportunity" || alert.status == "won";
  won += alert.status == "won";
}

void PlsStats::RepTally::write(boost::json::object& out) const {
  boost::json::object sla;
  sla["alerts"] = alerts;  // bound for reps
  sla["due"] = due;
  sla["touched_in_time"] = touched_in_time;
  sla["breached"] = due - touched_in_time;
  sla["adherence"] = ratio(touched_in_time, due);
  sla["waiting"] = waiting;
  sla["overdue"] = overdue;
  out["sla"] = std::move(sla);

  boost::json::object response;
  const size_t touched = hours_to_first_touch.size();
  response["touched"] = int64_t(touched);
  response["mean_hours_to_first_touch"] = nullptr;
  response["median_hours_to_first_touch"] = nullptr;
  if (touched) {
    double sum = 0;
    for (double h : hours_to_first_touch) sum += h;
    response["mean_hours_to_first_touch"] = hours(sum / double(touched));
    std::vector<double> sorted = hours_to_first_touch;
    std::sort(sorted.begin(), sorted.end());
    const double median = touched % 2 ? sorted[touched / 2] : (sorted[touched / 2 - 1] + sorted[touched / 2]) / 2;
    response["median_hours_to_first_touch"] = hours(median);
  }
  out["response"] = std::move(response);

  boost::json::object conversion;
  conversion["opportunities"] = opportunities;
  conversion["won"] = won;
  conversion["pql_to_opportunity"] = ratio(opportunities, alerts);
  conversion["pql_to_won"] = ratio(won, alerts);
  out["conversion"] = std::move(conversion);
}

boost::json::object PlsStats::to_json(const StatsFilter& filter) const {
  boost::json::object out;
  boost::json::object echo;
  echo["since"] = json_time_or_null(filter.since_ms.value_or(0));  // from the epoch: no bound
  echo["until"] = json_time_or_null(filter.until_ms.value_or(0));
  echo["owner"] = json_text_or_null(filter.owner);
  echo["route"] = json_text_or_null(filter.route);
  out["filter"] = std::move(echo);

  boost::json::object volume;
  for (const auto& [route, by_priority] : volume_) {
    boost::json::object priorities;
    for (const auto& [priority, n] : by_priority) priorities[priority] = n;
    volume[route] = std::move(priorities);
  }
  out["pql_volume"] = std::move(volume);
  rep_bound_.write(out);

  // The reps, most alerts first (by name among equals).
  std::vector<const std::pair<const std::string, RepTally>*> reps;
  for (const auto& rep : by_owner_) reps.push_back(&rep);
  std::stable_sort(reps.begin(), reps.end(), [](auto* a, auto* b) { return a->second.alerts > b->second.alerts; });
  boost::json::array by_owner;
  for (const auto* rep : reps) {
    boost::json::object o;
    o["owner"] = json_text_or_null(rep->first);
    rep->second.write(o);
    by_owner.push_back(std::move(o));
  }
  out["by_owner"] = std::move(by_owner);
  return out;
}

void PlsStats::add_configured_reps(boost::json::object& figures, const OwnerRules& owners) {
  boost::json::array& rows = figures.at("by_owner").as_array();
  std::set<std::string> listed;
  for (auto& row : rows) {
    boost::json::object& rep = row.as_object();
    if (!rep.at("owner").is_string()) continue;
    const std::string owner(rep.at("owner").as_string());
    listed.insert(rep_name(owners, owner));  // "dana", stored before owners took the config's spelling, is Dana
    rep["away"] = is_away(owners, owner);
  }
  const boost::json::value& of_owner = figures.at("filter").at("owner");
  for (const Rep& configured : owners.reps) {
    if (listed.count(configured.name) ||
        (of_owner.is_string() && rep_name(owners, std::string(of_owner.as_string())) != configured.name))
      continue;
    boost::json::object rep;
    rep["owner"] = configured.name;
    RepTally{}.write(rep);
    rep["away"] = configured.away;
    rows.push_back(std::move(rep));
  }
}

}  // namespace telltale::collector
