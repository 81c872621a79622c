// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Base64 (RFC 4648, with padding), as HTTP Basic authentication and MIME
// encoded words use it: Boost.Beast's codec behind one pair of functions.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace telltale::collector {

std::string base64_encode(std::string_view bytes);
// The bytes `text` encodes, up to its first character that is not base64.
std::string base64_decode(std::string_view text);

}  // namespace telltale::collector
