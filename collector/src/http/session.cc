// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/detect_ssl.hpp>

#include "router.h"

namespace telltale::collector {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

template <class Stream>
Session<Stream>::Session(Stream stream, Router* router, size_t max_body_bytes, std::atomic<int>* in_flight,
                         std::shared_ptr<net::ssl::context> tls)
    : tls_(std::move(tls)), stream_(std::move(stream)), router_(router), max_body_bytes_(max_body_bytes),
      in_flight_(in_flight) {}

template <class Stream>
Session<Stream>::~Session() = default;

template <class Stream>
void Session<Stream>::run() {
  net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    if constexpr (kTls) {
      beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(30));
      beast::async_detect_ssl(beast::get_lowest_layer(self->stream_), self->buffer_,
                              beast::bind_front_handler(&Session::on_detect, self));
    } else {
      self->do_read();
    }
  });
}

template <class Stream>
void Session<Stream>::on_detect(beast::error_code ec, bool tls) {
  auto& tcp = beast::get_lowest_layer(stream_);
  if (ec) {
    beast::error_code ignored;
    tcp.socket().close(ignored);
    return;
  }
  if (!tls) {
    // Plain HTTP to the HTTPS port (an http:// endpoint): say so in plain
    // HTTP, once, then close. A 503, which clients retry (the SDK keeps its
    // batches, spooling them at exit), rather than a 400, which they drop:
    // the fix is the client's URL, and nothing sent meanwhile is lost.
    response_ = std::make_shared<Response>(error_response(
        11, false, 503, "https_required", "this collector serves HTTPS only: use https:// for its URL"));
    response_->set(http::field::retry_after, "30");
    http::async_write(tcp, *response_,
                      [self = this->shared_from_this()](beast::error_code, size_t) { self->close_lingering(); });
    return;
  }
  if constexpr (kTls)
    stream_.async_handshake(net::ssl::stream_base::server, buffer_.data(),
                            beast::bind_front_handler(&Session::on_handshake, this->shared_from_this()));
}

template <class Stream>
void Session<Stream>::on_handshake(beast::error_code ec, size_t used) {
  if (ec) {  // no common ground: nothing can be answered
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    return;
  }
  buffer_.consume(used);  // what detection had read and the handshake took
  do_read();
}

template <class Stream>
void Session<Stream>::do_read() {
  parser_.emplace();
  parser_->header_limit(16 * 1024);
  parser_->body_limit(max_body_bytes_);
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, this->shared_from_this()));
}

template <class Stream>
void Session<Stream>::on_read(beast::error_code ec, size_t) {
  if (ec == http::error::body_limit) {
    in_flight_->fetch_add(1);
    const auto& req = parser_->get();
    do_write(error_response(req.version(), false, 413, "payload_too_large",
                            "request body exceeds " + std::to_string(max_body_bytes_) + " bytes"));
    return;
  }
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == net::error::eof || ec == net::ssl::error::stream_truncated) {
    do_close();
    return;
  }
  if (ec) {
    // Malformed HTTP: answer once, then close.
    in_flight_->fetch_add(1);
    do_write(error_response(11, false, 400, "bad_request", ec.message()));
    return;
  }
  in_flight_->fetch_add(1);
  // The router may complete on another thread (the committer): hop back to
  // this connection's executor before writing.
  router_->handle(parser_->release(), [self = this->shared_from_this()](Response res) {
    net::post(self->stream_.get_executor(),
              [self, res = std::move(res)]() mutable { self->do_write(std::move(res)); });
  });
}

template <class Stream>
void Session<Stream>::do_write(Response res) {
  response_ = std::make_shared<Response>(std::move(res));
  bool keep_alive = response_->keep_alive();
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&Session::on_write, this->shared_from_this(), keep_alive));
}

template <class Stream>
void Session<Stream>::on_write(bool keep_alive, beast::error_code ec, size_t) {
  in_flight_->fetch_sub(1);
  response_.reset();
  if (ec || !keep_alive) {
    do_close();
    return;
  }
  do_read();
}

template <class Stream>
void Session<Stream>::do_close() {
  if constexpr (kTls) {
    // TLS: say close_notify (for at most 2 s), then close.
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  } else {
    close_lingering();
  }
}

template <class Stream>
void Session<Stream>::close_lingering() {
  // Stop sending, then read and discard what the client is still sending
  // (for at most 2 s), so that closing with unread data does not reset the
  // connection before the client has read our answer.
  auto& tcp = beast::get_lowest_layer(stream_);
  tcp.expires_after(std::chrono::seconds(2));
  beast::error_code ec;
  tcp.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  linger_buffer_ = std::make_unique<std::array<char, 16384>>();
  do_linger();
}

template <class Stream>
void Session<Stream>::do_linger() {
  auto& tcp = beast::get_lowest_layer(stream_);  // the plain connection's bytes, past HTTP
  tcp.async_read_some(net::buffer(*linger_buffer_), [self = this->shared_from_this()](beast::error_code ec, size_t) {
    if (ec) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
      return;
    }
    self->do_linger();
  });
}

template class Session<beast::tcp_stream>;
template class Session<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace telltale::collector
