// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Config: everything an operator can set, with the zero-config defaults.
// load_config reads a TOML file (toml++) and reports every problem with its
// line and column: syntax errors, unknown keys (never silently ignored),
// wrong types and values out of range. Command-line flags override the file.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/alert_book.h"
#include "alerts/webhook_dispatcher.h"
#include "log/open_event_log.h"
#include "mail/smtp_sender.h"
#include "signals/rules.h"
#include "signals/seen_frames.h"

namespace telltale::collector {

struct IngestLimits {
  size_t max_body_bytes = 8u << 20;           // request body as received (413)
  size_t max_decompressed_bytes = 64u << 20;  // zstd-bomb bound (413)
  size_t max_events_per_batch = 100000;       // (413)
  size_t max_string_bytes = 32768;            // any id, name or value (400)
  size_t max_properties = 255;                // per event (400)
};

// The shortest API token accepted (ApiTokens; `openssl rand -hex 24` makes 48).
constexpr size_t kMinApiTokenChars = 16;

struct Config {
  std::string listen = "127.0.0.1:7070";
  std::string data_dir = "./telltale-data";
  std::vector<std::string> write_keys;  // empty: any key, loopback only unless insecure
  // Open the alert, account and stats routes (ApiTokens); empty: those
  // routes are open, loopback only unless insecure (or the engine is off).
  std::vector<std::string> api_tokens;
  bool insecure = false;  // allow a non-loopback listener without write keys or API tokens
  // [tls]: serve HTTPS with this certificate chain and private key (PEM);
  // both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  int io_threads = 1;
  std::string log_format = "text";  // [logging] format: kLogFormats
  std::string log_level = "info";   // [logging] level: kLogLevels
  IngestLimits limits;
  int64_t dedup_window_hours = 7 * 24;   // how long batch and message ids are remembered
  // [dedup] engine_max_ids: the ids an engine on a JetStream log remembers at most (SeenFrames).
  int64_t dedup_engine_max_ids = int64_t(SeenFramesLimits{}.max_keys);
  LogConfig log;                         // [log]: the embedded log, or a JetStream stream
  size_t commit_max_queued_requests = 4096;
  size_t commit_max_queued_bytes = 256u << 20;
  PqlRules pql;          // [pql]: signals, weights, thresholds, reps, territories
  AlertPolicy alerts;    // [pql] cooldown_days, handback_days
  bool engine_enabled = true;  // [engine] enabled = false: ingest only (one of many collectors on a JetStream log)
  int64_t snapshot_every_seconds = 300;  // [engine]: how often the PQL state is snapshotted
  std::vector<Webhook> webhooks;  // [pql] webhooks = [{url, secret, format}]
  SmtpSettings email;             // [email]: the server webhooks to mailto: addresses go through
  // Where reps open the dashboard ("https://telltale.internal:7070"): each
  // webhook message links to its alert there; empty: no links.
  std::string dashboard_url;
};

// What the engine's own de-duplication remembers ([dedup]).
SeenFramesLimits engine_dedup_limits(const Config& config);

// Reads `path` over the defaults in *config. Returns the problems found, each
// "path:line:column: message"; empty means *config is valid.
std::vector<std::string> load_config(const std::string& path, Config* config);

// Checks a complete config (after flags): listen address, loopback rule.
std::vector<std::string> validate_config(const Config& config);
// What a valid config may have wrong, to be logged, not refused: a
// territory or a webhook's owners naming someone who is not one of the
// listed reps (likely a typo; the owner trait may name anyone).
std::vector<std::string> config_warnings(const Config& config);

// Splits "host:port" ("[v6]:port" too); false if malformed.
bool split_host_port(const std::string& listen, std::string* host, uint16_t* port);
bool is_loopback_host(const std::string& host);

}  // namespace telltale::collector
