// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// DayBits: on which of the last 64 days (UTC day numbers) something
// happened, in 16 bytes. Marking a day older than the window is ignored.
// A value type; not thread-safe.
#pragma once

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

  void mark(int64_t day) {
    if (bits_ == 0 || day > last_day_) {
      int64_t shift = bits_ == 0 ? kDays : day - last_day_;
      bits_ = shift >= kDays ? 0 : bits_ << shift;
      last_day_ = day;
    }
    int64_t age = last_day_ - day;
    if (age < kDays) bits_ |= uint64_t(1) << age;
  }

  // Days marked in [from, to] (inclusive), within the window.
  int count(int64_t from, int64_t to) const {
    int n = 0;
    for (int64_t d = from; d <= to; ++d) n += has(d);
    return n;
  }

  bool has(int64_t day) const {
    if (bits_ == 0 || day > last_day_) return false;
    int64_t age = last_day_ - day;
    return age < kDays && (bits_ >> age) & 1;
  }

  bool empty() const { return bits_ == 0; }
  int64_t last_day() const { return last_day_; }

 private:
  int64_t last_day_ = std::numeric_limits<int64_t>::min();
  uint64_t bits_ = 0;  // bit k: last_day_ - k
};

}  // namespace telltale::collector
