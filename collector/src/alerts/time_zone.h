// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// utc_offset_minutes: the UTC offset of a time zone at a moment, for the
// best-contact window. Understands fixed offsets ("+02:00", "-0530",
// "UTC+2", "GMT-5") and IANA names ("Europe/Berlin") read from the system's
// tz database (/usr/share/zoneinfo, TZif version 2+), with daylight saving.
// Zones found are cached, and names that are none up to a bound (zones
// come from events' traits: any text). Thread-safe. nullopt for an unknown
// zone or a malformed offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace telltale::collector {

std::optional<int> utc_offset_minutes(const std::string& zone, int64_t at_ms);

}  // namespace telltale::collector
