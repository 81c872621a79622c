// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/log_lines.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

namespace telltale::collector {

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const auto since_epoch = msg.time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time[32];
  const size_t n = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(time + n, sizeof time - n, ".%03dZ", int(millis));
  const auto level = spdlog::level::to_string_view(msg.level);
  const std::string text = "{\"time\":\"" + std::string(time) + "\",\"level\":\"" +
                           std::string(level.data(), level.size()) + "\",\"msg\":" +
                           boost::json::serialize(boost::json::string_view(msg.payload.data(), msg.payload.size())) +
                           "}\n";
  dest.append(text.data(), text.data() + text.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const { return std::make_unique<JsonLogFormatter>(); }

void configure_log_lines(const std::string& format, const std::string& level) {
  if (format == "json") spdlog::set_formatter(std::make_unique<JsonLogFormatter>());
  else spdlog::set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v"));
  spdlog::set_level(spdlog::level::from_str(level));  // spdlog's names: debug, info, warning, error
}

}  // namespace telltale::collector
