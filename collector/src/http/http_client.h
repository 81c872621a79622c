// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// http_exchange: one synchronous HTTP/1.1 request on a connection of its own,
// over TLS for https:// (the server's certificate verified against the
// system's trust store, or `ca_file` when given, and its name against the
// URL's host), through the proxy the environment names for it (proxy_for:
// https_proxy, http_proxy, no_proxy), and with HTTP Basic authentication for
// a URL's user:password@. The webhook dispatcher posts with it, the telltale
// tool reads the collector with it. Throws std::runtime_error on network and
// TLS errors, on a timeout, a proxy's refusal and an unreadable proxy
// variable, saying which step failed and why, in words ("connect to
// 127.0.0.1:7070: Connection refused"); any HTTP status is an answer.
// Thread-safe: each call has its own io_context, run until the answer or
// the timeout, whichever comes first (a receiver that accepts and never
// answers costs the timeout, not the thread).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_url.h"

namespace telltale::collector {

struct HttpExchange {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // appended to the URL's own (its path prefix)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;    // sent when not empty
  std::chrono::milliseconds timeout{10000};  // for the whole exchange
  std::string ca_file;  // PEM certificates to trust (https); empty: the system's
};

boost::beast::http::response<boost::beast::http::string_body> http_exchange(const HttpUrl& url,
                                                                            const HttpExchange& exchange);

}  // namespace telltale::collector
