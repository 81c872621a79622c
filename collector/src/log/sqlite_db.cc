// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/sqlite_db.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace telltale::collector {

void make_data_dir(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0750) != 0 && errno != EEXIST)
      throw std::runtime_error("cannot create data directory " + prefix + ": " + std::strerror(errno));
  }
}

std::string database_path(const std::string& dir) { return dir + "/telltale.db"; }

sqlite3* open_database(const std::string& dir, bool read_only) {
  const std::string path = database_path(dir);
  if (!read_only) make_data_dir(dir);
  const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path + ": " + why);
  }
  sqlite3_busy_timeout(db, 10000);
  if (!read_only) {
    // WAL lets readers run beside the writer; FULL fsyncs every commit, so a
    // 200 means the data survives a crash or power loss.
    try {
      exec_or_throw(db, "PRAGMA journal_mode=WAL", path);
      exec_or_throw(db, "PRAGMA synchronous=FULL", path);
    } catch (...) {
      sqlite3_close(db);
      throw;
    }
  }
  return db;
}

void exec_or_throw(sqlite3* db, const char* sql, const std::string& what) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw std::runtime_error("sqlite: " + why + " (" + what + ")");
  }
}

}  // namespace telltale::collector
