// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_url.h"

#include <boost/url/parse.hpp>

#include "http/credential.h"

namespace telltale::collector {

std::string HttpUrl::authority(bool omit_default_port) const {
  const std::string name = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return omit_default_port && port == (tls ? "443" : "80") ? name : name + ":" + port;
}

std::optional<HttpUrl> parse_http_url(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& u = *parsed;
  HttpUrl out;
  if (u.scheme_id() == boost::urls::scheme::https) out.tls = true;
  else if (u.scheme_id() != boost::urls::scheme::http) return std::nullopt;
  out.host = u.host_address();
  if (out.host.empty()) return std::nullopt;
  if (u.has_port()) {
    if (u.port().empty()) return std::nullopt;
    out.port = u.port();
  } else {
    out.port = out.tls ? "443" : "80";
  }
  out.target = u.encoded_target();
  if (out.target.empty()) out.target = "/";
  if (u.has_userinfo()) out.authorization = basic_authorization(u.user(), u.password());
  return out;
}

std::string shown_url(const std::string& url) {
  const std::optional<HttpUrl> parsed = parse_http_url(url);
  if (!parsed) return url;
  return std::string(parsed->tls ? "https://" : "http://") + parsed->authority(/*omit_default_port=*/true) +
         (parsed->target == "/" ? "/" : "/…");
}

}  // namespace telltale::collector
