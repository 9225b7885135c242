#include "pipeline/sqlite_db.h"

#include <fmt/format.h>

namespace coopkb {

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    status_ = o.status_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindOptional(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}

Statement::StepResult Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return kRow;
  if (rc == SQLITE_DONE) return kDone;
  int code = rc & 0xff;
  std::string msg = sqlite3_errmsg(db_);
  if (code == SQLITE_FULL) msg = "disk full";
  if (code == SQLITE_READONLY) msg = "the knowledge base is read-only";
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) msg = "the knowledge base is busy (another process holds it)";
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) msg = "the knowledge base file is damaged or is not a coopkb database";
  bool user = code == SQLITE_FULL || code == SQLITE_READONLY || code == SQLITE_BUSY ||
              code == SQLITE_LOCKED || code == SQLITE_CANTOPEN || code == SQLITE_PERM ||
              code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
  status_ = user ? Status::UserError(msg) : Status::Internal(msg);
  return kError;
}

Status Statement::Run() {
  while (true) {
    StepResult r = Step();
    if (r == kDone) return Status::Ok();
    if (r == kError) return status_;
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::Ok();
}

std::string Statement::Text(int column) const { return std::string(TextView(column)); }

std::string_view Statement::TextView(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<SqliteDb> SqliteDb::Open(const std::string& path, bool read_only) {
  SqliteDb db;
  db.path_ = path;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db.db_ ? sqlite3_errmsg(db.db_) : "out of memory";
    if ((rc & 0xff) == SQLITE_CANTOPEN) {
      msg = read_only ? "no knowledge base there (run `coopkb ingest` first)"
                      : "cannot open or create the knowledge base";
    }
    return Status::UserError(fmt::format("{}: {}", path, msg));
  }
  sqlite3_busy_timeout(db.db_, 15000);
  sqlite3_extended_result_codes(db.db_, 1);
  return db;
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

SqliteDb& SqliteDb::operator=(SqliteDb&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = o.db_;
    path_ = std::move(o.path_);
    o.db_ = nullptr;
  }
  return *this;
}

Result<Statement> SqliteDb::Prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    int code = rc & 0xff;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
      return Status::UserError(fmt::format("{}: not a coopkb knowledge base, or damaged", path_));
    }
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return Status::UserError(fmt::format("{}: the knowledge base is busy", path_));
    }
    return Status::Internal(fmt::format("{}: {}", path_, sqlite3_errmsg(db_)));
  }
  return Statement(db_, stmt);
}

Status SqliteDb::Exec(std::string_view sql) const {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errmsg(db_);
  sqlite3_free(err);
  int code = rc & 0xff;
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
    return Status::UserError(fmt::format("{}: not a coopkb knowledge base, or damaged", path_));
  }
  if (code == SQLITE_READONLY || code == SQLITE_FULL || code == SQLITE_BUSY || code == SQLITE_CANTOPEN) {
    return Status::UserError(fmt::format("{}: {}", path_, msg));
  }
  return Status::Internal(fmt::format("{}: {}", path_, msg));
}

std::string SqliteDb::ErrorMessage() const { return sqlite3_errmsg(db_); }

}  // namespace coopkb
