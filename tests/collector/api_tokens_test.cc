// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/api_tokens.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

const std::string kToken = "tok_0123456789abcdef";

TEST(ApiTokens, GuardTheRoutesThatNameAccountsAndPeople) {
  for (const char* path : {"/v1/alerts", "/v1/alerts/stream", "/v1/alerts/7", "/v1/alerts/7/claim", "/v1/accounts/acme",
                           "/v1/stats"})
    EXPECT_TRUE(ApiTokens::guards(path)) << path;
  for (const char* path :
       {"/", "/healthz", "/readyz", "/metrics", "/v1/batch", "/v1/track", "/v1/identify", "/v1/group"})
    EXPECT_FALSE(ApiTokens::guards(path)) << path;
}

TEST(ApiTokens, AdmitABearerOrBasicTokenOrOneInTheQuery) {
  const ApiTokens tokens({"another_token_of_the_team", kToken});
  std::string query = "status=open";
  EXPECT_TRUE(tokens.admits("Bearer " + kToken, &query));
  EXPECT_EQ(query, "status=open");
  EXPECT_TRUE(tokens.admits("Basic dG9rXzAxMjM0NTY3ODlhYmNkZWY6", &query));  // "tok_0123456789abcdef:"
  query = "after=3&access_token=" + kToken + "&limit=5";
  EXPECT_TRUE(tokens.admits("", &query));
  EXPECT_EQ(query, "after=3&limit=5") << "the route never sees the token";
  query = "access_token=tok%5F0123456789abcdef";  // percent-encoded
  EXPECT_TRUE(tokens.admits("", &query));
  EXPECT_EQ(query, "");
}

TEST(ApiTokens, RefuseNoTokenAWrongOneAndAPrefixOfOne) {
  const ApiTokens tokens({kToken});
  std::string query;
  EXPECT_FALSE(tokens.admits("", &query));
  EXPECT_FALSE(tokens.admits("Bearer wk_live_write_key_0001", &query));
  EXPECT_FALSE(tokens.admits("Bearer " + kToken.substr(0, kToken.size() - 1), &query));
  EXPECT_FALSE(tokens.admits("Bearer " + kToken + "x", &query));
  query = "access_token=";
  EXPECT_FALSE(tokens.admits("", &query));
  // A wrong header is not rescued by a right query, nor the other way round
  // by a header that carries nothing.
  query = "access_token=" + kToken;
  EXPECT_FALSE(tokens.admits("Bearer wrong_token_0000000000", &query));
  query = "access_token=" + kToken;
  EXPECT_TRUE(tokens.admits("Digest x", &query));
}

TEST(ApiTokens, WithoutTokensEveryRequestPassesAndTheQueryIsStillCleaned) {
  const ApiTokens none({});
  std::string query = "access_token=anything&after=2";
  EXPECT_TRUE(none.admits("", &query));
  EXPECT_EQ(query, "after=2");
}

}  // namespace
}  // namespace telltale::collector
