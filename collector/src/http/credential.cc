// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/credential.h"

#include "app/base64.h"

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
    const std::string decoded = base64_decode(encoded);
    return decoded.substr(0, decoded.find(':'));  // the user name is the credential
  }
  return "";
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  return "Basic " + base64_encode(std::string(user) + ":" + std::string(password));
}

}  // namespace telltale::collector
