// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Listener: accepts connections on one address and starts a Session for
// each, over TLS when given a context (HTTPS). When a connection cannot be
// accepted (out of file descriptors: too many open connections), it counts
// it, warns at most once a minute, and accepts again after 100 ms rather
// than spin. stop() closes the acceptor (no new connections); sessions
// already open finish. Runs on the io_context's threads.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <mutex>

#include "metrics/metrics.h"

namespace telltale::collector {

class Router;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error when it cannot.
  // `tls` (may be null: plain HTTP) is shared by every connection.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint, Router* router,
           size_t max_body_bytes, std::atomic<int>* in_flight, std::shared_ptr<boost::asio::ssl::context> tls,
           Metrics* metrics);
  void run();
  void stop();
  // Replaces the TLS context (a reload: a renewed certificate) for the
  // connections accepted from now on; those open keep theirs.
  void set_tls(std::shared_ptr<boost::asio::ssl::context> tls);
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Router* router_;
  size_t max_body_bytes_;
  std::atomic<int>* in_flight_;
  std::mutex tls_mutex_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // tls_mutex_
  Metrics* metrics_;
  boost::asio::steady_timer retry_;  // the pause after a failed accept
  std::chrono::steady_clock::time_point next_warning_{};
};

}  // namespace telltale::collector
