// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "endpoint.h"

namespace telltale::detail {

std::optional<Endpoint> parse_endpoint(std::string_view url, std::string* why) {
  auto error = [&](std::string reason) -> std::optional<Endpoint> {
    if (why) *why = "endpoint \"" + std::string(url) + "\": " + reason;
    return std::nullopt;
  };
  Endpoint ep;
  if (url.substr(0, 7) == "http://") {
    url.remove_prefix(7);
  } else if (url.substr(0, 8) == "https://") {
    ep.tls = true;
    url.remove_prefix(8);
  } else {
    return error("must start with http:// or https://");
  }
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash);
  if (path.find_first_of("?#") != std::string_view::npos)
    return error("must not have a query or fragment");
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (authority.empty()) return error("has no host");
  if (authority.find('@') != std::string_view::npos)
    return error("must not carry credentials; use Options::write_key");
  ep.host_header = std::string(authority);

  std::string_view port;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return error("has an unclosed '[' in the host");
    ep.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return error("has text after the IPv6 host");
      port = rest.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    ep.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (ep.host.empty()) return error("has no host");
  if (port.empty()) {
    ep.port = ep.tls ? "443" : "80";
  } else {
    unsigned value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return error("has a non-numeric port");
      value = value * 10 + unsigned(c - '0');
      if (value > 65535) return error("has a port above 65535");
    }
    if (value == 0) return error("has port 0");
    ep.port = std::string(port);
  }
  ep.path_prefix = std::string(path);
  return ep;
}

}  // namespace telltale::detail
