// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "router.h"
#include "app/iso8601.h"
#include "app/json_text.h"
#include "alerts/owner_assigner.h"
#include "alerts/pls_stats.h"
#include "alerts/pql_digest.h"
#include "alerts/webhook_dispatcher.h"
#include "app/wall_clock.h"
#include "http/dashboard.h"
#include "http/sse.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

#include <boost/json.hpp>

namespace telltale::collector {

namespace http = boost::beast::http;

Router::Router(IngestService* ingest, EngineRunner* engine, Metrics* metrics, std::function<std::string()> not_ready,
               ApiTokens tokens, std::function<std::string()> engine_whereabouts,
               std::shared_ptr<const WebhookBoard> webhooks)
    : ingest_(ingest), engine_(engine), metrics_(metrics), not_ready_(std::move(not_ready)),
      engine_whereabouts_(std::move(engine_whereabouts)), webhooks_(std::move(webhooks)),
      tokens_(std::make_shared<const ApiTokens>(std::move(tokens))) {
  // A read-only route whose answer is computed when it is asked for.
  using Answer = std::pair<int, std::string>;
  auto text = [](std::function<Answer()> answer, const char* type) {
    return [answer = std::move(answer), type](Request&& q, const std::string&, Respond r) {
      auto [status, body] = answer();
      Response res = json_response(q.version(), q.keep_alive(), status, std::move(body));
      res.set(http::field::content_type, type);
      r(std::move(res));
    };
  };
  routes_ = {
      {"/", http::verb::get,
       [](Request&& q, const std::string&, Respond r) {
         Response res = json_response(q.version(), q.keep_alive(), 200, std::string(dashboard_page()));
         res.set(http::field::content_type, "text/html; charset=utf-8");
         res.set(http::field::cache_control, "no-cache");
         // The page loads nothing from elsewhere and talks only to this collector.
         res.set("Content-Security-Policy",
                 "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
                 "frame-ancestors 'none'");
         res.set("X-Content-Type-Options", "nosniff");
         r(std::move(res));
       }},
      {"/v1/batch", http::verb::post,
       [this](Request&& q, const std::string&, Respond r) { ingest_->batch(std::move(q), std::move(r)); }},
      {"/v1/track", http::verb::post,
       [this](Request&& q, const std::string&, Respond r) { ingest_->single("track", std::move(q), std::move(r)); }},
      {"/v1/identify", http::verb::post,
       [this](Request&& q, const std::string&, Respond r) { ingest_->single("identify", std::move(q), std::move(r)); }},
      {"/v1/group", http::verb::post,
       [this](Request&& q, const std::string&, Respond r) { ingest_->single("group", std::move(q), std::move(r)); }},
      {"/healthz", http::verb::get, text([] { return Answer{200, "{\"status\":\"ok\"}"}; }, "application/json")},
      {"/readyz", http::verb::get,
       [this](Request&& q, const std::string&, Respond r) {
         const std::string why = not_ready_();
         r(why.empty() ? json_response(q.version(), q.keep_alive(), 200, "{\"status\":\"ready\"}")
                       : error_response(q.version(), q.keep_alive(), 503, "not_ready", why));
       }},
      {"/metrics", http::verb::get,
       text([this] {
              std::string body = metrics_->render();
              if (engine_) body += render_pls(engine_->store().stats(StatsFilter{}, wall_clock_ms()));
              return Answer{200, std::move(body)};
            },
            "text/plain; version=0.0.4")},
      {"/v1/alerts", http::verb::get,
       [this](Request&& q, const std::string& query, Respond r) { r(alerts(q, query)); }},
      {"/v1/stats", http::verb::get,
       [this](Request&& q, const std::string& query, Respond r) { r(stats(q, query)); }},
      {"/v1/digest", http::verb::get,
       [this](Request&& q, const std::string& query, Respond r) { r(digest(q, query)); }},
      {"/v1/accounts", http::verb::get,
       [this](Request&& q, const std::string& query, Respond r) { r(accounts(q, query)); }},
      {"/v1/webhooks", http::verb::get,
       [this](Request&& q, const std::string& query, Respond r) {
         r(query.empty() ? json_response(q.version(), q.keep_alive(), 200,
                                         webhooks_json(webhooks_ ? webhooks_->health() : std::vector<WebhookHealth>{}))
                         : error_response(q.version(), q.keep_alive(), 400, "bad_query", "/v1/webhooks takes no query"));
       }},
  };
}

namespace {

// The feed's orders (?order=): by id ascending, or descending.
constexpr const char* kFeedOrders[] = {"oldest", "newest"};

// A 405, with the Allow header (RFC 9110) naming the methods the path takes.
Response method_not_allowed(unsigned version, bool keep_alive, const std::string& allow, const std::string& detail) {
  Response res = error_response(version, keep_alive, 405, "method_not_allowed", detail);
  res.set(http::field::allow, allow);
  return res;
}

// `text` as a whole number of at least `least` (all of it: "12abc" is not).
std::optional<int64_t> whole_number(std::string_view text, int64_t least) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < least) return std::nullopt;
  return n;
}

// The 400 for an alert id in a path that is not one.
Response bad_alert_id(const Request& req) {
  return error_response(req.version(), req.keep_alive(), 400, "bad_id", "alert ids are whole numbers from 1");
}

// Whether `value` is empty or one of `words`; else *why says which it may be.
template <class Words>
bool is_one_of(const std::string& name, const std::string& value, const Words& words, std::string* why) {
  if (value.empty() || std::any_of(std::begin(words), std::end(words), [&](const auto& w) { return value == w; }))
    return true;
  *why = name + " must be one of: ";
  const char* separator = "";
  for (const auto& w : words) *why += std::exchange(separator, ", ") + std::string(w);
  return false;
}

std::vector<std::string> route_names() {
  std::vector<std::string> names;
  for (Route r : kRoutes) names.push_back(route_name(r));
  return names;
}

// The feed's query (DESIGN.md): status, owner, route, priority, account, after (the
// cursor) and limit (at most 1000 a page); and order (oldest first, or newest
// first: the latest page, for a screen) with before (the cursor going back
// in time). A value outside a filter's words, a
// number that is not one, or a parameter of another name is refused with
// why, so that a typo never reads as "no alerts" or "every alert". An
// owner that is one of `reps` in another case is that rep, in every query
// (OwnerAssigner).
std::optional<AlertFilter> alert_filter(const std::map<std::string, std::string>& params, const OwnerRules& reps,
                                        std::string* why) {
  AlertFilter f;
  auto number = [&](const std::string& name, const std::string& value, int64_t least, int64_t* out) {
    const std::optional<int64_t> n = whole_number(value, least);
    if (!n) *why = name + " must be a whole number of at least " + std::to_string(least);
    else *out = *n;
    return n.has_value();
  };
  for (const auto& [name, value] : params) {
    if (name == "status") {
      if (!is_one_of(name, value, kAlertStatuses, why)) return std::nullopt;
      f.status = value;
    } else if (name == "route") {
      if (!is_one_of(name, value, route_names(), why)) return std::nullopt;
      f.route = value;
    } else if (name == "priority") {
      if (!is_one_of(name, value, kAlertPriorities, why)) return std::nullopt;
      f.priority = value;
    } else if (name == "owner") {
      f.owner = rep_name(reps, value);
    } else if (name == "account") {
      f.account = value;
    } else if (name == "after") {
      if (!value.empty() && !number(name, value, 0, &f.after)) return std::nullopt;
    } else if (name == "before") {
      if (!value.empty() && !number(name, value, 1, &f.before)) return std::nullopt;
    } else if (name == "order") {
      if (!is_one_of(name, value, kFeedOrders, why)) return std::nullopt;
      f.newest_first = value == "newest";
    } else if (name == "limit") {
      int64_t limit = int64_t(f.limit);
      if (!value.empty() && !number(name, value, 1, &limit)) return std::nullopt;
      f.limit = size_t(std::min<int64_t>(limit, 1000));
    } else {
      *why = "unknown parameter \"" + name +
             "\" (the feed takes status, owner, route, priority, account, after, before, order and limit)";
      return std::nullopt;
    }
  }
  return f;
}

// A time bound of GET /v1/stats: an ISO 8601 time, a date (its midnight,
// UTC), or a span back from now: 30d, 12h, 90m.
std::optional<int64_t> time_bound(const std::string& name, const std::string& value, int64_t now_ms, std::string* why) {
  static constexpr std::pair<char, int64_t> kUnits[] = {{'d', 86'400'000}, {'h', 3'600'000}, {'m', 60'000}};
  if (value.size() >= 2)
    for (const auto& [unit, ms] : kUnits)
      if (value.back() == unit)
        if (const auto n = whole_number(std::string_view(value).substr(0, value.size() - 1), 1))
          return now_ms - *n * ms;
  const bool date_only = value.size() == 10;
  if (value.find('T') != std::string::npos || date_only)
    if (auto ms = parse_iso8601_ms(date_only ? value + "T00:00:00Z" : value)) return ms;
  *why = name + " must be an ISO 8601 time (2026-11-01T09:00:00Z), a date (2026-11-01) or a span back from now "
         "(30d, 12h, 90m)";
  return std::nullopt;
}

// The query of GET /v1/stats: since and until (time_bound), owner and
// route; anything else is refused with why, like the feed's (`takes`: what
// the route takes, for that answer).
std::optional<StatsFilter> stats_filter(const std::map<std::string, std::string>& params, int64_t now_ms,
                                        const OwnerRules& reps, std::string* why,
                                        const char* takes = "since, until, owner and route") {
  StatsFilter f;
  for (const auto& [name, value] : params) {
    if (name == "since" || name == "until") {
      if (value.empty()) continue;
      const std::optional<int64_t> ms = time_bound(name, value, now_ms, why);
      if (!ms) return std::nullopt;
      (name == "since" ? f.since_ms : f.until_ms) = *ms;
    } else if (name == "owner") {
      f.owner = rep_name(reps, value);
    } else if (name == "route") {
      if (!is_one_of(name, value, route_names(), why)) return std::nullopt;
      f.route = value;
    } else {
      *why = "unknown parameter \"" + name + "\" (the figures take " + takes + ")";
      return std::nullopt;
    }
  }
  if (f.since_ms && f.until_ms && *f.since_ms >= *f.until_ms) {
    *why = "since must be before until";
    return std::nullopt;
  }
  return f;
}

// The query of GET /v1/accounts: q (text in the account's id or name, at
// most kMaxAccountSearch characters), qualified (true, false), route (one
// or several, separated by commas),
// min_score (a number of at least 0) and limit (1-1000, default 50);
// anything else is refused with why.
constexpr size_t kMaxAccountSearch = 200;
std::optional<AccountQuery> account_query(const std::map<std::string, std::string>& params, std::string* why) {
  AccountQuery q;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (name == "q") {
      if (value.size() > kMaxAccountSearch) {
        *why = "q must be at most " + std::to_string(kMaxAccountSearch) + " characters";
        return std::nullopt;
      }
      q.text = value;
    } else if (name == "qualified") {
      if (!is_one_of(name, value, std::array{"true", "false"}, why)) return std::nullopt;
      q.qualified = value == "true";
    } else if (name == "route") {  // one, or several separated by commas
      const std::vector<std::string> names = route_names();
      for (size_t start = 0; start <= value.size();) {
        const size_t end = std::min(value.find(',', start), value.size());
        const std::string one = value.substr(start, end - start);
        if (std::find(names.begin(), names.end(), one) == names.end()) {
          *why = "route must be one of: self-serve, sales-assist, sales-led, or several separated by commas";
          return std::nullopt;
        }
        q.routes.push_back(route_from_name(one));
        start = end + 1;
      }
    } else if (name == "min_score") {
      double score = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), score);
      if (ec != std::errc() || end != value.data() + value.size() || !(score >= 0)) {
        *why = "min_score must be a number of at least 0";
        return std::nullopt;
      }
      q.min_score = score;
    } else if (name == "limit") {
      const std::optional<int64_t> n = whole_number(value, 1);
      if (!n) {
        *why = "limit must be a whole number of at least 1";
        return std::nullopt;
      }
      q.limit = size_t(std::min<int64_t>(*n, 1000));
    } else {
      *why = "unknown parameter \"" + name + "\" (the accounts take q, qualified, route, min_score and limit)";
      return std::nullopt;
    }
  }
  return q;
}

// The stream's query: after (the cursor, when there is no Last-Event-ID),
// and filters of its entries: owner (the alert's at the entry, or the rep
// the entry took it from), route and priority (the alert's at the entry),
// kind (created, updated, closed; several comma-separated); access_token
// is the API token of a browser's EventSource. Anything else is refused.
struct StreamFilter {
  std::string after, owner, route, priority;
  std::vector<std::string> kinds;  // empty: any
  bool wants(const FeedEntry& entry, const boost::json::object& alert) const {
    auto text = [&](const char* key) { return std::string(alert.at(key).as_string()); };
    return (kinds.empty() || std::find(kinds.begin(), kinds.end(), entry.kind) != kinds.end()) &&
           (owner.empty() || entry.concerns(owner, text("owner"))) && (route.empty() || text("route") == route) &&
           (priority.empty() || text("priority") == priority);
  }
};

std::optional<StreamFilter> stream_filter(const std::map<std::string, std::string>& params, const OwnerRules& reps,
                                          std::string* why) {
  StreamFilter f;
  for (const auto& [name, value] : params) {
    if (name == "after") {
      f.after = value;
    } else if (name == "owner") {
      f.owner = rep_name(reps, value);
    } else if (name == "route") {
      if (!is_one_of(name, value, route_names(), why)) return std::nullopt;
      f.route = value;
    } else if (name == "priority") {
      if (!is_one_of(name, value, kAlertPriorities, why)) return std::nullopt;
      f.priority = value;
    } else if (name == "kind") {
      for (size_t at = 0; !value.empty() && at <= value.size();) {
        const size_t comma = std::min(value.find(',', at), value.size());
        const std::string kind = value.substr(at, comma - at);
        if (kind.empty() || !is_one_of(name, kind, kFeedKinds, why)) {
          if (kind.empty()) *why = "kind lists created, updated or closed, comma-separated";
          return std::nullopt;
        }
        f.kinds.push_back(kind);
        at = comma + 1;
      }
    } else if (name != "access_token") {
      *why = "unknown parameter \"" + name +
             "\" (the stream takes after, owner, route, priority, kind and access_token)";
      return std::nullopt;
    }
  }
  return f;
}

}  // namespace

Response Router::alerts(const Request& req, const std::string& query) {
  std::string why;
  const std::optional<AlertFilter> filter = alert_filter(parse_query(query), engine_->owner_rules(), &why);
  if (!filter) return error_response(req.version(), req.keep_alive(), 400, "bad_query", why);
  // Where the alert stream stood before this read: a client that lists and
  // then follows GET /v1/alerts/stream from here misses nothing.
  const int64_t feed_seq = engine_->last_feed_seq();
  const std::vector<AlertStore::Listed> listed = engine_->store().list(*filter);
  std::string body = "{\"alerts\":[";
  for (size_t i = 0; i < listed.size(); ++i) body += (i ? "," : "") + listed[i].body;
  body += "],\"next\":";
  // The cursor: the last id of this page. Pass it as ?after= (oldest first)
  // or ?before= (newest first) to continue where the page ended.
  body += (listed.empty() ? "null" : std::to_string(listed.back().id)) + ",\"feed_seq\":" + std::to_string(feed_seq) + "}";
  return json_response(req.version(), req.keep_alive(), 200, std::move(body));
}

Response Router::stats(const Request& req, const std::string& query) {
  std::string why;
  const int64_t now = wall_clock_ms();
  const OwnerRules reps = engine_->owner_rules();
  const std::optional<StatsFilter> filter = stats_filter(parse_query(query), now, reps, &why);
  if (!filter) return error_response(req.version(), req.keep_alive(), 400, "bad_query", why);
  boost::json::object out = engine_->store().stats(*filter, now);
  PlsStats::add_configured_reps(out, reps);
  return json_response(req.version(), req.keep_alive(), 200, json_text(out));
}

// What a digest webhook would post now, for a preview or a job that pulls
// it: the query of /v1/stats (the period, 24 hours back by default; the
// owner; the route, else both routes of reps) and format (generic, slack,
// teams, or email: its subject, MIME headers and text, as plain text).
Response Router::digest(const Request& req, const std::string& query) {
  std::string why;
  const int64_t now = wall_clock_ms();
  std::map<std::string, std::string> params = parse_query(query);
  std::string format = "generic";
  if (auto it = params.find("format"); it != params.end()) {
    format = it->second;
    params.erase(it);
  }
  if (std::find(std::begin(kWebhookFormats), std::end(kWebhookFormats), format) == std::end(kWebhookFormats))
    return error_response(req.version(), req.keep_alive(), 400, "bad_query",
                          "format must be generic, slack, teams or email");
  const OwnerRules reps = engine_->owner_rules();
  const std::optional<StatsFilter> filter = stats_filter(params, now, reps, &why, "since, until, owner, route and format");
  if (!filter) return error_response(req.version(), req.keep_alive(), 400, "bad_query", why);
  if (filter->route == "self-serve")
    return error_response(req.version(), req.keep_alive(), 400, "bad_query",
                          "a digest is of alerts bound for reps: route is sales-assist or sales-led");
  std::set<std::string> routes(std::begin(kRepRoutes), std::end(kRepRoutes)), owners;
  if (!filter->route.empty()) routes = {filter->route};
  if (!filter->owner.empty()) owners = {filter->owner};
  Digest d =
      collect_digest(engine_->store(), filter->since_ms.value_or(now - 24 * 3'600'000), filter->until_ms.value_or(now),
                     routes, owners, reps, now, [this](const AccountQuery& query) { return engine_->accounts(query); });
  {
    std::lock_guard<std::mutex> lock(settings_mutex_);
    d.dashboard_url = dashboard_url_;
  }
  Response res = json_response(req.version(), req.keep_alive(), 200, digest_body(format, d));
  if (format == "email") res.set(http::field::content_type, "text/plain; charset=utf-8");  // the mail as sent
  return res;
}

Response Router::alert(const Request& req, const std::string& id) {
  const std::optional<int64_t> n = whole_number(id, 1);
  if (!n) return bad_alert_id(req);
  auto body = engine_->store().get(*n);
  if (!body) return error_response(req.version(), req.keep_alive(), 404, "not_found", "no alert " + id);
  return json_response(req.version(), req.keep_alive(), 200, std::move(*body));
}

Response Router::lifecycle(const Request& req, const std::string& id, const std::string& action) {
  const unsigned v = req.version();
  const bool ka = req.keep_alive();
  LifecycleStep step;
  if (action == "claim") step.kind = LifecycleStep::Kind::kClaim;
  else if (action == "touch") step.kind = LifecycleStep::Kind::kTouch;
  else if (action == "handback") step.kind = LifecycleStep::Kind::kHandback;
  else if (action == "outcome") step.kind = LifecycleStep::Kind::kOutcome;
  else return error_response(v, ka, 404, "not_found", "no lifecycle step " + action);
  const std::optional<int64_t> n = whole_number(id, 1);
  if (!n) return bad_alert_id(req);
  // The body: a JSON object of strings and a boolean "reassign" (or none, for a hand-back without a reason).
  boost::json::object body;
  if (!req.body().empty()) {
    boost::system::error_code ec;
    const auto& raw = req.body();
    boost::json::value parsed =
        boost::json::parse(boost::json::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()), ec);
    if (ec || !parsed.is_object())
      return error_response(v, ka, 400, "bad_request",
                            "the body must be a JSON object" + (ec ? " (" + ec.message() + ")" : std::string()));
    body = std::move(parsed.as_object());
  }
  for (const auto& [key, value] : {std::pair{"owner", &step.who}, std::pair{"channel", &step.channel},
                                   std::pair{"note", &step.note}, std::pair{"reason", &step.reason},
                                   std::pair{"outcome", &step.outcome}}) {
    const auto it = body.find(key);
    if (it == body.end()) continue;
    if (!it->value().is_string()) return error_response(v, ka, 400, "bad_request", std::string("\"") + key + "\" must be a string");
    *value = it->value().get_string();
  }
  if (const auto it = body.find("reassign"); it != body.end()) {
    if (!it->value().is_bool()) return error_response(v, ka, 400, "bad_request", "\"reassign\" must be true or false");
    step.reassign = it->value().get_bool();
  }
  EngineRunner::LifecycleRefusal refused;
  auto alert = engine_->lifecycle(*n, step, &refused);
  if (!alert) return error_response(v, ka, refused.status, refused.error, refused.detail);
  return json_response(v, ka, 200, std::move(*alert));
}

void Router::stream(const Request& req, const std::string& query, Respond respond) {
  // Server-Sent Events: each entry of the alert feed is an event whose id is
  // its feed sequence. A client resumes from Last-Event-ID (or ?after=);
  // a new client starts from now. The answer ends after the entries it
  // found (or 15 s without any) and EventSource reconnects at once (retry),
  // so the stream has no gaps and no repeats.
  std::string why;
  std::optional<StreamFilter> filter = stream_filter(parse_query(query), engine_->owner_rules(), &why);
  if (!filter) {
    respond(error_response(req.version(), req.keep_alive(), 400, "bad_query", why));
    return;
  }
  std::string from(req["Last-Event-ID"]);
  if (from.empty()) from = filter->after;
  const std::optional<int64_t> after = from.empty() ? engine_->last_feed_seq() : whole_number(from, 0);
  if (!after) {
    respond(error_response(req.version(), req.keep_alive(), 400, "bad_request", "Last-Event-ID must be a whole number"));
    return;
  }
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  engine_->wait_feed(*after, std::chrono::seconds(15), [version, keep_alive, respond,
                                                        filter = std::move(*filter)](std::vector<FeedEntry> entries) {
    std::string body = "retry: 500\n\n";
    bool skipped_last = false;
    for (const FeedEntry& e : entries) {
      boost::json::object data;
      data["kind"] = e.kind;
      data["what"] = e.what;
      data["alert"] = boost::json::parse(e.body);
      skipped_last = !filter.wants(e, data["alert"].as_object());
      if (!skipped_last) body += format_sse({std::to_string(e.seq), e.kind, json_text(data)});
    }
    // Past the entries the filters skipped: an id without data moves the
    // client's Last-Event-ID on without an event, so it does not ask for them again.
    if (skipped_last) body += "id: " + std::to_string(entries.back().seq) + "\n\n";
    Response res = json_response(version, keep_alive, 200, std::move(body));
    res.set(http::field::content_type, "text/event-stream");
    res.set(http::field::cache_control, "no-cache");
    respond(std::move(res));
  });
}

Response Router::account(const Request& req, const std::string& id) {
  auto body = engine_->account_json(id);
  if (!body) return error_response(req.version(), req.keep_alive(), 404, "not_found", "no account " + id);
  return json_response(req.version(), req.keep_alive(), 200, std::move(*body));
}

Response Router::accounts(const Request& req, const std::string& query) {
  std::string why;
  const std::optional<AccountQuery> q = account_query(parse_query(query), &why);
  if (!q) return error_response(req.version(), req.keep_alive(), 400, "bad_query", why);
  return json_response(req.version(), req.keep_alive(), 200, json_text(engine_->accounts(*q)));
}

void Router::set_tokens(ApiTokens tokens) {
  auto next = std::make_shared<const ApiTokens>(std::move(tokens));
  std::lock_guard<std::mutex> lock(settings_mutex_);
  tokens_ = std::move(next);
}

void Router::set_dashboard_url(std::string url) {
  std::lock_guard<std::mutex> lock(settings_mutex_);
  dashboard_url_ = std::move(url);
}

void Router::handle(Request&& req, Respond respond) {
  // HEAD is GET without the body (RFC 9110): the same status and headers.
  if (req.method() == http::verb::head) {
    req.method(http::verb::get);
    respond = [respond = std::move(respond)](Response res) {
      const size_t length = res.body().size();
      res.body().clear();
      res.content_length(length);
      respond(std::move(res));
    };
  }
  std::string target(req.target());
  std::string path = target.substr(0, target.find('?'));
  std::string query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();

  if (ApiTokens::guards(path) && ![&] {
        std::shared_ptr<const ApiTokens> tokens;
        {
          std::lock_guard<std::mutex> lock(settings_mutex_);
          tokens = tokens_;
        }
        return tokens->admits(req[http::field::authorization], &query);
      }()) {
    metrics_->requests.with({"unauthorized", "401"}).add();
    Response res = error_response(version, keep_alive, 401, "unauthorized",
                                  "missing or unknown API token (send Authorization: Bearer TOKEN, a token of the "
                                  "collector's api_tokens)");
    res.set(http::field::www_authenticate, "Bearer realm=\"telltale\"");
    respond(std::move(res));
    return;
  }
  if (!engine_ && (path == "/" || ApiTokens::guards(path))) {
    metrics_->requests.with({"no_engine", "404"}).add();
    const std::string where = engine_whereabouts_ ? engine_whereabouts_() : "";
    respond(error_response(version, keep_alive, 404, "no_engine",
                           "this collector only ingests ([engine] enabled = false); ask the one that runs the engine" +
                               (where.empty() ? "" : ": " + where)));
    return;
  }

  // Routes with an id in the path.
  const struct {
    const char* prefix;
    const char* label;
    Response (Router::*handler)(const Request&, const std::string&);
  } by_id[] = {{"/v1/alerts/", "/v1/alerts/{id}", &Router::alert}, {"/v1/accounts/", "/v1/accounts/{id}", &Router::account}};
  if (path == "/v1/alerts/stream") {
    if (req.method() != http::verb::get) {
      respond(method_not_allowed(version, keep_alive, "GET", "GET the stream"));
      return;
    }
    stream(req, query, [this, respond](Response res) {
      metrics_->requests.with({"/v1/alerts/stream", std::to_string(res.result_int())}).add();
      respond(std::move(res));
    });
    return;
  }
  // POST /v1/alerts/{id}/{claim,touch,handback,outcome}
  if (path.rfind("/v1/alerts/", 0) == 0 && std::count(path.begin(), path.end(), '/') == 4) {
    std::string rest = path.substr(std::string("/v1/alerts/").size());
    std::string id = rest.substr(0, rest.find('/')), action = rest.substr(rest.find('/') + 1);
    Response res = req.method() == http::verb::post
                       ? lifecycle(req, id, action)
                       : method_not_allowed(version, keep_alive, "POST", "POST a lifecycle step");
    const bool known = action == "claim" || action == "touch" || action == "handback" || action == "outcome";
    metrics_->requests.with({"/v1/alerts/{id}/" + (known ? action : std::string("other")), std::to_string(res.result_int())})
        .add();
    respond(std::move(res));
    return;
  }
  for (const auto& r : by_id) {
    std::string prefix = r.prefix;
    if (path.rfind(prefix, 0) != 0 || path.size() == prefix.size()) continue;
    std::string id = path.substr(prefix.size());
    Response res = req.method() == http::verb::get
                       ? (this->*r.handler)(req, id)
                       : method_not_allowed(version, keep_alive, "GET", std::string(req.method_string()) + " " + path);
    metrics_->requests.with({r.label, std::to_string(res.result_int())}).add();
    respond(std::move(res));
    return;
  }

  const Route* match = nullptr;
  bool path_known = false;
  std::string allow;  // the methods the path takes
  for (const Route& r : routes_)
    if (path == r.path) {
      path_known = true;
      allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
      if (req.method() == r.method) match = &r;
    }
  std::string label = path_known ? path : "other";
  Respond counted = [this, label, respond = std::move(respond)](Response res) {
    metrics_->requests.with({label, std::to_string(res.result_int())}).add();
    respond(std::move(res));
  };
  if (match == nullptr) {
    counted(path_known ? method_not_allowed(version, keep_alive, allow, std::string(req.method_string()) + " " + path)
                       : error_response(version, keep_alive, 404, "not_found", "no route " + path));
    return;
  }
  match->handler(std::move(req), query, std::move(counted));
}

}  // namespace telltale::collector
