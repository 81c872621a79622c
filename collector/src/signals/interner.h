// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Interner: gives each distinct string (an account id, a user id, an event
// name) a small dense number, so the engine's per-event work compares and
// indexes integers instead of hashing and copying strings. Numbers are
// assigned 0, 1, 2, ... in first-seen order and never change. Each entry
// also carries a value of the caller's (`Value`: the engine keeps a user's
// account and place in it there, so one lookup finds all). The strings
// live in the table's own slots (a Swiss table), so a lookup of a short id
// touches one or two cache lines and never allocates. Not thread-safe: one
// engine thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

namespace telltale::collector {

struct NoValue {};

template <class Value = NoValue>
class Interner {
 public:
  Interner() = default;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  struct Entry {
    uint32_t number;
    [[no_unique_address]] Value value{};
  };

  // The string's number, assigning the next one when it is new.
  uint32_t intern(std::string_view s) { return entry(s).number; }
  // The string's entry, created when new; valid until the next insertion.
  Entry& entry(std::string_view s) {
    auto [it, fresh] = index_.try_emplace(key(s), Entry{uint32_t(index_.size())});
    if (fresh && it->first.capacity() > 15) heap_chars_ += it->first.capacity() + 1;
    return it->second;
  }
  const Entry* find_entry(std::string_view s) const {
    auto it = index_.find(key(s));
    return it == index_.end() ? nullptr : &it->second;
  }
  std::optional<uint32_t> find(std::string_view s) const {
    const Entry* e = find_entry(s);
    return e ? std::optional<uint32_t>(e->number) : std::nullopt;
  }
  // Starts loading the table slots a lookup of `s` will read, so that a
  // lookup issued a little later does not wait for memory.
  void prefetch(std::string_view s) const { index_.prefetch(key(s)); }
  uint32_t size() const { return uint32_t(index_.size()); }
  // Every string and value by number; valid until the next insertion.
  // O(n): for snapshots, not per event.
  std::vector<std::pair<std::string_view, Value>> by_number() const {
    std::vector<std::pair<std::string_view, Value>> out(index_.size());
    for (const auto& [s, e] : index_) out[e.number] = {s, e.value};
    return out;
  }
  // Calls f(string, entry) for every entry, in no particular order; f may
  // change the entries' values. O(n): for snapshots, not per event.
  template <class F>
  void for_each_entry(F&& f) {
    for (auto& [s, e] : index_) f(std::string_view(s), e);
  }
  // Approximate heap bytes held: each slot holds the key and the entry,
  // plus one control byte; and long strings' buffers.
  size_t memory_bytes() const {
    return index_.capacity() * (sizeof(std::pair<std::string, Entry>) + 1) + heap_chars_;
  }

 private:
  // Debian's Abseil is built with its own string_view; its string hash takes that.
  static absl::string_view key(std::string_view s) { return {s.data(), s.size()}; }

  absl::flat_hash_map<std::string, Entry> index_;
  size_t heap_chars_ = 0;  // characters stored outside the strings' SSO buffer
};

}  // namespace telltale::collector
