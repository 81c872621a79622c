// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Signal: the signals a PQL score is made of, as a small enum for the
// engine (a set of them is a bitmask) and as names for people and clients
// (alerts, the API, config keys under [pql.weights]). The names are a
// contract: keep them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace telltale::collector {

inline constexpr const char* kSignalActivated = "activated";
inline constexpr const char* kSignalCoreValue = "core_value_moment";
inline constexpr const char* kSignalActiveWeek = "active_5_days";
inline constexpr const char* kSignalInvited = "invited_teammate";
inline constexpr const char* kSignalCollaboration = "collaboration";
inline constexpr const char* kSignalIntegration = "integration";
inline constexpr const char* kSignalPricing = "pricing_page";
inline constexpr const char* kSignalPremium = "premium_attempt";
inline constexpr const char* kSignalSso = "sso_configured";
inline constexpr const char* kSignalContract = "contract_requested";
inline constexpr const char* kSignalExpansion = "team_expansion";
inline constexpr const char* kSignalSweetSpot = "limit_sweet_spot";
inline constexpr const char* kSignalLimitHit = "limit_hit";

// In the order evidence is listed.
enum class Signal : uint8_t {
  kActivated, kCoreValue, kActiveWeek, kInvited, kCollaboration, kIntegration, kPricing,
  kPremium, kSso, kContract, kExpansion, kLimitHit, kSweetSpot,
};
inline constexpr int kSignalCount = 13;

inline constexpr const char* kSignalNames[kSignalCount] = {
    kSignalActivated, kSignalCoreValue, kSignalActiveWeek, kSignalInvited, kSignalCollaboration,
    kSignalIntegration, kSignalPricing, kSignalPremium, kSignalSso, kSignalContract,
    kSignalExpansion, kSignalLimitHit, kSignalSweetSpot};

inline const char* signal_name(Signal s) { return kSignalNames[int(s)]; }
inline std::optional<Signal> signal_from_name(std::string_view name) {
  for (int i = 0; i < kSignalCount; ++i)
    if (name == kSignalNames[i]) return Signal(i);
  return std::nullopt;
}

// A set of signals, one bit each.
using SignalSet = uint32_t;
inline constexpr SignalSet bit(Signal s) { return SignalSet(1) << int(s); }

}  // namespace telltale::collector
