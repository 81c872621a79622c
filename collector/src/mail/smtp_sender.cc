// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/trim.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstring>
#include <memory>
#include <mutex>

#include "mail/mail_message.h"

namespace telltale::collector {
namespace {

// The URL curl is given: smtp:// on the submission port unless another is
// said; nullopt unless smtp:// or smtps:// with a host.
std::optional<boost::urls::url> server_url(const std::string& text) {
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed || parsed->host().empty()) return std::nullopt;
  boost::urls::url u = *parsed;
  const std::string scheme = boost::algorithm::to_lower_copy(std::string(u.scheme()));
  if (scheme != "smtp" && scheme != "smtps") return std::nullopt;
  if (!u.has_port()) u.set_port(scheme == "smtp" ? "587" : "465");
  return u;
}

// The message, read by curl as the DATA it sends.
struct Upload {
  const std::string& message;
  size_t sent = 0;
};

size_t read_message(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->message.size() - upload->sent);
  std::memcpy(buffer, upload->message.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

// The server's last refusal ("535 5.7.8 Authentication credentials
// invalid": an answer of 4xx or 5xx), from curl's debug stream: the words a
// failure is told with (the answer to the QUIT that follows is not).
int keep_last_refusal(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type == CURLINFO_HEADER_IN && size > 0 && (data[0] == '4' || data[0] == '5'))
    *static_cast<std::string*>(user) = boost::algorithm::trim_copy(std::string(data, size));
  return 0;
}

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

}  // namespace

bool is_smtp_url(const std::string& url) { return server_url(url).has_value(); }

std::string smtp_server_label(const std::string& url) {
  const auto u = server_url(url);
  return u ? std::string(u->host()) + ":" + std::string(u->port()) : url;
}

void send_mail(const SmtpSettings& settings, const std::vector<std::string>& recipients, const std::string& message) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const auto url = server_url(settings.url);
  if (!url) throw MailError("[email] smtp \"" + settings.url + "\" is not an smtp:// or smtps:// URL");
  const std::string server = smtp_server_label(settings.url);
  const std::optional<std::string> from = sender_address(settings.from);
  if (!from) throw MailError("[email] from \"" + settings.from + "\" has no address");

  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw MailError("cannot start a mail to " + server + ": out of memory");
  CurlList to(nullptr, &curl_slist_free_all);
  for (const std::string& address : recipients)
    to.reset(curl_slist_append(to.release(), ("<" + address + ">").c_str()));
  Upload upload{message};
  char error[CURL_ERROR_SIZE] = "";
  std::string refusal;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, std::string(url->buffer()).c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + *from + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_message);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_USE_SSL, long(settings.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!settings.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str());
  if (!settings.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // mail goes directly, whatever all_proxy says
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);  // a stop or reload waits for a mail under way
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &keep_last_refusal);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &refusal);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // to the debug function only: the server's answers
  const CURLcode result = curl_easy_perform(c);
  if (result == CURLE_OK) return;

  std::string why = error[0] ? error : curl_easy_strerror(result);
  if (result == CURLE_USE_SSL_FAILED)
    why = "it offers no STARTTLS, and require_tls is on (set it false for a relay that has no TLS)";
  throw MailError("mail through " + server + ": " + why +
                  (refusal.empty() ? "" : " (the server said: " + refusal + ")"));
}

}  // namespace telltale::collector
