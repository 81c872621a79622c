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
                   std::atomic<int>* in_flight, std::shared_ptr<net::ssl::context> tls)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), router_(router), max_body_bytes_(max_body_bytes),
      in_flight_(in_flight), tls_(std::move(tls)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() { do_accept(); }

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    spdlog::warn("accept failed: {}", ec.message());
  } else {
    boost::system::error_code opt;
    socket.set_option(tcp::no_delay(true), opt);
    if (tls_)
      std::make_shared<TlsSession>(boost::beast::ssl_stream<boost::beast::tcp_stream>(std::move(socket), *tls_), router_,
                                   max_body_bytes_, in_flight_)
          ->run();
    else
      std::make_shared<PlainSession>(boost::beast::tcp_stream(std::move(socket)), router_, max_body_bytes_, in_flight_)
          ->run();
  }
  do_accept();
}

}  // namespace telltale::collector
