// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/signal_engine.h"

namespace telltale::collector {

std::string SignalEngine::apply(const UsageEvent& e) {
  std::string account = e.account;
  if (e.kind == UsageKind::kGroup && !e.user.empty() && !account.empty()) user_account_[e.user] = account;
  if (account.empty() && !e.user.empty()) {
    auto it = user_account_.find(e.user);
    if (it != user_account_.end()) account = it->second;
  }
  if (account.empty() || e.kind == UsageKind::kIdentify || e.kind == UsageKind::kOther) return account;
  // A track with an explicit account also tells which account the user is in.
  if (e.kind == UsageKind::kTrack && !e.user.empty() && !e.account.empty()) user_account_[e.user] = e.account;

  AccountState& state = accounts_[account];
  if (state.id.empty()) state.id = account;
  state.apply(e, rules_);
  return account;
}

Evaluation SignalEngine::evaluate(const std::string& account) const {
  const AccountState* a = this->account(account);
  if (a == nullptr) return Evaluation{};
  return telltale::collector::evaluate(*a, rules_);
}

const AccountState* SignalEngine::account(const std::string& id) const {
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

}  // namespace telltale::collector
