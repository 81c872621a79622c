// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/api_tokens.h"

#include <openssl/crypto.h>

#include "http/credential.h"
#include "http/http_types.h"

namespace telltale::collector {

namespace {

constexpr std::string_view kQueryParameter = "access_token";

// The access_token of a query string (decoded), taken out of it.
std::string take_access_token(std::string* query) {
  std::string token, rest;
  size_t pos = 0;
  while (pos < query->size()) {
    size_t end = query->find('&', pos);
    if (end == std::string::npos) end = query->size();
    const std::string pair = query->substr(pos, end - pos);
    if (pair.substr(0, pair.find('=')) == kQueryParameter) token = parse_query(pair)[std::string(kQueryParameter)];
    else if (!pair.empty()) rest += (rest.empty() ? "" : "&") + pair;
    pos = end + 1;
  }
  *query = std::move(rest);
  return token;
}

}  // namespace

bool ApiTokens::guards(std::string_view path) {
  return path == "/v1/stats" || path == "/v1/digest" || path == "/v1/webhooks" || path.starts_with("/v1/alerts") ||
         path.starts_with("/v1/accounts");
}

bool ApiTokens::admits(std::string_view authorization, std::string* query) const {
  std::string offered = take_access_token(query);
  if (tokens_.empty()) return true;
  if (const std::string header = credential_from_authorization(authorization); !header.empty()) offered = header;
  if (offered.empty()) return false;
  bool known = false;
  for (const std::string& token : tokens_)
    known |= token.size() == offered.size() && CRYPTO_memcmp(token.data(), offered.data(), token.size()) == 0;
  return known;
}

}  // namespace telltale::collector
