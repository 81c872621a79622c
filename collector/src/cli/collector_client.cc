// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "cli/collector_client.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <boost/json.hpp>

#include "http/http_client.h"

namespace telltale::cli {

std::optional<Collector> collector_at(const std::string& url, const std::string& token, const std::string& ca_file) {
  std::optional<collector::HttpUrl> parsed = collector::parse_http_url(url);
  if (!parsed) {
    std::fprintf(stderr, "telltale: --url must be http(s)://host:port (got \"%s\")\n", url.c_str());
    return std::nullopt;
  }
  if (parsed->target.back() == '/') parsed->target.pop_back();  // a path prefix, if any
  return Collector{std::move(*parsed), token, ca_file};
}

std::pair<int, std::string> ask(const Collector& collector, const std::string& route,
                                const std::string& last_event_id, const std::string& json) {
  collector::HttpExchange exchange;
  exchange.target = route;
  if (!json.empty()) {
    exchange.method = boost::beast::http::verb::post;
    exchange.headers.emplace_back("Content-Type", "application/json");
    exchange.body = json;
  }
  exchange.ca_file = collector.ca_file;
  exchange.timeout = std::chrono::seconds(last_event_id.empty() ? 5 : 30);
  if (!collector.token.empty()) exchange.headers.emplace_back("Authorization", "Bearer " + collector.token);
  if (!last_event_id.empty()) exchange.headers.emplace_back("Last-Event-ID", last_event_id);
  auto res = collector::http_exchange(collector.url, exchange);
  return {res.result_int(), std::move(res.body())};
}

std::string time_span(int64_t ms) {
  const int64_t minutes = std::max<int64_t>(ms / 60'000, 0);
  if (minutes < 60) return std::to_string(minutes) + "m";
  if (minutes < 48 * 60) return std::to_string(minutes / 60) + "h";
  return std::to_string(minutes / (24 * 60)) + "d";
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string query_string(std::initializer_list<std::pair<const char*, const std::string*>> params) {
  std::string query;
  for (const auto& [name, value] : params)
    if (!value->empty()) query += (query.empty() ? "?" : "&") + std::string(name) + "=" + url_encode(*value);
  return query;
}

std::optional<std::string> error_words(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value answer = boost::json::parse(body, ec);
  if (ec || !answer.is_object()) return std::nullopt;
  const auto* error = answer.as_object().if_contains("error");
  const auto* detail = answer.as_object().if_contains("detail");
  if (!error || !detail || !error->is_string() || !detail->is_string()) return std::nullopt;
  return std::string(error->as_string()) + ": " + std::string(detail->as_string());
}

void print_refusal(const char* command, int code, const std::string& body) {
  const std::optional<std::string> words = error_words(body);
  std::fprintf(stderr, "telltale %s: %d %s\n", command, code, words.value_or(body).c_str());
  if (code == 401) std::fprintf(stderr, "telltale %s: pass --token TOKEN or set TELLTALE_API_TOKEN\n", command);
  if (code == 409 && words && words->rfind("already_claimed:", 0) == 0)
    std::fprintf(stderr, "telltale %s: pass --reassign to take it over\n", command);
}

int print_answer(const Collector& collector, const char* command, const std::string& route,
                 const std::function<void(const boost::json::value&)>& print) {
  try {
    auto [code, body] = ask(collector, route);
    if (code != 200) {
      print_refusal(command, code, body);
      return 1;
    }
    print(boost::json::parse(body));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "telltale %s: cannot reach the collector: %s\n", command, e.what());
    return 2;
  }
}

}  // namespace telltale::cli
