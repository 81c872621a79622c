// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "test_certificate.h"

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

#include "child_process.h"

namespace telltale::testing {

TestCertificate make_test_certificate(const std::string& prefix, const std::string& host) {
  TestCertificate made{prefix + "-cert.pem", prefix + "-key.pem"};
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(host, not_an_address);
  const std::string name = (not_an_address ? "DNS:" : "IP:") + host;
  const auto [status, out] =
      run_command("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=" + host + " -addext subjectAltName=" +
                  name + " -keyout " + made.key_file + " -out " + made.cert_file + " 2>&1");
  if (status != 0) throw std::runtime_error("openssl could not make a test certificate: " + out);
  return made;
}

}  // namespace telltale::testing
