// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// telltale-collector: receives usage events from Telltale SDKs and
// Segment-compatible libraries, makes them durable, and serves health and
// metrics. Zero configuration: `telltale-collector` listens on
// 127.0.0.1:7070 and keeps its data in ./telltale-data. SIGTERM and SIGINT
// stop it gracefully; SIGHUP reloads the config file's API tokens, logging, TLS
// certificate, webhooks, reps and territories (a refused reload keeps what
// runs, saying why). It exits 1 when it cannot start (the reason logged),
// or when another engine took its engine's lease on a JetStream stream.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>
#include <unistd.h>

#include "app/allocator.h"
#include "app/config.h"
#include "app/config_changes.h"
#include "app/log_lines.h"
#include "app/open_files.h"
#include "app/server.h"

using telltale::collector::Config;

namespace {

// What the command line sets; flags override the config file.
struct Flags {
  std::string config_path, listen, data_dir, log_format, log_level;
  bool insecure = false;
  // The settings the flags set, which no change of the file reaches.
  std::vector<std::string> overridden() const {
    std::vector<std::string> keys;
    if (!listen.empty()) keys.push_back("listen");
    if (!data_dir.empty()) keys.push_back("data_dir");
    if (insecure) keys.push_back("insecure");
    if (!log_format.empty()) keys.push_back("logging.format");
    if (!log_level.empty()) keys.push_back("logging.level");
    return keys;
  }
};

// The config file's text ("" when it cannot be read: then no setting is
// named as changed).
std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The config the flags name, checked; empty problems when it is valid.
std::vector<std::string> read_config(const Flags& flags, Config* config) {
  std::vector<std::string> problems;
  if (!flags.config_path.empty()) problems = telltale::collector::load_config(flags.config_path, config);
  if (!flags.listen.empty()) config->listen = flags.listen;
  if (!flags.data_dir.empty()) config->data_dir = flags.data_dir;
  if (flags.insecure) config->insecure = true;
  if (!flags.log_format.empty()) config->log_format = flags.log_format;
  if (!flags.log_level.empty()) config->log_level = flags.log_level;
  if (problems.empty()) problems = telltale::collector::validate_config(*config);
  return problems;
}

// SIGHUP: the config file again, applied where it can be while running;
// what changed since `started` (the file's text at start) and cannot be is
// named, to wait for the next start.
void reload(const Flags& flags, const std::string& started, telltale::collector::Server& server) {
  if (flags.config_path.empty()) {
    spdlog::warn("SIGHUP: there is no --config file to reload");
    return;
  }
  Config next;
  const std::vector<std::string> problems = read_config(flags, &next);
  for (const auto& p : problems) spdlog::error("reload refused, the running config stays: {}", p);
  if (!problems.empty()) return;
  for (const auto& w : telltale::collector::config_warnings(next)) spdlog::warn("{}", w);
  const std::vector<std::string> waiting =
      telltale::collector::settings_awaiting_restart(started, file_text(flags.config_path), flags.overridden());
  try {
    telltale::collector::configure_log_lines(next.log_format, next.log_level);
    spdlog::info("reloaded {}: {}", flags.config_path, server.reload(next));
    if (!waiting.empty()) {
      std::string names;
      for (const std::string& key : waiting) names += (names.empty() ? "" : ", ") + key;
      spdlog::warn("{}: changed since the start, applies only at the next start: {}", flags.config_path, names);
    }
  } catch (const std::exception& e) {
    spdlog::error("reload refused, the running config stays: {}", e.what());
  }
}

// --test-webhooks: a test message to each webhook, and what came of it.
int send_test_messages(const telltale::collector::Config& config) {
  if (config.webhooks.empty()) std::printf("no webhooks are configured\n");
  int failed = 0;
  for (const telltale::collector::Webhook& hook : config.webhooks) {
    const std::string why = telltale::collector::send_test_message(hook, config.email);
    std::printf("%s (%s): %s\n  it gets %s\n", hook.label().c_str(), hook.format.c_str(),
                why.empty() ? "took the test message" : ("FAILED: " + why).c_str(),
                telltale::collector::webhook_subscription(hook).c_str());
    failed += !why.empty();
  }
  return failed ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"telltale-collector: durable ingest of product usage for PQL signals"};
  Flags flags;
  bool check_only = false;
  app.add_option("--config", flags.config_path,
                 "TOML configuration file (SIGHUP reloads its API tokens, logging, TLS files, webhooks, [email], "
                 "dashboard_url, reps and territories)")
      ->check(CLI::ExistingFile);
  app.add_option("--listen", flags.listen, "HOST:PORT to listen on (default 127.0.0.1:7070)");
  app.add_option("--data-dir", flags.data_dir, "directory for the event log (default ./telltale-data)");
  app.add_flag("--check-config", check_only, "validate the configuration, print problems, and exit");
  bool test_webhooks = false;
  app.add_flag("--test-webhooks", test_webhooks,
               "send each webhook a test message now, say which took it, and exit (3 when one did not)");
  app.add_flag("--insecure", flags.insecure, "allow a non-loopback listener without write keys or API tokens");
  app.add_option("--log-format", flags.log_format, "text (default) or json: one JSON object a line")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(telltale::collector::kLogFormats),
                                                     std::end(telltale::collector::kLogFormats))));
  app.add_option("--log-level", flags.log_level, "the least level logged: debug, info (default), warning or error")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(telltale::collector::kLogLevels),
                                                     std::end(telltale::collector::kLogLevels))));
  app.set_version_flag("--version", std::string("telltale-collector ") + TELLTALE_VERSION);
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("collector"));

  Config config;
  const std::string started = flags.config_path.empty() ? "" : file_text(flags.config_path);
  const std::vector<std::string> problems = read_config(flags, &config);
  if (!problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.c_str());
    return 2;
  }
  telltale::collector::configure_log_lines(config.log_format, config.log_level);
  const std::vector<std::string> warnings = telltale::collector::config_warnings(config);
  if (check_only) {
    for (const auto& w : warnings) std::printf("warning: %s\n", w.c_str());
    std::printf("configuration is valid\n");
    return 0;
  }
  if (test_webhooks) return send_test_messages(config);

  // Signals are taken by a dedicated thread, so stopping runs as ordinary code.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    spdlog::info("telltale-collector {}; memory allocator: {}; open files: up to {}", TELLTALE_VERSION,
                 telltale::collector::allocator_name(),
                 telltale::collector::raise_open_files_limit());
    for (const auto& w : warnings) spdlog::warn("{}", w);
    // A failure while running (the engine's lease taken by another) stops
    // the collector as a SIGTERM would, and it exits 1.
    std::mutex failure_mutex;
    std::string failure;
    telltale::collector::Server server(config, [&](const std::string& why) {
      {
        std::lock_guard<std::mutex> lock(failure_mutex);
        failure = why;
      }
      ::kill(::getpid(), SIGTERM);
    });
    server.start();
    int sig = 0;
    while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) reload(flags, started, server);
    const std::string why = [&] {
      std::lock_guard<std::mutex> lock(failure_mutex);
      return failure;
    }();
    if (why.empty())
      spdlog::info("received {}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    else
      spdlog::error("{}; stopping, so that one engine alone raises the alerts", why);
    server.stop();
    server.wait();
    if (!why.empty()) return 1;
    spdlog::info("stopped cleanly");
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
