// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "cli/csv_text.h"

#include <string_view>

#include <boost/json.hpp>

#include "app/json_text.h"

namespace telltale::cli {
namespace {

std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string inert(std::string text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos ? "'" + text : text;
}

std::string text_of(const boost::json::value* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return inert(std::string(v->get_string()));
  if (const boost::json::array* texts = v->if_array()) {
    std::string joined;
    for (const boost::json::value& t : *texts) joined += (joined.empty() ? "" : "; ") + text_of(&t);
    return joined;
  }
  return collector::json_text(*v);
}

}  // namespace

std::string csv_header(std::span<const char* const> columns) {
  std::string line;
  for (const char* column : columns) line += (line.empty() ? "" : ",") + field(column);
  return line;
}

std::string csv_row(const boost::json::object& o, std::span<const char* const> columns) {
  std::string line;
  bool first = true;
  for (const char* column : columns) {
    line += (first ? "" : ",") + field(text_of(o.if_contains(column)));
    first = false;
  }
  return line;
}

}  // namespace telltale::cli
