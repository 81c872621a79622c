// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The collector's SQLite database file, opened the one way every component
// opens it: <dir>/telltale.db, no SQLite-level mutex (each connection has
// one owner), and for writers WAL with synchronous=FULL. Throws
// std::runtime_error with the path and SQLite's reason (startup only).
#pragma once

#include <string>

struct sqlite3;

namespace telltale::collector {

std::string database_path(const std::string& dir);
// mkdir -p `dir` (mode 0750); throws saying which part could not be made.
void make_data_dir(const std::string& dir);
// Read-write (creating the directory and the file) with WAL and FULL sync,
// or read-only.
sqlite3* open_database(const std::string& dir, bool read_only);
// Runs `sql`; throws with `what` and SQLite's message on failure.
void exec_or_throw(sqlite3* db, const char* sql, const std::string& what);

}  // namespace telltale::collector
