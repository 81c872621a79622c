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

namespace {

// How many events ahead apply_frame() loads what an event will touch: far
// enough for memory to answer, near enough for the lines to stay cached. The
// id tables are probed in a short loop, so they are loaded further ahead.
constexpr size_t kIdsAhead = 32;
constexpr size_t kTablesAhead = 8;

bool engine_kind(UsageKind kind) {
  return kind == UsageKind::kTrack || kind == UsageKind::kGroup || kind == UsageKind::kUsage;
}

}  // namespace

uint32_t SignalEngine::name_number(std::string_view name) {
  if (auto known = names_.find(name)) return *known;
  return names_.size() < kMaxEventNames ? names_.intern(name) : kNoNumber;
}

SignalEngine::Resolved SignalEngine::resolve(const UsageEvent& e) {
  Resolved r;
  if (!engine_kind(e.kind)) return r;
  if (!e.account.empty()) {
    r.account = account_number(e.account);
    if (!e.user.empty()) {
      Interner::Entry& entry = users_.entry(e.user);
      r.user = entry.number;
      // A group call, or a track naming its account, says where the user is.
      // Written only when it changes: a clean line of the user table need
      // not be written back to memory (+8 % engine events/s).
      if (e.kind != UsageKind::kUsage && entry.value != r.account) entry.value = r.account;
    }
  } else if (!e.user.empty()) {
    const Interner::Entry* known = users_.find_entry(e.user);
    if (!known || known->value == kNoNumber) return r;
    r.user = known->number;
    r.account = known->value;
  } else {
    return r;
  }
  if (e.kind == UsageKind::kTrack) r.name = name_number(e.name);
  return r;
}

void SignalEngine::prefetch_state(uint32_t account) const {
  if (account == kNoNumber) return;
  // The fields before the hour-of-week table: what most events touch.
  const AccountState& state = accounts_[account];
  const char* hot = reinterpret_cast<const char*>(&state);
  const char* end = reinterpret_cast<const char*>(state.hour_of_week.data());
  for (; hot < end; hot += 64) __builtin_prefetch(hot);
}

void SignalEngine::prefetch_slots(const UsageEvent& e, Resolved r) const {
  if (r.account == kNoNumber) return;
  const AccountState& state = accounts_[r.account];
  __builtin_prefetch(&state.hour_of_week[size_t(AccountState::hour_of_week_index(e.time_ms))]);
  if (r.user != kNoNumber) state.users.prefetch(r.user);
  if (r.name != kNoNumber) __builtin_prefetch(state.names.data());
}

void SignalEngine::mark_last_events(std::span<const UsageEvent> events) {
  if (marks_.size() < accounts_.size()) marks_.resize(accounts_.size());
  for (size_t i = events.size(); i-- > 0;) {
    Resolved& r = resolved_[i];
    if (r.account == kNoNumber) continue;
    FrameMark& mark = marks_[r.account];
    if (mark.frame != frame_) {
      mark = {frame_, uint32_t(i)};
      r.last = true;
      r.latest_ms = events[i].time_ms;
    } else {
      int64_t& latest = resolved_[mark.last].latest_ms;
      latest = std::max(latest, events[i].time_ms);
    }
  }
}

void SignalEngine::apply_frame(std::span<const UsageEvent> events, const Settled& settled, const Ahead& ahead) {
  ++frame_;
  const size_t n = events.size();
  resolved_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (i + kIdsAhead < n) {
      account_ids_.prefetch(events[i + kIdsAhead].account);
      users_.prefetch(events[i + kIdsAhead].user);
    }
    resolved_[i] = resolve(events[i]);
    prefetch_state(resolved_[i].account);
  }
  mark_last_events(events);
  for (size_t i = 0; i < n; ++i) {
    if (i + kTablesAhead < n) {
      const Resolved& next = resolved_[i + kTablesAhead];
      prefetch_slots(events[i + kTablesAhead], next);
      if (next.last && ahead) ahead(accounts_[next.account]);
    }
    const Resolved& r = resolved_[i];
    AccountState* state = apply(events[i], r);
    if (r.last) settled(*state, r.latest_ms);
  }
}

AccountState* SignalEngine::apply(const UsageEvent& e) { return apply(e, resolve(e)); }

AccountState* SignalEngine::apply(const UsageEvent& e, Resolved r) {
  if (r.account == kNoNumber) return nullptr;
  AccountState& state = accounts_[r.account];
  state.apply(e, r.user, r.name, rules_);
  return &state;
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
    a.load(r, rules_);
    if (a.number != i || account_ids_.intern(a.id) != i) throw SnapshotError("snapshot: accounts out of order");
  }
  for (const auto& [user, account] : users_.by_number())
    if (account != kNoNumber && account >= accounts_.size()) throw SnapshotError("snapshot: user in no account");
}

EngineMemory SignalEngine::memory() const {
  EngineMemory m;
  for (const AccountState& a : accounts_) m.account_bytes += a.memory_bytes();
  m.account_bytes += account_ids_.memory_bytes() + marks_.capacity() * sizeof(FrameMark);
  m.user_bytes = users_.memory_bytes();
  m.name_bytes = names_.memory_bytes();
  return m;
}

}  // namespace telltale::collector
