// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Endpoint: a collector URL split into what a connection needs.
// parse_endpoint accepts "http://host[:port][/prefix]" and "https://..."
// (IPv6 hosts in brackets); anything else is an error with a reason.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telltale::detail {

struct Endpoint {
  bool tls = false;
  std::string host;         // without brackets
  std::string port;         // "80"/"443" when the URL has none
  std::string path_prefix;  // "" or "/prefix" without a trailing slash
  std::string host_header;  // Host header value, as written in the URL

  std::string target(std::string_view route) const { return path_prefix + std::string(route); }
};

std::optional<Endpoint> parse_endpoint(std::string_view url, std::string* why);

}  // namespace telltale::detail
