// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale: the command-line tool for operators.
//   telltale status [--url URL]              health and key metrics of a running collector
//   telltale log stats --data-dir DIR        what the event log holds (--config FILE: the log it names)
//   telltale log tail --data-dir DIR [-n N]  the last N frames, decoded (--config FILE likewise)
//   telltale alerts [--follow] [--owner NAME] [--route R] [--priority P] [--status S] [--account ID] [--last N]
//                   [--json|--table|--csv]
//                                            PQL alerts: a table in a terminal, JSON lines when piped
//   telltale account ID                      an account's score and why
//   telltale accounts [--qualified|--warming] [--search TEXT] [--route R[,R]] [--min-score N] [--limit N]
//                     [--json|--table|--csv]
//                                            the accounts by score: qualified, or warming up
//   telltale stats [--since S] [--until U] [--owner NAME] [--route R] [--json|--table]
//                                            PQL volume, SLA adherence, time to first touch and
//                                            conversion, overall and per rep
//   telltale webhooks [--json|--table]      how each webhook is doing: delivering, or failing since
//                                            when and why; exit 3 when one is failing
//   telltale claim ID --owner NAME [--reassign]   a rep takes the alert (over from another rep)
//   telltale touch ID --channel C [--note T] an outreach (email, call, meeting, linkedin, ...)
//   telltale handback ID [--reason TEXT]     back to self-serve
//   telltale outcome ID opportunity|won|lost what came of it
//   (these and alerts, account, accounts, stats, webhooks: --token TOKEN, or TELLTALE_API_TOKEN, when
//   the collector has api_tokens; all that talk to a collector: --url URL
//   or TELLTALE_URL, default http://127.0.0.1:7070, and --ca-file FILE or
//   TELLTALE_CA_FILE for an https:// one)
//   telltale backup --data-dir DIR FILE      a consistent copy of the data directory's database,
//                                            taken while the collector runs
//   telltale replay --config NEW.toml --data-dir DIR
//                                            re-score the whole log with other rules, touching
//                                            nothing, and print which alerts would differ
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <unistd.h>

#include "alerts/alert.h"
#include "alerts/alert_history.h"
#include "alerts/alert_store.h"
#include "alerts/chat_text.h"
#include "app/iso8601.h"
#include "cli/accounts_command.h"
#include "cli/alerts_command.h"
#include "cli/collector_client.h"
#include "cli/stats_command.h"
#include "cli/webhooks_command.h"
#include "app/config.h"
#include "app/count_words.h"
#include "app/json_text.h"
#include "app/wall_clock.h"
#include "log/database_backup.h"
#include "log/engine_lease.h"
#include "log/jetstream_event_log.h"
#include "log/open_event_log.h"
#include "log/sqlite_db.h"
#include "log/sqlite_event_log.h"
#include "signals/frame_processor.h"
#include "telltale/schema/codec.h"

using telltale::collector::FrameFormat;
using telltale::collector::SqliteEventLog;
using telltale::collector::StoredFrame;
using telltale::cli::Collector;
using telltale::cli::ask;
using telltale::cli::collector_at;
using telltale::cli::error_words;
using telltale::cli::print_answer;
using telltale::cli::print_refusal;
using telltale::cli::url_encode;
using telltale::collector::count_of;
using telltale::collector::iso8601;

namespace {

// An account's metrics in words, as the dashboard puts them: "9 active
// users in 14 days (+7), team of 9; 4 active days of the last 7, 7 features
// used; seats at 90%".
std::string usage_words(const boost::json::object& m) {
  auto number = [&](const char* key) { return m.at(key).to_number<int64_t>(); };
  const int64_t growth = number("team_growth_14d");
  std::string words = count_of(number("active_users_14d"), "active user", "active users") + " in 14 days (" +
                      (growth >= 0 ? "+" : "") + std::to_string(growth) + "), team of " +
                      std::to_string(number("team_size")) + "; " +
                      count_of(number("active_days_7d"), "active day", "active days") + " of the last 7, " +
                      count_of(number("features_used"), "feature", "features") + " used";
  for (const auto& [metric, percent] : m.at("limit_percent").as_object())
    words += "; " + std::string(metric) + " at " + telltale::collector::json_text(percent) + "%";
  return words;
}

int account(const Collector& collector, const std::string& id) {
  return print_answer(collector, "account", "/v1/accounts/" + url_encode(id), [&](const boost::json::value& answer) {
    const auto& a = answer.as_object();
    std::printf("%s (%s)  score %.1f of %.0f needed: %s\n", std::string(a.at("account_name").as_string()).c_str(),
                id.c_str(), a.at("score").to_number<double>(), a.at("threshold").to_number<double>(),
                a.at("qualified").as_bool() ? "a product-qualified lead" : "not qualified");
    if (const std::string facts = telltale::collector::company_facts(a.at("traits").as_object()); !facts.empty())
      std::printf("  company %s\n", facts.c_str());
    std::printf("  %.0f points x %.2f fit; route %s (%s)\n", a.at("points").to_number<double>(),
                a.at("fit_multiplier").to_number<double>(), std::string(a.at("route").as_string()).c_str(),
                std::string(a.at("route_reason").as_string()).c_str());
    for (const auto& c : a.at("contributions").as_array())
      std::printf("  +%-4.0f %-20s %s\n", c.at("points").to_number<double>(),
                  std::string(c.at("signal").as_string()).c_str(), std::string(c.at("evidence").as_string()).c_str());
    for (const auto& f : a.at("fit").as_array()) std::printf("  fit   %s\n", std::string(f.as_string()).c_str());
    // What would tip it: "  to qualify: 5 more score points", then each signal it lacks,
    // "  open  +15  invited_teammate     a User Invited event [score +22.5, enough]".
    using telltale::collector::json_text;
    const double short_by = a.at("points_to_threshold").to_number<double>();
    if (short_by > 0)
      std::printf("  to qualify: %s more score points\n", json_text(a.at("points_to_threshold")).c_str());
    for (const auto& v : a.at("missing_signals").as_array()) {
      const auto& s = v.as_object();
      std::printf("  open  +%-4.0f %-20s %s [score +%s%s]\n", s.at("points").to_number<double>(),
                  std::string(s.at("signal").as_string()).c_str(), std::string(s.at("takes").as_string()).c_str(),
                  json_text(s.at("score_gain")).c_str(), s.at("qualifies").as_bool() ? ", enough" : "");
    }
    std::printf("  usage   %s\n", usage_words(a.at("metrics").as_object()).c_str());
    if (const auto* contact = a.if_contains("best_contact"); contact && !contact->as_string().empty())
      std::printf("  reach out %s\n", std::string(contact->as_string()).c_str());
    // Whom to write to: "Ana Lopez, CTO <ana@acme.com>: active 9 of 14 days, last 2026-11-20".
    for (const auto& v : a.at("users").as_array()) {
      const auto& u = v.as_object();
      auto field = [&](const char* key) { return u.contains(key) ? std::string(u.at(key).as_string()) : ""; };
      std::string who = field("name").empty() ? field("user_id") : field("name");
      if (!field("title").empty()) who += ", " + field("title");
      if (!field("email").empty()) who += " <" + field("email") + ">";
      std::printf("  person  %s: active %lld of 14 days, last %s\n", who.c_str(),
                  (long long)u.at("active_days_14d").as_int64(), field("last_active").c_str());
    }
    // What came of its alerts: "alert   #45 handed_back, sales-assist, Dana, raised 2026-10-02, 3 touches: no reply".
    for (const auto& v : a.at("alerts").as_array())
      std::printf("  alert   %s\n", telltale::collector::alert_history_line(v.as_object()).c_str());
  });
}

// telltale claim|touch|handback|outcome: one lifecycle step of alert `id`,
// `fields` its JSON body; prints the alert as it is now.
int lifecycle(const Collector& collector, const std::string& step, int64_t id, const boost::json::object& fields) {
  const char* command = step.c_str();
  try {
    auto [code, body] = ask(collector, "/v1/alerts/" + std::to_string(id) + "/" + step, "",
                                 telltale::collector::json_text(fields));
    if (code != 200) {
      print_refusal(command, code, body);
      return 1;
    }
    const auto alert = boost::json::parse(body).as_object();
    std::printf("alert %lld (%s) is %s", (long long)id, std::string(alert.at("account_id").as_string()).c_str(),
                std::string(alert.at("status").as_string()).c_str());
    if (const auto* owner = alert.if_contains("owner"); owner && !owner->as_string().empty())
      std::printf(", owner %s", std::string(owner->as_string()).c_str());
    if (const size_t touches = alert.at("touches").as_array().size())
      std::printf(", %s", count_of((long long)touches, "touch", "touches").c_str());
    std::printf("\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "telltale %s: cannot reach the collector: %s\n", command, e.what());
    return 2;
  }
}

// telltale replay: the whole log through the engine with the rules of
// `config_path`, in memory, beside the live alerts of `data_dir`.
int replay(const std::string& config_path, const std::string& data_dir) {
  using namespace telltale::collector;
  Config config;
  auto problems = load_config(config_path, &config);
  if (!problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.c_str());
    return 2;
  }
  // The log the config names: the data directory's, or its JetStream stream.
  auto log = open_event_log_reader(data_dir, config.log);
  const int64_t last = log->last_position();
  SignalEngine engine(config.pql);
  AlertBook book(engine, config.alerts);
  std::map<std::string, std::vector<Alert>> replayed;
  const bool bar = isatty(STDERR_FILENO);
  int shown = -1;          // the percentage the bar shows
  int64_t position = 0;    // the last frame replayed
  const SeenFramesLimits dedup = engine_dedup_limits(config);
  LogStatus st = replay_log(*log, dedup, engine, book, [&](int64_t at, const std::vector<AlertChange>& changes) {
    position = at;
    for (const AlertChange& c : changes)
      if (c.kind == AlertChange::Kind::kCreated) replayed[c.alert->account_id].push_back(*c.alert);
    const int percent = last > 0 ? int(100 * position / last) : 100;
    if (bar && percent != shown) {
      shown = percent;
      const int done = 40 * percent / 100;
      std::fprintf(stderr, "\rreplaying [%s%s] %3d%%", std::string(size_t(done), '#').c_str(),
                   std::string(size_t(40 - done), '.').c_str(), percent);
    }
  });
  if (!st.ok) throw std::runtime_error(st.error);
  if (bar) std::fprintf(stderr, "\n");

  std::map<std::string, std::vector<std::string>> live;  // account -> routes of its alerts
  auto store = AlertStore::open_read_only(data_dir);
  AlertFilter filter;
  filter.limit = 1000;
  for (;;) {
    auto page = store->list(filter);
    if (page.empty()) break;
    for (const auto& [id, body] : page) {
      auto a = boost::json::parse(body).as_object();
      live[std::string(a.at("account_id").as_string())].push_back(std::string(a.at("route").as_string()));
      filter.after = id;
    }
  }
  // Alerts in all, and those sent to reps (self-serve PQLs are only recorded).
  size_t live_total = 0, replay_total = 0, live_to_reps = 0, replay_to_reps = 0;
  for (const auto& [account, routes] : live)
    for (const std::string& route : routes) ++live_total, live_to_reps += route != "self-serve";
  for (const auto& [account, alerts] : replayed)
    for (const Alert& a : alerts) ++replay_total, replay_to_reps += a.route != "self-serve";
  size_t added = 0, lost = 0, rerouted = 0;
  std::printf("%lld frames replayed; live alerts: %zu on %zu accounts; with %s: %zu on %zu accounts\n",
              (long long)position, live_total, live.size(), config_path.c_str(), replay_total, replayed.size());
  for (const auto& [account, alerts] : replayed) {
    const Alert& first = alerts.front();
    auto it = live.find(account);
    if (it == live.end()) {
      std::printf("NEW        %-20s %-12s score %5.1f  trigger %s\n", account.c_str(), first.route.c_str(), first.score,
                  first.trigger.signal.c_str());
      ++added;
    } else if (it->second.back() != alerts.back().route) {
      std::printf("RE-ROUTED  %-20s %s -> %s\n", account.c_str(), it->second.back().c_str(), alerts.back().route.c_str());
      ++rerouted;
    }
  }
  for (const auto& [account, routes] : live)
    if (!replayed.count(account)) {
      std::printf("LOST       %-20s %s\n", account.c_str(), routes.back().c_str());
      ++lost;
    }
  if (added + lost + rerouted == 0) std::printf("no alert would differ\n");
  else std::printf("would differ: %zu new, %zu lost, %zu re-routed\n", added, lost, rerouted);
  std::printf("alerts sent to reps: %zu live, %zu with %s\n", live_to_reps, replay_to_reps, config_path.c_str());
  return 0;
}

int status(const std::string& url, const Collector& collector) {
  try {
    auto [health, hbody] = ask(collector, "/healthz");
    auto [ready, rbody] = ask(collector, "/readyz");
    auto [code, metrics] = ask(collector, "/metrics");
    // Its version, from telltale_build_info{version="0.1.0"} 1.
    const std::string version_label = "telltale_build_info{version=\"";
    std::string version;
    if (const size_t at = metrics.find(version_label); at != std::string::npos) {
      const size_t from = at + version_label.size();
      version = " (telltale-collector " + metrics.substr(from, metrics.find('"', from) - from) + ")";
    }
    std::printf("collector %s%s: %s, %s\n", url.c_str(), version.c_str(), health == 200 ? "alive" : "unhealthy",
                ready == 200 ? "ready" : "NOT READY");
    if (ready != 200) std::printf("  %s\n", error_words(rbody).value_or(rbody).c_str());  // not_ready: why
    // Key metrics: sum each family over its labels.
    std::map<std::string, double> sums;
    size_t pos = 0;
    while (pos < metrics.size()) {
      size_t end = metrics.find('\n', pos);
      std::string line = metrics.substr(pos, end - pos);
      pos = end == std::string::npos ? metrics.size() : end + 1;
      if (line.empty() || line[0] == '#') continue;
      std::string name = line.substr(0, line.find_first_of("{ "));
      sums[name] += std::atof(line.substr(line.rfind(' ') + 1).c_str());
    }
    for (const char* m : {"telltale_events_accepted_total", "telltale_events_duplicate_total",
                          "telltale_batches_accepted_total", "telltale_ingest_bytes_total",
                          "telltale_requests_total", "telltale_sdk_dropped_total", "telltale_commit_queue_depth",
                          "telltale_log_position", "telltale_storage_errors_total", "telltale_engine_position",
                          "telltale_engine_lag_frames", "telltale_engine_accounts", "telltale_alerts_open",
                          "telltale_alerts_created_total", "telltale_webhook_backlog", "telltale_webhooks_failing"})
      std::printf("  %-34s %.0f\n", m, sums[m]);
    if (sums["telltale_commit_latency_seconds_count"] > 0)
      std::printf("  %-34s %.2f ms\n", "mean commit latency",
                  1000 * sums["telltale_commit_latency_seconds_sum"] / sums["telltale_commit_latency_seconds_count"]);
    return health == 200 && ready == 200 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "telltale status: cannot reach %s: %s\n", url.c_str(), e.what());
    return 2;
  }
}

void print_frame(const StoredFrame& s) {
  const auto& f = s.frame;
  std::printf("#%lld %s %s events=%u bytes=%zu\n", (long long)s.position, iso8601(f.received_at_ms).c_str(),
              f.format == FrameFormat::kSdkBatch ? "sdk-batch" : "segment", f.events, f.payload.size());
  if (f.format == FrameFormat::kSegmentJson) {
    std::printf("  %.*s\n", int(f.payload.size()), reinterpret_cast<const char*>(f.payload.data()));
    return;
  }
  telltale::wire::BatchDecoder decoder;
  telltale::wire::DecodedBatch batch;
  auto st = decoder.decode(f.payload.data(), f.payload.size(), &batch);
  if (!st.ok()) {
    std::printf("  (undecodable: %s)\n", st.detail.c_str());
    return;
  }
  for (const auto& e : batch.events) {
    std::printf("  %s %-8s account=%.*s user=%.*s %.*s", iso8601(e.time_ms).c_str(),
                telltale::wire::event_type_name(e.type), int(e.account.size()), e.account.data(), int(e.user.size()),
                e.user.data(), int(e.name.size()), e.name.data());
    for (size_t i = 0; i < e.prop_count; ++i) {
      const auto& p = e.props[i];
      std::printf(" %.*s=", int(p.key.size()), p.key.data());
      switch (p.value.type) {
        case telltale::wire::ValueType::kString: std::printf("%.*s", int(p.value.s.size()), p.value.s.data()); break;
        case telltale::wire::ValueType::kInt: std::printf("%lld", (long long)p.value.i); break;
        case telltale::wire::ValueType::kDouble: std::printf("%g", p.value.d); break;
        case telltale::wire::ValueType::kBool: std::printf("%s", p.value.i ? "true" : "false"); break;
      }
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"telltale: inspect a Telltale collector and its event log"};
  app.set_version_flag("--version", std::string("telltale ") + TELLTALE_VERSION);
  app.require_subcommand(1);
  std::string url = "http://127.0.0.1:7070", data_dir = "./telltale-data";
  int tail_count = 10;
  auto* status_cmd = app.add_subcommand("status", "health and key metrics of a running collector");
  auto* log_cmd = app.add_subcommand("log", "inspect the event log (a data directory's, or the stream --config names)");
  log_cmd->require_subcommand(1);
  auto* stats_cmd = log_cmd->add_subcommand("stats", "frames, events, positions, time range, size");
  auto* tail_cmd = log_cmd->add_subcommand("tail", "the last frames, decoded");
  std::string log_config;
  for (auto* c : {stats_cmd, tail_cmd}) {
    c->add_option("--data-dir", data_dir, "the collector's data directory");
    c->add_option("--config", log_config, "the collector's config: its [log] names the log (a JetStream stream)")
        ->check(CLI::ExistingFile);
  }
  tail_cmd->add_option("-n,--count", tail_count, "how many frames");
  telltale::cli::AlertsQuery alerts_query;
  std::string account_id;
  bool json = false, follow = false, csv = false;
  auto* alerts_cmd = app.add_subcommand("alerts", "PQL alerts: a table in a terminal, JSON lines when piped");
  alerts_cmd->add_option("--owner", alerts_query.owner, "only this owner's alerts");
  std::vector<std::string> routes, statuses(std::begin(telltale::collector::kAlertStatuses),
                                             std::end(telltale::collector::kAlertStatuses));
  for (auto r : telltale::collector::kRoutes) routes.push_back(telltale::collector::route_name(r));
  alerts_cmd->add_option("--route", alerts_query.route, "only this route's alerts")->check(CLI::IsMember(routes));
  alerts_cmd->add_option("--priority", alerts_query.priority, "only alerts of this priority")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(telltale::collector::kAlertPriorities),
                                                     std::end(telltale::collector::kAlertPriorities))));
  alerts_cmd->add_option("--status", alerts_query.status, "only alerts in this status")->check(CLI::IsMember(statuses));
  alerts_cmd->add_option("--account", alerts_query.account, "only this account's alerts");
  alerts_cmd->add_option("--last", alerts_query.last, "only the latest N alerts (still oldest first)")
      ->check(CLI::PositiveNumber);
  bool table = false;
  auto* alerts_json = alerts_cmd->add_flag("--json", json, "JSON lines, also in a terminal");
  auto* alerts_table = alerts_cmd->add_flag("--table", table, "a table, also when piped");
  alerts_cmd->add_flag("--csv", csv, "CSV with a header line, for a spreadsheet or a CRM import")
      ->excludes(alerts_json)
      ->excludes(alerts_table);
  alerts_cmd->add_flag("--follow", follow, "then keep printing new alerts and their material updates, from the alert stream");
  std::string replay_config;
  auto* replay_cmd = app.add_subcommand("replay", "re-score the whole log with other rules, touching nothing");
  replay_cmd->add_option("--config", replay_config, "the rules to try (TOML, as the collector's)")->required()->check(CLI::ExistingFile);
  replay_cmd->add_option("--data-dir", data_dir, "the collector's data directory");
  std::string backup_file;
  auto* backup_cmd = app.add_subcommand("backup", "a consistent copy of the data directory's database, while it runs");
  backup_cmd->add_option("--data-dir", data_dir, "the collector's data directory");
  backup_cmd->add_option("file", backup_file, "the copy to write (a new file)")->required();
  auto* account_cmd = app.add_subcommand("account", "an account's score, signals and route, explained");
  account_cmd->add_option("id", account_id, "account id")->required();
  telltale::cli::AccountsQuery accounts_query;
  auto* accounts_cmd = app.add_subcommand("accounts", "the accounts by PQL score: qualified, or warming up");
  auto* qualified_flag = accounts_cmd->add_flag_function(
      "--qualified", [&](int64_t) { accounts_query.qualified = "true"; }, "only accounts at or above the threshold");
  accounts_cmd
      ->add_flag_function("--warming", [&](int64_t) { accounts_query.qualified = "false"; },
                          "only accounts below the threshold, the closest first")
      ->excludes(qualified_flag);
  accounts_cmd->add_option("--search", accounts_query.search, "only accounts whose id or name holds this (any case)");
  accounts_cmd->add_option("--route", accounts_query.routes, "only accounts these routes would take (R,R or repeated)")
      ->delimiter(',')
      ->check(CLI::IsMember(routes));
  accounts_cmd->add_option("--min-score", accounts_query.min_score, "only accounts scoring at least this")
      ->check(CLI::NonNegativeNumber);
  accounts_cmd->add_option("--limit", accounts_query.limit, "how many to list (1-1000, default 50)")
      ->check(CLI::Range(1, 1000));
  auto* accounts_json = accounts_cmd->add_flag("--json", json, "the JSON, also in a terminal");
  auto* accounts_table = accounts_cmd->add_flag("--table", table, "a table, also when piped");
  accounts_cmd->add_flag("--csv", csv, "CSV with a header line, for a spreadsheet or a CRM import")
      ->excludes(accounts_json)
      ->excludes(accounts_table);
  telltale::cli::StatsQuery stats_query;
  auto* pls_cmd = app.add_subcommand("stats", "PQL volume, SLA adherence, time to first touch and conversion, per rep");
  const char* time_words = "ISO 8601 time, date, or span back from now (30d, 12h)";
  pls_cmd->add_option("--since", stats_query.since, std::string("alerts raised since: ") + time_words);
  pls_cmd->add_option("--until", stats_query.until, std::string("alerts raised before: ") + time_words);
  pls_cmd->add_option("--owner", stats_query.owner, "only this rep's alerts");
  pls_cmd->add_option("--route", stats_query.route, "only this route's alerts")->check(CLI::IsMember(routes));
  // The lifecycle steps, each with the fields its route takes.
  int64_t alert_id = 0;
  std::string step_owner, channel, note, reason, outcome;
  bool reassign = false;
  auto* claim_cmd = app.add_subcommand("claim", "take an alert: you work it now");
  claim_cmd->add_option("--owner", step_owner, "who takes it")->required();
  claim_cmd->add_flag("--reassign", reassign, "take it over from the rep who holds it");
  auto* touch_cmd = app.add_subcommand("touch", "record an outreach to the account");
  touch_cmd->add_option("--channel", channel, "email, call, meeting, linkedin, ...")->required();
  touch_cmd->add_option("--note", note, "what was said or sent");
  auto* handback_cmd = app.add_subcommand("handback", "hand an alert back to self-serve");
  handback_cmd->add_option("--reason", reason, "why (e.g. \"prefers self-serve\")");
  auto* outcome_cmd = app.add_subcommand("outcome", "record what came of an alert");
  const std::vector<CLI::App*> steps = {claim_cmd, touch_cmd, handback_cmd, outcome_cmd};
  for (auto* c : steps) c->add_option("id", alert_id, "the alert's id")->required()->check(CLI::PositiveNumber);
  outcome_cmd->add_option("outcome", outcome, "opportunity, won or lost")
      ->required()
      ->check(CLI::IsMember({"opportunity", "won", "lost"}));
  pls_cmd->add_flag("--json", json, "the JSON, also in a terminal");
  pls_cmd->add_flag("--table", table, "lines and a table, also when piped");
  auto* webhooks_cmd = app.add_subcommand(
      "webhooks", "how each webhook is doing: delivering, or failing since when and why (exit 3 when one fails)");
  webhooks_cmd->add_flag("--json", json, "the JSON, also in a terminal");
  webhooks_cmd->add_flag("--table", table, "lines, also when piped");
  std::string token, ca_file;
  for (auto* c :
       {alerts_cmd, account_cmd, accounts_cmd, pls_cmd, webhooks_cmd, claim_cmd, touch_cmd, handback_cmd, outcome_cmd})
    c->add_option("--token", token, "an API token of the collector's api_tokens")->envname("TELLTALE_API_TOKEN");
  for (auto* c : {status_cmd, alerts_cmd, account_cmd, accounts_cmd, pls_cmd, webhooks_cmd, claim_cmd, touch_cmd,
                  handback_cmd, outcome_cmd}) {
    c->add_option("--url", url, "collector base URL")->envname("TELLTALE_URL");
    c->add_option("--ca-file", ca_file, "PEM certificates to trust for an https:// collector (default: the system's)")
        ->envname("TELLTALE_CA_FILE")
        ->check(CLI::ExistingFile);
  }
  CLI11_PARSE(app, argc, argv);

  if (backup_cmd->parsed()) {
    try {
      const auto started = std::chrono::steady_clock::now();
      const int64_t bytes = telltale::collector::backup_database(data_dir, backup_file);
      std::printf("backed up %s to %s: %.1f MiB in %.1f s\n", telltale::collector::database_path(data_dir).c_str(),
                  backup_file.c_str(), double(bytes) / (1 << 20),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "telltale backup: %s\n", e.what());
      return 2;
    }
  }
  if (!replay_cmd->parsed() && !log_cmd->parsed()) {  // the commands that talk to a collector
    const std::optional<Collector> collector = collector_at(url, token, ca_file);
    if (!collector) return 2;
    if (status_cmd->parsed()) return status(url, *collector);
    const bool json_out = json || (!table && !isatty(STDOUT_FILENO));
    if (alerts_cmd->parsed())
      return telltale::cli::alerts(*collector, alerts_query,
                                   csv        ? telltale::cli::AlertsFormat::kCsv
                                   : json_out ? telltale::cli::AlertsFormat::kJsonLines
                                              : telltale::cli::AlertsFormat::kTable,
                                   follow);
    if (pls_cmd->parsed()) return telltale::cli::stats(*collector, stats_query, json_out);
    if (webhooks_cmd->parsed()) return telltale::cli::webhooks(*collector, json_out);
    if (account_cmd->parsed()) return account(*collector, account_id);
    if (accounts_cmd->parsed())
      return telltale::cli::accounts(*collector, accounts_query,
                                     csv        ? telltale::cli::AccountsFormat::kCsv
                                     : json_out ? telltale::cli::AccountsFormat::kJson
                                                : telltale::cli::AccountsFormat::kTable);
    boost::json::object fields;
    if (claim_cmd->parsed()) fields["owner"] = step_owner;
    if (reassign) fields["reassign"] = true;
    if (touch_cmd->parsed()) fields["channel"] = channel;
    if (!note.empty()) fields["note"] = note;
    if (!reason.empty()) fields["reason"] = reason;
    if (outcome_cmd->parsed()) fields["outcome"] = outcome;
    for (auto* c : steps)
      if (c->parsed()) return lifecycle(*collector, c->get_name(), alert_id, fields);
  }
  if (replay_cmd->parsed()) {
    try {
      return replay(replay_config, data_dir);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "telltale replay: %s\n", e.what());
      return 2;
    }
  }
  try {
    using namespace telltale::collector;
    Config config;
    if (!log_config.empty()) {
      auto problems = load_config(log_config, &config);
      for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.c_str());
      if (!problems.empty()) return 2;
      // The config's data directory, unless --data-dir names another.
      if (!stats_cmd->count("--data-dir") && !tail_cmd->count("--data-dir")) data_dir = config.data_dir;
    }
    std::unique_ptr<EventLog> log = open_event_log_reader(data_dir, config.log);
    auto* sqlite = dynamic_cast<SqliteEventLog*>(log.get());
    if (auto* stream = dynamic_cast<JetStreamEventLog*>(log.get()); stream && stats_cmd->parsed()) {
      const JetStreamStats st = stream->stats();  // as the servers report it
      std::printf("event log %s\n", log->describe().c_str());
      std::printf("  frames            %lld (positions %lld..%lld)\n", (long long)st.frames,
                  (long long)st.first_position, (long long)st.last_position);
      if (st.frames)
        std::printf("  stored            %s .. %s\n", iso8601(st.first_stored_ms).c_str(),
                    iso8601(st.last_stored_ms).c_str());
      std::printf("  size on servers   %.1f MiB (%s)\n", double(st.bytes) / (1 << 20),
                  count_of(st.replicas, "replica", "replicas").c_str());
      std::printf("  de-duplication    ids remembered %lld min, in the servers' memory; later copies skipped by "
                  "the engine for %lld h\n",
                  (long long)(st.duplicate_window_ms / 60'000), (long long)config.dedup_window_hours);
      if (st.max_age_ms) std::printf("  retention         %.1f days\n", double(st.max_age_ms) / 86'400'000);
      else std::printf("  retention         kept for ever\n");
      std::printf("  consumers         %d\n", st.consumers);
      if (const auto engine = EngineLease::holder(config.log.jetstream))
        std::printf("  engine            %s, lease renewed %lld s ago\n", engine->describe().c_str(),
                    (long long)std::max<int64_t>(0, (wall_clock_ms() - engine->renewed_ms) / 1000));
      else
        std::printf("  engine            none holds the stream's lease (no collector raises its alerts)\n");
      return 0;
    }
    if (stats_cmd->parsed()) {
      auto st = sqlite->stats();
      std::printf("event log %s\n", log->describe().c_str());
      std::printf("  frames            %lld (positions %lld..%lld)\n", (long long)st.frames,
                  (long long)st.first_position, (long long)st.last_position);
      std::printf("  events            %lld\n", (long long)st.events);
      if (st.frames)
        std::printf("  received          %s .. %s\n", iso8601(st.first_received_ms).c_str(),
                    iso8601(st.last_received_ms).c_str());
      std::printf("  de-duplication ids %lld\n", (long long)st.seen_ids);
      std::printf("  size on disk      %.1f MiB\n", double(st.file_bytes) / (1 << 20));
      return 0;
    }
    // A read may return fewer frames than the log holds (JetStream's hands
    // over what has been delivered so far): read on up to the last one.
    const int64_t last = log->last_position();
    int64_t after = std::max<int64_t>(0, last - tail_count);
    std::vector<StoredFrame> frames;
    while (after < last) {
      auto s = log->read(after, size_t(last - after), &frames);
      if (!s.ok) throw std::runtime_error(s.error);
      if (frames.empty()) break;
      for (const auto& f : frames) print_frame(f);
      after = frames.back().position;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "telltale log: %s\n", e.what());
    return 2;
  }
}
