// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "cli/webhooks_command.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <boost/json.hpp>

#include "app/count_words.h"
#include "app/iso8601.h"
#include "app/json_text.h"
#include "app/wall_clock.h"

namespace telltale::cli {

namespace {

// "3m ago" for an ISO 8601 time before `now_ms`, "in 3m" after it; "just
// now", "within a minute" nearer.
std::string from_now(const boost::json::value& time, int64_t now_ms) {
  const auto ms = collector::parse_iso8601_ms(std::string(time.as_string()));
  if (!ms) return std::string(time.as_string());
  if (std::abs(*ms - now_ms) < 60'000) return *ms <= now_ms ? "just now" : "within a minute";
  return *ms <= now_ms ? time_span(now_ms - *ms) + " ago" : "in " + time_span(*ms - now_ms);
}

void print_webhook(const boost::json::object& h, int64_t now_ms) {
  const std::string name(h.at("name").as_string()), url(h.at("url").as_string());
  std::printf("%s (%s%s%s)\n", name.c_str(), name == url ? "" : (url + ", ").c_str(),
              std::string(h.at("format").as_string()).c_str(), h.at("kind") == "digest" ? " digest" : "");
  if (!h.at("failing_since").is_null()) {
    std::printf("  FAILING since %s, %lld attempts in a row: %s; next try %s\n",
                from_now(h.at("failing_since"), now_ms).c_str(), (long long)h.at("failures_in_a_row").as_int64(),
                std::string(h.at("last_error").as_string()).c_str(), from_now(h.at("next_attempt"), now_ms).c_str());
  } else {
    std::printf("  delivering\n");
  }
  std::printf("  %lld delivered, %lld failed since the start", (long long)h.at("delivered").as_int64(),
              (long long)h.at("failed").as_int64());
  if (!h.at("last_delivery").is_null()) std::printf("; last delivery %s", from_now(h.at("last_delivery"), now_ms).c_str());
  if (h.at("kind") == "entries")
    std::printf("; %s behind", collector::count_of(h.at("behind").as_int64(), "feed entry", "feed entries").c_str());
  std::printf("\n");
}

}  // namespace

int webhooks(const Collector& collector, bool json) {
  int64_t failing = 0;
  const int code = print_answer(collector, "webhooks", "/v1/webhooks", [&](const boost::json::value& out) {
    failing = out.at("failing").as_int64();
    if (json) {
      std::printf("%s\n", collector::json_text(out).c_str());
      return;
    }
    const boost::json::array& list = out.at("webhooks").as_array();
    if (list.empty()) std::printf("no webhooks are configured ([pql] webhooks)\n");
    for (const boost::json::value& h : list) print_webhook(h.as_object(), collector::wall_clock_ms());
  });
  return code == 0 && failing > 0 ? 3 : code;
}

}  // namespace telltale::cli
