// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/fit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include <boost/algorithm/string/case_conv.hpp>

namespace telltale::collector {
namespace {

std::string times_x(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ": x%.2f", m);
  return buf;
}

// A number from a trait as a whole one (truncated); nullopt when it has
// none: not finite, or beyond int64 (traits come from events: any double).
std::optional<int64_t> whole_number(double v) {
  if (!std::isfinite(v) || std::fabs(v) >= 9.2e18) return std::nullopt;
  return int64_t(v);
}

}  // namespace

int64_t employees_of(const Traits& traits) {
  auto it = traits.find("employees");
  if (it == traits.end()) return -1;
  if (auto n = it->second.number()) return whole_number(*n).value_or(-1);
  if (it->second.type == PropValue::Type::kString) return std::strtoll(it->second.s.c_str(), nullptr, 10);
  return -1;
}

std::string trait_text(const Traits& traits, const std::string& key) {
  auto it = traits.find(key);
  if (it == traits.end()) return "";
  if (it->second.type == PropValue::Type::kString) return it->second.s;
  if (auto n = it->second.number())
    if (auto whole = whole_number(*n)) return std::to_string(*whole);
  return "";
}

double fit_multiplier(const Traits& traits, const PqlRules& rules, std::vector<std::string>* reasons) {
  double fit = 1;
  auto apply = [&](double m, std::string why) {
    fit *= m;
    if (reasons) reasons->push_back(std::move(why) + times_x(m));
  };
  const int64_t employees = employees_of(traits);
  if (employees >= 0 && !rules.employee_tiers.empty()) {
    double m = 1;
    for (const auto& [from, x] : rules.employee_tiers)
      if (employees >= from) m = x;
    if (m != 1) apply(m, std::to_string(employees) + " employees");
  }
  std::string domain = boost::algorithm::to_lower_copy(trait_text(traits, "domain"));
  if (auto at = domain.rfind('@'); at != std::string::npos) domain = domain.substr(at + 1);
  const auto& free_mail = rules.free_mail_domains;
  if (!domain.empty() && std::find(free_mail.begin(), free_mail.end(), domain) != free_mail.end())
    apply(rules.free_mail_multiplier, "free-mail domain " + domain);
  for (const auto& [trait, table] : {std::pair{"industry", &rules.industry_multipliers},
                                     std::pair{"region", &rules.region_multipliers}}) {
    auto it = table->find(boost::algorithm::to_lower_copy(trait_text(traits, trait)));
    if (it != table->end()) apply(it->second, std::string(trait) + " " + it->first);
  }
  return fit;
}

}  // namespace telltale::collector
