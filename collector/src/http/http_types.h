// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The request and response types the collector's HTTP layer passes around,
// and the JSON error shape every route uses: {"error": "...", "detail": "..."}.
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace telltale::collector {

using Request = boost::beast::http::request<boost::beast::http::vector_body<uint8_t>>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
// Completes a request; may be called from any thread, exactly once.
using Respond = std::function<void(Response)>;

// The query string's parameters, percent-decoded ("a=1&b=x%20y").
std::map<std::string, std::string> parse_query(const std::string& query);

// A JSON response with `status` and `body` (already JSON).
Response json_response(unsigned version, bool keep_alive, int status, std::string body);
// The error shape: {"error": error, "detail": detail}.
Response error_response(unsigned version, bool keep_alive, int status, const std::string& error,
                        const std::string& detail);

}  // namespace telltale::collector
