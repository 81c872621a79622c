// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// HttpTransport: POST /v1/batch over one keep-alive HTTP/1.1 connection
// (Boost.Beast), TLS when the endpoint is https:// (OpenSSL, certificate and
// host name verified unless Options::tls_verify is false). The connection is
// opened lazily and reopened after any error. Every operation (resolve,
// connect, handshake, write, read) is bounded by the send's deadline.
// One thread sends; cancel() may come from any thread.
#pragma once

#include <memory>
#include <string>

#include "endpoint.h"
#include "transport.h"

namespace telltale::detail {

struct HttpTransportOptions {
  Endpoint endpoint;
  std::string write_key;
  std::string user_agent;
  bool tls_verify = true;
  std::string tls_ca_file;
};

class HttpTransport final : public Transport {
 public:
  // Throws std::runtime_error if the TLS context cannot be set up (bad CA file).
  explicit HttpTransport(HttpTransportOptions options);
  ~HttpTransport() override;

  SendResult send(const std::vector<uint8_t>& body,
                  std::chrono::steady_clock::time_point deadline) noexcept override;
  void cancel() noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace telltale::detail
