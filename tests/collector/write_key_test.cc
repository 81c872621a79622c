// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "ingest/write_key.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

TEST(WriteKey, ReadsBasicUserNameAndBearer) {
  EXPECT_EQ(write_key_from_authorization("Basic d2tfdGVzdDo="), "wk_test");  // "wk_test:"
  EXPECT_EQ(write_key_from_authorization("basic d2tfdGVzdA=="), "wk_test");  // no colon
  EXPECT_EQ(write_key_from_authorization("Bearer wk_live_1"), "wk_live_1");
  EXPECT_EQ(write_key_from_authorization(""), "");
  EXPECT_EQ(write_key_from_authorization("Digest x"), "");
}

}  // namespace
}  // namespace telltale::collector
