// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/json_text.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

namespace telltale::collector {
namespace {

void write(const boost::json::value& v, std::string* out) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, value] : v.get_object()) {
        if (!first) out->push_back(',');
        first = false;
        *out += boost::json::serialize(boost::json::string(key));
        out->push_back(':');
        write(value, out);
      }
      out->push_back('}');
      break;
    }
    case boost::json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& value : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        write(value, out);
      }
      out->push_back(']');
      break;
    }
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        *out += "null";
        break;
      }
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      *out += buf;
      break;
    }
    default: *out += boost::json::serialize(v);
  }
}

}  // namespace

std::string json_text(const boost::json::value& v) {
  std::string out;
  write(v, &out);
  return out;
}

}  // namespace telltale::collector
