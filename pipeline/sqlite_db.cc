#include "pipeline/sqlite_db.h"

#include <algorithm>
#include <cctype>
#include <cstring>

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

namespace {

// What went wrong, in words for a person, and whose fault it is: the
// environment (full disk, permissions, a busy or damaged file) is a user
// error; anything else is ours.
Status Describe(sqlite3* db, int rc, std::string_view prefix) {
  int code = rc & 0xff;
  std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
  int sys = db ? sqlite3_system_errno(db) : 0;
  bool user = true;
  switch (code) {
    case SQLITE_FULL: msg = "disk full"; break;
    case SQLITE_READONLY: msg = "the knowledge base is read-only"; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: msg = "the knowledge base is busy (another process holds it)"; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: msg = "not a coopkb knowledge base, or damaged"; break;
    case SQLITE_IOERR:
      // SQLite's errno is often lost by then: say what the operation was.
      msg = rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE ||
                    rc == SQLITE_IOERR_SHMSIZE
                ? "cannot write the knowledge base (I/O error: disk full, quota or file size limit?)"
            : rc == SQLITE_IOERR_READ || rc == SQLITE_IOERR_SHORT_READ ? "cannot read the knowledge base (I/O error)"
                                                                        : "I/O error on the knowledge base";
      if (sys) msg = fmt::format("{}: {}", msg, std::strerror(sys));
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      if (sys) msg = fmt::format("{} ({})", msg, std::strerror(sys));
      break;
    default: user = false;
  }
  if (!prefix.empty()) msg = fmt::format("{}: {}", prefix, msg);
  return user ? Status::UserError(msg) : Status::Internal(msg);
}

// A path as an SQLite URI path: every byte but a few safe ones escaped.
std::string UriPath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

Statement::StepResult Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return kRow;
  if (rc == SQLITE_DONE) return kDone;
  status_ = Describe(db_, rc, "");
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

Result<SqliteDb> SqliteDb::Open(const std::string& path, bool read_only, bool immutable) {
  SqliteDb db;
  db.path_ = path;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  std::string name = path;
  if (immutable) {
    name = "file:" + UriPath(path) + "?immutable=1";
    flags |= SQLITE_OPEN_URI;
  }
  int rc = sqlite3_open_v2(name.c_str(), &db.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_CANTOPEN) {
      int sys = db.db_ ? sqlite3_system_errno(db.db_) : 0;
      std::string why = sys ? fmt::format(" ({})", std::strerror(sys)) : "";
      return Status::UserError(fmt::format("{}: {}{}", path,
                                           read_only ? "no knowledge base there (run `coopkb ingest` first)"
                                                     : "cannot open or create the knowledge base",
                                           why));
    }
    return Describe(db.db_, rc, path);
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
  if (rc != SQLITE_OK) return Describe(db_, rc, path_);
  return Statement(db_, stmt);
}

Status SqliteDb::Exec(std::string_view sql) const {
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return Status::Ok();
  return Describe(db_, rc, path_);
}

std::string SqliteDb::ErrorMessage() const { return sqlite3_errmsg(db_); }

Result<std::string> TextSlicer::Slice(int64_t rowid, uint64_t begin, uint64_t end) {
  if (rowid != rowid_) {
    int rc = blob_ ? sqlite3_blob_reopen(blob_, rowid)
                   : sqlite3_blob_open(db_, "main", table_, column_, rowid, /*write=*/0, &blob_);
    if (rc != SQLITE_OK) {
      sqlite3_blob_close(blob_);
      blob_ = nullptr;
      rowid_ = -1;
      return Status::Internal(fmt::format("cannot read {}.{} of row {}: {}", table_, column_, rowid, sqlite3_errmsg(db_)));
    }
    rowid_ = rowid;
  }
  uint64_t size = static_cast<uint64_t>(sqlite3_blob_bytes(blob_));
  begin = std::min(begin, size);
  end = std::clamp(end, begin, size);
  std::string out(end - begin, '\0');
  if (!out.empty() &&
      sqlite3_blob_read(blob_, out.data(), static_cast<int>(out.size()), static_cast<int>(begin)) != SQLITE_OK) {
    return Status::Internal(fmt::format("cannot read {}.{} of row {}: {}", table_, column_, rowid, sqlite3_errmsg(db_)));
  }
  return out;
}

}  // namespace coopkb
