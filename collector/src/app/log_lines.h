// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// How the collector writes its own log (stderr, through spdlog's default
// logger): `text` lines for a terminal and the journal ("2026-11-25T04:35:00.123
// info ..."), or `json`, one object a line for a log pipeline (Loki,
// Elasticsearch, Cloud Logging): {"time": "2026-11-25T04:35:00.123Z" (UTC),
// "level": "info", "msg": "..."}; and the least level written (debug, info,
// warning, error). Set at start and again on SIGHUP; spdlog makes the
// switch safe while other threads log.
#pragma once

#include <memory>
#include <string>

#include <spdlog/formatter.h>

namespace telltale::collector {

inline constexpr const char* kLogFormats[] = {"text", "json"};
inline constexpr const char* kLogLevels[] = {"debug", "info", "warning", "error"};

// One JSON object per line: what `format = "json"` writes.
class JsonLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

// Applies `format` (kLogFormats) and `level` (kLogLevels) to the default logger.
void configure_log_lines(const std::string& format, const std::string& level);

}  // namespace telltale::collector
