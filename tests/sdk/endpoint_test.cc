// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "endpoint.h"

#include <gtest/gtest.h>

namespace telltale::detail {
namespace {

TEST(Endpoint, ParsesHttpWithPortAndPrefix) {
  std::string why;
  auto ep = parse_endpoint("http://127.0.0.1:7070/telltale/", &why);
  ASSERT_TRUE(ep) << why;
  EXPECT_FALSE(ep->tls);
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, "7070");
  EXPECT_EQ(ep->target("/v1/batch"), "/telltale/v1/batch");
  EXPECT_EQ(ep->host_header, "127.0.0.1:7070");
}

TEST(Endpoint, DefaultsPortsByScheme) {
  std::string why;
  EXPECT_EQ(parse_endpoint("http://collector", &why)->port, "80");
  EXPECT_EQ(parse_endpoint("https://collector", &why)->port, "443");
  EXPECT_TRUE(parse_endpoint("https://collector", &why)->tls);
}

TEST(Endpoint, ParsesBracketedIpv6) {
  std::string why;
  auto ep = parse_endpoint("http://[::1]:8080", &why);
  ASSERT_TRUE(ep) << why;
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, "8080");
}

TEST(Endpoint, RejectsWithAReason) {
  for (const char* bad : {"", "ftp://x", "127.0.0.1:7070", "http://", "http://:80", "http://h:0",
                          "http://h:70000", "http://h:8a", "http://u:p@h", "http://h/?q=1", "http://[::1"}) {
    std::string why;
    EXPECT_FALSE(parse_endpoint(bad, &why)) << bad;
    EXPECT_NE(why.find("endpoint"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace telltale::detail
