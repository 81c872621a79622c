// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// HttpUrl: an http:// or https:// URL split into what a connection needs
// (webhook targets, the collector URL the telltale tool talks to). IPv6
// hosts are written in brackets ("http://[::1]:7070"); the port defaults to
// 80 or 443, the target to "/". Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace telltale::collector {

struct HttpUrl {
  bool tls = false;
  std::string host;  // without brackets
  std::string port;
  std::string target;
};

// nullopt unless `url` is http(s)://host[:port][/target].
std::optional<HttpUrl> parse_http_url(const std::string& url);

}  // namespace telltale::collector
