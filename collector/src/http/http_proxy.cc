// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/http_proxy.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <boost/algorithm/string.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace telltale::collector {

namespace {

namespace ip = boost::asio::ip;

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

// Whether `a` lies in the CIDR block `block` ("10.0.0.0/8"): the two are
// the same network at the block's prefix length.
bool in_block(const ip::address& a, const std::string& block) {
  boost::system::error_code ec;
  if (a.is_v4()) {
    const ip::network_v4 net = ip::make_network_v4(block, ec);
    return !ec && ip::network_v4(a.to_v4(), net.prefix_length()).canonical() == net.canonical();
  }
  const ip::network_v6 net = ip::make_network_v6(block, ec);
  return !ec && ip::network_v6(a.to_v6(), net.prefix_length()).canonical() == net.canonical();
}

// The host a request goes to: its name in lowercase, and its address when it is one.
struct Host {
  std::string name;
  std::optional<ip::address> address;
  std::string port;
};

// Whether one no_proxy entry (lowercase, trimmed) names `host`.
bool names(const std::string& spelled, const Host& host) {
  if (spelled == "*") return true;
  if (spelled.find('/') != std::string::npos) return host.address && in_block(*host.address, spelled);
  const std::string_view entry = spelled;
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
  if (!entry_port.empty() && entry_port != host.port) return false;
  if (const auto a = address_of(name)) return host.address == a;
  if (name.starts_with("*.")) name.remove_prefix(2);
  else if (name.starts_with(".")) name.remove_prefix(1);
  if (name.empty()) return false;
  const std::string& h = host.name;
  return h == name || (h.size() > name.size() && h.ends_with(name) && h[h.size() - name.size() - 1] == '.');
}

bool reached_directly(const HttpUrl& target, const Environment& env) {
  const Host host{boost::algorithm::to_lower_copy(target.host), address_of(target.host), target.port};
  if (host.name == "localhost" || host.name.ends_with(".localhost") || (host.address && host.address->is_loopback()))
    return true;
  std::string which;
  const char* list = variable(env, "no_proxy", "NO_PROXY", &which);
  if (!list) return false;
  std::vector<std::string> entries;
  boost::algorithm::split(entries, boost::algorithm::to_lower_copy(std::string(list)), boost::is_any_of(","));
  return std::any_of(entries.begin(), entries.end(), [&](std::string& entry) {
    boost::algorithm::trim(entry);
    return !entry.empty() && names(entry, host);
  });
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
