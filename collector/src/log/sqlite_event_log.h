// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SqliteEventLog: the embedded EventLog, one SQLite database in the data
// directory (WAL, synchronous=FULL: a commit is fsynced before append()
// returns). An append is one transaction: on failure nothing is stored. Tables, inspectable with the sqlite3 shell:
//   frames(position, received_at_ms, format, dedup_key, events, payload)
//   seen_ids(id, seen_at_ms)  -- de-duplication keys, kept for the window
//   meta(key, value)
// Not thread-safe: one writer thread; readers open their own instance
// (open_read_only), which WAL lets run beside the writer.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "event_log.h"

struct sqlite3;
struct sqlite3_stmt;

namespace telltale::collector {

struct LogStats {
  int64_t frames = 0;
  int64_t events = 0;
  int64_t first_position = 0;
  int64_t last_position = 0;
  int64_t first_received_ms = 0;
  int64_t last_received_ms = 0;
  int64_t seen_ids = 0;
  int64_t file_bytes = 0;
};

class SqliteEventLog final : public EventLog {
 public:
  // Opens or creates <dir>/telltale.db (creating `dir`). Throws
  // std::runtime_error with the reason on failure (startup only).
  static std::unique_ptr<SqliteEventLog> open(const std::string& dir,
                                              std::chrono::hours dedup_window);
  // Opens an existing database for reading; throws if it does not exist.
  static std::unique_ptr<SqliteEventLog> open_read_only(const std::string& dir);
  ~SqliteEventLog() override;

  LogStatus append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) override;
  LogStatus read(int64_t after, size_t max, std::vector<StoredFrame>* out) override;
  int64_t last_position() override;
  int64_t expire_seen_ids(int64_t now_ms) override;
  int64_t expire_frames(int64_t before_ms, int64_t up_to, std::chrono::milliseconds budget) override;
  std::string describe() const override { return path_; }
  LogStats stats();

 private:
  SqliteEventLog(sqlite3* db, std::string path, std::chrono::hours window);
  void exec(const char* sql);
  void prepare_reads();
  sqlite3_stmt* prepare(const char* sql);

  sqlite3* db_;
  std::string path_;
  std::chrono::hours window_;
  sqlite3_stmt* insert_seen_ = nullptr;
  sqlite3_stmt* insert_frame_ = nullptr;
  sqlite3_stmt* select_after_ = nullptr;
};

}  // namespace telltale::collector
