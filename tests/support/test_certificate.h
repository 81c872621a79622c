// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// make_test_certificate: a self-signed certificate and its key for a test's
// TLS server (openssl), valid two days, for `host`: a DNS name or an IPv4
// address, written into the certificate's subject alternative name, which
// TLS clients check. A client trusts it as its CA file. Throws
// std::runtime_error with openssl's words when it cannot be made.
#pragma once

#include <string>

namespace telltale::testing {

struct TestCertificate {
  std::string cert_file;  // "<prefix>-cert.pem"
  std::string key_file;   // "<prefix>-key.pem"
};

TestCertificate make_test_certificate(const std::string& prefix, const std::string& host);

}  // namespace telltale::testing
