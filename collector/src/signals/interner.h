// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Interner: gives each distinct string (an account id, a user id, an event
// name) a small dense number, so the engine's per-event work compares and
// indexes integers instead of hashing and copying strings. Numbers are
// assigned 0, 1, 2, ... in first-seen order and never change; the strings
// are kept for the life of the Interner. Lookups take a string_view and do
// not allocate. Not thread-safe: one engine thread.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

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
  const std::string& name(uint32_t id) const { return strings_[id]; }
  uint32_t size() const { return uint32_t(strings_.size()); }
  // Approximate heap bytes held (strings, table nodes and buckets).
  size_t memory_bytes() const;

 private:
  std::deque<std::string> strings_;                       // stable addresses: the index keys view them
  absl::flat_hash_map<std::string_view, uint32_t> index_;  // a Swiss table: one probe, few cache misses
  size_t heap_chars_ = 0;                                 // characters stored outside the strings' SSO buffer
};

}  // namespace telltale::collector
