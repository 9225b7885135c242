// SqliteDb and Statement: a thin RAII layer over the SQLite C API where every
// value is a bound parameter and every failure is a Status.
//
//   auto db = SqliteDb::Open("kb.sqlite", /*read_only=*/false);
//   Statement st = db.value().Prepare("SELECT id FROM documents WHERE source = ?").value();
//   st.Bind(1, path);
//   while (st.Step() == Statement::kRow) use(st.Int64(0));
//   if (!st.status().ok()) report(st.status());
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/status.h"

namespace coopkb {

class Statement {
 public:
  enum StepResult { kRow, kDone, kError };

  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), status_(o.status_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  // Binds `text`, or NULL when it is empty.
  Statement& BindOptional(int index, std::string_view text);

  StepResult Step();
  // Runs to completion (for statements without rows).
  Status Run();
  void Reset();

  int64_t Int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string Text(int column) const;
  std::string_view TextView(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

  const Status& status() const { return status_; }
  // For what this layer does not wrap (sqlite3_bind_pointer).
  sqlite3_stmt* handle() const { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

// Reads byte ranges of one column's values through SQLite's incremental blob
// I/O, without loading the whole value: a sentence of a long document.
//
//   TextSlicer slicer(db.handle(), "documents", "text");
//   Result<std::string> s = slicer.Slice(doc_id, 120, 245);   // clamped to the value
class TextSlicer {
 public:
  TextSlicer(sqlite3* db, const char* table, const char* column) : db_(db), table_(table), column_(column) {}
  ~TextSlicer() { sqlite3_blob_close(blob_); }
  TextSlicer(const TextSlicer&) = delete;
  TextSlicer& operator=(const TextSlicer&) = delete;

  Result<std::string> Slice(int64_t rowid, uint64_t begin, uint64_t end);

 private:
  sqlite3* db_;
  const char* table_;
  const char* column_;
  sqlite3_blob* blob_ = nullptr;
  int64_t rowid_ = -1;
};

class SqliteDb {
 public:
  // Opens (creating it unless read_only) with a busy timeout. `immutable`
  // reads a file nobody may change (no locks, no -shm): read-only media.
  // Errors name the file and say why: "kb.sqlite: disk full".
  static Result<SqliteDb> Open(const std::string& path, bool read_only, bool immutable = false);
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(SqliteDb&& o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
  SqliteDb& operator=(SqliteDb&& o) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Result<Statement> Prepare(std::string_view sql) const;
  Status Exec(std::string_view sql) const;  // one or more statements, no parameters
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  // The last error as a one-line message for a person.
  std::string ErrorMessage() const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace coopkb
