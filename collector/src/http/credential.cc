// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/credential.h"

#include <boost/beast/core/detail/base64.hpp>

namespace telltale::collector {

std::string credential_from_authorization(std::string_view header) {
  auto starts = [&](std::string_view prefix) {
    if (header.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(header[i])) != prefix[i]) return false;
    return true;
  };
  if (starts("bearer ")) {
    std::string_view key = header.substr(7);
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    return std::string(key);
  }
  if (starts("basic ")) {
    std::string_view encoded = header.substr(6);
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    std::string decoded(boost::beast::detail::base64::decoded_size(encoded.size()), '\0');
    auto [written, read] = boost::beast::detail::base64::decode(decoded.data(), encoded.data(), encoded.size());
    decoded.resize(written);
    return decoded.substr(0, decoded.find(':'));  // the user name is the credential
  }
  return "";
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  const std::string plain = std::string(user) + ":" + std::string(password);
  std::string encoded(boost::beast::detail::base64::encoded_size(plain.size()), '\0');
  encoded.resize(boost::beast::detail::base64::encode(encoded.data(), plain.data(), plain.size()));
  return "Basic " + encoded;
}

}  // namespace telltale::collector
