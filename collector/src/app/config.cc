// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "config.h"
#include "app/log_lines.h"
#include "http/http_url.h"
#include "mail/mail_message.h"
#include "mail/smtp_sender.h"
#include "alerts/owner_assigner.h"
#include "alerts/pql_digest.h"
#include "alerts/time_zone.h"

#include <boost/algorithm/string/case_conv.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <span>

namespace telltale::collector {
namespace {

std::string where(const std::string& path, const toml::source_region& src) {
  return path + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) + ": ";
}

// A setter per known key; a key without one is an error.
using Setter = std::function<void(const toml::node&, std::vector<std::string>*, const std::string&)>;
constexpr toml::node_type kText = toml::node_type::string;
constexpr toml::node_type kNumber = toml::node_type::floating_point;  // an integer is a number too

template <typename T>
Setter integer(T* target, int64_t low, int64_t high) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value_exact<int64_t>();
    if (!v) {
      errors->push_back(at + "expected an integer");
    } else if (*v < low || *v > high) {
      errors->push_back(at + std::to_string(*v) + " is outside [" + std::to_string(low) + ", " +
                        std::to_string(high) + "]");
    } else {
      *target = static_cast<T>(*v);
    }
  };
}

// An integer number of `Unit`s (std::chrono::minutes, say) into a finer duration.
template <typename Unit, typename Duration>
Setter whole(Duration* target, int64_t low, int64_t high) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    Unit value{};
    const size_t problems = errors->size();
    integer(&value, low, high)(n, errors, at);
    if (errors->size() == problems) *target = value;
  };
}

Setter text(std::string* target) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value_exact<std::string>();
    if (!v) errors->push_back(at + "expected a string");
    else *target = *v;
  };
}

// A string that `check` finds right: it returns what is wrong, or "".
Setter checked_text(std::string* target, std::function<std::string(const std::string&)> check) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value_exact<std::string>();
    if (!v) errors->push_back(at + "expected a string");
    else if (std::string problem = check(*v); !problem.empty()) errors->push_back(at + problem);
    else *target = *v;
  };
}

// A string that is one of `words`.
template <size_t N>
Setter one_of(std::string* target, const char* const (&words)[N]) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value_exact<std::string>();
    if (v && std::find(std::begin(words), std::end(words), *v) != std::end(words)) {
      *target = *v;
      return;
    }
    std::string known;
    for (const char* w : words) known += (known.empty() ? "" : ", ") + std::string(w);
    errors->push_back(at + "expected one of: " + known);
  };
}

Setter boolean(bool* target) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value_exact<bool>();
    if (!v) errors->push_back(at + "expected true or false");
    else *target = *v;
  };
}

Setter strings(std::vector<std::string>* target) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    const toml::array* a = n.as_array();
    if (a == nullptr) {
      errors->push_back(at + "expected an array of strings");
      return;
    }
    target->clear();
    for (const toml::node& item : *a) {
      auto v = item.value_exact<std::string>();
      if (!v || v->empty()) {
        errors->push_back(at + "expected non-empty strings");
        return;
      }
      target->push_back(*v);
    }
  };
}

// Signal names in an order of preference: each a signal the summary can
// name (team_expansion leads every summary already), each once.
Setter signal_order(std::vector<std::string>* target) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    std::vector<std::string> order;
    const size_t before = errors->size();
    strings(&order)(n, errors, at);
    if (errors->size() != before) return;
    for (size_t i = 0; i < order.size(); ++i) {
      const std::optional<Signal> s = signal_from_name(order[i]);
      if (!s || *s == Signal::kExpansion) {
        std::string known;
        for (const char* name : kSignalNames)
          if (name != std::string_view(kSignalExpansion)) known += (known.empty() ? "" : ", ") + std::string(name);
        errors->push_back(at + "'" + order[i] + "' is not a signal the summary names (" + known +
                          "; team_expansion leads every summary)");
        return;
      }
      if (std::find(order.begin(), order.begin() + ptrdiff_t(i), order[i]) != order.begin() + ptrdiff_t(i)) {
        errors->push_back(at + "'" + order[i] + "' is listed twice");
        return;
      }
    }
    *target = std::move(order);
  };
}

Setter number(double* target, double low, double high) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value<double>();  // integers are accepted too
    if (!v) {
      errors->push_back(at + "expected a number");
    } else if (*v < low || *v > high) {
      errors->push_back(at + std::to_string(*v) + " is outside [" + std::to_string(low) + ", " +
                        std::to_string(high) + "]");
    } else {
      *target = *v;
    }
  };
}

Setter days(std::chrono::milliseconds* target) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    auto v = n.value<double>();
    if (!v || *v < 0 || *v > 3650) errors->push_back(at + "expected a number of days in [0, 3650]");
    else *target = std::chrono::milliseconds(int64_t(*v * 86'400'000));
  };
}

// A webhook's `headers` table into *out; what is wrong with it, or "".
// Telltale's own headers, and those the HTTP exchange sets, are refused.
std::string webhook_headers(const toml::table& t, std::vector<std::pair<std::string, std::string>>* out) {
  static const std::set<std::string> kOwn = {"connection", "content-length", "content-type", "host",
                                             "transfer-encoding"};
  for (const auto& [key, value] : t) {
    const std::string name(key.str());
    const std::string lower = boost::algorithm::to_lower_copy(name);
    const auto token = [](unsigned char ch) { return std::isalnum(ch) || std::strchr("!#$%&'*+-.^_`|~", ch); };
    if (name.empty() || !std::all_of(name.begin(), name.end(), token))
      return "a webhook's header name \"" + name + "\" is not an HTTP header name (letters, digits and -)";
    if (kOwn.contains(lower) || lower.starts_with("x-telltale-"))
      return "a webhook's header " + name + " is set by Telltale";
    const std::optional<std::string> text = value.value_exact<std::string>();
    if (!text) return "a webhook's header " + name + " must be a string";
    if (text->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return "a webhook's header " + name + " must be one line of text";
    out->emplace_back(name, *text);
  }
  return "";
}

// What is wrong with `t` as an `entry` (e.g. "a rep") of the given keys and
// types; "" when nothing is.
std::string check_entry(const toml::table& t, const char* entry, const std::map<std::string, toml::node_type>& keys) {
  for (const auto& [key, value] : t) {
    const std::string name(key.str());
    const auto known = keys.find(name);
    if (known == keys.end()) return "unknown key '" + name + "' in " + entry;
    const toml::node_type want = known->second;
    if (want == kNumber ? !value.is_number() : value.type() != want)
      return "'" + name + "' in " + entry + " must be " +
             (want == kNumber                   ? "a number"
              : want == toml::node_type::array ? "an array"
              : want == toml::node_type::table ? "a table"
                                               : "a string");
  }
  return "";
}

// A webhook's filter `key`: an array of strings, each one of `allowed` (any
// name when `allowed` is empty), into *chosen; absent, the default stays.
// Returns what is wrong, or "".
std::string filter_of(const toml::table& t, const char* key, std::span<const char* const> allowed,
                      std::set<std::string>* chosen) {
  const toml::array* values = t[key].as_array();
  if (values == nullptr) return "";
  std::string listed, either;  // "a, b and c", "a, b, c"
  for (size_t i = 0; i < allowed.size(); ++i) {
    listed += (i == 0 ? "" : i + 1 == allowed.size() ? " and " : ", ") + std::string(allowed[i]);
    either += (i == 0 ? "" : ", ") + std::string(allowed[i]);
  }
  const std::string what = std::string("a webhook's ") + key;
  chosen->clear();
  for (const toml::node& v : *values) {
    const std::string value = v.value_or(std::string());
    if (allowed.empty() ? value.empty() : std::find(allowed.begin(), allowed.end(), value) == allowed.end())
      return what + (allowed.empty() ? " are names" : " are " + listed);
    chosen->insert(value);
  }
  if (chosen->empty()) return what + ", when given, name at least one" + (allowed.empty() ? "" : " of " + either);
  return "";
}

// An array of tables, each an `entry` of the given keys and types, read by
// `read_one` once it checks out; e.g. reps = [{name = "Dana", capacity = 2}].
Setter table_array(const char* entry, std::map<std::string, toml::node_type> keys,
                   std::function<std::string(const toml::table&)> read_one) {
  return [=](const toml::node& n, std::vector<std::string>* errors, const std::string& at) {
    const toml::array* a = n.as_array();
    if (a == nullptr) {
      errors->push_back(at + "expected an array of tables");
      return;
    }
    for (const toml::node& item : *a) {
      const toml::table* t = item.as_table();
      std::string problem = t ? check_entry(*t, entry, keys) : "expected a table";
      if (problem.empty()) problem = read_one(*t);
      if (!problem.empty()) errors->push_back(at + problem);
    }
  };
}

void apply(const toml::table& table, const std::string& prefix, const std::map<std::string, Setter>& setters,
           const std::string& path, std::vector<std::string>* errors) {
  for (const auto& [key, node] : table) {
    std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    std::string at = where(path, node.source());
    if (const toml::table* sub = node.as_table()) {
      apply(*sub, name, setters, path, errors);
      continue;
    }
    auto it = setters.find(name);
    if (it == setters.end()) {
      errors->push_back(at + "unknown key '" + name + "'");
      continue;
    }
    it->second(node, errors, at);
  }
}

}  // namespace

std::vector<std::string> load_config(const std::string& path, Config* c) {
  std::vector<std::string> errors;
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    errors.push_back(where(path, e.source()) + std::string(e.description()));
    return errors;
  }
  const int64_t kMaxBytes = int64_t(1) << 34;
  std::map<std::string, Setter> setters = {
      {"listen", text(&c->listen)},
      {"data_dir", text(&c->data_dir)},
      {"write_keys", strings(&c->write_keys)},
      {"api_tokens", strings(&c->api_tokens)},
      {"insecure", boolean(&c->insecure)},
      {"tls.cert_file", text(&c->tls_cert_file)},
      {"tls.key_file", text(&c->tls_key_file)},
      {"io_threads", integer(&c->io_threads, 1, 64)},
      {"logging.format", one_of(&c->log_format, kLogFormats)},
      {"logging.level", one_of(&c->log_level, kLogLevels)},
      {"limits.max_body_bytes", integer(&c->limits.max_body_bytes, 1024, 1 << 30)},
      {"limits.max_decompressed_bytes", integer(&c->limits.max_decompressed_bytes, 1024, kMaxBytes)},
      {"limits.max_events_per_batch", integer(&c->limits.max_events_per_batch, 1, 10'000'000)},
      {"limits.max_string_bytes", integer(&c->limits.max_string_bytes, 16, 65535)},
      {"limits.max_properties", integer(&c->limits.max_properties, 0, 255)},
      {"dedup.window_hours", integer(&c->dedup_window_hours, 1, 24 * 365)},
      {"dedup.engine_max_ids", integer(&c->dedup_engine_max_ids, 1000, 1'000'000'000)},
      {"log.backend", one_of(&c->log.backend, LogConfig::kBackends)},
      {"log.retention_days", integer(&c->log.retention_days, 0, 36500)},
      {"log.jetstream.servers", strings(&c->log.jetstream.servers)},
      {"log.jetstream.stream", text(&c->log.jetstream.stream)},
      {"log.jetstream.subject", text(&c->log.jetstream.subject)},
      {"log.jetstream.replicas", integer(&c->log.jetstream.replicas, 1, 5)},
      {"log.jetstream.duplicate_window_minutes",
       whole<std::chrono::minutes>(&c->log.jetstream.duplicate_window, 1, 7 * 24 * 60)},
      {"log.jetstream.ack_timeout_ms", integer(&c->log.jetstream.ack_timeout, 100, 600'000)},
      {"commit.max_queued_requests", integer(&c->commit_max_queued_requests, 1, 1'000'000)},
      {"commit.max_queued_bytes", integer(&c->commit_max_queued_bytes, 1 << 20, kMaxBytes)},
      {"pql.threshold", number(&c->pql.pql_threshold, 0, 1e6)},
      {"pql.high_priority_score", number(&c->pql.high_priority_score, 0, 1e6)},
      {"pql.high_sla_hours", integer(&c->pql.high_sla_hours, 1, 24 * 365)},
      {"pql.medium_sla_hours", integer(&c->pql.medium_sla_hours, 1, 24 * 365)},
      {"pql.expansion_window_days", integer(&c->pql.expansion_window_days, 1, 28)},
      {"pql.expansion_min_new_users", integer(&c->pql.expansion_min_new_users, 1, 1'000'000)},
      {"pql.expansion_min_growth", number(&c->pql.expansion_min_growth, 1, 1000)},
      {"pql.sweet_spot_ratio", number(&c->pql.sweet_spot_ratio, 0.01, 10)},
      {"pql.sweet_spot_days", integer(&c->pql.sweet_spot_days, 1, 365)},
      {"pql.limit_hit_ratio", number(&c->pql.limit_hit_ratio, 0.01, 10)},
      {"pql.active_days_needed", integer(&c->pql.active_days_needed, 1, 7)},
      {"pql.free_mail_multiplier", number(&c->pql.free_mail_multiplier, 0, 10)},
      {"pql.sales_led_employees", integer(&c->pql.sales_led_employees, 1, 10'000'000)},
      {"pql.sales_led_users", integer(&c->pql.sales_led_users, 1, 10'000'000)},
      {"pql.sales_assist_employees", integer(&c->pql.sales_assist_employees, 1, 10'000'000)},
      {"pql.sales_assist_users", integer(&c->pql.sales_assist_users, 1, 10'000'000)},
      {"dashboard_url", checked_text(&c->dashboard_url, [](const std::string& url) -> std::string {
         return parse_http_url(url) ? ""
                                    : "dashboard_url is the http:// or https:// address reps open the dashboard at";
       })},
      {"email.smtp", checked_text(&c->email.url, [](const std::string& url) -> std::string {
         return is_smtp_url(url) ? "" : "email.smtp is smtp://host[:port] (STARTTLS; 587 by default) or "
                                        "smtps://host[:port] (TLS; 465)";
       })},
      {"email.from", checked_text(&c->email.from, [](const std::string& from) -> std::string {
         return sender_address(from) ? ""
                                     : "email.from is an address, with a name or not: \"Telltale <pql@example.com>\"";
       })},
      {"email.username", text(&c->email.username)},
      {"email.password", text(&c->email.password)},
      {"email.require_tls", boolean(&c->email.require_tls)},
      {"email.ca_file", text(&c->email.ca_file)},
      {"engine.enabled", boolean(&c->engine_enabled)},
      {"engine.snapshot_every_seconds", integer(&c->snapshot_every_seconds, 1, 24 * 3600)},
      {"pql.cooldown_days", days(&c->alerts.cooldown)},
      {"pql.handback_days", days(&c->alerts.handback_after)},
      {"pql.summary.signals", integer(&c->pql.summary_signals, 0, kSignalCount - 1)},
      {"pql.summary.order", signal_order(&c->pql.summary_order)},
      {"pql.events.milestones", strings(&c->pql.milestones)},
      {"pql.events.core_value", text(&c->pql.core_value_event)},
      {"pql.events.invite", text(&c->pql.invite_event)},
      {"pql.events.collaboration", text(&c->pql.collaboration_event)},
      {"pql.events.integration", text(&c->pql.integration_event)},
      {"pql.events.pricing", text(&c->pql.pricing_event)},
      {"pql.events.premium", text(&c->pql.premium_event)},
      {"pql.events.sso", text(&c->pql.sso_event)},
      {"pql.events.contract", text(&c->pql.contract_event)},
      {"pql.reps", table_array("a rep", {{"name", kText}, {"capacity", kNumber}, {"away", toml::node_type::boolean}},
                               [c](const toml::table& t) -> std::string {
         Rep rep;
         rep.name = t["name"].value_or(std::string());
         rep.capacity = t["capacity"].value_or(1.0);
         rep.away = t["away"].value_or(false);
         if (rep.name.empty() || rep.capacity < 0)
           return "a rep needs a name and a capacity of 0 or more (0: no leads from the rotation)";
         if (find_rep(c->pql.owners, rep.name))
           return "rep " + rep.name + " is listed twice (names compare in any case)";
         c->pql.owners.reps.push_back(rep);
         return "";
       })},
      {"pql.territories", table_array("a territory", {{"region", kText}, {"industry", kText}, {"owner", kText}},
                                      [c](const toml::table& t) -> std::string {
         TerritoryRule rule;
         rule.region = t["region"].value_or(std::string());
         rule.industry = t["industry"].value_or(std::string());
         rule.owner = t["owner"].value_or(std::string());
         if (rule.owner.empty()) return "a territory needs an owner";
         c->pql.owners.territories.push_back(rule);
         return "";
       })},
  };
  setters["pql.webhooks"] = table_array(
      "a webhook",
      {{"name", kText}, {"url", kText}, {"secret", kText}, {"format", kText}, {"events", toml::node_type::array},
       {"routes", toml::node_type::array}, {"owners", toml::node_type::array},
       {"priorities", toml::node_type::array}, {"digest", kText},
       {"timezone", kText}, {"headers", toml::node_type::table}},
      [c](const toml::table& t) -> std::string {
        Webhook hook;
        hook.name = t["name"].value_or(std::string());
        hook.url = t["url"].value_or(std::string());
        hook.secret = t["secret"].value_or(std::string());
        const bool by_mail = mailto_recipients(hook.url).has_value();
        hook.format = t["format"].value_or(std::string(by_mail ? "email" : "generic"));
        if (!by_mail && !parse_http_url(hook.url))
          return "a webhook needs an http:// or https:// url, or mailto: addresses (mailto:dana@example.com,"
                 "ravi@example.com)";
        if (std::find(std::begin(kWebhookFormats), std::end(kWebhookFormats), hook.format) == std::end(kWebhookFormats))
          return "a webhook's format is generic, slack, teams or email";
        if (by_mail != (hook.format == "email"))
          return by_mail ? "a webhook to mailto: addresses is sent as email: its format is email"
                         : "a webhook of format email needs mailto: addresses as its url";
        if (by_mail && (t.contains("secret") || t.contains("headers")))
          return "a webhook to mailto: addresses goes through [email]'s server: it takes no secret or headers";
        if (t.contains("digest")) {
          hook.digest = parse_digest_schedule(t["digest"].value_or(std::string()));
          if (!hook.digest)
            return "a webhook's digest is the time of day it is sent, HH:MM (24-hour), after its days when not every "
                   "day: \"weekdays 09:00\", \"Mon 09:00\", \"Mon,Thu 09:00\"";
          if (t.contains("events")) return "a digest webhook takes no events: it sends one message a day";
        } else if (t.contains("timezone") && !by_mail) {
          return "a webhook's timezone is its digest's, or its mails' times': give digest = \"HH:MM\" too, or a "
                 "mailto: url";
        }
        hook.zone = t["timezone"].value_or(std::string("UTC"));
        if (!utc_offset_minutes(hook.zone, 0))
          return "a webhook's timezone is an IANA name (Europe/Berlin) or an offset (+02:00); \"" + hook.zone +
                 "\" is neither";
        if (hook.digest) hook.digest->zone = hook.zone;
        // Each webhook keeps its own place, by its URL: one of each kind.
        for (const Webhook& other : c->webhooks)
          if (other.url == hook.url && other.digest.has_value() == hook.digest.has_value())
            return "the webhook " + hook.url + " is listed twice (one entry per URL and kind; its events, routes, " +
                   "owners and priorities choose what it gets)";
        if (std::string error = filter_of(t, "events", kFeedKinds, &hook.events); !error.empty()) return error;
        if (std::string error = filter_of(t, "routes", kRepRoutes, &hook.routes); !error.empty())
          return error + " (self-serve alerts never go to webhooks)";
        if (std::string error = filter_of(t, "owners", {}, &hook.owners); !error.empty()) return error;
        if (std::string error = filter_of(t, "priorities", kAlertPriorities, &hook.priorities); !error.empty())
          return error;
        if (hook.digest && t.contains("priorities"))
          return "a digest webhook takes no priorities: its figures and lists cover both";
        if (hook.digest && hook.owners.size() > 1)
          return "a digest webhook's owners name one rep at most (its figures are that rep's or everyone's)";
        if (const toml::table* headers = t["headers"].as_table())
          if (std::string error = webhook_headers(*headers, &hook.headers); !error.empty()) return error;
        c->webhooks.push_back(hook);
        return "";
      });
  for (const auto& [signal, weight] : PqlRules{}.weights)
    setters["pql.weights." + signal] = number(&c->pql.weights[signal], 0, 1e6);
  apply(table, "", setters, path, &errors);
  // Mail needs a server to go through.
  const bool mails = std::any_of(c->webhooks.begin(), c->webhooks.end(), [](const Webhook& h) { return h.by_mail(); });
  if (mails && (c->email.url.empty() || c->email.from.empty()))
    errors.push_back(where(path, table.at_path("pql.webhooks").node()->source()) +
                     "webhooks to mailto: addresses go through the [email] server: give its smtp and from");
  // A webhook's reps written as the reps' list writes them, as alerts name them.
  for (Webhook& hook : c->webhooks) {
    std::set<std::string> reps;
    for (const std::string& owner : hook.owners) reps.insert(rep_name(c->pql.owners, owner));
    hook.owners = std::move(reps);
  }
  // Tables iterate in key order; report in file order.
  auto line_of = [&](const std::string& e) {
    return std::atoi(e.c_str() + path.size() + 1);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const std::string& a, const std::string& b) { return line_of(a) < line_of(b); });
  return errors;
}

bool split_host_port(const std::string& listen, std::string* host, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  std::string h = listen.substr(0, colon);
  if (h.front() == '[') {
    if (h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  }
  unsigned value = 0;
  for (char ch : listen.substr(colon + 1)) {
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + unsigned(ch - '0');
    if (value > 65535) return false;
  }
  *host = h;
  *port = static_cast<uint16_t>(value);
  return !h.empty();
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

SeenFramesLimits engine_dedup_limits(const Config& config) {
  return {std::chrono::hours(config.dedup_window_hours), size_t(config.dedup_engine_max_ids)};
}

std::vector<std::string> validate_config(const Config& c) {
  std::vector<std::string> errors;
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(c.listen, &host, &port)) {
    errors.push_back("listen: \"" + c.listen + "\" is not HOST:PORT");
  } else if (!c.insecure && !is_loopback_host(host)) {
    if (c.write_keys.empty())
      errors.push_back("listen: refusing to listen on " + c.listen +
                       " with no write_keys configured; set write_keys, or pass --insecure");
    if (c.api_tokens.empty() && c.engine_enabled)
      errors.push_back("listen: refusing to serve the alerts (accounts, people and their emails) on " + c.listen +
                       " with no api_tokens configured; set api_tokens, or pass --insecure");
  }
  // A token is a secret that a browser sends in a URL too: long, and of
  // characters that need no escaping. (The message numbers it, never shows it.)
  auto url_safe = [](char ch) { return std::isalnum(uint8_t(ch)) || ch == '-' || ch == '_' || ch == '.' || ch == '~'; };
  for (size_t i = 0; i < c.api_tokens.size(); ++i) {
    const std::string& token = c.api_tokens[i];
    if (token.size() < kMinApiTokenChars || !std::all_of(token.begin(), token.end(), url_safe))
      errors.push_back("api_tokens: token " + std::to_string(i + 1) + " of " + std::to_string(c.api_tokens.size()) +
                       " needs at least " + std::to_string(kMinApiTokenChars) +
                       " characters, each a letter, a digit or one of - _ . ~ (openssl rand -hex 24 makes one)");
  }
  if (c.tls_cert_file.empty() != c.tls_key_file.empty())
    errors.push_back("tls: set both cert_file and key_file (PEM), or neither for plain HTTP");
  if (c.data_dir.empty()) errors.push_back("data_dir: must not be empty");
  if (c.log.backend == "jetstream") {
    const JetStreamConfig& js = c.log.jetstream;
    if (js.servers.empty()) errors.push_back("log.jetstream.servers: name at least one server (nats://HOST:PORT)");
    // JetStream's rules for a stream name, and for a subject to publish to.
    if (js.stream.empty() || js.stream.find_first_of(" \t.*>/\\") != std::string::npos)
      errors.push_back("log.jetstream.stream: \"" + js.stream +
                       "\" is not a stream name (no spaces, '.', '*', '>', '/')");
    if (js.subject.empty() || js.subject.find_first_of(" \t*>") != std::string::npos || js.subject.front() == '.' ||
        js.subject.back() == '.' || js.subject.find("..") != std::string::npos)
      errors.push_back("log.jetstream.subject: \"" + js.subject +
                       "\" is not a subject to publish to (no spaces or wildcards)");
  }
  if (c.pql.milestones.size() > 64) errors.push_back("pql.events.milestones: at most 64 milestones");
  return errors;
}

std::vector<std::string> config_warnings(const Config& c) {
  std::vector<std::string> warnings;
  const std::vector<Rep>& reps = c.pql.owners.reps;
  if (reps.empty()) return warnings;
  std::set<std::pair<std::string, std::string>> named;  // (where, whom), each once
  for (const TerritoryRule& t : c.pql.owners.territories) named.emplace("pql.territories: a territory", t.owner);
  for (const Webhook& hook : c.webhooks)
    for (const std::string& owner : hook.owners) named.emplace("pql.webhooks: a webhook's owners", owner);
  std::string listed;
  for (const Rep& rep : reps) listed += (listed.empty() ? "" : ", ") + rep.name;
  for (const auto& [where, whom] : named)
    if (!find_rep(c.pql.owners, whom))
      warnings.push_back(where + " names \"" + whom + "\", who is not one of the reps (" + listed +
                         "): a typo? (a rep who takes no leads from the rotation is listed with capacity = 0)");
  return warnings;
}

}  // namespace telltale::collector
