// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/owner_assigner.h"

namespace telltale::collector {
namespace {

bool matches(const std::string& rule, const std::string& value) {
  if (rule.empty()) return true;
  if (rule.size() != value.size()) return false;
  for (size_t i = 0; i < rule.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(rule[i])) != std::tolower(static_cast<unsigned char>(value[i])))
      return false;
  return true;
}

}  // namespace

std::string OwnerAssigner::assign(const AccountState& account) {
  std::string owner = account.trait("owner");
  if (!owner.empty()) return owner;
  const std::string region = account.trait("region"), industry = account.trait("industry");
  for (const TerritoryRule& t : rules_.territories)
    if (matches(t.region, region) && matches(t.industry, industry)) return t.owner;
  const Rep* best = nullptr;
  double best_load = 0;
  for (const Rep& rep : rules_.reps) {
    if (rep.capacity <= 0) continue;
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

void OwnerAssigner::save(SnapshotWriter& w) const {
  w.u64(assigned_.size());
  for (const auto& [rep, n] : assigned_) {
    w.str(rep);
    w.i64(n);
  }
}

void OwnerAssigner::load(SnapshotReader& r) {
  assigned_.clear();
  for (size_t n = r.count(2); n > 0; --n) {
    std::string rep = r.str();
    assigned_[std::move(rep)] = r.i64();
  }
}

}  // namespace telltale::collector
