// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/config_changes.h"

#include <toml++/toml.h>

#include <set>
#include <sstream>

namespace telltale::collector {
namespace {

// What a reload applies (Server::reload), by dotted key.
const std::set<std::string> kReloaded = {
    "api_tokens",   "logging.format", "logging.level",  "tls.cert_file",     "tls.key_file",  "pql.webhooks",
    "pql.reps",     "pql.territories", "email.smtp",    "email.from",        "email.username", "email.password",
    "email.require_tls", "email.ca_file", "dashboard_url"};

// A node's value as TOML writes it: equal texts, equal values.
std::string text_of(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& value) { out << value; });
  return out.str();
}

// The same setting's value: numbers by value (50 and 50.0 are one
// threshold), anything else as TOML writes it.
bool same(const toml::node& a, const toml::node& b) {
  if (a.is_number() && b.is_number()) return a.value<double>() == b.value<double>();
  return text_of(a) == text_of(b);
}

void compare(const toml::table* before, const toml::table* after, const std::string& prefix,
             const std::set<std::string>& skipped, std::set<std::string>* changed) {
  std::set<std::string> keys;
  for (const toml::table* t : {before, after})
    if (t)
      for (const auto& [key, unused] : *t) keys.insert(std::string(key.str()));
  for (const std::string& key : keys) {
    const std::string path = prefix + key;
    if (skipped.count(path)) continue;
    const toml::node* was = before ? before->get(key) : nullptr;
    const toml::node* is = after ? after->get(key) : nullptr;
    const toml::table* was_table = was ? was->as_table() : nullptr;
    const toml::table* is_table = is ? is->as_table() : nullptr;
    if ((was_table || !was) && (is_table || !is) && (was_table || is_table)) {
      compare(was_table, is_table, path + ".", skipped, changed);  // a section: its keys, by name
    } else if (!was || !is || !same(*was, *is)) {
      changed->insert(path);
    }
  }
}

}  // namespace

std::vector<std::string> settings_awaiting_restart(const std::string& started, const std::string& now,
                                                   const std::vector<std::string>& overridden) {
  toml::table before, after;
  try {
    before = toml::parse(started);
    after = toml::parse(now);
  } catch (const toml::parse_error&) {
    return {};
  }
  std::set<std::string> skipped = kReloaded;
  skipped.insert(overridden.begin(), overridden.end());
  std::set<std::string> changed;
  compare(&before, &after, "", skipped, &changed);
  return {changed.begin(), changed.end()};
}

}  // namespace telltale::collector
