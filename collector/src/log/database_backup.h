// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// backup_database: a consistent copy of a data directory's telltale.db (the
// event log, its de-duplication ids, the alerts, snapshots and webhook
// cursors), taken while a collector runs and writes: SQLite's online backup
// copies every page within one read transaction (WAL: the collector keeps
// writing meanwhile), so the copy is one committed state. It is written to
// `to`.partial and renamed to `to` once complete; `to` must not exist. A
// copy restores by becoming a stopped collector's <data dir>/telltale.db.
// Throws std::runtime_error naming the file and the reason. Thread-safe
// (its own connections).
#pragma once

#include <cstdint>
#include <string>

namespace telltale::collector {

// Returns the copy's size in bytes.
int64_t backup_database(const std::string& data_dir, const std::string& to);

}  // namespace telltale::collector
