// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/account_ranking.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace telltale::collector {
namespace {

// Whether `text` holds `part`, ignoring the case of ASCII letters.
bool holds_folded(std::string_view text, std::string_view part) {
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  return std::search(text.begin(), text.end(), part.begin(), part.end(), same) != text.end();
}

}  // namespace

AccountRanking rank_accounts(const SignalEngine& engine, const AccountQuery& query) {
  struct Match {
    double score;
    int64_t last_event_ms;
    uint32_t number;
    bool operator<(const Match& o) const {  // higher first; the account seen first among equals
      return score != o.score                   ? score > o.score
             : last_event_ms != o.last_event_ms ? last_event_ms > o.last_event_ms
                                                : number < o.number;
    }
  };
  std::vector<Match> matches;
  for (uint32_t number = 0; number < engine.account_count(); ++number) {
    const AccountState& a = *engine.account(number);
    if (!query.text.empty() && !holds_folded(a.id, query.text) && !holds_folded(a.trait("name"), query.text)) continue;
    const Evaluation ev = engine.evaluate(a);
    if ((query.qualified && ev.qualified != *query.qualified) || ev.score < query.min_score ||
        (!query.routes.empty() && std::find(query.routes.begin(), query.routes.end(), ev.route) == query.routes.end()))
      continue;
    matches.push_back({ev.score, a.last_event_ms, number});
  }
  AccountRanking ranking;
  ranking.matching = matches.size();
  const size_t n = std::min(query.limit, matches.size());
  std::partial_sort(matches.begin(), matches.begin() + ptrdiff_t(n), matches.end());
  for (size_t i = 0; i < n; ++i) {
    const AccountState* a = engine.account(matches[i].number);
    ranking.top.push_back({a, engine.evaluate(*a)});
  }
  return ranking;
}

}  // namespace telltale::collector
