// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/log_lines.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <spdlog/details/log_msg.h>

namespace telltale::collector {
namespace {

std::string formatted(spdlog::level::level_enum level, std::string_view text, spdlog::log_clock::time_point time) {
  spdlog::details::log_msg msg(time, spdlog::source_loc{}, "collector", level, text);
  spdlog::memory_buf_t out;
  JsonLogFormatter().format(msg, out);
  return std::string(out.data(), out.size());
}

TEST(JsonLogFormatter, WritesOneObjectALineInUtcWithTheMessageEscaped) {
  const auto time = spdlog::log_clock::time_point(std::chrono::milliseconds(1'795'000'000'123));
  const std::string line =
      formatted(spdlog::level::warn, "webhook \"sales\": failed\n\tretrying \x01 in 2 s", time);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line, whatever the message holds
  EXPECT_EQ(line, "{\"time\":\"2026-11-18T11:06:40.123Z\",\"level\":\"warning\","
                  "\"msg\":\"webhook \\\"sales\\\": failed\\n\\tretrying \\u0001 in 2 s\"}\n");
  const auto parsed = boost::json::parse(line).as_object();
  EXPECT_EQ(parsed.at("msg"), "webhook \"sales\": failed\n\tretrying \x01 in 2 s");
  EXPECT_EQ(boost::json::parse(formatted(spdlog::level::err, "", time)).at("level"), "error");
  EXPECT_EQ(boost::json::parse(formatted(spdlog::level::info, "", time)).at("level"), "info");
}

TEST(JsonLogFormatter, ClonesAreJsonToo) {
  const auto clone = JsonLogFormatter().clone();
  spdlog::details::log_msg msg(spdlog::log_clock::time_point{}, spdlog::source_loc{}, "collector",
                               spdlog::level::info, "started");
  spdlog::memory_buf_t out;
  clone->format(msg, out);
  EXPECT_EQ(std::string(out.data(), out.size()), "{\"time\":\"1970-01-01T00:00:00.000Z\",\"level\":\"info\","
                                                 "\"msg\":\"started\"}\n");
}

}  // namespace
}  // namespace telltale::collector
