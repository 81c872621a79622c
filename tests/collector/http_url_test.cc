// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_url.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

TEST(HttpUrl, SplitsWhatAConnectionNeeds) {
  auto u = parse_http_url("https://hooks.slack.com/services/T0/B0");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "hooks.slack.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/services/T0/B0");
  u = parse_http_url("http://127.0.0.1:7070");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->port, "7070");
  EXPECT_EQ(u->target, "/");
}

TEST(HttpUrl, Ipv6HostsInBrackets) {
  auto u = parse_http_url("http://[::1]:9000/hook");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "9000");
  u = parse_http_url("http://[fe80::1]");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "fe80::1");
  EXPECT_EQ(u->port, "80");
}

TEST(HttpUrl, KeepsTheQueryDropsTheFragmentAndSendsUserAndPasswordAsBasic) {
  auto u = parse_http_url("HTTPS://n8n.corp.example:5678/webhook/pql?team=emea#top");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->target, "/webhook/pql?team=emea");
  EXPECT_EQ(u->authorization, "");
  EXPECT_EQ(u->authority(), "n8n.corp.example:5678");
  u = parse_http_url("https://telltale:p%40ss@crm.example/hook");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "crm.example");
  EXPECT_EQ(u->authorization, "Basic dGVsbHRhbGU6cEBzcw==");  // "telltale:p@ss"
  EXPECT_EQ(u->authority(), "crm.example:443");
  EXPECT_EQ(u->authority(/*omit_default_port=*/true), "crm.example");
  EXPECT_EQ(parse_http_url("http://[::1]:80/")->authority(), "[::1]:80");
  EXPECT_EQ(parse_http_url("http://[::1]:80/")->authority(true), "[::1]");
}

TEST(HttpUrl, IsShownWithoutItsSecretPathOrCredentials) {
  EXPECT_EQ(shown_url("https://hooks.slack.com/services/T0/B0/XyZsecret"), "https://hooks.slack.com/…");
  EXPECT_EQ(shown_url("https://ops:pw@crm.example:8443/hook?key=k"), "https://crm.example:8443/…");
  EXPECT_EQ(shown_url("http://[::1]:80/"), "http://[::1]/");
  EXPECT_EQ(shown_url("not a url"), "not a url");
}

TEST(HttpUrl, RefusesWhatIsNotAnHttpUrl) {
  for (const char* bad : {"", "ftp://x", "127.0.0.1:7070", "http://", "http://:80", "http://host:port", "http://host:",
                          "http:/host", "http://ho st/", "mailto:ops@example.com"})
    EXPECT_FALSE(parse_http_url(bad)) << bad;
}

}  // namespace
}  // namespace telltale::collector
