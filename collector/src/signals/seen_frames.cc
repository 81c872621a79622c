// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/seen_frames.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace telltale::collector {

std::optional<SeenFrames::Key> SeenFrames::key_of(std::string_view dedup_key) {
  if (dedup_key.empty()) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(dedup_key.data(), dedup_key.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 unavailable");
  Key key;
  std::memcpy(key.data(), digest, sizeof key);
  return key;
}

SeenFrames::SeenFrames(SeenFramesLimits limits)
    : window_ms_(limits.window.count()),
      span_ms_(std::max<int64_t>(1, limits.window.count() / kGenerations)),
      max_keys_(std::max<size_t>(limits.max_keys, kGenerations)) {}

void SeenFrames::advance() {
  if (generations_.empty() || now_ms_ - generations_.back().from_ms >= span_ms_ ||
      generations_.back().keys.size() >= max_keys_ / kGenerations)
    generations_.push_back({now_ms_, now_ms_, {}});
  while (generations_.size() > 1 && (generations_.front().to_ms < now_ms_ - window_ms_ || keys_ > max_keys_)) {
    keys_ -= generations_.front().keys.size();
    generations_.pop_front();
  }
}

bool SeenFrames::first(const Key& key, int64_t received_at_ms) {
  now_ms_ = std::max(now_ms_, received_at_ms);
  advance();
  for (auto g = generations_.rbegin(); g != generations_.rend(); ++g)
    if (g->keys.contains(key)) {
      ++duplicates_;
      return false;
    }
  generations_.back().keys.insert(key);
  generations_.back().to_ms = now_ms_;
  ++keys_;
  return true;
}

size_t SeenFrames::memory_bytes() const {
  size_t bytes = sizeof(*this);
  for (const Generation& g : generations_) bytes += sizeof g + g.keys.capacity() * (sizeof(Key) + 1);
  return bytes;
}

void SeenFrames::save(SnapshotWriter& w) const {
  w.i64(now_ms_);
  w.u64(generations_.size());
  for (const Generation& g : generations_) {
    w.i64(g.from_ms);
    w.i64(g.to_ms);
    // In order, so that the same keys make the same snapshot.
    std::vector<Key> sorted(g.keys.begin(), g.keys.end());
    std::sort(sorted.begin(), sorted.end());
    w.str({reinterpret_cast<const char*>(sorted.data()), sorted.size() * sizeof(Key)});
  }
}

void SeenFrames::load(SnapshotReader& r) {
  generations_.clear();
  keys_ = 0;
  now_ms_ = r.i64();
  for (size_t n = r.count(3); n > 0; --n) {
    Generation& g = generations_.emplace_back();
    g.from_ms = r.i64();
    g.to_ms = r.i64();
    const std::string raw = r.str();
    if (raw.size() % sizeof(Key) != 0) throw SnapshotError("snapshot: a de-duplication key cut short");
    g.keys.reserve(raw.size() / sizeof(Key));
    for (size_t at = 0; at < raw.size(); at += sizeof(Key)) {
      Key k;
      std::memcpy(k.data(), raw.data() + at, sizeof k);
      g.keys.insert(k);
    }
    keys_ += g.keys.size();
  }
}

}  // namespace telltale::collector
