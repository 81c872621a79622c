// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Interner: gives each distinct string (an account id, a user id, an event
// name) a small dense number, so the engine's per-event work compares and
// indexes integers instead of hashing and copying strings. Numbers are
// assigned 0, 1, 2, ... in first-seen order and never change. Each entry
// also carries one number of the caller's (`value`: the engine keeps a
// user's account there, so one lookup finds both). The strings
// live in the table's own slots (a Swiss table), so a lookup of a short id
// touches one or two cache lines and never allocates. Not thread-safe: one
// engine thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

namespace telltale::collector {

class Interner {
 public:
  Interner() = default;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  struct Entry {
    uint32_t number;
    uint32_t value = UINT32_MAX;
  };

  // The string's number, assigning the next one when it is new.
  uint32_t intern(std::string_view s) { return entry(s).number; }
  // The string's entry, created when new; valid until the next insertion.
  Entry& entry(std::string_view s);
  std::optional<uint32_t> find(std::string_view s) const;
  const Entry* find_entry(std::string_view s) const;
  // Starts loading the table slots a lookup of `s` will read, so that a
  // lookup issued a little later does not wait for memory.
  void prefetch(std::string_view s) const;
  uint32_t size() const { return uint32_t(index_.size()); }
  // Every string and value by number; valid until the next insertion.
  // O(n): for snapshots, not per event.
  std::vector<std::pair<std::string_view, uint32_t>> by_number() const;
  // Approximate heap bytes held (table slots and long strings' buffers).
  size_t memory_bytes() const;

 private:
  absl::flat_hash_map<std::string, Entry> index_;
  size_t heap_chars_ = 0;  // characters stored outside the strings' SSO buffer
};

}  // namespace telltale::collector
