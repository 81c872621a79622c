// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/dashboard_link.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace telltale::collector {
namespace {

// The dashboard's address with `fragment` after its path; "" without one.
std::string link(const std::string& dashboard_url, const std::string& fragment) {
  if (dashboard_url.empty()) return "";
  return (dashboard_url.ends_with('/') ? dashboard_url : dashboard_url + "/") + "#" + fragment;
}

}  // namespace

std::string alert_link(const std::string& dashboard_url, int64_t id) {
  return link(dashboard_url, "alert/" + std::to_string(id));
}

std::string account_link(const std::string& dashboard_url, std::string_view account_id) {
  // Only the unreserved characters stay: nothing in an id can end the link
  // in a chat tool's markup (Slack's '|' and '>', Teams' ')').
  return link(dashboard_url, "account/" + boost::urls::encode(account_id, boost::urls::unreserved_chars));
}

}  // namespace telltale::collector
