// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The credential an HTTP request carries in its Authorization header:
// "Bearer <credential>", or HTTP Basic with the credential as the user name
// (Segment's convention for write keys). Ingest reads write keys with it,
// the read routes API tokens (ApiTokens). (The JSON body's "writeKey",
// which @segment/analytics-node also sends, is read by the Segment parser.)
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace telltale::collector {

// The credential in an Authorization header value, or empty if there is none.
std::string credential_from_authorization(std::string_view header);

}  // namespace telltale::collector
