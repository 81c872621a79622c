// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http_types.h"

#include <boost/json.hpp>

namespace telltale::collector {

namespace http = boost::beast::http;

Response json_response(unsigned version, bool keep_alive, int status, std::string body) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::server, "telltale-collector");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response error_response(unsigned version, bool keep_alive, int status, const std::string& error,
                        const std::string& detail) {
  boost::json::object o;
  o["error"] = error;
  o["detail"] = detail;
  return json_response(version, keep_alive, status, boost::json::serialize(o));
}

}  // namespace telltale::collector
