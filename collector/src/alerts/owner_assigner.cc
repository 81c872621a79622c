// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/owner_assigner.h"

#include <cctype>

namespace telltale::collector {
namespace {

bool same_text(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool matches(const std::string& rule, const std::string& value) { return rule.empty() || same_text(rule, value); }

}  // namespace

const Rep* find_rep(const OwnerRules& rules, const std::string& name) {
  for (const Rep& rep : rules.reps)
    if (same_text(rep.name, name)) return &rep;
  return nullptr;
}

bool is_away(const OwnerRules& rules, const std::string& name) {
  const Rep* rep = find_rep(rules, name);
  return rep && rep->away;
}

std::string rep_name(const OwnerRules& rules, const std::string& name) {
  const Rep* rep = find_rep(rules, name);
  return rep ? rep->name : name;
}

std::string OwnerAssigner::assign(const AccountState& account) {
  std::string owner = account.trait("owner");
  if (!owner.empty() && !away(owner)) return rep_name(owner);
  const std::string region = account.trait("region"), industry = account.trait("industry");
  for (const TerritoryRule& t : rules_.territories)
    if (matches(t.region, region) && matches(t.industry, industry) && !away(t.owner)) return rep_name(t.owner);
  const Rep* best = nullptr;
  double best_load = 0;
  for (const Rep& rep : rules_.reps) {
    if (rep.away || rep.capacity <= 0) continue;
    double load = double(assigned_[rep.name] + 1) / rep.capacity;
    if (best == nullptr || load < best_load) {
      best = &rep;
      best_load = load;
    }
  }
  if (best == nullptr) return "";
  ++assigned_[best->name];
  return best->name;
}

void OwnerAssigner::set_rules(OwnerRules rules) {
  if (rules.reps != rules_.reps) assigned_.clear();
  rules_ = std::move(rules);
}

void OwnerAssigner::save(SnapshotWriter& w) const {
  w.u64(rules_.reps.size());
  for (const Rep& rep : rules_.reps) {
    w.str(rep.name);
    w.f64(rep.capacity);
    w.u64(rep.away);
  }
  w.u64(assigned_.size());
  for (const auto& [rep, n] : assigned_) {
    w.str(rep);
    w.i64(n);
  }
}

void OwnerAssigner::load(SnapshotReader& r) {
  std::vector<Rep> counted_for(r.count(3));
  for (Rep& rep : counted_for) {
    rep.name = r.str();
    rep.capacity = r.f64();
    rep.away = r.u64() != 0;
  }
  assigned_.clear();
  for (size_t n = r.count(2); n > 0; --n) {
    std::string rep = r.str();
    assigned_[std::move(rep)] = r.i64();
  }
  if (counted_for != rules_.reps) assigned_.clear();
}

}  // namespace telltale::collector
