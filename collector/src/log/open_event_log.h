// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Which event log a collector keeps ([log] backend in the config), and the
// one place that opens it: the embedded SQLite log in the data directory
// (the default), or a NATS JetStream stream shared by many collectors.
// Opening throws std::runtime_error with the reason (startup only).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "log/event_log.h"
#include "log/jetstream_event_log.h"

namespace telltale::collector {

struct LogConfig {
  static constexpr const char* kBackends[] = {"sqlite", "jetstream"};
  std::string backend = "sqlite";
  // Frames older than this many days are deleted (0: kept for ever): from
  // SQLite once a snapshot covers them, from a stream Telltale creates by
  // its max_age.
  int64_t retention_days = 0;
  JetStreamConfig jetstream;  // [log.jetstream], when backend is "jetstream"
};

// The log the ingest path appends to, creating it when missing.
std::unique_ptr<EventLog> open_event_log(const std::string& data_dir, const LogConfig& config,
                                         std::chrono::hours dedup_window);
// A second view of the same log for the engine's reader thread (its own
// SQLite connection, read-only; or its own NATS connection).
std::unique_ptr<EventLog> open_event_log_reader(const std::string& data_dir, const LogConfig& config);

}  // namespace telltale::collector
