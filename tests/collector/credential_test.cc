// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "http/credential.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

TEST(Credential, ReadsBasicUserNameAndBearer) {
  EXPECT_EQ(credential_from_authorization("Basic d2tfdGVzdDo="), "wk_test");  // "wk_test:"
  EXPECT_EQ(credential_from_authorization("basic d2tfdGVzdA=="), "wk_test");  // no colon
  EXPECT_EQ(credential_from_authorization("Bearer wk_live_1"), "wk_live_1");
  EXPECT_EQ(credential_from_authorization(""), "");
  EXPECT_EQ(credential_from_authorization("Digest x"), "");
}

TEST(Credential, WritesBasicAuthenticationAsRfc7617Says) {
  EXPECT_EQ(basic_authorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(basic_authorization("wk_test", ""), "Basic d2tfdGVzdDo=");
  EXPECT_EQ(credential_from_authorization(basic_authorization("ops", "s3cret")), "ops");
}

}  // namespace
}  // namespace telltale::collector
