// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/database_backup.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>

#include "log/sqlite_db.h"

namespace telltale::collector {

int64_t backup_database(const std::string& data_dir, const std::string& to) {
  namespace fs = std::filesystem;
  if (fs::exists(to)) throw std::runtime_error(to + " exists already: name a new file");
  const std::string partial = to + ".partial";
  fs::remove(partial);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> source(open_database(data_dir, /*read_only=*/true), sqlite3_close);
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(partial.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> copy(raw, sqlite3_close);
  if (opened != SQLITE_OK)
    throw std::runtime_error("cannot create " + partial + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source.get(), "main");
  if (backup == nullptr) throw std::runtime_error("cannot back up to " + partial + ": " + sqlite3_errmsg(copy.get()));
  // Every page in one step: one read transaction, one committed state. (In
  // steps, each write the collector made meanwhile would start the copy
  // over, and a busy collector could keep it from ever finishing.) In WAL
  // mode the reader does not hold the writer up.
  int rc = SQLITE_BUSY;
  while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    const std::string why = sqlite3_errstr(rc);
    copy.reset();
    fs::remove(partial);
    throw std::runtime_error("backing up " + database_path(data_dir) + " failed: " + why);
  }
  copy.reset();  // closed: every page is on disk
  fs::rename(partial, to);
  return int64_t(fs::file_size(to));
}

}  // namespace telltale::collector
