// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/base64.h"

#include <boost/beast/core/detail/base64.hpp>

namespace telltale::collector {

namespace b64 = boost::beast::detail::base64;

std::string base64_encode(std::string_view bytes) {
  std::string out(b64::encoded_size(bytes.size()), '\0');
  out.resize(b64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

std::string base64_decode(std::string_view text) {
  std::string out(b64::decoded_size(text.size()), '\0');
  out.resize(b64::decode(out.data(), text.data(), text.size()).first);
  return out;
}

}  // namespace telltale::collector
