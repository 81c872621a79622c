// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "test_smtp_server.h"

#include <mutex>
#include <set>
#include <thread>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/detail/base64.hpp>

namespace telltale::testing {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

auto on(boost::system::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

std::string base64_decoded(const std::string& text) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::decoded_size(text.size()), '\0');
  out.resize(b64::decode(out.data(), text.data(), text.size()).first);
  return out;
}

// "<a@b>" -> "a@b", of "MAIL FROM:<a@b> SIZE=12" and "RCPT TO:<a@b>".
std::string angle_address(const std::string& line) {
  const size_t open = line.find('<'), close = line.find('>');
  return open == std::string::npos || close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
}

}  // namespace

struct TestSmtpServer::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  uint16_t port = acceptor.local_endpoint().port();
  SmtpServerOptions options;
  std::unique_ptr<ssl::context> tls;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<ReceivedMail> received;
  std::set<std::string> refused;
  int deferred = 0;

  net::awaitable<void> accept_loop() {
    for (;;) {
      auto client = std::make_shared<tcp::socket>(ioc);
      boost::system::error_code ec;
      co_await acceptor.async_accept(*client, on(ec));
      if (ec) co_return;
      net::co_spawn(ioc, serve(client), net::detached);
    }
  }

  // One client's conversation, in plain text until STARTTLS.
  struct Conversation {
    std::shared_ptr<tcp::socket> socket;
    std::unique_ptr<ssl::stream<tcp::socket&>> secure;
    net::streambuf input;
    boost::system::error_code ec;

    net::awaitable<std::string> line() {
      const size_t n = secure ? co_await net::async_read_until(*secure, input, "\r\n", on(ec))
                              : co_await net::async_read_until(*socket, input, "\r\n", on(ec));
      if (ec) co_return "";
      std::string text(net::buffers_begin(input.data()), net::buffers_begin(input.data()) + std::ptrdiff_t(n) - 2);
      input.consume(n);
      co_return text;
    }
    net::awaitable<void> say(const std::string& text) {
      const std::string out = text + "\r\n";
      if (secure) co_await net::async_write(*secure, net::buffer(out), on(ec));
      else co_await net::async_write(*socket, net::buffer(out), on(ec));
    }
  };

  net::awaitable<void> serve(std::shared_ptr<tcp::socket> client) {
    Conversation c;
    c.socket = client;
    ReceivedMail mail;
    co_await c.say("220 test.smtp ESMTP ready");
    while (!c.ec) {
      const std::string command = co_await c.line();
      if (c.ec) co_return;
      const std::string verb = boost::algorithm::to_upper_copy(command.substr(0, command.find(' ')));
      if (verb == "EHLO") {
        std::vector<std::string> lines = {"test.smtp", "8BITMIME"};
        if (tls && !c.secure) lines.push_back("STARTTLS");
        if (!options.user.empty()) lines.push_back("AUTH PLAIN");
        for (size_t i = 0; i < lines.size(); ++i) co_await c.say((i + 1 < lines.size() ? "250-" : "250 ") + lines[i]);
      } else if (verb == "HELO" || verb == "NOOP") {
        co_await c.say("250 OK");
      } else if (verb == "STARTTLS" && tls && !c.secure) {
        co_await c.say("220 2.0.0 Ready to start TLS");
        c.secure = std::make_unique<ssl::stream<tcp::socket&>>(*client, *tls);
        co_await c.secure->async_handshake(ssl::stream_base::server, on(c.ec));
        mail = {};
        mail.tls = true;
      } else if (verb == "AUTH" && boost::algorithm::istarts_with(command, "AUTH PLAIN")) {
        std::string response = command.size() > 11 ? command.substr(11) : "";
        if (response.empty()) {
          co_await c.say("334 ");
          response = co_await c.line();
        }
        const std::string plain = base64_decoded(response);  // authzid \0 user \0 password
        const size_t first = plain.find('\0'), second = plain.find('\0', first + 1);
        const std::string user = plain.substr(first + 1, second - first - 1), password = plain.substr(second + 1);
        if (first == std::string::npos || second == std::string::npos || user != options.user ||
            password != options.password) {
          co_await c.say("535 5.7.8 Authentication credentials invalid");
        } else {
          mail.user = user;
          co_await c.say("235 2.7.0 Authentication successful");
        }
      } else if (verb == "MAIL") {
        if (!options.user.empty() && mail.user.empty()) {
          co_await c.say("530 5.7.0 Authentication required");
          continue;
        }
        mail.mail_from = angle_address(command);
        mail.to.clear();
        co_await c.say("250 2.1.0 OK");
      } else if (verb == "RCPT") {
        const std::string address = angle_address(command);
        bool refuse;
        {
          std::lock_guard<std::mutex> lock(mutex);
          refuse = refused.contains(address);
        }
        if (refuse) {
          co_await c.say("550 5.1.1 <" + address + ">: Recipient address rejected: User unknown");
        } else {
          mail.to.push_back(address);
          co_await c.say("250 2.1.5 OK");
        }
      } else if (verb == "DATA") {
        co_await c.say("354 End data with <CR><LF>.<CR><LF>");
        std::string data;
        for (std::string text = co_await c.line(); !c.ec && text != "."; text = co_await c.line())
          data += (text.starts_with(".") ? text.substr(1) : text) + "\r\n";
        bool defer;
        {
          std::lock_guard<std::mutex> lock(mutex);
          defer = deferred > 0;
          if (defer) --deferred;
          else received.push_back({mail.mail_from, mail.to, data, mail.tls, mail.user});
        }
        co_await c.say(defer ? "451 4.3.0 Try again later" : "250 2.0.0 OK queued");
      } else if (verb == "RSET") {
        mail.mail_from.clear();
        mail.to.clear();
        co_await c.say("250 OK");
      } else if (verb == "QUIT") {
        co_await c.say("221 2.0.0 Bye");
        co_return;
      } else {
        co_await c.say("502 5.5.2 Command not recognized");
      }
    }
  }
};

TestSmtpServer::TestSmtpServer(SmtpServerOptions options) : impl_(std::make_shared<Impl>()) {
  if (!options.cert_file.empty()) {
    impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(options.cert_file);
    impl_->tls->use_private_key_file(options.key_file, ssl::context::pem);
  }
  impl_->options = std::move(options);
  net::co_spawn(impl_->ioc, impl_->accept_loop(), net::detached);
  impl_->thread = std::thread([impl = impl_] { impl->ioc.run(); });
}

TestSmtpServer::~TestSmtpServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

uint16_t TestSmtpServer::port() const { return impl_->port; }

std::string TestSmtpServer::url() const { return "smtp://127.0.0.1:" + std::to_string(impl_->port); }

std::vector<ReceivedMail> TestSmtpServer::received() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->received;
}

void TestSmtpServer::refuse_recipient(const std::string& address) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->refused.insert(address);
}

void TestSmtpServer::defer(int messages) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->deferred = messages;
}

std::string mail_header(const std::string& data, const std::string& name) {
  const std::string head = data.substr(0, data.find("\r\n\r\n") + 2);
  for (size_t at = 0; at < head.size();) {
    const size_t end = head.find("\r\n", at);
    const std::string line = head.substr(at, end - at);
    if (boost::algorithm::istarts_with(line, name + ": ")) return line.substr(name.size() + 2);
    at = end + 2;
  }
  return "";
}

namespace {

std::string after_blank_line(const std::string& data) {
  const size_t blank = data.find("\r\n\r\n");
  return blank == std::string::npos ? "" : data.substr(blank + 4);
}

// The part of message `data` whose Content-Type is `type`, its headers
// and content; the message itself when it is not multipart (and `type`
// is its type, or text/plain); "" when there is none.
std::string mail_part(const std::string& data, const std::string& type) {
  const std::string content_type = mail_header(data, "Content-Type");
  const size_t at = content_type.find("boundary=\"");
  if (at == std::string::npos)
    return type == "text/plain" || boost::algorithm::istarts_with(content_type, type) ? data : "";
  const size_t from = at + 10;
  const std::string delimiter = "\r\n--" + content_type.substr(from, content_type.find('"', from) - from);
  const std::string body = "\r\n" + after_blank_line(data);
  for (size_t start = body.find(delimiter); start != std::string::npos;) {
    const size_t begin = start + delimiter.size() + 2;  // past the delimiter's CRLF
    const size_t end = body.find(delimiter, begin);
    if (end == std::string::npos) break;
    const std::string part = body.substr(begin, end - begin) + "\r\n";  // the CRLF before a delimiter is its
    if (boost::algorithm::istarts_with(mail_header(part, "Content-Type"), type)) return part;
    start = end;
  }
  return "";
}

}  // namespace

std::string mail_body(const std::string& data) { return after_blank_line(mail_part(data, "text/plain")); }

std::string mail_html(const std::string& data) {
  std::string encoded;
  for (char c : after_blank_line(mail_part(data, "text/html")))
    if (c != '\r' && c != '\n') encoded += c;
  return base64_decoded(encoded);
}

}  // namespace telltale::testing
