// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// proxy_for: the forward proxy an outgoing request (a webhook, the telltale
// tool) goes through, chosen from the environment as curl and Go choose it,
// so a collector in a network that reaches the Internet only through a
// proxy posts to Slack or Teams the way its other tools do:
//   https_proxy / HTTPS_PROXY for https:// URLs, http_proxy / HTTP_PROXY for
//   http:// (the lowercase name first), each http://[user:password@]host[:port]
//   (the scheme may be left out; the port defaults to 80; a user and
//   password are sent as Proxy-Authorization);
//   no_proxy / NO_PROXY: the hosts reached directly, separated by commas:
//   `*` for all, a domain (`example.com` or `.example.com`: it and its
//   subdomains), a host with a port (`intranet:8080`), an IP address or a
//   CIDR block (`10.0.0.0/8`, `fd00::/8`).
// A loopback host (localhost, 127.0.0.0/8, ::1) is always reached directly:
// a proxy would reach its own. Pure; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "http/http_url.h"

namespace telltale::collector {

struct HttpProxy {
  HttpUrl url;           // the proxy's; its `authorization` goes in Proxy-Authorization
  std::string variable;  // the environment variable that named it, for messages ("HTTPS_PROXY")

  // "proxy 10.0.0.1:3128 (HTTPS_PROXY)": never the password.
  std::string description() const;
};

// Reads one environment variable: nullptr when it is not set.
using Environment = std::function<const char*(const char*)>;
const char* process_environment(const char* name);

// The proxy for a request to `target`; nullopt to go directly. Throws
// std::runtime_error naming the variable when it holds no http:// proxy.
std::optional<HttpProxy> proxy_for(const HttpUrl& target, const Environment& env = process_environment);

}  // namespace telltale::collector
