// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "session.h"

namespace telltale::collector {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint, Router* router, size_t max_body_bytes,
                   std::atomic<int>* in_flight, std::shared_ptr<net::ssl::context> tls, Metrics* metrics)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), router_(router), max_body_bytes_(max_body_bytes),
      in_flight_(in_flight), tls_(std::move(tls)), metrics_(metrics), retry_(acceptor_.get_executor()) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() { do_accept(); }

void Listener::set_tls(std::shared_ptr<net::ssl::context> tls) {
  std::lock_guard<std::mutex> lock(tls_mutex_);
  tls_ = std::move(tls);
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_.cancel();
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    metrics_->accept_errors.add();
    if (std::chrono::steady_clock::now() >= next_warning_) {
      spdlog::warn("cannot accept connections: {} (telltale_accept_errors_total counts them; raise the open-files "
                   "limit, ulimit -n, if this is too many connections)", ec.message());
      next_warning_ = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    }
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](boost::system::error_code) {
      if (self->acceptor_.is_open()) self->do_accept();
    });
    return;
  }
  boost::system::error_code opt;
  socket.set_option(tcp::no_delay(true), opt);
  std::shared_ptr<net::ssl::context> tls;
  {
    std::lock_guard<std::mutex> lock(tls_mutex_);
    tls = tls_;
  }
  if (tls)
    std::make_shared<TlsSession>(boost::beast::ssl_stream<boost::beast::tcp_stream>(std::move(socket), *tls), router_,
                                 max_body_bytes_, in_flight_, tls)
        ->run();
  else
    std::make_shared<PlainSession>(boost::beast::tcp_stream(std::move(socket)), router_, max_body_bytes_, in_flight_)
        ->run();
  do_accept();
}

}  // namespace telltale::collector
