// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Session: one HTTP/1.1 connection. Reads a request (header and body bounded,
// 30 s idle timeout), hands it to the router, writes the answer when the
// router completes it (possibly from another thread), and loops while the
// connection is kept alive. A failing session closes only itself.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "http_types.h"

namespace telltale::collector {

class Router;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, Router* router, size_t max_body_bytes,
          std::atomic<int>* in_flight);
  ~Session();
  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void do_write(Response res);
  void on_write(bool keep_alive, boost::beast::error_code ec, size_t bytes);
  void do_close();
  void do_linger();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::vector_body<uint8_t>>> parser_;
  std::shared_ptr<Response> response_;  // kept alive during async_write
  std::unique_ptr<std::array<char, 16384>> linger_buffer_;
  Router* router_;
  size_t max_body_bytes_;
  std::atomic<int>* in_flight_;  // requests between read and write, for graceful stop
};

}  // namespace telltale::collector
