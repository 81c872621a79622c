// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The credential an HTTP request carries in its Authorization header:
// "Bearer <credential>", or HTTP Basic with the credential as the user name
// (Segment's convention for write keys). Ingest reads write keys with it,
// the read routes API tokens (ApiTokens). (The JSON body's "writeKey",
// which @segment/analytics-node also sends, is read by the Segment parser.)
// And the header value the outgoing requests carry for a URL's user and
// password. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace telltale::collector {

// The credential in an Authorization header value, or empty if there is none.
std::string credential_from_authorization(std::string_view header);

// "Basic <base64 of user:password>": HTTP Basic authentication (RFC 7617).
std::string basic_authorization(std::string_view user, std::string_view password);

}  // namespace telltale::collector
