// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/signal_engine.h"

#include <algorithm>

namespace telltale::collector {

SignalEngine::SignalEngine(PqlRules rules) : rules_(std::move(rules), names_) {}

uint32_t SignalEngine::account_number(std::string_view id) {
  const uint32_t number = account_ids_.intern(id);
  if (number == accounts_.size()) {
    AccountState& state = accounts_.emplace_back();
    state.id = std::string(id);
    state.number = number;
    touch_marks_.emplace_back();
  }
  return number;
}

AccountState* SignalEngine::apply(const UsageEvent& e) {
  if (e.kind != UsageKind::kTrack && e.kind != UsageKind::kGroup && e.kind != UsageKind::kUsage) return nullptr;
  uint32_t user = kNoNumber;
  uint32_t account = kNoNumber;
  if (!e.account.empty()) {
    account = account_number(e.account);
    if (!e.user.empty()) {
      user = users_.intern(e.user);
      if (user >= user_account_.size()) user_account_.resize(size_t(user) + 1, kNoNumber);
      // A group call, or a track naming its account, says where the user is.
      if (e.kind != UsageKind::kUsage) user_account_[user] = account;
    }
  } else if (!e.user.empty()) {
    auto known = users_.find(e.user);
    if (!known || user_account_[*known] == kNoNumber) return nullptr;
    user = *known;
    account = user_account_[user];
  } else {
    return nullptr;
  }

  uint32_t name = kNoNumber;
  if (e.kind == UsageKind::kTrack) {
    if (auto known = names_.find(e.name)) name = *known;
    else if (names_.size() < kMaxEventNames) name = names_.intern(e.name);
  }
  AccountState& state = accounts_[account];
  state.apply(e, user, name, rules_);

  TouchMark& mark = touch_marks_[account];
  if (mark.frame != frame_) {
    mark = {frame_, uint32_t(touched_.size())};
    touched_.push_back({&state, e.time_ms});
  } else {
    int64_t& latest = touched_[mark.slot].latest_ms;
    latest = std::max(latest, e.time_ms);
  }
  return &state;
}

void SignalEngine::begin_frame() {
  ++frame_;
  touched_.clear();
}

Explanation SignalEngine::explain(std::string_view id) const {
  const AccountState* a = account(id);
  return a ? telltale::collector::explain(*a, rules_) : Explanation{};
}

const AccountState* SignalEngine::account(std::string_view id) const {
  auto number = account_ids_.find(id);
  return number ? &accounts_[*number] : nullptr;
}

void SignalEngine::save(SnapshotWriter& w) const {
  for (const Interner* table : {&names_, &users_}) {
    const std::vector<std::string_view> strings = table->by_number();
    w.u64(strings.size());
    for (std::string_view s : strings) w.str(s);
  }
  w.u64(user_account_.size());
  for (uint32_t account : user_account_) w.u64(account);
  w.u64(accounts_.size());
  for (const AccountState& a : accounts_) a.save(w);
}

void SignalEngine::load(SnapshotReader& r) {
  if (account_ids_.size() || users_.size()) throw SnapshotError("snapshot: the engine is not fresh");
  for (Interner* table : {&names_, &users_})
    for (size_t i = 0, n = r.count(); i < n; ++i)
      if (table->intern(r.str()) != i) throw SnapshotError("snapshot: names differ from the rules'");
  user_account_.resize(r.count());
  for (uint32_t& account : user_account_) account = uint32_t(r.u64());
  for (size_t i = 0, n = r.count(); i < n; ++i) {
    AccountState& a = accounts_.emplace_back();
    a.load(r);
    touch_marks_.emplace_back();
    if (a.number != i || account_ids_.intern(a.id) != i) throw SnapshotError("snapshot: accounts out of order");
  }
  for (uint32_t account : user_account_)
    if (account != kNoNumber && account >= accounts_.size()) throw SnapshotError("snapshot: user in no account");
}

EngineMemory SignalEngine::memory() const {
  EngineMemory m;
  for (const AccountState& a : accounts_) m.account_bytes += a.memory_bytes();
  m.account_bytes += account_ids_.memory_bytes() + touch_marks_.capacity() * sizeof(TouchMark);
  m.user_bytes = users_.memory_bytes() + user_account_.capacity() * sizeof(uint32_t);
  m.name_bytes = names_.memory_bytes();
  return m;
}

}  // namespace telltale::collector
