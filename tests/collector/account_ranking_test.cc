// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The accounts by score: the order (score, then the latest event, then the
// account seen first) and what each filter takes.
#include "signals/account_ranking.h"

#include <gtest/gtest.h>

#include "usage_events.h"

namespace telltale::collector {
namespace {

using testing::num;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 20'000 * kDay;

// Five accounts: acme 63 (sales-led, qualified), globex 63 a day later
// (qualified), initech 45 (sales-led), hooli 30 (self-serve: a single user,
// no employees), umbrella 0 (only its group call, named "Umbrella Corp").
class AccountRanking : public ::testing::Test {
 protected:
  AccountRanking() {
    for (const char* big : {"acme", "globex", "initech"})
      engine_.apply(testing::group_event(big, {{"employees", num(800)}}, kStart));
    engine_.apply(testing::group_event("umbrella", {{"employees", num(800)}, {"name", testing::str("Umbrella Corp")}},
                                       kStart));
    engine_.apply(testing::track_event("acme", "ana", "Report Created", kStart + 1000));
    engine_.apply(testing::track_event("acme", "ana", "Pricing Page Viewed", kStart + 2000));
    engine_.apply(testing::track_event("globex", "gus", "Report Created", kStart + kDay));
    engine_.apply(testing::track_event("globex", "gus", "Pricing Page Viewed", kStart + kDay + 1000));
    engine_.apply(testing::track_event("initech", "ian", "Report Created", kStart + 3000));
    engine_.apply(testing::track_event("hooli", "hal", "Report Created", kStart + 4000));
  }
  std::vector<std::string> ids(const AccountQuery& query, size_t* matching = nullptr) const {
    const auto ranking = rank_accounts(engine_, query);
    if (matching) *matching = ranking.matching;
    std::vector<std::string> out;
    for (const RankedAccount& r : ranking.top) out.push_back(r.account->id);
    return out;
  }
  SignalEngine engine_{PqlRules{}};
};

TEST_F(AccountRanking, ListsTheHighestScoreFirstAndTheLatestAmongEquals) {
  size_t matching = 0;
  EXPECT_EQ(ids({}, &matching), (std::vector<std::string>{"globex", "acme", "initech", "hooli", "umbrella"}));
  EXPECT_EQ(matching, 5u);
  const auto ranking = rank_accounts(engine_, {});
  EXPECT_DOUBLE_EQ(ranking.top[0].evaluation.score, 63);
  EXPECT_TRUE(ranking.top[0].evaluation.qualified);
  EXPECT_DOUBLE_EQ(ranking.top[2].evaluation.score, 45);
  EXPECT_EQ(ranking.top[3].evaluation.route, Route::kSelfServe);
}

TEST_F(AccountRanking, TakesTheQualifiedOrThoseWarmingUpARouteAScoreAndALimit) {
  EXPECT_EQ(ids({.qualified = true}), (std::vector<std::string>{"globex", "acme"}));
  EXPECT_EQ(ids({.qualified = false}), (std::vector<std::string>{"initech", "hooli", "umbrella"}));
  EXPECT_EQ(ids({.qualified = false, .routes = {Route::kSalesLed}}), (std::vector<std::string>{"initech", "umbrella"}));
  EXPECT_EQ(ids({.qualified = false, .min_score = 30}), (std::vector<std::string>{"initech", "hooli"}));
  EXPECT_EQ(ids({.routes = {Route::kSalesAssist}}), std::vector<std::string>{});
  EXPECT_EQ(ids({.qualified = false, .routes = {Route::kSalesAssist, Route::kSelfServe}}),
            (std::vector<std::string>{"hooli"}));
  size_t matching = 0;
  EXPECT_EQ(ids({.limit = 2}, &matching), (std::vector<std::string>{"globex", "acme"}));
  EXPECT_EQ(matching, 5u) << "the count is of all the query takes, not of those listed";
  EXPECT_EQ(ids({.limit = 0}, &matching), std::vector<std::string>{});
  EXPECT_EQ(matching, 5u);
}

// A rep looking an account up: by a part of its id or name, in any case,
// with the other filters.
TEST_F(AccountRanking, FindsAnAccountByAPartOfItsIdOrName) {
  EXPECT_EQ(ids({.text = "GLOB"}), std::vector<std::string>{"globex"});
  EXPECT_EQ(ids({.text = "corp"}), std::vector<std::string>{"umbrella"});
  EXPECT_EQ(ids({.text = "e"}), (std::vector<std::string>{"globex", "acme", "initech", "umbrella"}));
  EXPECT_EQ(ids({.text = "e", .qualified = false}), (std::vector<std::string>{"initech", "umbrella"}));
  size_t matching = 1;
  EXPECT_EQ(ids({.text = "stark"}, &matching), std::vector<std::string>{});
  EXPECT_EQ(matching, 0u);
}

}  // namespace
}  // namespace telltale::collector
