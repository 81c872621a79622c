// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Backoff: when to retry a batch. Exponential backoff with full jitter
// (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th delay is
// uniform in [1 ms, min(max, initial * 2^n)], so many SDKs retrying against
// a recovering collector spread out instead of arriving in waves.
// A server's Retry-After (seconds or HTTP-date) overrides the jittered delay.
// Not thread-safe (one per sender). Never fails.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace telltale::detail {

class Backoff {
 public:
  using ms = std::chrono::milliseconds;

  Backoff(ms initial, ms max, uint64_t seed) noexcept : initial_(initial), max_(max), rng_(seed) {}

  // The delay before the next attempt; each call doubles the ceiling.
  ms next() noexcept;
  // After a success: the next failure starts from `initial` again.
  void reset() noexcept { attempt_ = 0; }
  int attempts() const noexcept { return attempt_; }

  // The longest Retry-After honoured; a larger value is clamped to this.
  static constexpr ms kMaxRetryAfter{std::chrono::minutes(10)};

  // Parses a Retry-After value: delta-seconds ("120") or an IMF-fixdate
  // ("Wed, 21 Oct 2026 07:28:00 GMT") relative to `now`. Returns nullopt for
  // anything else; a date in the past gives 0.
  static std::optional<ms> parse_retry_after(std::string_view value,
                                             std::chrono::system_clock::time_point now) noexcept;

 private:
  ms initial_;
  ms max_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace telltale::detail
