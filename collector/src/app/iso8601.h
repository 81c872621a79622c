// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// ISO-8601 / RFC 3339 times as text, both ways: what the API writes
// (iso8601(): UTC with milliseconds) and what it reads from clients and from
// its own answers (parse_iso8601_ms()). The parser is strict about what a
// time is, so that a mistyped one is refused rather than read as another:
// four-digit years 0000-9999, real calendar dates, hours 00-23, seconds up
// to 60 (a leap second), any number of fraction digits (rounded to the
// millisecond), and a zone of Z, +HH:MM, +HHMM or +HH (up to 23:59 either
// way) or none (UTC). "T" may be "t" or a space, as RFC 3339 allows.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace telltale::collector {

// ISO-8601 UTC with milliseconds ("2026-11-23T10:15:00.123Z").
std::string iso8601(int64_t ms);

// Unix milliseconds of an ISO-8601 time ("2026-11-23T10:15:00.123Z",
// "2026-11-23T11:15:00+01:00"); nullopt when `text` is not one.
std::optional<int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace telltale::collector
