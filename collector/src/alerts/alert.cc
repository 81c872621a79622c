// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/alert.h"

#include "app/iso8601.h"

#include <boost/json.hpp>
#include <cmath>
#include <ctime>
#include <optional>

namespace telltale::collector {
namespace {

namespace json = boost::json;

json::object contribution_json(const Contribution& c) {
  json::object o;
  o["signal"] = c.signal;
  o["points"] = json_number(c.points);
  o["evidence"] = c.evidence;
  return o;
}

}  // namespace

json::value json_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) return json::value(int64_t(v));
  return json::value(v);
}

json::value json_time_or_null(int64_t ms) { return ms ? json::value(iso8601(ms)) : json::value(nullptr); }

json::value json_text_or_null(std::string_view text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

void Alert::lifecycle_from_json(const json::object& o) {
  auto text = [&](const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
  };
  auto time = [&](const char* key) { return parse_iso8601_ms(text(key)).value_or(0); };
  id = o.contains("id") ? o.at("id").to_number<int64_t>() : id;
  account_id = text("account_id");
  status = text("status");
  owner = text("owner");
  claimed_by = text("claimed_by");
  claimed_at_ms = time("claimed_at");
  first_touch_ms = time("first_touch_at");
  if (auto it = o.find("sla_breached"); it != o.end() && it->value().is_bool()) sla_breached = it->value().get_bool();
  touches.clear();
  if (auto it = o.find("touches"); it != o.end() && it->value().is_array())
    for (const auto& t : it->value().get_array()) {
      const auto& e = t.as_object();
      touches.push_back({parse_iso8601_ms(std::string(e.at("at").as_string())).value_or(0),
                         std::string(e.at("channel").as_string()), std::string(e.at("note").as_string())});
    }
}

namespace {

void save_contribution(SnapshotWriter& w, const Contribution& c) {
  w.str(c.signal);
  w.f64(c.points);
  w.str(c.evidence);
}

Contribution load_contribution(SnapshotReader& r) {
  Contribution c;
  c.signal = r.str();
  c.points = r.f64();
  c.evidence = r.str();
  return c;
}

}  // namespace

json::object person_json(const AccountUser& person) {
  json::object o{{"user_id", person.id}};
  for (const auto& [key, value] : {std::pair{"email", &person.identity.email}, {"name", &person.identity.name},
                                   {"title", &person.identity.title}})
    if (!value->empty()) o[key] = *value;
  o["active_days_14d"] = person.active_days_14d;
  o["last_active"] = iso8601(person.last_active_day * 86'400'000).substr(0, 10);
  return o;
}

void Alert::save(SnapshotWriter& w) const {
  w.i64(id);
  for (const std::string* s : {&account_id, &account_name, &plan, &domain, &industry, &region}) w.str(*s);
  w.i64(employees);
  w.i64(user_count);
  w.f64(score);
  for (const std::string* s : {&priority, &route, &owner}) w.str(*s);
  save_contribution(w, trigger);
  w.u64(contributions.size());
  for (const Contribution& c : contributions) save_contribution(w, c);
  w.u64(fit.size());
  for (const std::string& f : fit) w.str(f);
  for (int64_t v : {metrics.users_total, metrics.active_users_14d, metrics.active_users_prev_14d,
                    metrics.active_days_7d, metrics.features_used})
    w.i64(v);
  w.u64(limit_percent.size());
  for (const auto& [metric, pct] : limit_percent) {
    w.str(metric);
    w.f64(pct);
  }
  w.u64(timeline.size());
  for (const TimelineEntry& t : timeline) {
    w.i64(t.at_ms);
    w.str(t.what);
  }
  w.str(best_contact);
  w.u64(contacts.size());
  for (const AccountUser& c : contacts) {
    for (const std::string* s : {&c.id, &c.identity.email, &c.identity.name, &c.identity.title}) w.str(*s);
    w.i64(c.active_days_14d);
    w.i64(c.last_active_day);
  }
  w.i64(sla_due_ms);
  w.str(status);
  w.str(claimed_by);
  w.i64(claimed_at_ms);
  w.u64(touches.size());
  for (const Touch& t : touches) {
    w.i64(t.at_ms);
    w.str(t.channel);
    w.str(t.note);
  }
  w.i64(first_touch_ms);
  w.boolean(sla_breached);
  w.str(handback_reason);
  w.i64(created_at_ms);
  w.i64(raised_at_ms);
  w.i64(updated_at_ms);
  w.str(summary);
}

void Alert::load(SnapshotReader& r) {
  id = r.i64();
  for (std::string* s : {&account_id, &account_name, &plan, &domain, &industry, &region}) *s = r.str();
  employees = r.i64();
  user_count = r.i64();
  score = r.f64();
  for (std::string* s : {&priority, &route, &owner}) *s = r.str();
  trigger = load_contribution(r);
  contributions.resize(r.count(10));
  for (Contribution& c : contributions) c = load_contribution(r);
  fit.resize(r.count());
  for (std::string& f : fit) f = r.str();
  for (int64_t* v : {&metrics.users_total, &metrics.active_users_14d, &metrics.active_users_prev_14d,
                     &metrics.active_days_7d, &metrics.features_used})
    *v = r.i64();
  for (size_t n = r.count(9); n > 0; --n) {
    std::string metric = r.str();
    limit_percent[std::move(metric)] = r.f64();
  }
  timeline.resize(r.count(2));
  for (TimelineEntry& t : timeline) {
    t.at_ms = r.i64();
    t.what = r.str();
  }
  best_contact = r.str();
  contacts.resize(r.count(6));
  for (AccountUser& c : contacts) {
    for (std::string* s : {&c.id, &c.identity.email, &c.identity.name, &c.identity.title}) *s = r.str();
    c.active_days_14d = int(r.i64());
    c.last_active_day = r.i64();
  }
  sla_due_ms = r.i64();
  status = r.str();
  claimed_by = r.str();
  claimed_at_ms = r.i64();
  touches.resize(r.count(3));
  for (Touch& t : touches) {
    t.at_ms = r.i64();
    t.channel = r.str();
    t.note = r.str();
  }
  first_touch_ms = r.i64();
  sla_breached = r.boolean();
  handback_reason = r.str();
  created_at_ms = r.i64();
  raised_at_ms = r.i64();
  updated_at_ms = r.i64();
  summary = r.str();
}

json::value Alert::to_json() const {
  json::object o;
  o["id"] = id;
  o["account_id"] = account_id;
  o["account_name"] = account_name;
  o["plan"] = plan;
  o["domain"] = domain;
  o["employees"] = employees >= 0 ? json::value(employees) : json::value(nullptr);
  o["industry"] = industry;
  o["region"] = region;
  o["user_count"] = user_count;
  o["score"] = json_number(score);
  o["priority"] = priority;
  o["route"] = route;
  o["owner"] = owner;
  o["trigger"] = contribution_json(trigger);
  json::array contributions_json;
  for (const auto& c : contributions) contributions_json.push_back(contribution_json(c));
  o["contributions"] = std::move(contributions_json);
  json::array fit_json;
  for (const auto& f : fit) fit_json.push_back(json::string(f));
  o["fit"] = std::move(fit_json);
  json::object m;
  m["features_used"] = metrics.features_used;
  m["active_days_7d"] = metrics.active_days_7d;
  m["team_size"] = metrics.users_total;
  m["active_users_14d"] = metrics.active_users_14d;
  m["active_users_prev_14d"] = metrics.active_users_prev_14d;
  m["team_growth_14d"] = metrics.active_users_14d - metrics.active_users_prev_14d;
  json::object limits;
  for (const auto& [metric, pct] : limit_percent) limits[metric] = json_number(pct);
  m["limit_percent"] = std::move(limits);
  o["metrics"] = std::move(m);
  json::array timeline_json;
  for (const auto& t : timeline) {
    json::object e;
    e["at"] = iso8601(t.at_ms);
    e["what"] = t.what;
    timeline_json.push_back(std::move(e));
  }
  o["timeline"] = std::move(timeline_json);
  o["best_contact"] = best_contact;
  json::array contacts_json;
  for (const AccountUser& c : contacts) contacts_json.push_back(person_json(c));
  o["contacts"] = std::move(contacts_json);
  o["sla_due"] = iso8601(sla_due_ms);
  o["status"] = status;
  o["claimed_by"] = claimed_by;
  o["claimed_at"] = json_time_or_null(claimed_at_ms);
  json::array touches_json;
  for (const Touch& t : touches) {
    json::object e;
    e["at"] = iso8601(t.at_ms);
    e["channel"] = t.channel;
    e["note"] = t.note;
    touches_json.push_back(std::move(e));
  }
  o["touches"] = std::move(touches_json);
  o["first_touch_at"] = json_time_or_null(first_touch_ms);
  o["sla_breached"] = sla_breached;
  o["handback_reason"] = handback_reason;
  o["created_at"] = iso8601(created_at_ms);
  o["raised_at"] = iso8601(raised_at_ms);
  o["updated_at"] = iso8601(updated_at_ms);
  o["summary"] = summary;
  return o;
}

}  // namespace telltale::collector
