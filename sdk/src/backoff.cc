// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "backoff.h"

#include <ctime>
#include <string>

namespace telltale::detail {

Backoff::ms Backoff::next() noexcept {
  // initial * 2^attempt, saturating well before overflow.
  int64_t ceiling = initial_.count();
  for (int i = 0; i < attempt_ && ceiling < max_.count(); ++i) ceiling *= 2;
  if (ceiling > max_.count()) ceiling = max_.count();
  if (ceiling < 1) ceiling = 1;
  ++attempt_;
  std::uniform_int_distribution<int64_t> jitter(1, ceiling);
  return ms(jitter(rng_));
}

std::optional<Backoff::ms> Backoff::parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) noexcept {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;

  bool all_digits = true;
  for (char c : value) all_digits &= (c >= '0' && c <= '9');
  if (all_digits) {
    if (value.size() > 9) return kMaxRetryAfter;
    int64_t seconds = std::stoll(std::string(value));
    return std::min<ms>(std::chrono::seconds(seconds), kMaxRetryAfter);
  }

  std::tm tm{};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (when <= now) return ms(0);
  return std::min<ms>(std::chrono::duration_cast<ms>(when - now), kMaxRetryAfter);
}

}  // namespace telltale::detail
