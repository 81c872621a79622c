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
// enough for memory to answer, near enough for the lines to stay cached (a
// state loaded while the ids of the whole frame were looked up was evicted
// again before its event came). The id tables are probed in a short loop,
// so they are loaded further ahead; an account's state before its tables,
// whose addresses it holds.
constexpr size_t kIdsAhead = 32;
constexpr size_t kStateAhead = 24;
constexpr size_t kTablesAhead = 8;

bool engine_kind(UsageKind kind) {
  return kind == UsageKind::kTrack || kind == UsageKind::kGroup || kind == UsageKind::kUsage;
}

// Heap bytes a string holds outside its SSO buffer.
size_t heap_bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }
size_t heap_bytes(const UserIdentity& who) {
  return heap_bytes(who.email) + heap_bytes(who.name) + heap_bytes(who.title);
}

}  // namespace

Interner<SignalEngine::UserPlace>::Entry& SignalEngine::user_entry(std::string_view id) {
  auto& entry = users_.entry(id);
  if (entry.number == user_ids_.size()) user_heap_bytes_ += heap_bytes(user_ids_.emplace_back(id));
  return entry;
}

void SignalEngine::note_identity(const UsageEvent& identify) {
  if (identify.user.empty()) return;
  UserIdentity said = UserIdentity::from_traits(identify.props);
  if (said.empty()) return;  // traits that say nothing of who the user is
  const uint32_t number = user_entry(identify.user).number;
  if (number >= identities_.size()) identities_.resize(size_t(number) + 1);
  UserIdentity& who = identities_[number];
  user_heap_bytes_ -= heap_bytes(who);
  who.merge(std::move(said));
  user_heap_bytes_ += heap_bytes(who);
}

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
      auto& entry = user_entry(e.user);
      r.user = entry.number;
      UserPlace& place = entry.value;
      // A group call, or a track naming its account, says where the user is.
      // Written only when it changes: a clean line of the user table need
      // not be written back to memory (+8 % engine events/s).
      if (place.account == r.account) r.user_slot = place.slot;
      else if (e.kind != UsageKind::kUsage) place = {r.account, kNoNumber};
    }
  } else if (!e.user.empty()) {
    const auto* known = users_.find_entry(e.user);
    if (!known || known->value.account == kNoNumber) return r;
    r.user = known->number;
    r.account = known->value.account;
    r.user_slot = known->value.slot;
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
  if (r.user_slot != kNoNumber) __builtin_prefetch(&state.user_days[r.user_slot]);
  else if (r.user != kNoNumber && e.kind == UsageKind::kTrack) user_slots_.prefetch(membership(r.account, r.user));
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
  }
  mark_last_events(events);
  for (size_t i = 0; i < std::min(n, kStateAhead); ++i) prefetch_state(resolved_[i].account);
  for (size_t i = 0; i < n; ++i) {
    if (i + kStateAhead < n) prefetch_state(resolved_[i + kStateAhead].account);
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
  if (r.account == kNoNumber) {
    if (e.kind == UsageKind::kIdentify) note_identity(e);
    return nullptr;
  }
  AccountState& state = accounts_[r.account];
  uint32_t slot = r.user_slot;
  if (slot == kNoNumber && r.user != kNoNumber && e.kind == UsageKind::kTrack) slot = user_slot(state, r.user, e.user);
  state.apply(e, slot, r.name, rules_);
  return &state;
}

uint32_t SignalEngine::user_slot(AccountState& account, uint32_t user, std::string_view user_id) {
  const uint64_t key = membership(account.number, user);
  uint32_t slot;
  if (auto known = user_slots_.find(key); known != user_slots_.end()) {
    slot = known->second;
  } else {
    slot = account.add_user(user);
    if (slot == kNoNumber) return slot;
    user_slots_.emplace(key, slot);
  }
  UserPlace& place = user_entry(user_id).value;
  if (place.account == account.number) place.slot = slot;
  return slot;
}

Explanation SignalEngine::explain(std::string_view id) const {
  const AccountState* a = account(id);
  return a ? telltale::collector::explain(*a, rules_) : Explanation{};
}

std::vector<AccountUser> SignalEngine::people(const AccountState& a, size_t max) const {
  const int64_t today = day_of(a.last_event_ms);
  // Ranked by numbers first; only the chosen ones' strings are copied.
  struct Rank {
    int active_days;
    int64_t last_day;
    uint32_t slot;  // first seen first, among equals
    bool operator<(const Rank& o) const {
      return active_days != o.active_days ? active_days > o.active_days
             : last_day != o.last_day     ? last_day > o.last_day
                                          : slot < o.slot;
    }
  };
  std::vector<Rank> ranks(a.user_count());
  for (uint32_t slot = 0; slot < a.user_count(); ++slot)
    ranks[slot] = {a.user_days[slot].count(today - 13, today), a.user_days[slot].last_day(), slot};
  const size_t n = std::min(max, ranks.size());
  std::partial_sort(ranks.begin(), ranks.begin() + ptrdiff_t(n), ranks.end());
  std::vector<AccountUser> people(n);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t number = a.user_numbers[ranks[i].slot];
    people[i].id = user_ids_[number];
    if (number < identities_.size()) people[i].identity = identities_[number];
    people[i].active_days_14d = ranks[i].active_days;
    people[i].last_active_day = ranks[i].last_day;
  }
  return people;
}

const AccountState* SignalEngine::account(std::string_view id) const {
  auto number = account_ids_.find(id);
  return number ? &accounts_[*number] : nullptr;
}

void SignalEngine::save(SnapshotWriter& w) const {
  const auto names = names_.by_number();
  w.u64(names.size());
  for (const auto& [name, unused] : names) w.str(name);
  const auto users = users_.by_number();
  w.u64(users.size());
  for (const auto& [user, place] : users) {
    w.str(user);
    w.u64(place.account);
  }
  size_t identified = 0;
  for (const UserIdentity& who : identities_) identified += !who.empty();
  w.u64(identified);
  for (uint32_t number = 0; number < identities_.size(); ++number) {
    const UserIdentity& who = identities_[number];
    if (who.empty()) continue;
    w.u64(number);
    w.str(who.email);
    w.str(who.name);
    w.str(who.title);
  }
  w.u64(accounts_.size());
  for (const AccountState& a : accounts_) a.save(w);
}

void SignalEngine::load(SnapshotReader& r) {
  if (account_ids_.size() || users_.size()) throw SnapshotError("snapshot: the engine is not fresh");
  for (size_t i = 0, n = r.count(); i < n; ++i)
    if (names_.intern(r.str()) != i) throw SnapshotError("snapshot: names differ from the rules'");
  for (size_t i = 0, n = r.count(2); i < n; ++i) {
    auto& entry = user_entry(r.str());
    if (entry.number != i) throw SnapshotError("snapshot: a user twice");
    entry.value.account = uint32_t(r.u64());
  }
  for (size_t i = 0, n = r.count(4); i < n; ++i) {
    const uint64_t number = r.u64();
    if (number >= users_.size()) throw SnapshotError("snapshot: an identity of no user");
    if (number < identities_.size()) throw SnapshotError("snapshot: identities out of order");
    identities_.resize(number + 1);
    UserIdentity& who = identities_[number];
    who.email = r.str();
    who.name = r.str();
    who.title = r.str();
    user_heap_bytes_ += heap_bytes(who);
  }
  for (size_t i = 0, n = r.count(); i < n; ++i) {
    AccountState& a = accounts_.emplace_back();
    a.load(r, rules_);
    if (a.number != i || account_ids_.intern(a.id) != i) throw SnapshotError("snapshot: accounts out of order");
  }
  // The memberships follow from the accounts' user lists, and each user's
  // slot in their current account from the memberships.
  size_t memberships = 0;
  for (const AccountState& a : accounts_) memberships += a.user_count();
  user_slots_.reserve(memberships);
  for (const AccountState& a : accounts_)
    for (uint32_t slot = 0; slot < a.user_count(); ++slot) {
      const uint32_t user = a.user_numbers[slot];
      if (user >= users_.size() || !user_slots_.emplace(membership(a.number, user), slot).second)
        throw SnapshotError("snapshot: bad user in account " + a.id);
    }
  users_.for_each_entry([&](std::string_view, Interner<UserPlace>::Entry& entry) {
    UserPlace& place = entry.value;
    if (place.account == kNoNumber) return;
    if (place.account >= accounts_.size()) throw SnapshotError("snapshot: user in no account");
    if (auto known = user_slots_.find(membership(place.account, entry.number)); known != user_slots_.end())
      place.slot = known->second;
  });
}

EngineMemory SignalEngine::memory() const {
  EngineMemory m;
  for (const AccountState& a : accounts_) m.account_bytes += a.memory_bytes();
  m.account_bytes += account_ids_.memory_bytes() + marks_.capacity() * sizeof(FrameMark);
  m.user_bytes = users_.memory_bytes() + user_slots_.capacity() * (sizeof(std::pair<uint64_t, uint32_t>) + 1) +
                 user_ids_.capacity() * sizeof(std::string) +
                 identities_.capacity() * sizeof(UserIdentity) + user_heap_bytes_;
  m.name_bytes = names_.memory_bytes();
  return m;
}

}  // namespace telltale::collector
