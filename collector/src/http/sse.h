// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Server-Sent Events, as GET /v1/alerts/stream writes them and as its
// clients (the telltale tool, benchmarks) read them: events of `id`,
// `event` and a one-line `data` field, each ended by a blank line. Other
// lines (`retry:`, comments) are skipped when reading. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace telltale::collector {

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
};

// One event in the text/event-stream format; `data` must hold no newline.
std::string format_sse(const SseEvent& e);
// The events of a text/event-stream body, in order; events without an id
// are skipped. An id without data (the stream moving a client past the
// entries its filters skip) comes back with empty `event` and `data`.
std::vector<SseEvent> parse_sse(std::string_view body);

}  // namespace telltale::collector
