// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http_transport.h"

#include <openssl/evp.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <stdexcept>

#include "backoff.h"

namespace telltale::detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxResponseBody = 64 * 1024;

std::string basic_authorization(const std::string& write_key) {
  // Segment's convention: the write key is the user name, the password empty.
  std::string plain = write_key + ":";
  std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(plain.data()),
                          static_cast<int>(plain.size()));
  out.resize(static_cast<size_t>(n));
  return "Basic " + out;
}

}  // namespace

struct HttpTransport::Impl {
  explicit Impl(HttpTransportOptions o)
      : opts(std::move(o)),
        authorization(basic_authorization(opts.write_key)),
        target(opts.endpoint.target("/v1/batch")) {
    if (opts.endpoint.tls) {
      if (opts.tls_verify) {
        ssl_ctx.set_verify_mode(ssl::verify_peer);
        if (opts.tls_ca_file.empty()) {
          ssl_ctx.set_default_verify_paths();
        } else {
          ssl_ctx.load_verify_file(opts.tls_ca_file);
        }
      } else {
        ssl_ctx.set_verify_mode(ssl::verify_none);
      }
    }
  }

  HttpTransportOptions opts;
  net::io_context ioc{1};
  ssl::context ssl_ctx{ssl::context::tls_client};
  tcp::resolver resolver{ioc};
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::string authorization;
  std::string target;
  std::atomic<bool> cancelled{false};

  bool connected() const { return plain || secure; }

  void close() noexcept {
    boost::system::error_code ec;
    resolver.cancel();
    if (secure) beast::get_lowest_layer(*secure).socket().close(ec);
    if (plain) plain->socket().close(ec);
  }

  void disconnect() noexcept {
    close();
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  net::awaitable<void> connect(Clock::time_point deadline) {
    const Endpoint& ep = opts.endpoint;
    auto endpoints = co_await resolver.async_resolve(ep.host, ep.port, net::use_awaitable);
    if (ep.tls) {
      secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, ssl_ctx);
      if (!SSL_set_tlsext_host_name(secure->native_handle(), ep.host.c_str()))
        throw std::runtime_error("cannot set TLS SNI host name");
      if (opts.tls_verify) secure->set_verify_callback(ssl::host_name_verification(ep.host));
      beast::get_lowest_layer(*secure).expires_at(deadline);
      co_await beast::get_lowest_layer(*secure).async_connect(endpoints, net::use_awaitable);
      beast::get_lowest_layer(*secure).socket().set_option(tcp::no_delay(true));
      co_await secure->async_handshake(ssl::stream_base::client, net::use_awaitable);
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
      plain->expires_at(deadline);
      co_await plain->async_connect(endpoints, net::use_awaitable);
      plain->socket().set_option(tcp::no_delay(true));
    }
  }

  template <typename Stream>
  net::awaitable<SendResult> exchange(Stream& stream, const std::vector<uint8_t>& body,
                                      Clock::time_point deadline) {
    http::request<http::vector_body<uint8_t>> req{http::verb::post, target, 11};
    req.set(http::field::host, opts.endpoint.host_header);
    req.set(http::field::user_agent, opts.user_agent);
    req.set(http::field::content_type, "application/x-telltale-batch");
    req.set(http::field::content_encoding, "zstd");
    req.set(http::field::authorization, authorization);
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    beast::get_lowest_layer(stream).expires_at(deadline);
    co_await http::async_write(stream, req, net::use_awaitable);

    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    co_await http::async_read(stream, buffer, parser, net::use_awaitable);
    auto& res = parser.get();

    SendResult result;
    result.kind = SendResult::Kind::kResponse;
    result.status = static_cast<int>(res.result_int());
    auto retry_after = res.find(http::field::retry_after);
    if (retry_after != res.end())
      result.retry_after =
          Backoff::parse_retry_after(retry_after->value(), std::chrono::system_clock::now());
    if (result.status != 200) result.detail = res.body().substr(0, 512);
    if (!res.keep_alive()) disconnect();
    co_return result;
  }

  net::awaitable<SendResult> exchange_any(const std::vector<uint8_t>& body, Clock::time_point deadline) {
    if (secure) co_return co_await exchange(*secure, body, deadline);
    co_return co_await exchange(*plain, body, deadline);
  }

  net::awaitable<SendResult> run(const std::vector<uint8_t>& body, Clock::time_point deadline) {
    bool reused = connected();
    if (!reused) co_await connect(deadline);
    try {
      co_return co_await exchange_any(body, deadline);
    } catch (const boost::system::system_error& e) {
      // A kept-alive connection the collector closed while idle fails on
      // first use; one immediate retry on a fresh connection is safe because
      // the batch id makes the resend idempotent.
      if (!reused || e.code() == beast::error::timeout || cancelled.load()) throw;
    }
    disconnect();
    co_await connect(deadline);
    co_return co_await exchange_any(body, deadline);
  }
};

HttpTransport::HttpTransport(HttpTransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpTransport::~HttpTransport() = default;

SendResult HttpTransport::send(const std::vector<uint8_t>& body, Clock::time_point deadline) noexcept {
  Impl& m = *impl_;
  SendResult result;
  if (m.cancelled.load()) {
    result.kind = SendResult::Kind::kCancelled;
    return result;
  }
  try {
    std::optional<SendResult> answer;
    std::exception_ptr failure;
    m.ioc.restart();
    net::co_spawn(m.ioc, m.run(body, deadline), [&](std::exception_ptr e, SendResult r) {
      if (e) failure = e;
      else answer = std::move(r);
    });
    // Socket operations carry the deadline themselves; name resolution does
    // not, so stop the loop at the deadline and cancel whatever is left.
    m.ioc.run_until(deadline + std::chrono::milliseconds(20));
    bool timed_out = false;
    if (!answer && !failure) {
      timed_out = true;
      m.close();
      m.ioc.run();
    }
    if (answer) return *answer;
    try {
      std::rethrow_exception(failure);
    } catch (const boost::system::system_error& e) {
      result.detail = e.code().message();
      if (m.cancelled.load()) {
        result.kind = SendResult::Kind::kCancelled;
      } else if (timed_out || e.code() == beast::error::timeout) {
        result.kind = SendResult::Kind::kTimeout;
      } else {
        result.kind = SendResult::Kind::kNetworkError;
      }
    } catch (const std::exception& e) {
      result.kind = SendResult::Kind::kNetworkError;
      result.detail = e.what();
    }
  } catch (...) {
    result.kind = SendResult::Kind::kNetworkError;
    result.detail = "unexpected failure in the HTTP transport";
  }
  m.disconnect();
  return result;
}

void HttpTransport::cancel() noexcept {
  impl_->cancelled.store(true);
  try {
    net::post(impl_->ioc, [m = impl_.get()] { m->close(); });
  } catch (...) {
  }
}

}  // namespace telltale::detail
