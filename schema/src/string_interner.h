// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// StringInterner maps strings to dense indices and keeps their bytes in one
// contiguous blob: the per-batch string dictionary of the wire format. It is
// an open-addressing table over offsets into the blob, so interning a string
// seen before costs one hash and one compare and allocates nothing.
// Not thread-safe. Allocation failures propagate as std::bad_alloc.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace telltale::wire::detail {

class StringInterner {
 public:
  StringInterner() { table_.assign(kInitialSlots, kEmpty); }

  void clear() noexcept {
    if (!ends_.empty()) std::fill(table_.begin(), table_.end(), kEmpty);
    ends_.clear();
    blob_.clear();
  }

  uint32_t intern(std::string_view s) {
    size_t mask = table_.size() - 1;
    size_t slot = std::hash<std::string_view>{}(s) & mask;
    for (;; slot = (slot + 1) & mask) {
      uint32_t index = table_[slot];
      if (index == kEmpty) break;
      if (view(index) == s) return index;
    }
    auto index = static_cast<uint32_t>(ends_.size());
    blob_.insert(blob_.end(), s.begin(), s.end());
    ends_.push_back(static_cast<uint32_t>(blob_.size()));
    table_[slot] = index;
    if (ends_.size() * 2 > table_.size()) grow();
    return index;
  }

  std::string_view view(uint32_t index) const noexcept {
    uint32_t begin = index == 0 ? 0 : ends_[index - 1];
    return {reinterpret_cast<const char*>(blob_.data()) + begin, ends_[index] - begin};
  }

  const std::vector<uint8_t>& blob() const noexcept { return blob_; }
  const std::vector<uint32_t>& ends() const noexcept { return ends_; }
  size_t size() const noexcept { return ends_.size(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr size_t kInitialSlots = 1024;

  void grow() {
    std::vector<uint32_t> bigger(table_.size() * 2, kEmpty);
    size_t mask = bigger.size() - 1;
    for (uint32_t index = 0; index < ends_.size(); ++index) {
      size_t slot = std::hash<std::string_view>{}(view(index)) & mask;
      while (bigger[slot] != kEmpty) slot = (slot + 1) & mask;
      bigger[slot] = index;
    }
    table_.swap(bigger);
  }

  std::vector<uint32_t> table_;  // slot -> string index, kEmpty when free
  std::vector<uint32_t> ends_;   // string i ends at blob_[ends_[i]]
  std::vector<uint8_t> blob_;
};

}  // namespace telltale::wire::detail
