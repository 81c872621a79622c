// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// DayBits: on which of the last 64 days (UTC day numbers) something
// happened, in 16 bytes. Marking a day older than the window is ignored.
// A value type; not thread-safe.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>

namespace telltale::collector {

inline int64_t day_of(int64_t time_ms) {
  return time_ms >= 0 ? time_ms / 86'400'000 : (time_ms - 86'399'999) / 86'400'000;
}

class DayBits {
 public:
  static constexpr int kDays = 64;

  // Marks `day`; true when it was not marked before.
  bool mark(int64_t day) {
    if (bits_ == 0 || day > last_day_) {
      int64_t shift = bits_ == 0 ? kDays : day - last_day_;
      bits_ = shift >= kDays ? 0 : bits_ << shift;
      last_day_ = day;
    }
    int64_t age = last_day_ - day;
    if (age >= kDays) return false;
    const uint64_t bit = uint64_t(1) << age;
    const bool fresh = (bits_ & bit) == 0;
    bits_ |= bit;
    return fresh;
  }

  // Days marked in [from, to] (inclusive), within the window. O(1).
  int count(int64_t from, int64_t to) const {
    if (bits_ == 0 || from > to || from > last_day_) return 0;
    const int64_t young = to >= last_day_ ? 0 : last_day_ - to;  // smallest age in range
    if (young >= kDays) return 0;
    const int64_t old = std::min<int64_t>(kDays - 1, last_day_ - from);  // largest age in range
    const uint64_t upto_old = old == kDays - 1 ? ~uint64_t(0) : (uint64_t(1) << (old + 1)) - 1;
    const uint64_t below_young = (uint64_t(1) << young) - 1;
    return std::popcount(bits_ & upto_old & ~below_young);
  }

  bool has(int64_t day) const {
    if (bits_ == 0 || day > last_day_) return false;
    int64_t age = last_day_ - day;
    return age < kDays && (bits_ >> age) & 1;
  }

  bool empty() const { return bits_ == 0; }
  int64_t last_day() const { return last_day_; }
  // The raw form, for snapshots.
  uint64_t raw_bits() const { return bits_; }
  static DayBits from_raw(int64_t last_day, uint64_t bits) {
    DayBits d;
    d.last_day_ = last_day;
    d.bits_ = bits;
    return d;
  }

 private:
  int64_t last_day_ = std::numeric_limits<int64_t>::min();
  uint64_t bits_ = 0;  // bit k: last_day_ - k
};

}  // namespace telltale::collector
