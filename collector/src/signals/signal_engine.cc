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
      Interner::Entry& entry = users_.entry(e.user);
      user = entry.number;
      // A group call, or a track naming its account, says where the user is.
      if (e.kind != UsageKind::kUsage) entry.value = account;
    }
  } else if (!e.user.empty()) {
    const Interner::Entry* known = users_.find_entry(e.user);
    if (!known || known->value == kNoNumber) return nullptr;
    user = known->number;
    account = known->value;
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

  AccountState::TouchMark& mark = state.touch;
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
    const auto entries = table->by_number();
    w.u64(entries.size());
    for (const auto& [s, value] : entries) {
      w.str(s);
      w.u64(value);
    }
  }
  w.u64(accounts_.size());
  for (const AccountState& a : accounts_) a.save(w);
}

void SignalEngine::load(SnapshotReader& r) {
  if (account_ids_.size() || users_.size()) throw SnapshotError("snapshot: the engine is not fresh");
  for (Interner* table : {&names_, &users_})
    for (size_t i = 0, n = r.count(2); i < n; ++i) {
      Interner::Entry& entry = table->entry(r.str());
      if (entry.number != i) throw SnapshotError("snapshot: names differ from the rules'");
      entry.value = uint32_t(r.u64());
    }
  for (size_t i = 0, n = r.count(); i < n; ++i) {
    AccountState& a = accounts_.emplace_back();
    a.load(r);
    if (a.number != i || account_ids_.intern(a.id) != i) throw SnapshotError("snapshot: accounts out of order");
  }
  for (const auto& [user, account] : users_.by_number())
    if (account != kNoNumber && account >= accounts_.size()) throw SnapshotError("snapshot: user in no account");
}

EngineMemory SignalEngine::memory() const {
  EngineMemory m;
  for (const AccountState& a : accounts_) m.account_bytes += a.memory_bytes();
  m.account_bytes += account_ids_.memory_bytes();
  m.user_bytes = users_.memory_bytes();
  m.name_bytes = names_.memory_bytes();
  return m;
}

}  // namespace telltale::collector
