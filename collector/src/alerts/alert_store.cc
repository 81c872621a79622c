// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/alert_store.h"

#include "alerts/alert.h"
#include "alerts/pls_stats.h"
#include "app/json_text.h"
#include "log/sqlite_db.h"

#include <sqlite3.h>

#include <boost/json.hpp>
#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

namespace telltale::collector {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS alerts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id    TEXT NOT NULL,
  status        TEXT NOT NULL,
  route         TEXT NOT NULL,
  priority      TEXT NOT NULL,
  owner         TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  body          TEXT NOT NULL,
  raised_at_ms   INTEGER NOT NULL DEFAULT 0,
  sla_due_ms     INTEGER NOT NULL DEFAULT 0,
  first_touch_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS alerts_by_account ON alerts(account_id);
CREATE TABLE IF NOT EXISTS alert_feed (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  what     TEXT NOT NULL,
  at_ms    INTEGER NOT NULL,
  body     TEXT NOT NULL,
  owner_before TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS engine_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS engine_snapshot (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
)sql";

// The figures of /v1/stats read these columns, not the bodies' JSON (a
// scan of 100,000 alerts: alert_store_bench). A database of an earlier
// build gets them, filled from the bodies, when it is opened.
constexpr const char* kFigureColumns = R"sql(
ALTER TABLE alerts ADD COLUMN raised_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN sla_due_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN first_touch_ms INTEGER NOT NULL DEFAULT 0;
UPDATE alerts SET
  raised_at_ms = coalesce(
    CAST(round((julianday(json_extract(body, '$.created_at')) - 2440587.5) * 86400000) AS INTEGER), created_at_ms),
  sla_due_ms = coalesce(CAST(round((julianday(json_extract(body, '$.sla_due')) - 2440587.5) * 86400000) AS INTEGER), 0),
  first_touch_ms =
    coalesce(CAST(round((julianday(json_extract(body, '$.first_touch_at')) - 2440587.5) * 86400000) AS INTEGER), 0)
  WHERE body != '';
)sql";

// A feed of an earlier build gets the column that names whom an entry took
// an alert from (empty in its entries: it was not recorded).
constexpr const char* kOwnerBeforeColumn = "ALTER TABLE alert_feed ADD COLUMN owner_before TEXT NOT NULL DEFAULT ''";

// Snapshots are stored in chunks well under SQLite's 1 GB value limit.
constexpr size_t kSnapshotChunk = size_t(32) << 20;

// A prepared statement, finalized when the scope ends.
struct Statement {
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(s); }
  Statement& text(int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& integer(int i, int64_t v) {
    sqlite3_bind_int64(s, i, v);
    return *this;
  }
  std::string column_text(int i) {
    auto p = sqlite3_column_text(s, i);
    return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(s, i))) : "";
  }
  sqlite3_stmt* s = nullptr;
};

bool has_column(sqlite3* db, const char* table, const char* column) {
  Statement s(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  s.text(1, table).text(2, column);
  return sqlite3_step(s.s) == SQLITE_ROW;
}

const char* kind_name(AlertChange::Kind k) {
  switch (k) {
    case AlertChange::Kind::kCreated: return "created";
    case AlertChange::Kind::kUpdated: return "updated";
    case AlertChange::Kind::kClosed: return "closed";
  }
  return "updated";
}

}  // namespace

std::unique_ptr<AlertStore> AlertStore::open(const std::string& dir) {
  std::unique_ptr<AlertStore> store(new AlertStore);
  store->writer_.db = open_database(dir, /*read_only=*/false);
  sqlite3* db = store->writer_.db;
  exec_or_throw(db, "BEGIN IMMEDIATE", "alert store schema");
  try {
    exec_or_throw(db, kSchema, "alert store schema");
    // Tables kSchema did not create lack the later columns when an earlier build made them.
    if (!has_column(db, "alerts", "raised_at_ms")) exec_or_throw(db, kFigureColumns, "alert store figures");
    if (!has_column(db, "alert_feed", "owner_before")) exec_or_throw(db, kOwnerBeforeColumn, "alert feed owners");
    // Covering: the figures are read from the index alone, never from rows
    // whose bodies span pages.
    exec_or_throw(db,
                  "CREATE INDEX IF NOT EXISTS alerts_figures ON alerts(raised_at_ms, route, priority, owner, status, "
                  "sla_due_ms, first_touch_ms); COMMIT",
                  "alert store schema");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  store->reader_.db = open_database(dir, /*read_only=*/true);
  return store;
}

std::unique_ptr<AlertStore> AlertStore::open_read_only(const std::string& dir) {
  // Both connections read only: a write fails with SQLite's reason.
  std::unique_ptr<AlertStore> store(new AlertStore);
  store->writer_.db = open_database(dir, /*read_only=*/true);
  store->reader_.db = open_database(dir, /*read_only=*/true);
  return store;
}

AlertStore::~AlertStore() {
  sqlite3_close(reader_.db);
  sqlite3_close(writer_.db);
}

bool AlertStore::apply(const std::vector<AlertChange>& changes, int64_t position, std::vector<int64_t>* ids,
                       std::string* error) {
  std::lock_guard<std::mutex> lock(writer_.mutex);
  sqlite3* db = writer_.db;
  ids->clear();
  auto fail = [&]() {
    *error = sqlite3_errmsg(db);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    ids->clear();
    return false;
  };
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  try {
    std::map<std::string, int64_t> created;  // ids given in this batch, for later changes to the same alert
    for (const AlertChange& c : changes) {
      const Alert& a = *c.alert;
      int64_t id = a.id;
      if (id == 0 && c.kind != AlertChange::Kind::kCreated) {
        auto it = created.find(a.account_id);
        if (it != created.end()) id = it->second;
      }
      if (c.kind == AlertChange::Kind::kCreated) {
        Statement ins(db,
                      "INSERT INTO alerts(account_id, status, route, priority, owner, created_at_ms, updated_at_ms, "
                      "body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '')");
        ins.text(1, a.account_id).text(2, a.status).text(3, a.route).text(4, a.priority).text(5, a.owner);
        ins.integer(6, a.created_at_ms).integer(7, a.updated_at_ms);
        if (sqlite3_step(ins.s) != SQLITE_DONE) return fail();
        id = sqlite3_last_insert_rowid(db);
        ids->push_back(id);
        created[a.account_id] = id;
      }
      // Whom the change takes the alert from, for the feed.
      std::string owner_before;
      if (c.material && c.kind != AlertChange::Kind::kCreated) {
        Statement was(db, "SELECT owner FROM alerts WHERE id = ?1");
        was.integer(1, id);
        if (sqlite3_step(was.s) == SQLITE_ROW) owner_before = was.column_text(0);
        if (owner_before == a.owner) owner_before.clear();
      }
      boost::json::value json = a.to_json();
      json.as_object()["id"] = id;  // the book learns it after this write (AlertBook::set_id)
      const std::string body = json_text(json);
      Statement upd(db,
                    "UPDATE alerts SET status = ?2, route = ?3, priority = ?4, owner = ?5, updated_at_ms = ?6, "
                    "body = ?7, raised_at_ms = ?8, sla_due_ms = ?9, first_touch_ms = ?10 WHERE id = ?1");
      upd.integer(1, id).text(2, a.status).text(3, a.route).text(4, a.priority).text(5, a.owner);
      upd.integer(6, a.updated_at_ms).text(7, body);
      upd.integer(8, a.raised_at_ms).integer(9, a.sla_due_ms).integer(10, a.first_touch_ms);
      if (sqlite3_step(upd.s) != SQLITE_DONE) return fail();
      if (c.material) {
        Statement feed(db, "INSERT INTO alert_feed(alert_id, kind, what, at_ms, body, owner_before) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        feed.integer(1, id).text(2, kind_name(c.kind)).text(3, c.what).integer(4, a.updated_at_ms).text(5, body);
        feed.text(6, owner_before);
        if (sqlite3_step(feed.s) != SQLITE_DONE) return fail();
      }
    }
    Statement pos(db, "INSERT INTO engine_state(key, value) VALUES ('position', ?1) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    pos.integer(1, position);
    if (sqlite3_step(pos.s) != SQLITE_DONE) return fail();
  } catch (const std::exception& e) {
    *error = e.what();
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  return true;
}

int64_t AlertStore::position() {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT value FROM engine_state WHERE key = 'position'");
  return sqlite3_step(s.s) == SQLITE_ROW ? sqlite3_column_int64(s.s, 0) : 0;
}

std::vector<AlertStore::Listed> AlertStore::list(const AlertFilter& f) {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  // Texts rather than an ORDER BY expression and an optional account, so
  // that SQLite walks the id index either way, or an account's alerts in
  // the account index.
  constexpr const char* kMatching =
      "SELECT id, body FROM alerts WHERE id > ?1 AND (?6 = 0 OR id < ?6) AND (?2 = '' OR status = ?2) "
      "AND (?3 = '' OR owner = ?3) AND (?4 = '' OR route = ?4) AND (?8 = '' OR priority = ?8)";
  const std::string sql = std::string(kMatching) + (f.account.empty() ? "" : " AND account_id = ?7") + " ORDER BY id" +
                          (f.newest_first ? " DESC" : "") + " LIMIT ?5";
  Statement s(db, sql.c_str());
  s.integer(1, f.after).text(2, f.status).text(3, f.owner).text(4, f.route).integer(5, int64_t(f.limit));
  s.integer(6, f.before);
  if (!f.account.empty()) s.text(7, f.account);
  s.text(8, f.priority);
  std::vector<Listed> out;
  while (sqlite3_step(s.s) == SQLITE_ROW) out.push_back({sqlite3_column_int64(s.s, 0), s.column_text(1)});
  return out;
}

std::optional<std::string> AlertStore::get(int64_t id) {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT body FROM alerts WHERE id = ?1");
  s.integer(1, id);
  if (sqlite3_step(s.s) != SQLITE_ROW) return std::nullopt;
  return s.column_text(0);
}

std::vector<std::pair<std::string, int64_t>> AlertStore::open_alerts() {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT account_id, MAX(id) FROM alerts WHERE status IN ('open', 'claimed') GROUP BY account_id");
  std::vector<std::pair<std::string, int64_t>> out;
  while (sqlite3_step(s.s) == SQLITE_ROW) out.emplace_back(s.column_text(0), sqlite3_column_int64(s.s, 1));
  return out;
}

std::vector<FeedEntry> AlertStore::feed_after(int64_t seq, size_t limit) {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT seq, alert_id, kind, what, body, owner_before FROM alert_feed WHERE seq > ?1 ORDER BY seq "
                  "LIMIT ?2");
  s.integer(1, seq).integer(2, int64_t(limit));
  std::vector<FeedEntry> out;
  while (sqlite3_step(s.s) == SQLITE_ROW)
    out.push_back({sqlite3_column_int64(s.s, 0), sqlite3_column_int64(s.s, 1), s.column_text(2), s.column_text(3),
                   s.column_text(4), s.column_text(5)});
  return out;
}

boost::json::object AlertStore::stats(const StatsFilter& filter, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db,
              "SELECT route, priority, owner, status, sla_due_ms, raised_at_ms, first_touch_ms FROM alerts"
              " WHERE raised_at_ms >= ?1 AND raised_at_ms < ?2"
              " AND (?3 = '' OR owner = ?3) AND (?4 = '' OR route = ?4)");
  s.integer(1, filter.since_ms.value_or(std::numeric_limits<int64_t>::min()))
      .integer(2, filter.until_ms.value_or(std::numeric_limits<int64_t>::max()))
      .text(3, filter.owner)
      .text(4, filter.route);
  PlsStats stats(now_ms);
  while (sqlite3_step(s.s) == SQLITE_ROW)
    stats.add({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), sqlite3_column_int64(s.s, 4),
               sqlite3_column_int64(s.s, 5), sqlite3_column_int64(s.s, 6)});
  return stats.to_json(filter);
}

AlertStore::Waiting AlertStore::waiting(const std::function<bool(const std::string&, const std::string&)>& take,
                                        size_t limit, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Waiting out;
  std::vector<std::pair<int64_t, int64_t>> due_ids;  // (deadline, id)
  {
    Statement s(db, "SELECT id, route, owner, status, first_touch_ms, sla_due_ms FROM alerts");
    while (sqlite3_step(s.s) == SQLITE_ROW) {
      const int64_t due = sqlite3_column_int64(s.s, 5);
      if (!waits_for_first_touch(s.column_text(3), sqlite3_column_int64(s.s, 4) != 0) ||
          !take(s.column_text(1), s.column_text(2)))
        continue;
      ++out.count;
      out.overdue += past_deadline(due, now_ms);
      due_ids.emplace_back(due ? due : std::numeric_limits<int64_t>::max(), sqlite3_column_int64(s.s, 0));
    }
  }
  const size_t n = std::min(limit, due_ids.size());
  std::partial_sort(due_ids.begin(), due_ids.begin() + ptrdiff_t(n), due_ids.end());
  Statement body(db, "SELECT body FROM alerts WHERE id = ?1");
  for (size_t i = 0; i < n; ++i) {
    sqlite3_reset(body.s);
    body.integer(1, due_ids[i].second);
    if (sqlite3_step(body.s) == SQLITE_ROW) out.first.push_back(body.column_text(0));
  }
  return out;
}

bool AlertStore::save_snapshot(const std::string& blob, std::string* error) {
  std::lock_guard<std::mutex> lock(writer_.mutex);
  sqlite3* db = writer_.db;
  try {
    exec_or_throw(db, "BEGIN IMMEDIATE", "snapshot");
    try {
      exec_or_throw(db, "DELETE FROM engine_snapshot", "snapshot");
      for (size_t at = 0, chunk = 0; at < blob.size() || chunk == 0; at += kSnapshotChunk, ++chunk) {
        Statement s(db, "INSERT INTO engine_snapshot(chunk, data) VALUES (?1, ?2)");
        const size_t n = std::min(kSnapshotChunk, blob.size() - at);
        s.integer(1, int64_t(chunk));
        sqlite3_bind_blob64(s.s, 2, blob.data() + at, n, SQLITE_STATIC);
        if (sqlite3_step(s.s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
      }
      exec_or_throw(db, "COMMIT", "snapshot");
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  return true;
}

std::optional<std::string> AlertStore::load_snapshot() {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT data FROM engine_snapshot ORDER BY chunk");
  std::string blob;
  bool any = false;
  while (sqlite3_step(s.s) == SQLITE_ROW) {
    any = true;
    blob.append(static_cast<const char*>(sqlite3_column_blob(s.s, 0)), size_t(sqlite3_column_bytes(s.s, 0)));
  }
  if (!any) return std::nullopt;
  return blob;
}

std::optional<int64_t> AlertStore::state(const std::string& key) {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT value FROM engine_state WHERE key = ?1");
  s.text(1, key);
  if (sqlite3_step(s.s) != SQLITE_ROW) return std::nullopt;
  return sqlite3_column_int64(s.s, 0);
}

bool AlertStore::forget_states(const std::string& prefix, const std::set<std::string>& keep) {
  std::lock_guard<std::mutex> lock(writer_.mutex);
  sqlite3* db = writer_.db;
  std::vector<std::string> gone;
  {
    Statement s(db, "SELECT key FROM engine_state WHERE substr(key, 1, length(?1)) = ?1");
    s.text(1, prefix);
    while (sqlite3_step(s.s) == SQLITE_ROW) {
      std::string key(reinterpret_cast<const char*>(sqlite3_column_text(s.s, 0)), size_t(sqlite3_column_bytes(s.s, 0)));
      if (!keep.contains(key)) gone.push_back(std::move(key));
    }
  }
  for (const std::string& key : gone) {
    Statement s(db, "DELETE FROM engine_state WHERE key = ?1");
    s.text(1, key);
    if (sqlite3_step(s.s) != SQLITE_DONE) return false;
  }
  return true;
}

bool AlertStore::set_state(const std::string& key, int64_t value) { return set_states({{key, value}}); }

bool AlertStore::set_states(const std::vector<std::pair<std::string, int64_t>>& values) {
  std::lock_guard<std::mutex> lock(writer_.mutex);
  sqlite3* db = writer_.db;
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  for (const auto& [key, value] : values) {
    Statement s(db, "INSERT INTO engine_state(key, value) VALUES (?1, ?2) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.text(1, key).integer(2, value);
    if (sqlite3_step(s.s) != SQLITE_DONE) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return false;
    }
  }
  return sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
}

int64_t AlertStore::last_feed_seq() {
  std::lock_guard<std::mutex> lock(reader_.mutex);
  sqlite3* db = reader_.db;
  Statement s(db, "SELECT COALESCE(MAX(seq), 0) FROM alert_feed");
  return sqlite3_step(s.s) == SQLITE_ROW ? sqlite3_column_int64(s.s, 0) : 0;
}

}  // namespace telltale::collector
