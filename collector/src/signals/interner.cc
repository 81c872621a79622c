// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/interner.h"

namespace telltale::collector {
namespace {

// Debian's Abseil is built with its own string_view; its string hash takes that.
absl::string_view key(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

Interner::Entry& Interner::entry(std::string_view s) {
  auto [it, fresh] = index_.try_emplace(key(s), Entry{uint32_t(index_.size())});
  if (fresh && it->first.capacity() > 15) heap_chars_ += it->first.capacity() + 1;
  return it->second;
}

const Interner::Entry* Interner::find_entry(std::string_view s) const {
  auto it = index_.find(key(s));
  return it == index_.end() ? nullptr : &it->second;
}

void Interner::prefetch(std::string_view s) const { index_.prefetch(key(s)); }

std::optional<uint32_t> Interner::find(std::string_view s) const {
  const Entry* e = find_entry(s);
  if (e == nullptr) return std::nullopt;
  return e->number;
}

std::vector<std::pair<std::string_view, uint32_t>> Interner::by_number() const {
  std::vector<std::pair<std::string_view, uint32_t>> out(index_.size());
  for (const auto& [s, e] : index_) out[e.number] = {s, e.value};
  return out;
}

size_t Interner::memory_bytes() const {
  // Each slot holds the key and the value, plus one control byte.
  return index_.capacity() * (sizeof(std::pair<std::string, Entry>) + 1) + heap_chars_;
}

}  // namespace telltale::collector
