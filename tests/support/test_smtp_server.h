// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// TestSmtpServer: an SMTP server for tests of the mail Telltale sends. It
// speaks what a submission server does (EHLO, STARTTLS with a given
// certificate, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps each
// message it accepts with its envelope, and can be told to refuse: a
// login without the credentials it was given (535), a recipient (550), or
// the next messages for a while (451, as a server that is busy does).
//
// Thread-safe: the server runs its own thread; the rest locks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace telltale::testing {

struct ReceivedMail {
  std::string mail_from;        // the envelope's sender, without angle brackets
  std::vector<std::string> to;  // the envelope's recipients
  std::string data;             // the message, its dot-stuffing undone, CRLF lines
  bool tls = false;             // sent over TLS (STARTTLS)
  std::string user;             // who logged in; empty: nobody
};

struct SmtpServerOptions {
  std::string cert_file, key_file;  // PEM: offer STARTTLS with these; empty: no TLS
  std::string user, password;       // demand this login before MAIL; empty: none asked
};

class TestSmtpServer {
 public:
  explicit TestSmtpServer(SmtpServerOptions options = {});
  ~TestSmtpServer();

  uint16_t port() const;
  std::string url() const;  // "smtp://127.0.0.1:<port>"
  std::vector<ReceivedMail> received() const;
  // RCPT TO this address gets "550 5.1.1 ... User unknown".
  void refuse_recipient(const std::string& address);
  // The next `messages` DATA get "451 4.3.0 Try again later".
  void defer(int messages);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The header `name` of a message (its first line: no unfolding), "" if absent.
std::string mail_header(const std::string& data, const std::string& name);
// A message's text: what follows its empty line, or, in a multipart
// message, its text/plain part's content.
std::string mail_body(const std::string& data);
// A multipart message's HTML part, decoded from its base64; "" when it has none.
std::string mail_html(const std::string& data);

}  // namespace telltale::testing
