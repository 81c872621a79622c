// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// send_mail: hands one message to the SMTP server of the config's [email]
// (libcurl): smtps:// speaks TLS from the start, smtp:// upgrades with
// STARTTLS, required unless `require_tls` is false (a relay on the same
// machine or network that offers none); the server's certificate is
// checked against the system's trust store, or `ca_file`. `username` and
// `password` log in when given (whichever of PLAIN, LOGIN and the like the
// server offers). Mail goes to the server directly, never through the
// HTTP proxies of the environment. Each call opens its own connection
// (alerts are few a minute), so calls on several threads are independent,
// and gives up after 10 s to connect and 30 s in all.
// A failure throws MailError, saying in words where and why, with the
// server's answer when it gave one ("smtp.example.com:587 refused the
// login: 535 5.7.8 Authentication credentials invalid"); the password is
// never in it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace telltale::collector {

struct SmtpSettings {
  std::string url;       // smtp://host[:port] (587 by default) or smtps://host[:port] (465)
  std::string from;      // "Telltale <pql@example.com>": the From: header; its address, the envelope's
  std::string username;  // empty: no login
  std::string password;
  bool require_tls = true;
  std::string ca_file;  // PEM certificates to trust; empty: the system's
  bool configured() const { return !url.empty(); }
};

struct MailError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Sends `message` (headers and body, CRLF lines: mail_message.h) to each of
// `recipients`, from the address of settings.from.
void send_mail(const SmtpSettings& settings, const std::vector<std::string>& recipients, const std::string& message);

// Whether `url` is smtp://host[:port] or smtps://host[:port].
bool is_smtp_url(const std::string& url);

// "smtp.example.com:587": the server's host and port, for logs and errors.
std::string smtp_server_label(const std::string& url);

}  // namespace telltale::collector
