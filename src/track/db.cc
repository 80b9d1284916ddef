// The track database: one SQLite file (Debian's libsqlite3), WAL mode.
//
// Schema 1 (PRAGMA user_version = 1):
//   batches(id, added, label)                  one `track add`
//   videos(id, batch_id, date, source, path)   one scored video
//   vvalues(video_id, key, value)              its pooled values
//   failures(id, batch_id, path, error)        inputs that could not be used
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>

#include "acuity/track.h"

namespace acuity::track {
namespace {

// A prepared statement, finalised on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }
  void Text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.c_str(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void Real(int i, double v) { sqlite3_bind_double(s_, i, v); }
  int Step() { return sqlite3_step(s_); }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::string Column(int i) {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

Status Error(sqlite3* db, const std::string& path, const std::string& what) {
  return IoError(path + ": " + what + ": " + sqlite3_errmsg(db));
}

Status Exec(sqlite3* db, const std::string& path, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return IoError(path + ": " + msg);
  }
  return Status::Ok();
}

// Undoes an open transaction; nothing to report if there is none.
void Rollback(sqlite3* db) {
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::string NowUtc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                    SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Status s = IoError(path + ": cannot open the track database: " +
                       (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Db> out(new Db(db, path));
  // Two writers (two cron jobs) wait up to 30 s for each other.
  sqlite3_busy_timeout(db, 30000);
  // Statements are scoped so that no read transaction stays open.
  const auto single_int = [&](const char* sql) -> std::optional<int> {
    Stmt q(db, sql);
    if (!q.ok() || q.Step() != SQLITE_ROW) return std::nullopt;
    return sqlite3_column_int(q.get(), 0);
  };
  const std::optional<int> version = single_int("PRAGMA user_version");
  if (!version) {
    return InvalidData(path + ": not a track database (" + sqlite3_errmsg(db) +
                       ")");
  }
  const int v = *version;
  if (v == 0) {
    const std::optional<int> tables =
        single_int("SELECT count(*) FROM sqlite_master");
    if (!tables) return Error(db, path, "cannot read the schema");
    if (*tables != 0) {
      return InvalidData(path +
                         ": an SQLite file that is not a track database");
    }
    if (!create) {
      return IoError(path + ": empty track database (nothing added)");
    }
    if (Status s = Exec(db, path, "PRAGMA journal_mode=WAL"); !s.ok()) return s;
    if (Status s = Exec(db, path,
                        "BEGIN IMMEDIATE;"
                        "CREATE TABLE IF NOT EXISTS batches("
                        " id INTEGER PRIMARY KEY, added TEXT NOT NULL,"
                        " label TEXT NOT NULL DEFAULT '');"
                        "CREATE TABLE IF NOT EXISTS videos("
                        " id INTEGER PRIMARY KEY,"
                        " batch_id INTEGER NOT NULL REFERENCES batches(id),"
                        " date TEXT NOT NULL, source TEXT NOT NULL,"
                        " path TEXT NOT NULL);"
                        "CREATE TABLE IF NOT EXISTS vvalues("
                        " video_id INTEGER NOT NULL REFERENCES videos(id),"
                        " key TEXT NOT NULL, value REAL NOT NULL,"
                        " PRIMARY KEY(video_id, key));"
                        "CREATE TABLE IF NOT EXISTS failures("
                        " id INTEGER PRIMARY KEY,"
                        " batch_id INTEGER NOT NULL REFERENCES batches(id),"
                        " path TEXT NOT NULL, error TEXT NOT NULL);"
                        "CREATE INDEX IF NOT EXISTS videos_by_date"
                        " ON videos(source, date);"
                        "PRAGMA user_version=1;"
                        "COMMIT;");
        !s.ok()) {
      Rollback(db);
      // Another writer may have created it at the same moment.
      if (single_int("PRAGMA user_version") != kTrackSchemaVersion) return s;
    }
  } else if (v != kTrackSchemaVersion) {
    return IoError(path + ": track database schema " + std::to_string(v) +
                   ", this acuity reads " +
                   std::to_string(kTrackSchemaVersion));
  }
  return out;
}

Db::~Db() { sqlite3_close(db_); }

Result<int64_t> Db::AddBatch(const std::string& label,
                             const std::vector<TrackedVideo>& videos,
                             const std::vector<BatchRow>& failed) {
  if (Status s = Exec(db_, path_, "BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](const std::string& what) -> Status {
    Status s = Error(db_, path_, what);
    Rollback(db_);
    return s;
  };
  Stmt batch(db_, "INSERT INTO batches(added, label) VALUES(?, ?)");
  if (!batch.ok()) return fail("cannot add a batch");
  batch.Text(1, NowUtc());
  batch.Text(2, label);
  if (batch.Step() != SQLITE_DONE) return fail("cannot add a batch");
  const int64_t id = sqlite3_last_insert_rowid(db_);
  Stmt video(db_,
             "INSERT INTO videos(batch_id, date, source, path) "
             "VALUES(?, ?, ?, ?)");
  Stmt value(db_, "INSERT INTO vvalues(video_id, key, value) VALUES(?, ?, ?)");
  Stmt failure(db_,
               "INSERT INTO failures(batch_id, path, error) VALUES(?, ?, ?)");
  if (!video.ok() || !value.ok() || !failure.ok()) {
    return fail("cannot prepare the inserts");
  }
  for (const TrackedVideo& v : videos) {
    video.Reset();
    video.Int(1, id);
    video.Text(2, v.date);
    video.Text(3, v.source);
    video.Text(4, v.path);
    if (video.Step() != SQLITE_DONE) return fail("cannot add " + v.path);
    const int64_t vid = sqlite3_last_insert_rowid(db_);
    for (const auto& [key, x] : v.values) {
      value.Reset();
      value.Int(1, vid);
      value.Text(2, key);
      value.Real(3, x);
      if (value.Step() != SQLITE_DONE) return fail("cannot add " + v.path);
    }
  }
  for (const BatchRow& row : failed) {
    failure.Reset();
    failure.Int(1, id);
    failure.Text(2, row.path);
    failure.Text(3, row.status.message());
    if (failure.Step() != SQLITE_DONE) return fail("cannot add " + row.path);
  }
  if (Status s = Exec(db_, path_, "COMMIT"); !s.ok()) {
    Rollback(db_);
    return s;
  }
  return id;
}

Result<std::vector<TrackedVideo>> Db::Videos(const std::string& source) const {
  Stmt q(db_,
         "SELECT v.id, v.date, v.source, v.path, x.key, x.value FROM videos v "
         "LEFT JOIN vvalues x ON x.video_id = v.id "
         "WHERE ?1 = '' OR v.source = ?1 ORDER BY v.date, v.id, x.key");
  if (!q.ok()) return Error(db_, path_, "cannot read the videos");
  q.Text(1, source);
  std::vector<TrackedVideo> out;
  int64_t last = -1;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    const int64_t id = sqlite3_column_int64(q.get(), 0);
    if (id != last) {
      out.push_back({q.Column(1), q.Column(2), q.Column(3), {}});
      last = id;
    }
    if (sqlite3_column_type(q.get(), 4) != SQLITE_NULL) {
      out.back().values[q.Column(4)] = sqlite3_column_double(q.get(), 5);
    }
  }
  if (rc != SQLITE_DONE) return Error(db_, path_, "cannot read the videos");
  return out;
}

Result<std::vector<std::string>> Db::Sources() const {
  Stmt q(db_, "SELECT DISTINCT source FROM videos ORDER BY source");
  if (!q.ok()) return Error(db_, path_, "cannot read the sources");
  std::vector<std::string> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(q.Column(0));
  if (rc != SQLITE_DONE) return Error(db_, path_, "cannot read the sources");
  return out;
}

}  // namespace acuity::track
