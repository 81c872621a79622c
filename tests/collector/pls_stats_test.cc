// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// PlsStats: what sales ops read of their PQLs (GET /v1/stats): volume by
// route and priority, SLA adherence, time to first touch (mean and median),
// conversion, and the same per rep.
#include "alerts/pls_stats.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <tuple>
#include <vector>

namespace telltale::collector {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kNow = 1'000 * kHour;

// A rep-bound alert raised at hour `raised_h`, due 4 hours later.
StatsRow alert(const std::string& owner, int64_t raised_h, const std::string& status = "open") {
  StatsRow r;
  r.route = "sales-led";
  r.priority = "high";
  r.owner = owner;
  r.status = status;
  r.raised_ms = raised_h * kHour;
  r.sla_due_ms = (raised_h + 4) * kHour;
  return r;
}

StatsRow touched(StatsRow r, int64_t after_h) {
  r.first_touch_ms = r.raised_ms + after_h * kHour;
  return r;
}

double number(const boost::json::value& v) { return v.to_number<double>(); }

TEST(PlsStats, CountsVolumeSlaResponseAndConversionOfRepBoundAlerts) {
  PlsStats stats(kNow);
  stats.add(touched(alert("Dana", 10, "won"), 1));
  stats.add(touched(alert("Dana", 20, "opportunity"), 3));
  stats.add(touched(alert("Ravi", 30), 8));       // touched late
  stats.add(alert("Ravi", 40));                    // never touched, due
  stats.add(alert("Ravi", kNow / kHour - 1));      // not due yet
  stats.add(touched(alert("Mei", kNow / kHour - 2), 1));  // touched before its deadline: due, in time
  StatsRow self_serve = alert("", 50);
  self_serve.route = "self-serve";
  self_serve.priority = "medium";
  stats.add(self_serve);  // counts in the volume only

  const boost::json::object out = stats.to_json({});
  EXPECT_EQ(out.at("pql_volume").at("sales-led").at("high").as_int64(), 6);
  EXPECT_EQ(out.at("pql_volume").at("self-serve").at("medium").as_int64(), 1);
  const auto& sla = out.at("sla");
  EXPECT_EQ(sla.at("alerts").as_int64(), 6);
  EXPECT_EQ(sla.at("due").as_int64(), 5);
  EXPECT_EQ(sla.at("touched_in_time").as_int64(), 3);
  EXPECT_EQ(sla.at("breached").as_int64(), 2);  // the one touched late and the one never touched
  EXPECT_DOUBLE_EQ(number(sla.at("adherence")), 0.6);
  EXPECT_EQ(sla.at("waiting").as_int64(), 2);  // open, never touched: one past its deadline, one not yet
  EXPECT_EQ(sla.at("overdue").as_int64(), 1);
  const auto& response = out.at("response");
  EXPECT_EQ(response.at("touched").as_int64(), 4);
  EXPECT_DOUBLE_EQ(number(response.at("mean_hours_to_first_touch")), 3.25);
  EXPECT_DOUBLE_EQ(number(response.at("median_hours_to_first_touch")), 2);
  const auto& conversion = out.at("conversion");
  EXPECT_EQ(conversion.at("opportunities").as_int64(), 2);  // the won one included
  EXPECT_EQ(conversion.at("won").as_int64(), 1);
  EXPECT_DOUBLE_EQ(number(conversion.at("pql_to_opportunity")), 2.0 / 6);
  EXPECT_DOUBLE_EQ(number(conversion.at("pql_to_won")), 1.0 / 6);
}

TEST(PlsStats, ListsEachRepMostAlertsFirstWithTheirOwnFigures) {
  PlsStats stats(kNow);
  stats.add(touched(alert("Dana", 10, "won"), 1));
  stats.add(touched(alert("Ravi", 30), 8));
  stats.add(touched(alert("Ravi", 40), 2));
  stats.add(alert("", 50));  // a rep-bound alert no rep owns

  const boost::json::object out = stats.to_json({});
  const boost::json::array& reps = out.at("by_owner").as_array();
  ASSERT_EQ(reps.size(), 3u);
  EXPECT_EQ(reps[0].at("owner"), "Ravi");
  EXPECT_EQ(reps[0].at("sla").at("alerts").as_int64(), 2);
  EXPECT_DOUBLE_EQ(number(reps[0].at("sla").at("adherence")), 0.5);
  EXPECT_DOUBLE_EQ(number(reps[0].at("response").at("median_hours_to_first_touch")), 5);
  EXPECT_EQ(reps[0].at("conversion").at("won").as_int64(), 0);
  // One alert each: by name, the unowned (null) first.
  EXPECT_TRUE(reps[1].at("owner").is_null());
  EXPECT_TRUE(reps[1].at("response").at("median_hours_to_first_touch").is_null());
  EXPECT_EQ(reps[2].at("owner"), "Dana");
  EXPECT_DOUBLE_EQ(number(reps[2].at("conversion").at("pql_to_won")), 1);
}

// The config's reps complete the table: who is away, and a row of zeroes
// for a rep with no alerts (one who just joined, or is away), unless the
// figures are of another rep.
TEST(PlsStats, ListsEveryConfiguredRepAndWhoIsAway) {
  PlsStats stats(kNow);
  stats.add(alert("Dana", 10));
  stats.add(alert("Olga", 20));  // an owner trait, not a configured rep
  stats.add(alert("ravi", 30));   // raised before the trait was read as the rep Ravi
  const OwnerRules owners{{}, {{"Dana", 2, true}, {"Ravi", 1}, {"Mei", 1, true}}};

  boost::json::object team = stats.to_json({});
  PlsStats::add_configured_reps(team, owners);
  std::vector<std::tuple<std::string, int64_t, bool>> rows;
  for (const auto& rep : team.at("by_owner").as_array())
    rows.emplace_back(rep.at("owner").as_string(), rep.at("sla").at("alerts").as_int64(), rep.at("away").as_bool());
  EXPECT_EQ(rows, (std::vector<std::tuple<std::string, int64_t, bool>>{
                      {"Dana", 1, true}, {"Olga", 1, false}, {"ravi", 1, false}, {"Mei", 0, true}}));
  const boost::json::object& zero = team.at("by_owner").as_array()[3].as_object();
  EXPECT_TRUE(zero.at("sla").at("adherence").is_null());
  EXPECT_EQ(zero.at("conversion").at("won").as_int64(), 0);

  StatsFilter of_mei;
  of_mei.owner = "Mei";
  boost::json::object mine = PlsStats(kNow).to_json(of_mei);
  PlsStats::add_configured_reps(mine, owners);
  ASSERT_EQ(mine.at("by_owner").as_array().size(), 1u);
  EXPECT_EQ(mine.at("by_owner").as_array()[0].at("owner"), "Mei");
}

TEST(PlsStats, NoAlertsReadAsNoRatesNotZeroes) {
  const boost::json::object out = PlsStats(kNow).to_json({});
  EXPECT_TRUE(out.at("pql_volume").as_object().empty());
  EXPECT_EQ(out.at("sla").at("alerts").as_int64(), 0);
  EXPECT_TRUE(out.at("sla").at("adherence").is_null());
  EXPECT_TRUE(out.at("response").at("mean_hours_to_first_touch").is_null());
  EXPECT_TRUE(out.at("conversion").at("pql_to_won").is_null());
  EXPECT_TRUE(out.at("by_owner").as_array().empty());
}

TEST(PlsStats, SaysWhichAlertsTheFiguresAreOf) {
  StatsFilter filter;
  filter.since_ms = 1'793'491'200'000;  // 2026-11-01
  filter.owner = "Dana";
  const boost::json::object echo = PlsStats(kNow).to_json(filter).at("filter").as_object();
  EXPECT_EQ(echo.at("since"), "2026-11-01T00:00:00.000Z");
  EXPECT_TRUE(echo.at("until").is_null());
  EXPECT_EQ(echo.at("owner"), "Dana");
  EXPECT_TRUE(echo.at("route").is_null());
}

}  // namespace
}  // namespace telltale::collector
