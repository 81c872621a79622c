// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace telltale::collector {
namespace {

TEST(JsonText, WritesFractionsAsPeopleDo) {
  boost::json::object o;
  o["score"] = 277.5;
  o["whole"] = 63;
  o["tenth"] = 0.1;
  o["text"] = "say \"hi\"\n";
  o["list"] = boost::json::array{1.25, -2, true, nullptr};
  o["nested"] = boost::json::object{{"pct", 80.5}};
  const std::string text = json_text(o);
  EXPECT_EQ(text, R"({"score":277.5,"whole":63,"tenth":0.1,"text":"say \"hi\"\n","list":[1.25,-2,true,null],)"
                  R"("nested":{"pct":80.5}})");
  EXPECT_EQ(boost::json::parse(text), boost::json::value(o));  // the same JSON, read back
}

TEST(JsonText, NonFiniteNumbersBecomeNull) {
  boost::json::array a{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(), 1e300};
  EXPECT_EQ(json_text(a), "[null,null,1e+300]");
}

}  // namespace
}  // namespace telltale::collector
