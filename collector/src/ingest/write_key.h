// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The write key of an ingest request: HTTP Basic with the key as the user
// name (Segment's convention), or "Authorization: Bearer <key>". (The JSON
// body's "writeKey", which @segment/analytics-node also sends, is read by
// the Segment parser.) Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace telltale::collector {

// The key in an Authorization header value, or empty if there is none.
std::string write_key_from_authorization(std::string_view header);

}  // namespace telltale::collector
