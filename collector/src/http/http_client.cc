// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "http/http_proxy.h"

namespace telltale::collector {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;

namespace {

// Through a proxy, an https:// exchange first asks it for a tunnel to the
// URL's host (CONNECT); TLS then runs end to end inside the tunnel.
net::awaitable<void> open_tunnel(beast::tcp_stream& proxy_stream, const HttpProxy& proxy, const HttpUrl& url) {
  http::request<http::empty_body> connect{http::verb::connect, url.authority(), 11};
  connect.set(http::field::host, url.authority());
  if (!proxy.url.authorization.empty()) connect.set(http::field::proxy_authorization, proxy.url.authorization);
  co_await http::async_write(proxy_stream, connect, net::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> answer;
  answer.skip(true);  // a CONNECT's answer has no body: the tunnel follows
  co_await http::async_read_header(proxy_stream, buffer, answer, net::use_awaitable);
  if (answer.get().result_int() / 100 != 2)
    throw std::runtime_error("the " + proxy.description() + " refused a tunnel to " + url.authority() + ": " +
                             std::to_string(answer.get().result_int()) + " " + std::string(answer.get().reason()));
}

// The exchange's steps, each asynchronous, so that http_exchange can stop
// them all at its deadline (a blocking read would wait for ever on a
// receiver that accepts and never answers). *step says which one runs.
net::awaitable<void> exchange_steps(const HttpUrl& url, const HttpExchange& exchange,
                                    http::response<http::string_body>* res, std::string* step) {
  const auto executor = co_await net::this_coro::executor;
  const std::optional<HttpProxy> proxy = proxy_for(url);
  const std::string peer = url.authority() + (proxy ? " through the " + proxy->description() : "");
  // Plain HTTP through a proxy names the whole URL (absolute form).
  const std::string absolute = proxy && !url.tls ? "http://" + url.authority(/*omit_default_port=*/true) : "";
  http::request<http::string_body> req{exchange.method, absolute + url.target + exchange.target, 11};
  req.set(http::field::host, url.authority(/*omit_default_port=*/true));
  req.set(http::field::user_agent, "telltale");
  if (!url.authorization.empty()) req.set(http::field::authorization, url.authorization);
  if (proxy && !url.tls && !proxy->url.authorization.empty())
    req.set(http::field::proxy_authorization, proxy->url.authorization);
  for (const auto& [name, value] : exchange.headers) req.set(name, value);
  if (!exchange.body.empty()) {
    req.body() = exchange.body;
    req.prepare_payload();
  }
  beast::flat_buffer buffer;
  const HttpUrl& first_hop = proxy ? proxy->url : url;
  const std::string first_hop_name = proxy ? "the " + proxy->description() : url.authority();
  *step = "resolve " + first_hop_name;
  net::ip::tcp::resolver resolver(executor);
  const auto addresses = co_await resolver.async_resolve(first_hop.host, first_hop.port, net::use_awaitable);
  beast::tcp_stream tcp(executor);
  *step = "connect to " + first_hop_name;
  co_await tcp.async_connect(addresses, net::use_awaitable);
  if (!url.tls) {
    *step = "send to " + peer;
    co_await http::async_write(tcp, req, net::use_awaitable);
    *step = "read the answer of " + peer;
    co_await http::async_read(tcp, buffer, *res, net::use_awaitable);
    co_return;
  }
  if (proxy) {
    *step = "ask the " + proxy->description() + " for a tunnel to " + url.authority();
    co_await open_tunnel(tcp, *proxy, url);
  }
  *step = "load the certificates to trust for " + url.authority();
  ssl::context ctx(ssl::context::tls_client);
  if (exchange.ca_file.empty()) ctx.set_default_verify_paths();
  else ctx.load_verify_file(exchange.ca_file);
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), ctx);
  SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  *step = "TLS handshake with " + peer;
  co_await stream.async_handshake(ssl::stream_base::client, net::use_awaitable);
  *step = "send to " + peer;
  co_await http::async_write(stream, req, net::use_awaitable);
  *step = "read the answer of " + peer;
  co_await http::async_read(stream, buffer, *res, net::use_awaitable);
}

}  // namespace

http::response<http::string_body> http_exchange(const HttpUrl& url, const HttpExchange& exchange) {
  std::string step = "set up a request to " + url.authority();
  http::response<http::string_body> res;
  std::exception_ptr failure;
  bool done = false;
  {
    net::io_context ioc;  // destroyed first: its pending steps refer to the above
    net::co_spawn(ioc, exchange_steps(url, exchange, &res, &step), [&](std::exception_ptr e) {
      failure = e;
      done = true;
    });
    ioc.run_for(exchange.timeout);
  }
  if (!done)
    throw std::runtime_error(step + ": no answer within " + std::to_string(exchange.timeout.count()) + " ms");
  try {
    if (failure) std::rethrow_exception(failure);
  } catch (const boost::system::system_error& e) {
    // Its what() ends in the source location of the library's throw: the words are the code's.
    throw std::runtime_error(step + ": " + e.code().message());
  }
  return res;
}

}  // namespace telltale::collector
