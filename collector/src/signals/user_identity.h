// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// UserIdentity: who a user is, as their identify calls' traits say: the
// person a rep writes to. Each field keeps the latest non-empty value it was
// given, cut to kMaxIdentityBytes (so a user's entry stays bounded).
// AccountUser: one user of an account as a rep sees them: who, and how
// active lately. Value types; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "signals/usage_event.h"

namespace telltale::collector {

inline constexpr size_t kMaxIdentityBytes = 256;

struct UserIdentity {
  std::string email;
  std::string name;   // `name`, else `firstName` and `lastName`
  std::string title;

  // What identify traits say (Segment's reserved trait names); a field no
  // trait gives is empty.
  static UserIdentity from_traits(const std::vector<std::pair<std::string, PropValue>>& traits);
  // Whether from_traits() reads the trait `key`.
  static bool is_identity_trait(std::string_view key);
  // Takes `newer`'s non-empty fields.
  void merge(UserIdentity&& newer);
  bool empty() const { return email.empty() && name.empty() && title.empty(); }
  bool operator==(const UserIdentity&) const = default;
};

struct AccountUser {
  std::string id;
  UserIdentity identity;
  int active_days_14d = 0;      // days active in the account's last 14 (its latest event's day included)
  int64_t last_active_day = 0;  // UTC day number
};

}  // namespace telltale::collector
