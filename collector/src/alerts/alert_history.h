// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// What came of an account's alerts, as the account's story (GET
// /v1/accounts/{id}, `telltale account`) and a new alert's webhook messages
// tell it, so that the next rep knows the account was handed back in
// October because it prefers self-serve. Each alert is a short record:
// id, status, route, priority, score, owner, created_at, how many touches,
// and a hand-back's reason when it has one. Reads the store; thread-safe
// as AlertStore is.
#pragma once

#include <cstdint>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "alerts/alert_store.h"

namespace telltale::collector {

// The account's `limit` latest alerts, newest first; only those raised
// before alert `before_id` when it is not 0.
boost::json::array alert_history(AlertStore& store, const std::string& account, size_t limit, int64_t before_id = 0);

// One record as a line people read: "#45 handed_back, sales-assist, Dana,
// raised 2026-10-02, 3 touches: no reply". Unescaped.
std::string alert_history_line(const boost::json::object& past);

}  // namespace telltale::collector
