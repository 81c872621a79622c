// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// http_exchange through a forward proxy, as the environment names it: plain
// HTTP in absolute form, HTTPS through a CONNECT tunnel with the real host's
// certificate checked end to end, and the words of each way it fails.
#include "http/http_client.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scratch_dir.h"
#include "test_certificate.h"
#include "test_collector.h"
#include "test_proxy.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;
using telltale::testing::ProxyRequest;
using telltale::testing::TestCollector;
using telltale::testing::TestProxy;

constexpr const char* kProxyVariables[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy",
                                           "NO_PROXY"};
constexpr const char* kOpsSecret = "Basic b3BzOnMzY3JldA==";  // "ops:s3cret"

// The proxy variables for one test, and none of the machine's.
class ProxyEnvironment {
 public:
  ProxyEnvironment() {
    for (const char* name : kProxyVariables) unsetenv(name);
  }
  ~ProxyEnvironment() {
    for (const char* name : kProxyVariables) unsetenv(name);
  }
  void set(const char* name, const std::string& value) { setenv(name, value.c_str(), 1); }
};

// "http://127.0.0.1:5555" with user:password@ after the scheme.
std::string with_credentials(const std::string& url, const std::string& credentials) {
  return "http://" + credentials + "@" + url.substr(7);
}

HttpExchange post(const std::string& body) {
  HttpExchange exchange;
  exchange.method = boost::beast::http::verb::post;
  exchange.body = body;
  exchange.timeout = std::chrono::seconds(5);
  return exchange;
}

std::string failure(const std::string& url, const HttpExchange& exchange) {
  try {
    http_exchange(*parse_http_url(url), exchange);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

class ThroughAProxy : public ::testing::Test {
 protected:
  ProxyEnvironment env_;
};

TEST_F(ThroughAProxy, PlainHttpNamesTheWholeUrlAndTheProxyGetsTheCredentials) {
  TestCollector receiver;
  receiver.set_script([](const auto&) { return telltale::testing::reply(200); });
  TestProxy proxy(receiver.port(), kOpsSecret);
  env_.set("http_proxy", with_credentials(proxy.url(), "ops:s3cret"));
  const auto res = http_exchange(*parse_http_url("http://hooks.example.test/services/T0?x=1"), post("hello"));
  EXPECT_EQ(res.result_int(), 200);
  ASSERT_EQ(proxy.asked().size(), 1u);
  EXPECT_EQ(proxy.asked()[0].method, "POST");
  EXPECT_EQ(proxy.asked()[0].target, "http://hooks.example.test/services/T0?x=1");
  EXPECT_EQ(proxy.asked()[0].proxy_authorization, kOpsSecret);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].target, "/services/T0?x=1");
  EXPECT_EQ(receiver.requests()[0].body, "hello");
  EXPECT_EQ(receiver.requests()[0].headers.at("host"), "hooks.example.test");
  EXPECT_EQ(receiver.requests()[0].headers.count("proxy-authorization"), 0u);
}

TEST_F(ThroughAProxy, APlainRequestTheProxyRefusesIsAnAnswer) {
  TestCollector receiver;
  TestProxy proxy(receiver.port(), kOpsSecret);
  env_.set("HTTP_PROXY", proxy.url());  // no credentials
  EXPECT_EQ(http_exchange(*parse_http_url("http://hooks.example.test/x"), post("hello")).result_int(), 407);
  EXPECT_TRUE(receiver.requests().empty());
}

class ThroughAProxyToHttps : public ThroughAProxy {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(scratch_.path());
    const auto made = telltale::testing::make_test_certificate(scratch_.path() + "/hooks", "hooks.example.test");
    cert_ = made.cert_file;
    key_ = made.key_file;
    receiver_ = std::make_unique<TestCollector>(0, cert_, key_);
    receiver_->set_script([](const auto&) { return telltale::testing::reply(202); });
  }
  HttpExchange trusting_the_receiver() {
    HttpExchange exchange = post("hello");
    exchange.ca_file = cert_;
    return exchange;
  }

  const telltale::testing::ScratchDir scratch_{"http_client"};
  std::string cert_, key_;
  std::unique_ptr<TestCollector> receiver_;
};

TEST_F(ThroughAProxyToHttps, TheProxyTunnelsAndTheRealHostsCertificateIsChecked) {
  TestProxy proxy(receiver_->port(), kOpsSecret);
  env_.set("HTTPS_PROXY", with_credentials(proxy.url(), "ops:s3cret"));
  env_.set("http_proxy", "http://127.0.0.1:1");  // for http:// only
  const auto res = http_exchange(*parse_http_url("https://hooks.example.test/services/T0"), trusting_the_receiver());
  EXPECT_EQ(res.result_int(), 202);
  ASSERT_EQ(proxy.asked().size(), 1u);
  EXPECT_EQ(proxy.asked()[0].method, "CONNECT");
  EXPECT_EQ(proxy.asked()[0].target, "hooks.example.test:443");
  EXPECT_EQ(proxy.asked()[0].proxy_authorization, kOpsSecret);
  ASSERT_EQ(receiver_->requests().size(), 1u);
  EXPECT_EQ(receiver_->requests()[0].target, "/services/T0");
  EXPECT_EQ(receiver_->requests()[0].body, "hello");
  EXPECT_EQ(receiver_->requests()[0].headers.count("proxy-authorization"), 0u);

  // The tunnel reaches a server whose certificate is not for the host named.
  EXPECT_THAT(failure("https://other.example.test/x", trusting_the_receiver()),
              HasSubstr("TLS handshake with other.example.test:443 through the " + ("proxy " + proxy.url().substr(7)) +
                        " (HTTPS_PROXY): "));
  EXPECT_EQ(receiver_->requests().size(), 1u);
}

TEST_F(ThroughAProxyToHttps, EachWayItFailsIsSaidInWords) {
  TestProxy proxy(receiver_->port(), kOpsSecret);
  const std::string where = proxy.url().substr(7);
  env_.set("https_proxy", with_credentials(proxy.url(), "ops:wrong"));
  EXPECT_EQ(failure("https://hooks.example.test/x", trusting_the_receiver()),
            "the proxy " + where + " (https_proxy) refused a tunnel to hooks.example.test:443: 407 Proxy "
            "Authentication Required");
  env_.set("https_proxy", "http://127.0.0.1:1");
  EXPECT_EQ(failure("https://hooks.example.test/x", trusting_the_receiver()),
            "connect to the proxy 127.0.0.1:1 (https_proxy): Connection refused");
  env_.set("https_proxy", "socks5://127.0.0.1:1080");
  EXPECT_THAT(failure("https://hooks.example.test/x", trusting_the_receiver()),
              HasSubstr("https_proxy is \"socks5://127.0.0.1:1080\", not an http://"));
  EXPECT_TRUE(receiver_->requests().empty());
}

TEST_F(ThroughAProxy, LoopbackAndNoProxyHostsAreReachedDirectly) {
  TestCollector receiver;
  receiver.set_script([](const auto&) { return telltale::testing::reply(200); });
  env_.set("HTTP_PROXY", "http://127.0.0.1:1");  // would refuse every connection
  EXPECT_EQ(http_exchange(*parse_http_url(receiver.endpoint() + "/hook"), post("hello")).result_int(), 200);
  env_.set("NO_PROXY", "*");
  EXPECT_EQ(http_exchange(*parse_http_url(receiver.endpoint() + "/hook"), post("again")).result_int(), 200);
  EXPECT_EQ(receiver.requests().size(), 2u);
}

// A receiver that takes the request and never answers costs the
// exchange's timeout, not the caller's thread.
TEST(HttpClient, GivesUpOnAReceiverThatNeverAnswersAtTheTimeout) {
  TestCollector receiver;
  receiver.set_script([](const auto&) {
    telltale::testing::Reply stall = telltale::testing::reply(200);
    stall.delay = std::chrono::seconds(5);
    return stall;
  });
  HttpExchange exchange = post("hello");
  exchange.timeout = std::chrono::milliseconds(300);
  // (Before the deadline stopped the steps, this waited for the answer 5 s later.)
  EXPECT_EQ(failure(receiver.endpoint() + "/hook", exchange),
            "read the answer of " + receiver.endpoint().substr(7) + ": no answer within 300 ms");
}

TEST(HttpClient, AUrlsUserAndPasswordGoAsBasicAuthentication) {
  TestCollector receiver;
  receiver.set_script([](const auto&) { return telltale::testing::reply(200); });
  const std::string url = with_credentials(receiver.endpoint(), "ops:s3cret") + "/hook";
  EXPECT_EQ(http_exchange(*parse_http_url(url), post("hello")).result_int(), 200);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].authorization, kOpsSecret);
  EXPECT_EQ(receiver.requests()[0].target, "/hook");
}

}  // namespace
}  // namespace telltale::collector
