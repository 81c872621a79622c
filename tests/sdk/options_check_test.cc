// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "options_check.h"

#include <gtest/gtest.h>

#include <functional>

namespace telltale::detail {
namespace {

Options valid() {
  Options o;
  o.endpoint = "http://127.0.0.1:7070";
  o.write_key = "wk_test";
  return o;
}

TEST(OptionsCheck, AcceptsTheDefaults) { EXPECT_TRUE(check_options(valid()).ok()); }

TEST(OptionsCheck, NamesTheOffendingField) {
  const std::pair<const char*, std::function<void(Options&)>> cases[] = {
      {"endpoint", [](Options& o) { o.endpoint = "localhost:7070"; }},
      {"write_key", [](Options& o) { o.write_key.clear(); }},
      {"write_key", [](Options& o) { o.write_key = "a\nb"; }},
      {"queue_capacity", [](Options& o) { o.queue_capacity = 0; }},
      {"max_event_bytes", [](Options& o) { o.max_event_bytes = 10; }},
      {"batch_max_events", [](Options& o) { o.batch_max_events = 0; }},
      {"batch_max_bytes", [](Options& o) { o.batch_max_bytes = 1; }},
      {"batch_max_delay", [](Options& o) { o.batch_max_delay = std::chrono::milliseconds(0); }},
      {"max_buffer_bytes", [](Options& o) { o.max_buffer_bytes = 1; }},
      {"request_timeout", [](Options& o) { o.request_timeout = std::chrono::milliseconds(1); }},
      {"retry_max", [](Options& o) { o.retry_max = std::chrono::milliseconds(10); }},
      {"compression_level", [](Options& o) { o.compression_level = 40; }},
      {"diagnostics_per_second", [](Options& o) { o.diagnostics_per_second = 0; }},
      {"max_spool_bytes", [](Options& o) { o.spool_dir = "/tmp/x"; o.max_spool_bytes = 10; }},
      {"spool_dir", [](Options& o) { o.overflow = OverflowPolicy::kSpill; }},
  };
  for (const auto& [field, mutate] : cases) {
    Options o = valid();
    mutate(o);
    Status s = check_options(o);
    EXPECT_FALSE(s.ok()) << field;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << field;
    EXPECT_NE(s.message().find(field), std::string::npos) << field << ": " << s.message();
  }
}

}  // namespace
}  // namespace telltale::detail
