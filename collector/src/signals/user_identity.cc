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

void keep(std::string* field, std::string value) {
  if (!value.empty()) *field = std::move(value);
}

}  // namespace

void UserIdentity::update(const std::vector<std::pair<std::string, PropValue>>& traits) {
  keep(&email, text(traits, "email"));
  std::string full = text(traits, "name");
  if (full.empty()) {
    const std::string first = text(traits, "firstName"), last = text(traits, "lastName");
    full = (first + (first.empty() || last.empty() ? "" : " ") + last).substr(0, kMaxIdentityBytes);
  }
  keep(&name, std::move(full));
  keep(&title, text(traits, "title"));
}

}  // namespace telltale::collector
