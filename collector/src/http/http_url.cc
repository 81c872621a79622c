// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_url.h"

namespace telltale::collector {

std::optional<HttpUrl> parse_http_url(const std::string& url) {
  HttpUrl out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  // The port follows the last ':' outside an IPv6 host's brackets.
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  const bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  out.host = authority.substr(0, has_port ? colon : std::string::npos);
  out.port = has_port ? authority.substr(colon + 1) : (out.tls ? "443" : "80");
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return out;
}

}  // namespace telltale::collector
