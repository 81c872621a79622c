// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "metrics/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;

TEST(Metrics, RendersPrometheusText) {
  Metrics m;
  m.events_accepted.add(5);
  m.requests.with({"/v1/batch", "200"}).add(2);
  m.sdk_dropped.with({"queue_full"}).add(7);
  m.commit_latency.observe(0.003);
  m.commit_latency.observe(2);
  std::string text = m.render();
  EXPECT_THAT(text, HasSubstr("# TYPE telltale_events_accepted_total counter\ntelltale_events_accepted_total 5\n"));
  EXPECT_THAT(text, HasSubstr("telltale_requests_total{route=\"/v1/batch\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("telltale_sdk_dropped_total{reason=\"queue_full\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("telltale_commit_latency_seconds_bucket{le=\"0.0025\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("telltale_commit_latency_seconds_bucket{le=\"0.005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("telltale_commit_latency_seconds_bucket{le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("telltale_commit_latency_seconds_count 2\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE telltale_build_info gauge\ntelltale_build_info{version=\"" +
                              std::string(TELLTALE_VERSION) + "\"} 1\n"));
}

// Label values clients choose cannot grow a family without bound.
TEST(Metrics, AFamilyWithAMostCountsNewValuesBeyondItAsOther) {
  CounterFamily libraries({"library", "version"}, 2);
  libraries.with({"telltale-cpp", "0.1.0"}).add();
  libraries.with({"analytics-node", "2.2.1"}).add();
  libraries.with({"made-up", "9"}).add(3);
  libraries.with({"telltale-cpp", "0.1.0"}).add();  // known: its own
  std::string text;
  libraries.render("x_total", &text);
  EXPECT_EQ(text,
            "x_total{library=\"analytics-node\",version=\"2.2.1\"} 1\n"
            "x_total{library=\"other\",version=\"other\"} 3\n"
            "x_total{library=\"telltale-cpp\",version=\"0.1.0\"} 2\n");
}

}  // namespace
}  // namespace telltale::collector
