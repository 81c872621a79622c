// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Interner: gives each distinct string (an account id, a user id, an event
// name) a small dense number, so the engine's per-event work compares and
// indexes integers instead of hashing and copying strings. Numbers are
// assigned 0, 1, 2, ... in first-seen order and never change. The strings
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

  // The string's number, assigning the next one when it is new.
  uint32_t intern(std::string_view s);
  std::optional<uint32_t> find(std::string_view s) const;
  uint32_t size() const { return uint32_t(index_.size()); }
  // Every string by its number; valid until the next intern(). O(n): for
  // snapshots, not per event.
  std::vector<std::string_view> by_number() const;
  // Approximate heap bytes held (table slots and long strings' buffers).
  size_t memory_bytes() const;

 private:
  absl::flat_hash_map<std::string, uint32_t> index_;
  size_t heap_chars_ = 0;  // characters stored outside the strings' SSO buffer
};

}  // namespace telltale::collector
