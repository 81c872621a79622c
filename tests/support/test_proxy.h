// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// TestProxy: an HTTP forward proxy for tests of requests that go through one
// (https_proxy, http_proxy). It takes plain requests in absolute form
// ("POST http://hooks.example.test/x") and CONNECT tunnels, sends each to one
// upstream on 127.0.0.1 whatever host it names (so a test's URLs may name
// hosts no resolver knows), and records what it was asked. Given a
// Proxy-Authorization value to demand, it answers 407 to a request without it.
//
// Thread-safe: the proxy runs its own thread; asked() locks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace telltale::testing {

struct ProxyRequest {
  std::string method;               // "CONNECT", "POST", ...
  std::string target;               // "hooks.example.test:443", "http://hooks.example.test/x"
  std::string proxy_authorization;  // as sent
};

class TestProxy {
 public:
  // Listens on a free 127.0.0.1 port and forwards to 127.0.0.1:upstream_port.
  explicit TestProxy(uint16_t upstream_port, std::string required_authorization = {});
  ~TestProxy();

  std::string url() const;  // "http://127.0.0.1:<port>"
  std::vector<ProxyRequest> asked() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace telltale::testing
