// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/alert_history.h"

#include <boost/json/parse.hpp>

#include "app/json_text.h"

namespace telltale::collector {

boost::json::array alert_history(AlertStore& store, const std::string& account, size_t limit, int64_t before_id) {
  boost::json::array history;
  for (const AlertStore::Listed& listed :
       store.list({.account = account, .before = before_id, .newest_first = true, .limit = limit})) {
    const boost::json::object alert = boost::json::parse(listed.body).as_object();
    boost::json::object past;
    for (const char* key : {"id", "status", "route", "priority", "score", "owner", "created_at"})
      past[key] = alert.at(key);
    past["touches"] = alert.at("touches").as_array().size();
    if (const auto* reason = alert.if_contains("handback_reason"); reason && !reason->as_string().empty())
      past["handback_reason"] = *reason;
    history.push_back(std::move(past));
  }
  return history;
}

std::string alert_history_line(const boost::json::object& past) {
  auto text = [&](const char* key) { return std::string(past.at(key).as_string()); };
  const long long touches = past.at("touches").to_number<long long>();
  std::string line = "#" + json_text(past.at("id")) + " " + text("status") + ", " + text("route");
  if (!text("owner").empty()) line += ", " + text("owner");
  line += ", raised " + text("created_at").substr(0, 10);
  if (touches) line += ", " + std::to_string(touches) + (touches == 1 ? " touch" : " touches");
  if (past.contains("handback_reason")) line += ": " + text("handback_reason");
  return line;
}

}  // namespace telltale::collector
