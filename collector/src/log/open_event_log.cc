// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/open_event_log.h"

#include "log/sqlite_event_log.h"

namespace telltale::collector {
namespace {

// The stream as [log] describes it: whichever opens first may create it.
JetStreamConfig stream_config(const LogConfig& config) {
  JetStreamConfig stream = config.jetstream;
  stream.max_age = std::chrono::hours(24 * config.retention_days);
  return stream;
}

}  // namespace

std::unique_ptr<EventLog> open_event_log(const std::string& data_dir, const LogConfig& config,
                                         std::chrono::hours dedup_window) {
  if (config.backend == "jetstream") return JetStreamEventLog::open(stream_config(config));
  return SqliteEventLog::open(data_dir, dedup_window);
}

std::unique_ptr<EventLog> open_event_log_reader(const std::string& data_dir, const LogConfig& config) {
  if (config.backend == "jetstream") return JetStreamEventLog::open(stream_config(config));
  return SqliteEventLog::open_read_only(data_dir);
}

}  // namespace telltale::collector
