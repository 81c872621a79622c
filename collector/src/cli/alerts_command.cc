// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "cli/alerts_command.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <cstdio>
#include <set>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "app/iso8601.h"
#include "app/json_text.h"
#include "backoff.h"  // the SDK's: exponential with full jitter
#include "app/wall_clock.h"
#include "cli/csv_text.h"
#include "http/sse.h"

namespace telltale::cli {
namespace {

// The CSV's columns: the alert's fields a spreadsheet or a CRM import
// takes (a CRM matches companies by their domain).
constexpr const char* kCsvColumns[] = {"id",       "account_id", "account_name", "domain",     "employees",
                                       "industry", "region",     "score",        "priority",   "route",
                                       "owner",    "status",     "created_at",   "raised_at",  "sla_due",
                                       "best_contact", "summary"};

// Where an alert stands against its first-touch deadline: "in 23h" or
// "late 2h" while it waits for a rep's first touch, "touched" after it,
// "-" for a self-serve PQL (no rep works it) or a closed alert.
std::string due_words(const boost::json::object& a, int64_t now_ms) {
  const std::string status(a.at("status").as_string());
  if (a.at("route").as_string() == "self-serve" || (status != "open" && status != "claimed")) return "-";
  if (!a.at("touches").as_array().empty()) return a.at("sla_breached").as_bool() ? "touched late" : "touched";
  const auto due = collector::parse_iso8601_ms(std::string(a.at("sla_due").as_string()));
  if (!due) return "-";
  return *due >= now_ms ? "in " + time_span(*due - now_ms) : "late " + time_span(now_ms - *due);
}

// The table's columns before the summary, which takes what is left of a
// terminal's width (all of it when piped).
constexpr const char* kRowFormat = "%-6s %-16.16s %6s %-6s %-12s %-14.14s %-11s %-12s";
constexpr int kRowPrefix = 6 + 16 + 6 + 6 + 12 + 14 + 11 + 12 + 8;

void print_table_header() {
  std::printf(kRowFormat, "ID", "ACCOUNT", "SCORE", "PRIO", "ROUTE", "OWNER", "STATUS", "DUE");
  std::printf(" SUMMARY\n");
}

// In a terminal too narrow for the summary beside the columns, it goes on a
// line of its own below them.
constexpr int kSummaryBelowIndent = 7;
constexpr int kNarrowestSummary = 40;

// The configured reps who are away, to mark what they hold ("Dana
// (away)") as the dashboard does: GET /v1/stats lists every configured rep
// with `away`. Empty when the collector does not say (then nothing is marked).
std::set<std::string> away_reps(const Collector& collector) {
  std::set<std::string> away;
  try {
    auto [code, body] = ask(collector, "/v1/stats?since=1d");
    if (code != 200) return away;
    const boost::json::value figures = boost::json::parse(body);  // held: the loop reads into it
    for (const auto& rep : figures.at("by_owner").as_array())
      if (rep.at("away").as_bool()) away.insert(std::string(rep.at("owner").as_string()));
  } catch (const std::exception&) {
    // the listing says what is wrong with the collector
  }
  return away;
}

void print_alert_row(const boost::json::object& a, const std::set<std::string>& away) {
  std::string summary(a.at("summary").as_string());
  winsize terminal{};
  bool below = false;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &terminal) == 0 && terminal.ws_col > 0) {
    int room = int(terminal.ws_col) - kRowPrefix;
    if (room < kNarrowestSummary) {
      below = true;
      room = std::max(int(terminal.ws_col) - kSummaryBelowIndent, kNarrowestSummary);
    }
    if (summary.size() > size_t(room)) {
      size_t cut = size_t(room) - 3;
      while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
      summary = summary.substr(0, cut) + "...";
    }
  }
  auto field = [&](const char* key) { return std::string(a.at(key).as_string()); };
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", a.at("score").to_number<double>());
  std::string status = field("status"), owner = field("owner");
  if (away.count(owner)) owner += " (away)";
  std::replace(status.begin(), status.end(), '_', ' ');
  std::printf(kRowFormat, std::to_string(a.at("id").as_int64()).c_str(), field("account_id").c_str(), score,
              field("priority").c_str(), field("route").c_str(), owner.empty() ? "-" : owner.c_str(), status.c_str(),
              due_words(a, collector::wall_clock_ms()).c_str());
  if (below) std::printf("\n%*s%s\n", kSummaryBelowIndent, "", summary.c_str());
  else std::printf(" %s\n", summary.c_str());
}

}  // namespace

int alerts(const Collector& collector, const AlertsQuery& query, AlertsFormat format, bool follow) {
  const std::string &owner = query.owner, &route = query.route, &priority = query.priority, &status = query.status,
                    &account = query.account;
  const size_t last = query.last;
  const bool json_lines = format == AlertsFormat::kJsonLines;
  int64_t after = 0;
  int64_t feed_seq = -1;  // where the stream stood before the first page
  bool header = !json_lines;
  const std::set<std::string> away = format == AlertsFormat::kTable ? away_reps(collector) : std::set<std::string>{};
  auto print_header = [&] {
    if (!header) return;
    if (format == AlertsFormat::kCsv)
      std::printf("%s\n", csv_header(kCsvColumns).c_str());
    else
      print_table_header();
    header = false;
  };
  // "&name=value" for each filter given.
  auto params_of = [](std::initializer_list<std::pair<const char*, const std::string*>> params) {
    std::string q;
    for (const auto& [name, value] : params)
      if (!value->empty()) q += "&" + std::string(name) + "=" + url_encode(*value);
    return q;
  };
  const std::string filters = params_of(
      {{"owner", &owner}, {"route", &route}, {"priority", &priority}, {"status", &status}, {"account", &account}});
  // One page of the feed (`cursor`: after=, or order=newest&before=), with
  // where the stream stood before the first; nullopt once refused.
  auto page = [&](const std::string& cursor, size_t limit) -> std::optional<boost::json::array> {
    auto [code, body] = ask(collector, "/v1/alerts?limit=" + std::to_string(limit) + cursor + filters);
    if (code != 200) {
      print_refusal("alerts", code, body);
      return std::nullopt;
    }
    auto answer = boost::json::parse(body).as_object();
    if (feed_seq < 0) feed_seq = answer.at("feed_seq").to_number<int64_t>();
    return std::move(answer.at("alerts").as_array());
  };
  auto print = [&](const boost::json::object& a) {
    print_header();
    if (json_lines) std::printf("%s\n", collector::json_text(a).c_str());
    else if (format == AlertsFormat::kCsv) std::printf("%s\n", csv_row(a, kCsvColumns).c_str());
    else print_alert_row(a, away);
    after = std::max(after, a.at("id").as_int64());
  };
  try {
    if (last == 0) {
      // The alerts as they are, page by page.
      for (;;) {
        auto alerts = page("&after=" + std::to_string(after), 1000);
        if (!alerts) return 1;
        for (const auto& a : *alerts) print(a.as_object());
        std::fflush(stdout);
        if (alerts->empty()) break;
      }
    } else {
      // The latest `last`, newest first, back page by page.
      std::vector<boost::json::object> latest;
      std::string cursor = "&order=newest";
      while (latest.size() < last) {
        const size_t limit = std::min<size_t>(1000, last - latest.size());
        auto alerts = page(cursor, limit);
        if (!alerts) return 1;
        for (const auto& a : *alerts) latest.push_back(a.as_object());
        if (alerts->size() < limit) break;
        cursor = "&order=newest&before=" + std::to_string(latest.back().at("id").as_int64());
      }
      for (auto a = latest.rbegin(); a != latest.rend(); ++a) print(*a);
      std::fflush(stdout);
    }
    if (header) std::fprintf(stderr, follow ? "no alerts match yet; following\n" : "no alerts match\n");
    if (!follow) return 0;
    // Then what happens to them: new alerts and material updates, from the
    // stream, resumed by Last-Event-ID.
    // The stream filters by owner, route and priority itself; the status
    // (the alert's now) and the account are checked here.
    const std::string stream_filters = params_of({{"owner", &owner}, {"route", &route}, {"priority", &priority}});
    const std::string stream =  // less the first "&"
        "/v1/alerts/stream?" + stream_filters.substr(std::min<size_t>(1, stream_filters.size()));
    std::string last_seen = std::to_string(feed_seq);
    // A collector restarting (a deploy, a crash) or out of reach for a while
    // loses no follower: it asks again from where the stream stood, so
    // nothing is missed or repeated, with the SDK's jitter (a restarted
    // collector is not met by every rep's follower at once), at most 2 s
    // apart: full jitter raises its ceiling at each of the quick first
    // tries, and a rep should not wait half a minute after a restart.
    detail::Backoff backoff(std::chrono::milliseconds(500), std::chrono::seconds(2), std::random_device{}());
    bool lost = false;
    for (;;) {
      std::pair<int, std::string> answer;
      std::string trouble;
      try {
        answer = ask(collector, stream, last_seen);
        if (answer.first == 503) trouble = error_words(answer.second).value_or("503");
      } catch (const std::exception& e) {
        trouble = e.what();
      }
      if (!trouble.empty()) {
        if (!lost) std::fprintf(stderr, "telltale alerts: lost the collector (%s); trying again\n", trouble.c_str());
        lost = true;
        std::this_thread::sleep_for(backoff.next());
        continue;
      }
      if (lost) std::fprintf(stderr, "telltale alerts: following again\n");
      lost = false;
      backoff.reset();
      auto& [code, body] = answer;
      if (code != 200) {
        print_refusal("alerts", code, body);
        return 1;
      }
      for (const collector::SseEvent& event : collector::parse_sse(body)) {
        last_seen = event.id;
        if (event.data.empty()) continue;  // past entries the filters skip
        const auto entry = boost::json::parse(event.data).as_object();  // {kind, what, alert}
        const auto& a = entry.at("alert").as_object();
        const std::string kind(entry.at("kind").as_string());
        if (kind == "created" && a.at("id").as_int64() <= after) continue;  // listed above
        if (!status.empty() && a.at("status").as_string() != status) continue;
        if (!account.empty() && a.at("account_id").as_string() != account) continue;
        if (json_lines) {
          std::printf("%s\n", collector::json_text(entry).c_str());
        } else if (format == AlertsFormat::kCsv) {
          std::printf("%s\n", csv_row(a, kCsvColumns).c_str());  // the alert as the entry left it
        } else {
          print_header();
          print_alert_row(a, away);
          if (kind != "created")
            std::printf("       -> %s: %s\n", kind.c_str(), std::string(entry.at("what").as_string()).c_str());
        }
      }
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "telltale alerts: cannot reach the collector: %s\n", e.what());
    return 2;
  }
}

}  // namespace telltale::cli
