// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "test_proxy.h"

#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace telltale::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct TestProxy::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  tcp::endpoint upstream;
  uint16_t port = acceptor.local_endpoint().port();
  std::string required_authorization;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<ProxyRequest> asked;

  // Coroutines hold no ownership of the Impl: the destructor stops the
  // io_context and joins its thread first, then pending frames die with it.
  net::awaitable<void> accept_loop() {
    for (;;) {
      auto client = std::make_shared<tcp::socket>(ioc);
      boost::system::error_code ec;
      co_await acceptor.async_accept(*client, net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return;
      net::co_spawn(ioc, serve(client), net::detached);
    }
  }

  // Copies bytes from one socket to the other until either ends.
  static net::awaitable<void> pipe(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    char bytes[16384];
    boost::system::error_code ec;
    for (;;) {
      const size_t n = co_await from->async_read_some(net::buffer(bytes), net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
      co_await net::async_write(*to, net::buffer(bytes, n), net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
    }
    to->shutdown(tcp::socket::shutdown_send, ec);
  }

  net::awaitable<void> serve(std::shared_ptr<tcp::socket> client) {
    auto on = [](boost::system::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); };
    boost::system::error_code ec;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    co_await http::async_read(*client, buffer, req, on(ec));
    if (ec) co_return;
    const std::string authorization(req[http::field::proxy_authorization]);
    {
      std::lock_guard<std::mutex> lock(mutex);
      asked.push_back({std::string(req.method_string()), std::string(req.target()), authorization});
    }
    if (!required_authorization.empty() && authorization != required_authorization) {
      http::response<http::string_body> refusal{http::status::proxy_authentication_required, 11};
      refusal.set(http::field::proxy_authenticate, "Basic realm=\"test\"");
      refusal.body() = "proxy authentication required";
      refusal.prepare_payload();
      co_await http::async_write(*client, refusal, on(ec));
      co_return;
    }
    auto server = std::make_shared<tcp::socket>(ioc);
    co_await server->async_connect(upstream, on(ec));
    if (ec) co_return;
    if (req.method() == http::verb::connect) {
      static const std::string kEstablished = "HTTP/1.1 200 Connection established\r\n\r\n";
      co_await net::async_write(*client, net::buffer(kEstablished), on(ec));
      if (ec) co_return;
      net::co_spawn(ioc, pipe(client, server), net::detached);
      co_await pipe(server, client);
      co_return;
    }
    // Absolute form to origin form: "http://host:port/x" -> "/x".
    const std::string target(req.target());
    const size_t path = target.find('/', target.find("://") + 3);
    req.target(path == std::string::npos ? "/" : target.substr(path));
    req.erase(http::field::proxy_authorization);
    co_await http::async_write(*server, req, on(ec));
    beast::flat_buffer answer_buffer;
    http::response<http::string_body> answer;
    if (!ec) co_await http::async_read(*server, answer_buffer, answer, on(ec));
    if (!ec) co_await http::async_write(*client, answer, on(ec));
  }
};

TestProxy::TestProxy(uint16_t upstream_port, std::string required_authorization)
    : impl_(std::make_shared<Impl>()) {
  impl_->upstream = tcp::endpoint(net::ip::make_address("127.0.0.1"), upstream_port);
  impl_->required_authorization = std::move(required_authorization);
  net::co_spawn(impl_->ioc, impl_->accept_loop(), net::detached);
  impl_->thread = std::thread([impl = impl_] { impl->ioc.run(); });
}

TestProxy::~TestProxy() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::string TestProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<ProxyRequest> TestProxy::asked() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->asked;
}

}  // namespace telltale::testing
