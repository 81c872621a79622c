// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

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
void open_tunnel(beast::tcp_stream& proxy_stream, const HttpProxy& proxy, const HttpUrl& url) {
  http::request<http::empty_body> connect{http::verb::connect, url.authority(), 11};
  connect.set(http::field::host, url.authority());
  if (!proxy.url.authorization.empty()) connect.set(http::field::proxy_authorization, proxy.url.authorization);
  http::write(proxy_stream, connect);
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> answer;
  answer.skip(true);  // a CONNECT's answer has no body: the tunnel follows
  http::read_header(proxy_stream, buffer, answer);
  if (answer.get().result_int() / 100 != 2)
    throw std::runtime_error("the " + proxy.description() + " refused a tunnel to " + url.authority() + ": " +
                             std::to_string(answer.get().result_int()) + " " + std::string(answer.get().reason()));
}

http::response<http::string_body> exchange_steps(const HttpUrl& url, const HttpExchange& exchange,
                                                 std::string* step) {
  net::io_context ioc;
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
  http::response<http::string_body> res;
  auto talk = [&](auto& stream) {
    *step = "send to " + peer;
    http::write(stream, req);
    *step = "read the answer of " + peer;
    http::read(stream, buffer, res);
  };
  const HttpUrl& first_hop = proxy ? proxy->url : url;
  const std::string first_hop_name = proxy ? "the " + proxy->description() : url.authority();
  *step = "resolve " + first_hop_name;
  net::ip::tcp::resolver resolver(ioc);
  const auto addresses = resolver.resolve(first_hop.host, first_hop.port);
  beast::tcp_stream tcp(ioc);
  tcp.expires_after(exchange.timeout);
  *step = "connect to " + first_hop_name;
  tcp.connect(addresses);
  if (!url.tls) {
    talk(tcp);
    return res;
  }
  if (proxy) {
    *step = "ask the " + proxy->description() + " for a tunnel to " + url.authority();
    open_tunnel(tcp, *proxy, url);
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
  stream.handshake(ssl::stream_base::client);
  talk(stream);
  return res;
}

}  // namespace

http::response<http::string_body> http_exchange(const HttpUrl& url, const HttpExchange& exchange) {
  std::string step = "set up a request to " + url.authority();
  try {
    return exchange_steps(url, exchange, &step);
  } catch (const boost::system::system_error& e) {
    // Its what() ends in the source location of the library's throw: the words are the code's.
    throw std::runtime_error(step + ": " + e.code().message());
  }
}

}  // namespace telltale::collector
