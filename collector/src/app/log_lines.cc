// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/log_lines.h"

#include <chrono>

#include <boost/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include "alerts/alert.h"  // iso8601
#include "app/iso8601.h"

namespace telltale::collector {

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
  const auto level = spdlog::level::to_string_view(msg.level);
  const boost::json::object entry{{"time", iso8601(ms)},
                                  {"level", boost::json::string_view(level.data(), level.size())},
                                  {"msg", boost::json::string_view(msg.payload.data(), msg.payload.size())}};
  const std::string line = boost::json::serialize(entry) + "\n";
  dest.append(line.data(), line.data() + line.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const { return std::make_unique<JsonLogFormatter>(); }

void configure_log_lines(const std::string& format, const std::string& level) {
  if (format == "json") spdlog::set_formatter(std::make_unique<JsonLogFormatter>());
  else spdlog::set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v"));
  spdlog::set_level(spdlog::level::from_str(level));  // spdlog's names: debug, info, warning, error
}

}  // namespace telltale::collector
