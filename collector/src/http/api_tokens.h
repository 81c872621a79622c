// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// ApiTokens: who may read the alerts and work them. The alert feed and
// stream, the lifecycle steps, the accounts and the PLS stats name accounts
// and their people (emails included), so once `api_tokens` are configured
// every request to those routes must carry one of them: as
// "Authorization: Bearer TOKEN" (or HTTP Basic with the token as the user
// name), or, for a client that cannot set headers (a browser's EventSource),
// as the query parameter access_token=TOKEN (RFC 6750, section 2.3). Write
// keys never open these routes: they ship inside every copy of the product.
// Without tokens the routes are open, which the config allows only on a
// loopback listener (or with --insecure). Tokens are compared in constant
// time. Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace telltale::collector {

class ApiTokens {
 public:
  explicit ApiTokens(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

  // Whether `path` is one of the routes the tokens guard.
  static bool guards(std::string_view path);
  // Whether a request to a guarded route may pass: no tokens are configured,
  // or it carries one of them (`authorization`: its Authorization header;
  // `query`: its query string). Takes access_token out of *query either
  // way, so that the route never sees it.
  bool admits(std::string_view authorization, std::string* query) const;

 private:
  std::vector<std::string> tokens_;
};

}  // namespace telltale::collector
