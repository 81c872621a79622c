// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/user_identity.h"

namespace telltale::collector {
namespace {

// The trait's text, cut to kMaxIdentityBytes ("" when absent or not text).
std::string text(const std::vector<std::pair<std::string, PropValue>>& traits, const char* key) {
  for (const auto& [k, v] : traits)
    if (k == key && v.type == PropValue::Type::kString) return v.s.substr(0, kMaxIdentityBytes);
  return "";
}

}  // namespace

UserIdentity UserIdentity::from_traits(const std::vector<std::pair<std::string, PropValue>>& traits) {
  UserIdentity who;
  who.email = text(traits, "email");
  who.name = text(traits, "name");
  if (who.name.empty()) {
    const std::string first = text(traits, "firstName"), last = text(traits, "lastName");
    who.name = (first + (first.empty() || last.empty() ? "" : " ") + last).substr(0, kMaxIdentityBytes);
  }
  who.title = text(traits, "title");
  return who;
}

bool UserIdentity::is_identity_trait(std::string_view key) {
  return key == "email" || key == "name" || key == "firstName" || key == "lastName" || key == "title";
}

void UserIdentity::merge(UserIdentity&& newer) {
  for (auto [field, value] : {std::pair{&email, &newer.email}, {&name, &newer.name}, {&title, &newer.title}})
    if (!value->empty()) *field = std::move(*value);
}

}  // namespace telltale::collector
