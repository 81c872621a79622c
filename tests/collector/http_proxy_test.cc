// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_proxy.h"

#include <map>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// proxy_for() over a made-up environment.
std::optional<HttpProxy> proxy(const std::string& url, const std::map<std::string, std::string>& env) {
  return proxy_for(*parse_http_url(url), [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

// The proxy's host:port, or "direct".
std::string via(const std::string& url, const std::map<std::string, std::string>& env) {
  const auto p = proxy(url, env);
  return p ? p->url.authority() : "direct";
}

TEST(HttpProxy, EachSchemeHasItsVariableTheLowercaseNameFirst) {
  const std::map<std::string, std::string> env = {{"https_proxy", "http://secure:3128"},
                                                  {"HTTPS_PROXY", "http://ignored:3128"},
                                                  {"HTTP_PROXY", "plain:8080"}};
  EXPECT_EQ(via("https://hooks.slack.com/services/T0", env), "secure:3128");
  EXPECT_EQ(proxy("https://hooks.slack.com/services/T0", env)->variable, "https_proxy");
  EXPECT_EQ(via("http://crm.example.com/hook", env), "plain:8080");  // no scheme: http://
  EXPECT_EQ(proxy("http://crm.example.com/hook", env)->variable, "HTTP_PROXY");
  EXPECT_EQ(via("https://hooks.slack.com/x", {{"HTTP_PROXY", "plain:8080"}}), "direct");
  EXPECT_EQ(via("https://hooks.slack.com/x", {{"https_proxy", ""}}), "direct");  // set but empty
  EXPECT_EQ(via("https://hooks.slack.com/x", {}), "direct");
}

TEST(HttpProxy, PortDefaultsTo80AndCredentialsBecomeProxyAuthorization) {
  const auto p = proxy("https://hooks.slack.com/x", {{"HTTPS_PROXY", "http://ops:s%40cret@proxy.corp"}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->url.authority(), "proxy.corp:80");
  EXPECT_EQ(p->url.authorization, "Basic b3BzOnNAY3JldA==");  // "ops:s@cret"
  EXPECT_EQ(p->description(), "proxy proxy.corp:80 (HTTPS_PROXY)");
}

TEST(HttpProxy, LoopbackIsAlwaysReachedDirectly) {
  const std::map<std::string, std::string> env = {{"HTTP_PROXY", "proxy:3128"}, {"HTTPS_PROXY", "proxy:3128"}};
  for (const char* url : {"http://127.0.0.1:7070", "http://127.3.4.5/", "http://[::1]:7070", "https://localhost:7070",
                          "http://LOCALHOST/", "http://collector.localhost/"})
    EXPECT_EQ(via(url, env), "direct") << url;
  EXPECT_EQ(via("http://10.0.0.7:7070", env), "proxy:3128");
}

TEST(HttpProxy, NoProxyNamesDomainsHostsPortsAddressesAndBlocks) {
  auto direct = [](const std::string& url, const std::string& no_proxy) {
    return via(url, {{"HTTPS_PROXY", "proxy:3128"}, {"HTTP_PROXY", "proxy:3128"}, {"no_proxy", no_proxy}}) == "direct";
  };
  EXPECT_TRUE(direct("https://hooks.slack.com/x", "*"));
  EXPECT_TRUE(direct("https://crm.corp.example/x", "localhost, corp.example"));
  EXPECT_TRUE(direct("https://corp.example/x", "corp.example"));
  EXPECT_TRUE(direct("https://crm.corp.example/x", ".corp.example"));
  EXPECT_TRUE(direct("https://crm.corp.example/x", "*.corp.example"));
  EXPECT_TRUE(direct("https://CRM.Corp.Example/x", "crm.corp.EXAMPLE"));
  EXPECT_FALSE(direct("https://notcorp.example/x", "corp.example"));
  EXPECT_FALSE(direct("https://corp.example.com/x", "corp.example"));
  EXPECT_TRUE(direct("http://intranet:8080/hook", "intranet:8080"));
  EXPECT_FALSE(direct("http://intranet:9090/hook", "intranet:8080"));
  EXPECT_TRUE(direct("http://10.1.2.3:7070/", "10.1.2.3"));
  EXPECT_TRUE(direct("http://10.1.2.3:7070/", "192.168.0.0/16,10.0.0.0/8"));
  EXPECT_FALSE(direct("http://11.1.2.3:7070/", "10.0.0.0/8"));
  EXPECT_TRUE(direct("http://172.17.5.9/", "172.16.0.0/12"));
  EXPECT_FALSE(direct("http://172.32.0.1/", "172.16.0.0/12"));
  EXPECT_TRUE(direct("http://[fd00::7]:7070/", "fd00::/8"));
  EXPECT_TRUE(direct("http://[fd00::7]:7070/", "fd00::7"));
  EXPECT_TRUE(direct("http://[fd00::7]:7070/", "[fd00::7]:7070"));
  EXPECT_FALSE(direct("http://[fe80::7]:7070/", "fd00::/8"));
  EXPECT_FALSE(direct("http://10.1.2.3/", "10.0.0.0/40"));  // no such block
  EXPECT_FALSE(direct("https://hooks.slack.com/x", " , ,"));
}

TEST(HttpProxy, AVariableThatNamesNoHttpProxyIsAnErrorThatHidesThePassword) {
  auto error = [](const std::string& value) -> std::string {
    try {
      proxy("https://hooks.slack.com/x", {{"HTTPS_PROXY", value}});
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error("socks5://proxy:1080"),
            "HTTPS_PROXY is \"socks5://proxy:1080\", not an http://[user:password@]host[:port] proxy");
  EXPECT_EQ(error("https://ops:hunter2@proxy:3128"),
            "HTTPS_PROXY is \"https://***@proxy:3128\", not an http://[user:password@]host[:port] proxy "
            "(TLS to the proxy is not supported)");
  EXPECT_THAT(error("http://ops:hunter2@proxy:port"), Not(HasSubstr("hunter2")));
  EXPECT_THAT(error("proxy:"), HasSubstr("HTTPS_PROXY is \"proxy:\""));
}

}  // namespace
}  // namespace telltale::collector
