// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// UsageEvent: one event as the signal engine sees it, whatever format it
// arrived in (an SDK batch or a Segment-spec call): its kind, its event time
// corrected for the client's clock skew, who did it and in which account,
// and its properties or traits. A value type, owning its strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace telltale::collector {

enum class UsageKind : uint8_t { kTrack, kIdentify, kGroup, kUsage, kOther };

struct PropValue {
  enum class Type : uint8_t { kString, kInt, kDouble, kBool, kNull } type = Type::kNull;
  std::string s;
  int64_t i = 0;
  double d = 0;

  std::optional<double> number() const {
    if (type == Type::kInt) return double(i);
    if (type == Type::kDouble) return d;
    return std::nullopt;
  }
};

struct UsageEvent {
  UsageKind kind = UsageKind::kTrack;
  int64_t time_ms = 0;      // event time, skew-corrected (Unix ms)
  std::string account;      // may be empty: resolved from the user's last group
  std::string user;
  std::string name;         // track/usage event name
  std::vector<std::pair<std::string, PropValue>> props;  // properties or traits

  const PropValue* prop(const std::string& key) const {
    for (const auto& [k, v] : props)
      if (k == key) return &v;
    return nullptr;
  }
  std::string prop_string(const std::string& key) const {
    const PropValue* v = prop(key);
    return v && v->type == PropValue::Type::kString ? v->s : "";
  }
};

}  // namespace telltale::collector
