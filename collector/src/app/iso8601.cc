// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/iso8601.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace telltale::collector {
namespace {

// Reads exactly `width` digits at *at into *out, advancing *at.
bool digits(std::string_view text, size_t* at, size_t width, int* out) {
  if (*at + width > text.size()) return false;
  for (size_t i = 0; i < width; ++i)
    if (text[*at + i] < '0' || text[*at + i] > '9') return false;
  std::from_chars(text.data() + *at, text.data() + *at + width, *out);
  *at += width;
  return true;
}

bool take(std::string_view text, size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to a proleptic Gregorian date (no time_t, no locale).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The zone at *at: nullopt when malformed; otherwise its offset east of UTC
// in minutes (0 for Z or none).
std::optional<int> zone_minutes(std::string_view text, size_t at) {
  if (at == text.size()) return 0;
  if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) return 0;
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  const int sign = text[at++] == '+' ? 1 : -1;
  int hours = 0, minutes = 0;
  if (!digits(text, &at, 2, &hours)) return std::nullopt;
  if (at < text.size()) {
    take(text, &at, ':');  // +HH:MM or +HHMM
    if (!digits(text, &at, 2, &minutes)) return std::nullopt;
  }
  if (at != text.size() || hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

}  // namespace

std::string iso8601(int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return buf;
}

std::optional<int64_t> parse_iso8601_ms(std::string_view text) {
  size_t at = 0;
  int year, month, day, hour, minute, second;
  if (!(digits(text, &at, 4, &year) && take(text, &at, '-') && digits(text, &at, 2, &month) &&
        take(text, &at, '-') && digits(text, &at, 2, &day)))
    return std::nullopt;
  if (!(take(text, &at, 'T') || take(text, &at, 't') || take(text, &at, ' '))) return std::nullopt;
  if (!(digits(text, &at, 2, &hour) && take(text, &at, ':') && digits(text, &at, 2, &minute) &&
        take(text, &at, ':') && digits(text, &at, 2, &second)))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60)
    return std::nullopt;
  int64_t ms = 0;  // the fraction, rounded to the millisecond
  if (take(text, &at, '.')) {
    const size_t first = at;
    int64_t ten_thousandths = 0;  // the first four digits
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at)
      if (at - first < 4) ten_thousandths = ten_thousandths * 10 + (text[at] - '0');
    if (at == first) return std::nullopt;
    for (size_t n = at - first; n < 4; ++n) ten_thousandths *= 10;
    ms = (ten_thousandths + 5) / 10;
  }
  const std::optional<int> zone = zone_minutes(text, at);
  if (!zone) return std::nullopt;
  const int64_t seconds = days_from_civil(year, month, day) * 86'400 + hour * 3'600 + minute * 60 + second;
  return (seconds - int64_t(*zone) * 60) * 1000 + ms;
}

}  // namespace telltale::collector
