// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/sse.h"

namespace telltale::collector {

std::string format_sse(const SseEvent& e) {
  return "id: " + e.id + "\nevent: " + e.event + "\ndata: " + e.data + "\n\n";
}

std::vector<SseEvent> parse_sse(std::string_view body) {
  std::vector<SseEvent> out;
  SseEvent e;
  while (!body.empty()) {
    const size_t eol = body.find('\n');
    const std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    if (line.empty()) {  // the end of an event
      if (!e.id.empty()) out.push_back(std::move(e));
      e = SseEvent{};
    } else if (line.rfind("id: ", 0) == 0) {
      e.id = line.substr(4);
    } else if (line.rfind("event: ", 0) == 0) {
      e.event = line.substr(7);
    } else if (line.rfind("data: ", 0) == 0) {
      e.data = line.substr(6);
    }
  }
  if (!e.id.empty()) out.push_back(std::move(e));
  return out;
}

}  // namespace telltale::collector
