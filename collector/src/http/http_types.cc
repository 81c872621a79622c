// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http_types.h"

#include <boost/json.hpp>

namespace telltale::collector {

namespace http = boost::beast::http;

std::map<std::string, std::string> parse_query(const std::string& query) {
  auto decode = [](const std::string& in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '+') {
        out += ' ';
      } else if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
        out += char(std::stoi(in.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += in[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> params;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t end = query.find('&', pos);
    std::string pair = query.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t eq = pair.find('=');
    if (!pair.empty()) params[decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : decode(pair.substr(eq + 1));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return params;
}

Response json_response(unsigned version, bool keep_alive, int status, std::string body) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::server, "telltale-collector");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response error_response(unsigned version, bool keep_alive, int status, const std::string& error,
                        const std::string& detail) {
  boost::json::object o;
  o["error"] = error;
  o["detail"] = detail;
  return json_response(version, keep_alive, status, boost::json::serialize(o));
}

}  // namespace telltale::collector
