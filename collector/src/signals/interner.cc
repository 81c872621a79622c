// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/interner.h"

namespace telltale::collector {

uint32_t Interner::intern(std::string_view s) {
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  const auto id = uint32_t(strings_.size());
  const std::string& stored = strings_.emplace_back(s);
  if (stored.capacity() > 15) heap_chars_ += stored.capacity() + 1;
  index_.emplace(std::string_view(stored), id);
  return id;
}

std::optional<uint32_t> Interner::find(std::string_view s) const {
  auto it = index_.find(s);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

size_t Interner::memory_bytes() const {
  // Each table slot holds a key and a value, plus one control byte.
  constexpr size_t kSlotBytes = sizeof(std::pair<std::string_view, uint32_t>) + 1;
  return strings_.size() * sizeof(std::string) + index_.capacity() * kSlotBytes + heap_chars_;
}

}  // namespace telltale::collector
