// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_proxy.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace telltale::collector {

namespace {

namespace ip = boost::asio::ip;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<ip::address> address_of(std::string_view host) {
  boost::system::error_code ec;
  const ip::address a = ip::make_address(host, ec);
  return ec ? std::nullopt : std::optional(a);
}

// The first of the two spellings that is set and not empty; `which` names it.
const char* variable(const Environment& env, const char* lowercase, const char* uppercase, std::string* which) {
  for (const char* name : {lowercase, uppercase}) {
    const char* value = env(name);
    if (value && *value) {
      *which = name;
      return value;
    }
  }
  return nullptr;
}

bool loopback(const std::string& host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  const auto a = address_of(host);
  return a && a->is_loopback();
}

// Whether `a` lies in the CIDR block `block` ("10.0.0.0/8").
bool in_block(const ip::address& a, std::string_view block) {
  const size_t slash = block.find('/');
  const auto base = address_of(block.substr(0, slash));
  unsigned bits = 0;
  const std::string_view length = block.substr(slash + 1);
  if (!base || base->is_v4() != a.is_v4() ||
      std::from_chars(length.data(), length.data() + length.size(), bits).ec != std::errc())
    return false;
  auto compare = [bits](const auto& x, const auto& y) {
    if (bits > x.size() * 8) return false;
    const size_t whole = bits / 8;
    if (!std::equal(x.begin(), x.begin() + long(whole), y.begin())) return false;
    const unsigned rest = bits % 8;
    if (rest == 0) return true;
    const unsigned mask = (0xffu << (8 - rest)) & 0xffu;
    return (x[whole] & mask) == (y[whole] & mask);
  };
  return a.is_v4() ? compare(a.to_v4().to_bytes(), base->to_v4().to_bytes())
                   : compare(a.to_v6().to_bytes(), base->to_v6().to_bytes());
}

// Whether one no_proxy entry names `host` (lowercase) on `port`.
bool names(std::string_view entry, const std::string& host, const std::string& port) {
  if (entry == "*") return true;
  if (entry.find('/') != std::string_view::npos) {
    const auto a = address_of(host);
    return a && in_block(*a, entry);
  }
  // A port follows "[v6]" or a name or IPv4 address; a bare IPv6 address has none.
  std::string_view name = entry, entry_port;
  if (entry.front() == '[') {
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) return false;
    name = entry.substr(1, close - 1);
    if (entry.size() > close + 1 && entry[close + 1] == ':') entry_port = entry.substr(close + 2);
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    const size_t colon = entry.find(':');
    name = entry.substr(0, colon);
    entry_port = entry.substr(colon + 1);
  }
  if (!entry_port.empty() && entry_port != port) return false;
  if (const auto a = address_of(name)) {
    const auto h = address_of(host);
    return h && *h == *a;
  }
  if (name.starts_with("*.")) name.remove_prefix(2);
  else if (name.starts_with(".")) name.remove_prefix(1);
  if (name.empty()) return false;
  return host == name ||
         (host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.');
}

bool reached_directly(const HttpUrl& target, const Environment& env) {
  const std::string host = lower(target.host);
  if (loopback(host)) return true;
  std::string which;
  const char* list = variable(env, "no_proxy", "NO_PROXY", &which);
  if (!list) return false;
  std::string_view rest = list;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string entry = lower(trimmed(rest.substr(0, comma)));
    if (!entry.empty() && names(entry, host, target.port)) return true;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return false;
}

// The value without its password, for messages.
std::string redacted(std::string_view value) {
  const size_t at = value.rfind('@');
  if (at == std::string_view::npos) return std::string(value);
  const size_t scheme = value.find("://");
  const size_t start = scheme == std::string_view::npos || scheme > at ? 0 : scheme + 3;
  return std::string(value.substr(0, start)) + "***" + std::string(value.substr(at));
}

}  // namespace

const char* process_environment(const char* name) { return std::getenv(name); }

std::string HttpProxy::description() const { return "proxy " + url.authority() + " (" + variable + ")"; }

std::optional<HttpProxy> proxy_for(const HttpUrl& target, const Environment& env) {
  HttpProxy proxy;
  const char* value = target.tls ? variable(env, "https_proxy", "HTTPS_PROXY", &proxy.variable)
                                 : variable(env, "http_proxy", "HTTP_PROXY", &proxy.variable);
  if (!value || reached_directly(target, env)) return std::nullopt;
  const std::string spelled = value;
  const auto url = parse_http_url(spelled.find("://") == std::string::npos ? "http://" + spelled : spelled);
  if (!url || url->tls)
    throw std::runtime_error(proxy.variable + " is \"" + redacted(spelled) +
                             "\", not an http://[user:password@]host[:port] proxy" +
                             (url ? " (TLS to the proxy is not supported)" : ""));
  proxy.url = *url;
  return proxy;
}

}  // namespace telltale::collector
