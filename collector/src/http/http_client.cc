// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <stdexcept>
#include <string>

namespace telltale::collector {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;

namespace {

http::response<http::string_body> exchange_steps(const HttpUrl& url, const HttpExchange& exchange,
                                                 const char** step) {
  net::io_context ioc;
  net::ip::tcp::resolver resolver(ioc);
  http::request<http::string_body> req{exchange.method, url.target + exchange.target, 11};
  req.set(http::field::host, url.host);
  req.set(http::field::user_agent, "telltale");
  for (const auto& [name, value] : exchange.headers) req.set(name, value);
  if (!exchange.body.empty()) {
    req.body() = exchange.body;
    req.prepare_payload();
  }
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  auto talk = [&](auto& stream) {
    *step = "send to";
    http::write(stream, req);
    *step = "read the answer of";
    http::read(stream, buffer, res);
  };
  *step = "resolve";
  const auto addresses = resolver.resolve(url.host, url.port);
  if (!url.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(exchange.timeout);
    *step = "connect to";
    stream.connect(addresses);
    talk(stream);
    return res;
  }
  *step = "load the certificates to trust for";
  ssl::context ctx(ssl::context::tls_client);
  if (exchange.ca_file.empty()) ctx.set_default_verify_paths();
  else ctx.load_verify_file(exchange.ca_file);
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  beast::get_lowest_layer(stream).expires_after(exchange.timeout);
  *step = "connect to";
  beast::get_lowest_layer(stream).connect(addresses);
  *step = "TLS handshake with";
  stream.handshake(ssl::stream_base::client);
  talk(stream);
  return res;
}

}  // namespace

http::response<http::string_body> http_exchange(const HttpUrl& url, const HttpExchange& exchange) {
  const char* step = "set up a request to";
  try {
    return exchange_steps(url, exchange, &step);
  } catch (const boost::system::system_error& e) {
    // Its what() ends in the source location of the library's throw: the words are the code's.
    throw std::runtime_error(std::string(step) + " " + url.host + ":" + url.port + ": " + e.code().message());
  }
}

}  // namespace telltale::collector
