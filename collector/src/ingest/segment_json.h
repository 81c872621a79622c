// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Segment-spec JSON: parses and validates what Segment-compatible libraries
// send to /v1/batch ({"batch": [...]}) and to /v1/track, /v1/identify,
// /v1/group (one call), so that any of them can send to Telltale unchanged.
// Each valid call becomes one log frame holding the call's JSON object, with
// its messageId as the de-duplication key (one is generated when missing),
// and the batch's context and sentAt when it has none of its own. Times
// (timestamp, originalTimestamp, sentAt) must be ISO-8601 (app/iso8601.h).
// A batch is accepted whole or refused whole, naming the first bad call.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/config.h"

namespace telltale::collector {

struct SegmentCall {
  std::string type;        // track, identify, group, page, screen, alias
  std::string message_id;
  std::string json;        // the call as a JSON object
};

struct SegmentParse {
  bool ok = false;
  int status = 400;        // when !ok: 400 malformed, 413 too many calls
  std::string error;       // short code: "invalid_json", "invalid_event", ...
  std::string detail;      // what was wrong, and where
  std::string write_key;   // the body's writeKey, when present
  // The first call's context.library ("analytics-node", "1.3.0"), when said.
  std::string library_name, library_version;
  std::vector<SegmentCall> calls;
};

// `route_type` is empty for /v1/batch, else the call type the route implies.
SegmentParse parse_segment(const std::string& body, const std::string& route_type, const IngestLimits& limits);

}  // namespace telltale::collector
