// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/interner.h"

namespace telltale::collector {
namespace {

// Debian's Abseil is built with its own string_view; its string hash takes that.
absl::string_view key(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

uint32_t Interner::intern(std::string_view s) {
  auto [it, fresh] = index_.try_emplace(key(s), uint32_t(index_.size()));
  if (fresh && it->first.capacity() > 15) heap_chars_ += it->first.capacity() + 1;
  return it->second;
}

std::optional<uint32_t> Interner::find(std::string_view s) const {
  auto it = index_.find(key(s));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string_view> Interner::by_number() const {
  std::vector<std::string_view> out(index_.size());
  for (const auto& [s, number] : index_) out[number] = s;
  return out;
}

size_t Interner::memory_bytes() const {
  // Each slot holds the key and the value, plus one control byte.
  return index_.capacity() * (sizeof(std::pair<std::string, uint32_t>) + 1) + heap_chars_;
}

}  // namespace telltale::collector
