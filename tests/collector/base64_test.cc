// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/base64.h"

#include <gtest/gtest.h>

namespace telltale::collector {
namespace {

// RFC 4648's test vectors, both ways.
TEST(Base64, EncodesAndDecodesRfc4648sVectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain);
  }
  EXPECT_EQ(base64_decode("Zm9v_YmFy"), "foo");  // up to what is not base64
  EXPECT_EQ(base64_decode("_Zm9v"), "");
  EXPECT_EQ(base64_encode(std::string("\xff\x00\x80", 3)), "/wCA");
}

}  // namespace
}  // namespace telltale::collector
