// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "test_collector.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <set>
#include <thread>

namespace telltale::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string render(const wire::Value& v) {
  switch (v.type) {
    case wire::ValueType::kString: return std::string(v.s);
    case wire::ValueType::kInt: return std::to_string(v.i);
    case wire::ValueType::kDouble: return std::to_string(v.d);
    case wire::ValueType::kBool: return v.i ? "true" : "false";
  }
  return "";
}

ReceivedBatch own(const wire::DecodedBatch& d) {
  ReceivedBatch b;
  b.batch_id = d.header.batch_id.hex();
  b.sdk_name = d.header.sdk_name;
  b.sdk_version = d.header.sdk_version;
  b.report = d.header.report;
  for (const wire::Event& e : d.events) {
    ReceivedEvent r{e.message_id.hex(), e.type, e.time_ms, std::string(e.account),
                    std::string(e.user), std::string(e.name), {}};
    for (size_t i = 0; i < e.prop_count; ++i) r.props[std::string(e.props[i].key)] = render(e.props[i].value);
    b.events.push_back(std::move(r));
  }
  return b;
}

}  // namespace

struct TestCollector::Impl {
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  std::thread thread;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::set<std::shared_ptr<tcp::socket>> sockets;  // io thread only
  std::unique_ptr<net::ssl::context> tls;           // set: serve HTTPS

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  Script script;
  std::function<void(const ReceivedBatch&)> callback;
  std::vector<ReceivedBatch> batches;
  std::vector<RequestInfo> requests;
  size_t events = 0;

  void listen(uint16_t port) {
    acceptor = std::make_unique<tcp::acceptor>(ioc);
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    acceptor->open(ep.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(ep);
    acceptor->listen();
    net::co_spawn(ioc, accept_loop(), net::detached);
  }

  // Coroutines hold no ownership of the Impl: the destructor stops the
  // io_context and joins its thread first, then pending frames die with it.
  net::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(ioc);
      boost::system::error_code ec;
      co_await acceptor->async_accept(*socket, net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return;
      sockets.insert(socket);
      if (tls) {
        net::co_spawn(ioc, tls_session(socket), net::detached);
      } else {
        net::co_spawn(ioc, session(*socket, socket), net::detached);
      }
    }
  }

  RequestInfo inspect(const http::request<http::vector_body<uint8_t>>& req, ReceivedBatch* batch) {
    RequestInfo info;
    info.target = std::string(req.target());
    info.authorization = std::string(req[http::field::authorization]);
    info.body_bytes = req.body().size();
    info.body.assign(req.body().begin(), req.body().end());
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      info.headers[name] = std::string(field.value());
    }
    wire::BatchDecoder decoder;
    wire::DecodedBatch decoded;
    if (req.method() == http::verb::post && decoder.decode(req.body().data(), req.body().size(), &decoded).ok()) {
      info.decoded = true;
      info.batch_id = decoded.header.batch_id.hex();
      info.events = decoded.events.size();
      *batch = own(decoded);
    }
    std::lock_guard<std::mutex> lock(mutex);
    info.number = requests.size() + 1;
    requests.push_back(info);
    return info;
  }

  net::awaitable<void> tls_session(std::shared_ptr<tcp::socket> socket) {
    net::ssl::stream<tcp::socket&> stream(*socket, *tls);
    boost::system::error_code ec;
    co_await stream.async_handshake(net::ssl::stream_base::server, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      socket->close(ec);
      sockets.erase(socket);
      co_return;
    }
    co_await session(stream, socket);
  }

  // One connection: `stream` reads and writes (plain or TLS over `socket`).
  template <typename Stream>
  net::awaitable<void> session(Stream& stream, std::shared_ptr<tcp::socket> socket) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (;;) {
      http::request_parser<http::vector_body<uint8_t>> parser;
      parser.body_limit(256u << 20);
      co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
      auto req = parser.release();
      ReceivedBatch batch;
      RequestInfo info = inspect(req, &batch);
      Script s;
      {
        std::lock_guard<std::mutex> lock(mutex);
        s = script;
      }
      Reply reply;
      if (s) {
        reply = s(info);
      } else if (!info.decoded) {
        reply.status = 400;
      }
      if (reply.delay.count() > 0) {
        net::steady_timer timer(ioc, reply.delay);
        co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
      }
      if (reply.reset) {
        socket->set_option(net::socket_base::linger(true, 0), ec);
        socket->close(ec);
        break;
      }
      if (reply.status >= 200 && reply.status < 300 && info.decoded) {
        std::function<void(const ReceivedBatch&)> cb;
        {
          std::lock_guard<std::mutex> lock(mutex);
          events += batch.events.size();
          batches.push_back(batch);
          cb = callback;
        }
        changed.notify_all();
        if (cb) cb(batch);
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      res.set(http::field::content_type, "application/json");
      if (!reply.retry_after.empty()) res.set(http::field::retry_after, reply.retry_after);
      if (reply.status != 204)  // No Content
        res.body() = reply.status < 300 ? "{\"accepted\":" + std::to_string(info.events) + ",\"duplicates\":0}"
                                        : "{\"error\":\"scripted\",\"detail\":\"test collector\"}";
      res.keep_alive(!reply.close && req.keep_alive());
      res.prepare_payload();
      co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
      if (ec || !res.keep_alive()) break;
    }
    socket->close(ec);
    sockets.erase(socket);
  }

  void close_all() {
    boost::system::error_code ec;
    if (acceptor) acceptor->close(ec);
    for (auto& s : sockets) s->close(ec);
  }

  // Runs `f` on the io thread and waits for it.
  template <typename F>
  void on_io(F f) {
    std::promise<void> done;
    net::post(ioc, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }
};

TestCollector::TestCollector(uint16_t port, const std::string& tls_cert_file, const std::string& tls_key_file)
    : impl_(std::make_shared<Impl>()) {
  if (!tls_cert_file.empty()) {
    impl_->tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls_cert_file);
    impl_->tls->use_private_key_file(tls_key_file, net::ssl::context::pem);
    scheme_ = "https";
  }
  impl_->listen(port);
  port_ = impl_->acceptor->local_endpoint().port();
  impl_->thread = std::thread([impl = impl_] { impl->ioc.run(); });
}

TestCollector::~TestCollector() {
  impl_->on_io([&] { impl_->close_all(); });
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
}

void TestCollector::stop() {
  impl_->on_io([&] { impl_->close_all(); });
}

void TestCollector::start() {
  impl_->on_io([&] { impl_->listen(port_); });
}

std::string TestCollector::endpoint() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }

void TestCollector::set_script(Script script) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->script = std::move(script);
}

void TestCollector::on_batch(std::function<void(const ReceivedBatch&)> callback) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->callback = std::move(callback);
}

std::vector<ReceivedBatch> TestCollector::batches() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->batches;
}

std::vector<RequestInfo> TestCollector::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->requests;
}

size_t TestCollector::event_count() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->events;
}

bool TestCollector::wait_for_events(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->events >= n; });
}

}  // namespace telltale::testing
