// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Session: one HTTP/1.1 connection, plain (PlainSession) or over TLS
// (TlsSession: the handshake comes first, bounded by 30 s; a client that
// speaks plain HTTP to it gets a 503 https_required). Reads a request
// (header and body bounded, 30 s idle timeout), hands it to the router,
// writes the answer when the router completes it (possibly from another
// thread), and loops while the connection is kept alive. A failing session
// (a failed handshake included) closes only itself.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>

#include "http_types.h"

namespace telltale::collector {

class Router;

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `tls`: the context a TlsSession's stream was made with, kept while the
  // connection lives (a reload may replace the listener's).
  Session(Stream stream, Router* router, size_t max_body_bytes, std::atomic<int>* in_flight,
          std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~Session();
  void run();

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;
  void on_detect(boost::beast::error_code ec, bool tls);
  void on_handshake(boost::beast::error_code ec, size_t used);
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void do_write(Response res);
  void on_write(bool keep_alive, boost::beast::error_code ec, size_t bytes);
  void do_close();
  void close_lingering();  // the plain connection's close
  void do_linger();

  std::shared_ptr<boost::asio::ssl::context> tls_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::vector_body<uint8_t>>> parser_;
  std::shared_ptr<Response> response_;  // kept alive during async_write
  std::unique_ptr<std::array<char, 16384>> linger_buffer_;
  Router* router_;
  size_t max_body_bytes_;
  std::atomic<int>* in_flight_;  // requests between read and write, for graceful stop
};

using PlainSession = Session<boost::beast::tcp_stream>;
using TlsSession = Session<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace telltale::collector
