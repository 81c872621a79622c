// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/account_ranking.h"

#include <algorithm>
#include <string_view>

namespace telltale::collector {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// Whether `text` holds `lower_part` (in lower case), ignoring the case of ASCII letters.
bool holds_folded(std::string_view text, std::string_view lower_part) {
  auto same = [](char x, char lower) { return ascii_lower(x) == lower; };
  return std::search(text.begin(), text.end(), lower_part.begin(), lower_part.end(), same) != text.end();
}

// The account's name trait, without a copy; empty when it has none.
std::string_view name_of(const AccountState& a) {
  static const std::string kName = "name";
  const auto it = a.traits.find(kName);
  return it != a.traits.end() && it->second.type == PropValue::Type::kString ? std::string_view(it->second.s) : "";
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
  std::string text = query.text;
  std::transform(text.begin(), text.end(), text.begin(), ascii_lower);
  std::vector<Match> matches;
  for (uint32_t number = 0; number < engine.account_count(); ++number) {
    const AccountState& a = *engine.account(number);
    if (!text.empty() && !holds_folded(a.id, text) && !holds_folded(name_of(a), text)) continue;
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
