// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The tool's CSV: quoting (RFC 4180), text a spreadsheet would run as a
// formula kept as text, lists joined, missing and null fields empty.
#include "cli/csv_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace telltale::cli {
namespace {

constexpr const char* kColumns[] = {"id", "name", "score", "signals", "owner", "gone"};

TEST(CsvText, QuotesWhatNeedsItAndKeepsFormulasAsText) {
  EXPECT_EQ(csv_header(kColumns), "id,name,score,signals,owner,gone");
  const auto row = boost::json::parse(R"json({"id": 12, "name": "Acme, \"the\" company\nInc", "score": 63.5,
                                          "signals": ["pricing_page", "=cmd()"], "owner": null})json").as_object();
  EXPECT_EQ(csv_row(row, kColumns), "12,\"Acme, \"\"the\"\" company\nInc\",63.5,pricing_page; '=cmd(),,");
  for (const char* formula : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx"}) {
    const boost::json::object o{{"name", formula}};
    EXPECT_EQ(csv_row(o, std::span(kColumns).subspan(1, 1)), std::string("'") + formula) << formula;
  }
  const boost::json::object flag{{"id", true}};
  EXPECT_EQ(csv_row(flag, std::span(kColumns).first(1)), "true");
}

}  // namespace
}  // namespace telltale::cli
