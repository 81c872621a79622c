// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// CSV (RFC 4180) for the tool's --csv output, for a spreadsheet or a CRM
// import: a header line of column names, and a line per JSON object with
// its fields of those names. A field is quoted when it holds a comma, a
// quote or a line break; text that a spreadsheet would run as a formula
// (=, +, -, @ first: CSV injection) stays text, with a leading '. Pure
// functions.
#pragma once

#include <span>
#include <string>

#include <boost/json/object.hpp>

namespace telltale::cli {

std::string csv_header(std::span<const char* const> columns);
// The object's fields named by `columns`: text as it is (made inert), an
// array of texts joined with "; ", null or a missing field empty, other
// values as JSON.
std::string csv_row(const boost::json::object& o, std::span<const char* const> columns);

}  // namespace telltale::cli
