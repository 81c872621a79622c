// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "sqlite_event_log.h"

#include "log/sqlite_db.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace telltale::collector {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS frames (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at_ms INTEGER NOT NULL,
  format         INTEGER NOT NULL,
  dedup_key      BLOB,
  events         INTEGER NOT NULL,
  payload        BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS seen_ids (
  id         BLOB PRIMARY KEY,
  seen_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_ids_by_time ON seen_ids(seen_at_ms);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
)sql";

// Resets a statement when the scope ends, whatever happened.
struct Reset {
  sqlite3_stmt* s;
  ~Reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

}  // namespace

SqliteEventLog::SqliteEventLog(sqlite3* db, std::string path, std::chrono::hours window)
    : db_(db), path_(std::move(path)), window_(window) {}

std::unique_ptr<SqliteEventLog> SqliteEventLog::open(const std::string& dir, std::chrono::hours window) {
  std::unique_ptr<SqliteEventLog> log(new SqliteEventLog(open_database(dir, /*read_only=*/false), database_path(dir), window));
  log->exec(kSchema);
  log->insert_seen_ = log->prepare("INSERT OR IGNORE INTO seen_ids(id, seen_at_ms) VALUES (?1, ?2)");
  log->insert_frame_ = log->prepare(
      "INSERT INTO frames(received_at_ms, format, dedup_key, events, payload) VALUES (?1, ?2, ?3, ?4, ?5)");
  log->prepare_reads();
  return log;
}

std::unique_ptr<SqliteEventLog> SqliteEventLog::open_read_only(const std::string& dir) {
  std::unique_ptr<SqliteEventLog> log(
      new SqliteEventLog(open_database(dir, /*read_only=*/true), database_path(dir), std::chrono::hours(0)));
  log->prepare_reads();
  return log;
}

void SqliteEventLog::prepare_reads() {
  select_after_ = prepare(
      "SELECT position, received_at_ms, format, dedup_key, events, payload FROM frames "
      "WHERE position > ?1 ORDER BY position LIMIT ?2");
}

SqliteEventLog::~SqliteEventLog() {
  for (sqlite3_stmt* s : {insert_seen_, insert_frame_, select_after_}) sqlite3_finalize(s);
  sqlite3_close(db_);
}

void SqliteEventLog::exec(const char* sql) { exec_or_throw(db_, sql, path_); }

sqlite3_stmt* SqliteEventLog::prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("sqlite: cannot prepare: ") + sqlite3_errmsg(db_));
  return s;
}

LogStatus SqliteEventLog::append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) {
  duplicate->assign(frames.size(), false);
  auto fail = [&](const char* what) {
    std::string why = std::string(what) + ": " + sqlite3_errmsg(db_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    duplicate->assign(frames.size(), false);
    return LogStatus::failure(why);
  };
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return LogStatus::failure(std::string("begin: ") + sqlite3_errmsg(db_));
  for (size_t i = 0; i < frames.size(); ++i) {
    const Frame& f = *frames[i];
    if (!f.dedup_key.empty()) {
      Reset reset{insert_seen_};
      sqlite3_bind_blob(insert_seen_, 1, f.dedup_key.data(), int(f.dedup_key.size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert_seen_, 2, f.received_at_ms);
      if (sqlite3_step(insert_seen_) != SQLITE_DONE) return fail("record id");
      if (sqlite3_changes(db_) == 0) {
        (*duplicate)[i] = true;
        continue;
      }
    }
    Reset reset{insert_frame_};
    sqlite3_bind_int64(insert_frame_, 1, f.received_at_ms);
    sqlite3_bind_int(insert_frame_, 2, int(f.format));
    if (f.dedup_key.empty()) {
      sqlite3_bind_null(insert_frame_, 3);
    } else {
      sqlite3_bind_blob(insert_frame_, 3, f.dedup_key.data(), int(f.dedup_key.size()), SQLITE_STATIC);
    }
    sqlite3_bind_int64(insert_frame_, 4, f.events);
    sqlite3_bind_blob(insert_frame_, 5, f.payload.data(), int(f.payload.size()), SQLITE_STATIC);
    if (sqlite3_step(insert_frame_) != SQLITE_DONE) return fail("append frame");
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("commit");
  return {};
}

LogStatus SqliteEventLog::read(int64_t after, size_t max, std::vector<StoredFrame>* out) {
  out->clear();
  Reset reset{select_after_};
  sqlite3_bind_int64(select_after_, 1, after);
  sqlite3_bind_int64(select_after_, 2, int64_t(max));
  int rc;
  while ((rc = sqlite3_step(select_after_)) == SQLITE_ROW) {
    StoredFrame s;
    s.position = sqlite3_column_int64(select_after_, 0);
    s.frame.received_at_ms = sqlite3_column_int64(select_after_, 1);
    s.frame.format = static_cast<FrameFormat>(sqlite3_column_int(select_after_, 2));
    if (const void* key = sqlite3_column_blob(select_after_, 3))
      s.frame.dedup_key.assign(static_cast<const char*>(key), size_t(sqlite3_column_bytes(select_after_, 3)));
    s.frame.events = static_cast<uint32_t>(sqlite3_column_int64(select_after_, 4));
    auto payload = static_cast<const uint8_t*>(sqlite3_column_blob(select_after_, 5));
    s.frame.payload.assign(payload, payload + sqlite3_column_bytes(select_after_, 5));
    out->push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return LogStatus::failure(std::string("read: ") + sqlite3_errmsg(db_));
  return {};
}

int64_t SqliteEventLog::last_position() {
  // The last position ever given (AUTOINCREMENT's counter): frames that
  // retention deleted keep their positions, and an emptied log its end.
  sqlite3_stmt* s = nullptr;
  int64_t last = 0;
  if (sqlite3_prepare_v2(db_, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'frames'), 0)", -1, &s,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    last = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return last;
}

int64_t SqliteEventLog::expire_seen_ids(int64_t now_ms) {
  sqlite3_stmt* s = nullptr;
  int64_t removed = 0;
  const int64_t cutoff = now_ms - std::chrono::duration_cast<std::chrono::milliseconds>(window_).count();
  if (sqlite3_prepare_v2(db_, "DELETE FROM seen_ids WHERE seen_at_ms < ?1", -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_int64(s, 1, cutoff);
    if (sqlite3_step(s) == SQLITE_DONE) removed = sqlite3_changes(db_);
  }
  sqlite3_finalize(s);
  return removed;
}

int64_t SqliteEventLog::expire_frames(int64_t before_ms, int64_t up_to, std::chrono::milliseconds budget) {
  // The oldest frames first, a few thousand per statement, so that the write
  // lock is released between them (appends wait for it).
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "DELETE FROM frames WHERE position IN (SELECT position FROM frames WHERE position <= ?1 "
                         "AND received_at_ms < ?2 ORDER BY position LIMIT 2000)",
                         -1, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return 0;
  }
  sqlite3_bind_int64(s, 1, up_to);
  sqlite3_bind_int64(s, 2, before_ms);
  int64_t removed = 0;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  for (;;) {
    if (sqlite3_step(s) != SQLITE_DONE) break;
    const int64_t n = sqlite3_changes(db_);
    removed += n;
    sqlite3_reset(s);
    if (n == 0 || std::chrono::steady_clock::now() >= deadline) break;
  }
  sqlite3_finalize(s);
  return removed;
}

LogStats SqliteEventLog::stats() {
  LogStats st;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "SELECT COUNT(*), COALESCE(SUM(events),0), COALESCE(MIN(position),0), "
                         "COALESCE(MAX(position),0), COALESCE(MIN(received_at_ms),0), "
                         "COALESCE(MAX(received_at_ms),0), (SELECT COUNT(*) FROM seen_ids) FROM frames",
                         -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    st.frames = sqlite3_column_int64(s, 0);
    st.events = sqlite3_column_int64(s, 1);
    st.first_position = sqlite3_column_int64(s, 2);
    st.last_position = sqlite3_column_int64(s, 3);
    st.first_received_ms = sqlite3_column_int64(s, 4);
    st.last_received_ms = sqlite3_column_int64(s, 5);
    st.seen_ids = sqlite3_column_int64(s, 6);
  }
  sqlite3_finalize(s);
  struct stat file {};
  if (::stat(path_.c_str(), &file) == 0) st.file_bytes = file.st_size;
  struct stat wal {};
  if (::stat((path_ + "-wal").c_str(), &wal) == 0) st.file_bytes += wal.st_size;
  return st;
}

}  // namespace telltale::collector
