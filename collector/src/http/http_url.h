// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// HttpUrl: an http:// or https:// URL split into what a connection needs
// (webhook targets, the collector URL the telltale tool talks to, a forward
// proxy). Parsed by Boost.URL (RFC 3986): IPv6 hosts are written in
// brackets ("http://[::1]:7070"); the port defaults to 80 or 443, the target
// (path and query) to "/"; a fragment is dropped; `user:password@` becomes
// HTTP Basic authentication. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace telltale::collector {

struct HttpUrl {
  bool tls = false;
  std::string host;  // without brackets
  std::string port;
  std::string target;
  std::string authorization;  // "Basic ..." from the URL's user:password@; empty: none

  // host:port, an IPv6 host in brackets: what a CONNECT names, and a Host
  // header (which leaves out the scheme's default port).
  std::string authority(bool omit_default_port = false) const;
};

// nullopt unless `url` is http(s)://[user[:password]@]host[:port][/target].
std::optional<HttpUrl> parse_http_url(const std::string& url);

// A URL as logs and status pages show it, "https://hooks.slack.com/…":
// without its path, query and credentials (a chat webhook's path is its
// secret); `url` itself when it is not an http(s) URL.
std::string shown_url(const std::string& url);

}  // namespace telltale::collector
