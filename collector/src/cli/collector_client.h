// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// How the telltale tool talks to a running collector: where it is (--url,
// --token, --ca-file), one request and its answer, and a refusal in words
// (with what to do about a 401 or a claim held by another rep). Used by
// every command that reads or changes alerts. Synchronous; not shared
// between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include <boost/json/value.hpp>

#include "http/http_url.h"

namespace telltale::cli {

// How to reach the collector: its URL (--url), the API token (--token)
// and the certificates to trust for https (--ca-file).
struct Collector {
  collector::HttpUrl url;
  std::string token;
  std::string ca_file;
};

// The collector named by the command line, or nullopt after saying why not on stderr.
std::optional<Collector> collector_at(const std::string& url, const std::string& token, const std::string& ca_file);

// GETs `route` from the collector (with a Last-Event-ID when given: the
// stream, which waits up to 15 s), or POSTs `json` to it. Returns the
// status and the body; throws on network and TLS errors.
std::pair<int, std::string> ask(const Collector& collector, const std::string& route,
                                const std::string& last_event_id = "", const std::string& json = "");

// `s` for a URL's query (RFC 3986 unreserved characters kept, the rest %XX).
std::string url_encode(const std::string& s);
// "?a=1&b=x%20y": the parameters whose values are not empty, encoded; "" when all are.
std::string query_string(std::initializer_list<std::pair<const char*, const std::string*>> params);

// A span of time as a column shows it: "45m", "23h", "3d".
std::string time_span(int64_t ms);

// The collector's error answer, {"error": "...", "detail": "..."}, as
// "error: detail"; nullopt when `body` is not one.
std::optional<std::string> error_words(const std::string& body);

// Says on stderr why the collector refused `command`'s request, with what
// to do about a 401 (a token) or a claim another rep holds (--reassign).
void print_refusal(const char* command, int code, const std::string& body);

// GETs `route` for `command` and hands the collector's JSON answer to
// `print`. Returns 0; 1 when the collector refused (why on stderr), 2 when
// it could not be reached.
int print_answer(const Collector& collector, const char* command, const std::string& route,
                 const std::function<void(const boost::json::value&)>& print);

}  // namespace telltale::cli
