#include "pipeline/knowledge_base.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pipeline/document_stats.h"
#include "pipeline/fts_ranking.h"
#include "pipeline/fts_tokenizer.h"
#include "pipeline/search_query.h"
#include "pipeline/utf8.h"

namespace coopkb {
namespace {

using json = nlohmann::json;

// Each entry migrates from user_version == index to index + 1.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL UNIQUE,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  encoding TEXT,
  title TEXT,
  published TEXT,
  ingested_at TEXT NOT NULL,
  text TEXT NOT NULL,
  source_map BLOB,
  edits TEXT,
  warnings TEXT
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_published ON documents(published);
CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  city TEXT,
  departement TEXT,
  region TEXT
);
CREATE INDEX entities_region ON entities(region);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  byte_start INTEGER NOT NULL,
  byte_end INTEGER NOT NULL,
  text TEXT NOT NULL,
  value TEXT NOT NULL,
  unit TEXT,
  entity_id INTEGER REFERENCES entities(id)
);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_kind_value ON mentions(kind, value, document_id);
CREATE INDEX mentions_entity ON mentions(entity_id, document_id);
CREATE TABLE cooperations (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  date TEXT,
  evidence TEXT NOT NULL
);
CREATE INDEX cooperations_document ON cooperations(document_id);
CREATE INDEX cooperations_kind ON cooperations(kind);
CREATE INDEX cooperations_date ON cooperations(date);
CREATE TABLE cooperation_parties (
  cooperation_id INTEGER NOT NULL REFERENCES cooperations(id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (cooperation_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX cooperation_parties_entity ON cooperation_parties(entity_id, cooperation_id);
CREATE TABLE cooperation_specialties (
  cooperation_id INTEGER NOT NULL REFERENCES cooperations(id) ON DELETE CASCADE,
  specialty TEXT NOT NULL,
  PRIMARY KEY (cooperation_id, specialty)
) WITHOUT ROWID;
CREATE INDEX cooperation_specialties_specialty ON cooperation_specialties(specialty, cooperation_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, text, content='documents', content_rowid='id', tokenize='coopkb_fr');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
)sql",
    // v2: a compact base. Mentions lose what the document's text gives back
    // (their text, code-point offsets), their kind becomes an integer, the
    // establishment value is its entity's name, and the row id goes: they are
    // clustered by (document_id, seq), which also serves the cascade. Only the
    // search filters keep an index. Each document's period (earliest and latest
    // of its publication and mentioned dates) answers --since/--until without
    // reading its mentions. Edits are arrays instead of objects; an empty list
    // of edits or warnings is NULL. Two cooperation indexes no query used go.
    // The index follows only the title and the text: rewriting the edits
    // here must not index every document again.
    R"sql(
CREATE TABLE mention_kinds (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO mention_kinds(id, name) VALUES (0, 'establishment'), (1, 'date'), (2, 'specialty'), (3, 'count');
CREATE TABLE mentions_v2 (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),  -- mention_kinds.id
  byte_start INTEGER NOT NULL,
  byte_end INTEGER NOT NULL,
  value TEXT,
  unit TEXT,
  entity_id INTEGER REFERENCES entities(id),
  PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
INSERT INTO mentions_v2(document_id, seq, kind, byte_start, byte_end, value, unit, entity_id)
  SELECT document_id, row_number() OVER (PARTITION BY document_id ORDER BY id) - 1,
         CASE kind WHEN 'establishment' THEN 0 WHEN 'date' THEN 1 WHEN 'specialty' THEN 2 ELSE 3 END,
         byte_start, byte_end, CASE WHEN entity_id IS NULL THEN value END, unit, entity_id
  FROM mentions ORDER BY document_id, id;
CREATE TABLE document_periods (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  first TEXT NOT NULL,
  last TEXT NOT NULL
);
INSERT INTO document_periods(document_id, first, last)
  SELECT document_id, min(day), max(day) FROM (
    SELECT id AS document_id, published AS day FROM documents WHERE published IS NOT NULL
    UNION ALL SELECT document_id, value FROM mentions WHERE kind = 'date')
  GROUP BY document_id;
DROP TABLE mentions;
ALTER TABLE mentions_v2 RENAME TO mentions;
CREATE INDEX mentions_entity ON mentions(entity_id, document_id) WHERE entity_id IS NOT NULL;
CREATE INDEX mentions_specialty ON mentions(value, document_id) WHERE kind = 2;
DROP INDEX cooperations_kind;
DROP INDEX cooperations_date;
DROP TRIGGER documents_fts_update;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
UPDATE documents SET edits = CASE WHEN json_array_length(edits) = 0 THEN NULL ELSE (
    SELECT json_group_array(json_array(json_extract(e.value, '$.action'), json_extract(e.value, '$.rule'), json_extract(e.value, '$.source_begin'),
                                       json_extract(e.value, '$.source_end'), json_extract(e.value, '$.before'), json_extract(e.value, '$.after')))
    FROM json_each(documents.edits) e) END
  WHERE edits IS NOT NULL AND json_valid(edits);
UPDATE documents SET warnings = NULL WHERE warnings = '[]';
)sql",
    // v3: the index leaves out French function words (pipeline/fts_tokenizer.h)
    // and is rebuilt; per-document length and period in blocks
    // (pipeline/document_stats.h), for ranking and period filters that read
    // one row per block of documents, filled for the documents already stored
    // by FillDocumentStats. The specialty index holds the kind too, so that
    // SQLite answers a specialty filter from the index alone.
    R"sql(
INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
DROP INDEX mentions_specialty;
CREATE INDEX mentions_specialty ON mentions(value, kind, document_id) WHERE kind = 2;
CREATE TABLE document_stats (block INTEGER PRIMARY KEY, data BLOB NOT NULL);
)sql",
    // v4: the writer indexes the documents of a batch itself, in one statement
    // at its end (KnowledgeBase::IndexPending). FTS5 writes its pending terms
    // to disk at every savepoint and every statement that may abort opens one,
    // so a trigger made a segment of every document: writing and merging them
    // was a third of the writer's instructions.
    R"sql(
DROP TRIGGER documents_fts_insert;
)sql",
    // v5: which documents name an entity or a specialty, a row per document
    // and entity or specialty, in place of the partial indexes of mentions,
    // which had a row per mention (5 and 3 times as many at 100 000
    // generated documents). Inserted at random places, those entries cost the
    // writer half of its mention inserts and a share of every commit.
    R"sql(
CREATE TABLE document_entities (
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  PRIMARY KEY (entity_id, document_id)
) WITHOUT ROWID;
CREATE TABLE document_specialties (
  specialty TEXT NOT NULL,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  PRIMARY KEY (specialty, document_id)
) WITHOUT ROWID;
INSERT INTO document_entities(entity_id, document_id)
  SELECT DISTINCT entity_id, document_id FROM mentions WHERE entity_id IS NOT NULL ORDER BY 1, 2;
INSERT INTO document_specialties(specialty, document_id)
  SELECT DISTINCT value, document_id FROM mentions WHERE kind = 2 AND value IS NOT NULL ORDER BY 1, 2;
DROP INDEX mentions_entity;
DROP INDEX mentions_specialty;
)sql",
    // v6: a cooperation's row also lists its parties (entity ids, in order)
    // and its specialties (sorted), as JSON arrays, so that listing
    // cooperations reads one row each; cooperation_parties and
    // cooperation_specialties stay, for the filters and their indexes.
    // Reading them per chunk of rows was half of `cooperations --with`.
    R"sql(
ALTER TABLE cooperations ADD COLUMN party_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cooperations ADD COLUMN specialty_names TEXT NOT NULL DEFAULT '[]';
UPDATE cooperations SET
  party_ids = (SELECT json_group_array(entity_id) FROM
                 (SELECT entity_id FROM cooperation_parties p WHERE p.cooperation_id = cooperations.id ORDER BY position)),
  specialty_names = (SELECT json_group_array(specialty) FROM
                 (SELECT specialty FROM cooperation_specialties s WHERE s.cooperation_id = cooperations.id ORDER BY specialty));
)sql",
};
constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);
// 15 s in all, as long as the connection's busy timeout.
constexpr int kBusyRetries = 1500;
constexpr std::chrono::milliseconds kBusyRetryPause{10};
constexpr int kSchemaVersionWithStats = 3;
// Migrations up to this version free pages (dropped tables and indexes, a
// rebuilt index). Later ones change triggers, or (v5) free fewer pages than
// the tables they fill take: not worth a VACUUM.
constexpr int kLastSchemaVersionFreeingPages = 3;

std::string EncodeSourceMap(const OffsetMap& map) {
  std::string out;
  out.reserve(map.pieces().size() * 16);
  auto put = [&out](uint64_t v) {  // LEB128: most offsets fit in 2-3 bytes
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      out.push_back(static_cast<char>(b | (v ? 0x80 : 0)));
    } while (v);
  };
  for (const auto& p : map.pieces()) {
    put(p.dst_len);
    put(p.src);
    put(p.src_len);
  }
  return out;
}

OffsetMap DecodeSourceMap(std::string_view bytes) {
  OffsetMapBuilder b;
  size_t i = 0;
  auto get = [&]() -> uint64_t {
    uint64_t v = 0;
    int shift = 0;
    while (i < bytes.size()) {
      uint8_t c = static_cast<uint8_t>(bytes[i++]);
      v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) break;
      shift += 7;
    }
    return v;
  };
  while (i < bytes.size()) {
    uint64_t dst_len = get(), src = get(), src_len = get();
    if (dst_len == src_len) b.Copy(src, dst_len);
    else b.Replace(src, src_len, dst_len);
  }
  return std::move(b).Build();
}

// Edits as [action, rule, source_begin, source_end, before, after]: the
// keys of an object per edit took more room than the edits themselves.
std::string EditsJson(const std::vector<Edit>& edits) {
  json a = json::array();
  for (const Edit& e : edits) a.push_back({e.action, e.rule, e.source_begin, e.source_end, e.before, e.after});
  // Excerpts come from the input: never let a stray byte throw.
  return a.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<Edit> EditsFromJson(std::string_view s) {
  std::vector<Edit> out;
  if (s.empty()) return out;
  json a = json::parse(s, nullptr, false);
  if (!a.is_array()) return out;
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  auto offset = [](const json& v) { return v.is_number_unsigned() ? v.get<size_t>() : size_t{0}; };
  for (const auto& e : a) {
    if (!e.is_array() || e.size() != 6) continue;
    out.push_back({text(e[0]), text(e[1]), offset(e[2]), offset(e[3]), text(e[4]), text(e[5])});
  }
  return out;
}

MentionKind MentionKindFromCode(int64_t code) {
  switch (code) {
    case 0: return MentionKind::kEstablishment;
    case 1: return MentionKind::kDate;
    case 2: return MentionKind::kSpecialty;
    default: return MentionKind::kCount;
  }
}

// Returns the error unless ok; used where every statement of a transaction must succeed.
#define COOPKB_RETURN_IF_ERROR(expr)        \
  do {                                      \
    Status _s = (expr);                     \
    if (!_s.ok()) return _s;                \
  } while (0)

// A transaction of its own when none is open, else a savepoint inside the
// caller's batch: either way the document is stored whole or not at all.
class Transaction {
 public:
  explicit Transaction(const SqliteDb& db) : db_(db) {}
  Status Begin() {
    nested_ = !sqlite3_get_autocommit(db_.handle());
    Status s = db_.Exec(nested_ ? "SAVEPOINT store_document" : "BEGIN IMMEDIATE");
    active_ = s.ok();
    return s;
  }
  bool nested() const { return nested_; }
  Status Commit() {
    Status s = db_.Exec(nested_ ? "RELEASE store_document" : "COMMIT");
    if (s.ok()) active_ = false;
    return s;
  }
  ~Transaction() {
    if (!active_) return;
    if (nested_) {
      (void)db_.Exec("ROLLBACK TO store_document; RELEASE store_document");
    } else {
      (void)db_.Exec("ROLLBACK");
    }
  }

 private:
  const SqliteDb& db_;
  bool active_ = false;
  bool nested_ = false;
};

// An INSERT of many rows run as few statements: up to kMaxRows rows each,
// with one prepared statement per row count, made when first needed. A
// statement per row cost the writer more than the row itself.
//
//   MultiRowInsert parties("INSERT INTO t(a, b)", 2);
//   parties.Run(db, rows.size(), [&](Statement& s, int first, size_t i) {
//     s.Bind(first, rows[i].a).Bind(first + 1, rows[i].b);
//   });
class MultiRowInsert {
 public:
  static constexpr size_t kMaxRows = 16;

  MultiRowInsert(std::string head, int columns) : head_(std::move(head)), columns_(columns) {}

  // Inserts `rows` rows; bind(statement, first parameter, row) binds the
  // columns of one row from its first parameter on.
  template <class BindRow>
  Status Run(const SqliteDb& db, size_t rows, BindRow bind) {
    for (size_t done = 0; done < rows;) {
      const size_t n = std::min(kMaxRows, rows - done);
      auto st = For(db, n);
      if (!st.ok()) return st.status();
      Statement& s = *st.value();
      s.Reset();
      for (size_t r = 0; r < n; ++r) bind(s, static_cast<int>(r) * columns_ + 1, done + r);
      Status ran = s.Run();
      s.Reset();
      if (!ran.ok()) return ran;
      done += n;
    }
    return Status::Ok();
  }

 private:
  Result<Statement*> For(const SqliteDb& db, size_t rows) {
    Statement& slot = by_rows_[rows - 1];
    if (slot.handle() != nullptr) return &slot;
    std::string sql = head_ + " VALUES ";
    int param = 1;
    for (size_t r = 0; r < rows; ++r) {
      sql += r ? ",(" : "(";
      for (int c = 0; c < columns_; ++c) sql += fmt::format("{}?{}", c ? "," : "", param++);
      sql += ')';
    }
    auto prepared = db.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    slot = std::move(prepared).value();
    return &slot;
  }

  std::string head_;
  int columns_;
  std::array<Statement, kMaxRows> by_rows_;
};

}  // namespace

struct KnowledgeBase::StoreStatements {
  // A replaced document's rows, children first (what ON DELETE CASCADE would do).
  Statement delete_parties, delete_cooperation_specialties, delete_cooperations, delete_document_entities,
      delete_document_specialties, delete_mentions, delete_period, delete_document;
  Statement find_source, find_sha256, insert_document, upsert_entity, insert_period, insert_cooperation,
      set_last_ingest;
  // A document's rows of each of these tables, a few statements for all.
  MultiRowInsert mentions{
      "INSERT INTO mentions(document_id, seq, kind, byte_start, byte_end, value, unit, entity_id)", 8};
  MultiRowInsert parties{"INSERT OR IGNORE INTO cooperation_parties(cooperation_id, entity_id, position)", 3};
  MultiRowInsert cooperation_specialties{"INSERT OR IGNORE INTO cooperation_specialties(cooperation_id, specialty)", 2};
  MultiRowInsert document_entities{"INSERT OR IGNORE INTO document_entities(entity_id, document_id)", 2};
  MultiRowInsert document_specialties{"INSERT OR IGNORE INTO document_specialties(specialty, document_id)", 2};
  // Entities this connection stored, by key: their id and which of city,
  // departement, region they have (bits 1, 2, 4). A document naming a known
  // entity without adding a field it lacks needs no upsert. Forgotten on any
  // rollback, which may have taken entities or fields back.
  struct KnownEntity {
    int64_t id = 0;
    unsigned fields = 0;
  };
  std::unordered_map<std::string, KnownEntity> entities;
  std::unique_ptr<DocumentStatsWriter> stats;
  // Documents stored in the open batch and not yet in documents_fts, in id
  // order, with their period (their token count is known once indexed).
  // Every document row with an id from the first one's on is one of them.
  Statement index_range;
  std::vector<std::pair<int64_t, DocumentStat>> unindexed;
  // `unindexed` as it was before a replacement indexed it within the savepoint
  // of the replacing document (the delete trigger needs the old text indexed).
  std::vector<std::pair<int64_t, DocumentStat>> unindexed_before;
};

namespace {

unsigned EntityFields(const Establishment& e) {
  return (e.city.empty() ? 0u : 1u) | (e.departement.empty() ? 0u : 2u) | (e.region.empty() ? 0u : 4u);
}

}  // namespace

std::string NowIso() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<KnowledgeBase> KnowledgeBase::Open(const std::string& path, Mode mode) {
  namespace fs = std::filesystem;
  fs::path parent = fs::path(path).parent_path();
  std::string folder = parent.empty() ? "." : parent.string();
  auto writable = [](const std::string& p) { return faccessat(AT_FDCWD, p.c_str(), W_OK, AT_EACCESS) == 0; };
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  bool immutable = false;
  if (mode == kReadWrite) {
    if (!parent.empty()) fs::create_directories(parent, ec);
    // Said here, in words, rather than as SQLite's "attempt to write a readonly database" later.
    if (exists && !writable(path)) {
      return Status::UserError(fmt::format("{}: the knowledge base is read-only ({}): it can be searched, not written",
                                           path, std::strerror(errno)));
    }
    if (!writable(folder)) {
      return Status::UserError(
          exists ? fmt::format("{}: the knowledge base is read-only: its folder cannot be written ({}), and SQLite "
                               "keeps its journal there",
                               path, std::strerror(errno))
                 : fmt::format("{}: cannot create the knowledge base: its folder is read-only ({})", path,
                               std::strerror(errno)));
    }
  } else {
    if (!exists) {
      return Status::UserError(fmt::format("{}: no knowledge base there (run `coopkb ingest` first)", path));
    }
    // A base on read-only media or in another user's folder: SQLite cannot
    // create the -shm file that WAL readers share. With no -wal file left,
    // nothing is being written, and the file can be read as it is.
    std::error_code wal_ec;
    auto wal = fs::file_size(path + "-wal", wal_ec);
    immutable = !writable(folder) && !fs::exists(path + "-shm", ec) && (wal_ec || wal == 0);
  }
  auto db = SqliteDb::Open(path, mode == kReadOnly, immutable);
  if (!db.ok()) return db.status();
  KnowledgeBase kb(std::move(db).value());
  kb.immutable_ = immutable;
  COOPKB_RETURN_IF_ERROR(RegisterFrenchTokenizer(kb.db_.handle()));
  COOPKB_RETURN_IF_ERROR(RegisterSearchFunctions(kb.db_.handle()));
  // Foreign keys stay declared but are not enforced: checking the parents of
  // every row the writer adds (ids it has just made) was an eighth of its
  // instructions. Store deletes a replaced document's rows itself.
  COOPKB_RETURN_IF_ERROR(kb.db_.Exec("PRAGMA foreign_keys = OFF"));
  if (mode == kReadWrite) {
    if (sqlite3_db_readonly(kb.db_.handle(), "main") == 1) {
      return Status::UserError(fmt::format("{}: the knowledge base is read-only: it can be searched, not written", path));
    }
    // Two processes opening one new base at once: switching it to WAL needs
    // the file alone, and SQLite answers "busy" at once there instead of
    // waiting as it does for other locks. Retry for as long as a lock is waited for.
    Status wal;
    for (int attempt = 0; attempt < kBusyRetries; ++attempt) {
      wal = kb.db_.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
      if (wal.ok() || (sqlite3_extended_errcode(kb.db_.handle()) & 0xff) != SQLITE_BUSY) break;
      std::this_thread::sleep_for(kBusyRetryPause);
    }
    COOPKB_RETURN_IF_ERROR(wal);
    // The writer's page cache (64 MB) holds the index pages a batch touches;
    // statement journals stay in memory; the WAL is copied back into the base
    // every 64 MB instead of every 4 MB, so a page rewritten by many batches
    // is written back (and synced) fewer times.
    COOPKB_RETURN_IF_ERROR(
        kb.db_.Exec("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 16384"));
    COOPKB_RETURN_IF_ERROR(kb.Migrate());
  } else {
    // Queries read index pages all over the file: mapped, a page is a memory
    // read instead of a pread() into SQLite's own cache (2 GB: SQLite's cap).
    COOPKB_RETURN_IF_ERROR(kb.db_.Exec("PRAGMA mmap_size = 2147418112"));
    auto st = kb.db_.Prepare("PRAGMA user_version");
    if (!st.ok()) return st.status();
    if (st.value().Step() != Statement::kRow) return st.value().status();
    int64_t version = st.value().Int64(0);
    if (version == 0) return Status::UserError(fmt::format("{}: not a coopkb knowledge base (empty)", path));
    if (version > kSchemaVersion) {
      return Status::UserError(fmt::format(
          "{}: made by a newer coopkb (schema {}, this one knows {})", path, version, kSchemaVersion));
    }
    if (version < kSchemaVersion) {
      return Status::UserError(fmt::format(
          "{}: schema {} is older than {}; open it once read-write (coopkb ingest) to migrate", path,
          version, kSchemaVersion));
    }
  }
  return kb;
}

Status KnowledgeBase::Migrate() {
  Transaction tx(db_);
  COOPKB_RETURN_IF_ERROR(tx.Begin());
  auto st = db_.Prepare("PRAGMA user_version");
  if (!st.ok()) return st.status();
  if (st.value().Step() != Statement::kRow) return st.value().status();
  int64_t version = st.value().Int64(0);
  st = Statement();
  if (version == 0) {
    // A file that already has tables but no version is someone else's database.
    auto tables = db_.Prepare("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    if (tables.value().Step() == Statement::kRow && tables.value().Int64(0) > 0) {
      return Status::UserError(fmt::format("{}: not a coopkb knowledge base", db_.path()));
    }
  }
  if (version > kSchemaVersion) {
    return Status::UserError(fmt::format("{}: made by a newer coopkb (schema {}, this one knows {})",
                                         db_.path(), version, kSchemaVersion));
  }
  for (int64_t v = version; v < kSchemaVersion; ++v) {
    COOPKB_RETURN_IF_ERROR(db_.Exec(kMigrations[v]));
    COOPKB_RETURN_IF_ERROR(db_.Exec(fmt::format("PRAGMA user_version = {}", v + 1)));
  }
  if (version > 0 && version < kSchemaVersionWithStats) COOPKB_RETURN_IF_ERROR(FillDocumentStats());
  COOPKB_RETURN_IF_ERROR(tx.Commit());
  // A migrated base keeps the pages it freed (old tables, indexes) until it is
  // rebuilt. The migration is done either way; a rebuild that fails (a full
  // disk: it needs room for a copy) leaves the base as it was.
  if (version > 0 && version < kLastSchemaVersionFreeingPages) (void)db_.Exec("VACUUM");
  return Status::Ok();
}

Status KnowledgeBase::FillDocumentStats() {
  DocumentStatsWriter writer(db_.handle());
  auto st = db_.Prepare(
      "SELECT d.id, p.first, p.last FROM documents d LEFT JOIN document_periods p ON p.document_id = d.id");
  if (!st.ok()) return st.status();
  while (true) {
    auto r = st.value().Step();
    if (r == Statement::kDone) return Status::Ok();
    if (r == Statement::kError) return st.value().status();
    int64_t id = st.value().Int64(0);
    auto tokens = writer.IndexedTokens(id);
    if (!tokens.ok()) return tokens.status();
    DocumentStat stat{tokens.value(), PackIsoDate(st.value().TextView(1)), PackIsoDate(st.value().TextView(2))};
    COOPKB_RETURN_IF_ERROR(writer.Write(id, stat));
  }
}

Status KnowledgeBase::BeginBatch() { return db_.Exec("BEGIN IMMEDIATE"); }

Status KnowledgeBase::CommitBatch() {
  Status s = IndexPending();
  if (s.ok()) s = db_.Exec("COMMIT");
  if (!s.ok()) AbandonBatch();
  return s;
}

void KnowledgeBase::AbandonBatch() {
  if (store_) store_->entities.clear();
  if (store_) store_->unindexed.clear();
  // SQLite may already have rolled back on its own (a full disk, an I/O error).
  if (!sqlite3_get_autocommit(db_.handle())) (void)db_.Exec("ROLLBACK");
}

Status KnowledgeBase::ReadSnapshot(const std::function<Status()>& fn) const {
  COOPKB_RETURN_IF_ERROR(db_.Exec("BEGIN"));
  Status s = fn();
  if (!s.ok()) {
    (void)db_.Exec("ROLLBACK");
    return s;
  }
  Status end = db_.Exec("COMMIT");
  return end;
}

Result<bool> KnowledgeBase::IsUnchanged(const std::string& source, const std::string& sha256) const {
  auto st = db_.Prepare("SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1");
  if (!st.ok()) return st.status();
  st.value().Bind(1, sha256);
  auto r = st.value().Step();
  if (r == Statement::kError) return st.value().status();
  (void)source;
  return r == Statement::kRow;
}


KnowledgeBase::KnowledgeBase(SqliteDb db) : db_(std::move(db)) {
  SetSearchParallelism(static_cast<int>(std::thread::hardware_concurrency()), 10000);
}

void KnowledgeBase::SetSearchParallelism(int threads, int64_t min_documents) {
  search_threads_ = std::clamp(threads, 1, 4);
  parallel_min_documents_ = min_documents;
}
KnowledgeBase::~KnowledgeBase() = default;
KnowledgeBase::KnowledgeBase(KnowledgeBase&&) noexcept = default;
KnowledgeBase& KnowledgeBase::operator=(KnowledgeBase&&) noexcept = default;

int64_t MentionKindCode(MentionKind kind) {
  switch (kind) {
    case MentionKind::kEstablishment: return 0;
    case MentionKind::kDate: return 1;
    case MentionKind::kSpecialty: return 2;
    case MentionKind::kCount: return 3;
  }
  return 3;
}

Result<KnowledgeBase::StoreStatements*> KnowledgeBase::PreparedForStore() {
  if (store_) return store_.get();
  auto st = std::make_unique<StoreStatements>();
  const std::pair<Statement*, const char*> sql[] = {
      {&st->find_source, "SELECT id, sha256 FROM documents WHERE source = ?1"},
      {&st->find_sha256, "SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1"},
      {&st->delete_parties,
       "DELETE FROM cooperation_parties WHERE cooperation_id IN (SELECT id FROM cooperations WHERE document_id = ?1)"},
      {&st->delete_cooperation_specialties,
       "DELETE FROM cooperation_specialties WHERE cooperation_id IN "
       "(SELECT id FROM cooperations WHERE document_id = ?1)"},
      {&st->delete_cooperations, "DELETE FROM cooperations WHERE document_id = ?1"},
      // The rows a document has there are those its mentions give.
      {&st->delete_document_entities,
       "DELETE FROM document_entities WHERE (entity_id, document_id) IN "
       "(SELECT entity_id, document_id FROM mentions WHERE document_id = ?1 AND entity_id IS NOT NULL)"},
      {&st->delete_document_specialties,
       "DELETE FROM document_specialties WHERE (specialty, document_id) IN "
       "(SELECT value, document_id FROM mentions WHERE document_id = ?1 AND kind = 2)"},
      {&st->delete_mentions, "DELETE FROM mentions WHERE document_id = ?1"},
      {&st->delete_period, "DELETE FROM document_periods WHERE document_id = ?1"},
      {&st->delete_document, "DELETE FROM documents WHERE id = ?1"},
      {&st->insert_document,
       "INSERT INTO documents(source, sha256, format, encoding, title, published, ingested_at, "
       "text, source_map, edits, warnings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      // The first document to name an entity sets its fields; later ones only fill what is still unknown.
      {&st->upsert_entity,
       "INSERT INTO entities(key, name, kind, city, departement, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
       "ON CONFLICT(key) DO UPDATE SET city = COALESCE(entities.city, excluded.city), "
       "departement = COALESCE(entities.departement, excluded.departement), "
       "region = COALESCE(entities.region, excluded.region) RETURNING id"},
      {&st->insert_period, "INSERT INTO document_periods(document_id, first, last) VALUES (?1, ?2, ?3)"},
      {&st->insert_cooperation, "INSERT INTO cooperations(document_id, kind, date, evidence, party_ids, specialty_names) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&st->set_last_ingest, "INSERT OR REPLACE INTO meta(key, value) VALUES ('last_ingest', ?1)"},
      {&st->index_range,
       "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents "
       "WHERE id BETWEEN ?1 AND ?2 ORDER BY id"},
  };
  for (const auto& [slot, text] : sql) {
    auto prepared = db_.Prepare(text);
    if (!prepared.ok()) return prepared.status();
    *slot = std::move(prepared).value();
  }
  st->stats = std::make_unique<DocumentStatsWriter>(db_.handle());
  store_ = std::move(st);
  return store_.get();
}

namespace {

// Leaves a cached statement reset (no open read, bindings cleared) however
// the code using it returns.
class Resetting {
 public:
  explicit Resetting(Statement& s) : s_(s) { s_.Reset(); }
  ~Resetting() { s_.Reset(); }
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

}  // namespace

Status KnowledgeBase::IndexPending() {
  if (!store_ || store_->unindexed.empty()) return Status::Ok();
  StoreStatements& st = *store_;
  {
    // One statement: FTS5 keeps the terms of every row in memory and writes
    // them as one segment (or a few, past its 1 MB hash) when it ends.
    Resetting index(st.index_range);
    index->Bind(1, st.unindexed.front().first).Bind(2, st.unindexed.back().first);
    COOPKB_RETURN_IF_ERROR(index->Run());
  }
  for (auto& [id, stat] : st.unindexed) {
    auto tokens = st.stats->IndexedTokens(id);
    if (!tokens.ok()) return tokens.status();
    stat.tokens = tokens.value();
    COOPKB_RETURN_IF_ERROR(st.stats->Write(id, stat));
  }
  st.unindexed.clear();
  return Status::Ok();
}

Result<StoreOutcome> KnowledgeBase::Store(const Document& doc) {
  auto prepared = PreparedForStore();
  if (!prepared.ok()) return prepared.status();
  bool in_batch = !sqlite3_get_autocommit(db_.handle());
  auto stored = StoreWith(*prepared.value(), doc);
  if (!stored.ok()) {
    store_->entities.clear();  // rolled back
    if (!in_batch) store_->unindexed.clear();
    // Indexed inside the document's savepoint, so rolled back with it: again to do.
    else if (!store_->unindexed_before.empty()) store_->unindexed = std::move(store_->unindexed_before);
  }
  store_->unindexed_before.clear();
  return stored;
}

Result<StoreOutcome> KnowledgeBase::StoreWith(StoreStatements& st, const Document& doc) {
  Transaction tx(db_);
  COOPKB_RETURN_IF_ERROR(tx.Begin());

  // Same bytes already stored (here or under another path): nothing to add.
  int64_t old_id = 0;
  {
    Resetting find(st.find_source);
    find->Bind(1, doc.source);
    auto r = find->Step();
    if (r == Statement::kError) return find->status();
    if (r == Statement::kRow) {
      if (find->TextView(1) == doc.sha256) return StoreOutcome::kUnchanged;
      old_id = find->Int64(0);
    }
  }
  if (old_id == 0) {
    Resetting find(st.find_sha256);
    find->Bind(1, doc.sha256);
    auto r = find->Step();
    if (r == Statement::kError) return find->status();
    if (r == Statement::kRow) return StoreOutcome::kDuplicate;
  }
  if (old_id != 0) {
    // The delete trigger takes the old text out of documents_fts: it must be in.
    if (!st.unindexed.empty() && old_id >= st.unindexed.front().first) {
      st.unindexed_before = st.unindexed;
      COOPKB_RETURN_IF_ERROR(IndexPending());
    }
    for (Statement* rows : {&st.delete_parties, &st.delete_cooperation_specialties, &st.delete_cooperations,
                            &st.delete_document_entities, &st.delete_document_specialties, &st.delete_mentions,
                            &st.delete_period, &st.delete_document}) {
      Resetting del(*rows);
      del->Bind(1, old_id);
      COOPKB_RETURN_IF_ERROR(del->Run());
    }
  }

  std::string now = NowIso();
  int64_t doc_id = 0;
  {
    Resetting ins(st.insert_document);
    ins->Bind(1, doc.source).Bind(2, doc.sha256).Bind(3, doc.format).BindOptional(4, doc.encoding);
    ins->BindOptional(5, doc.title).BindOptional(6, doc.published).Bind(7, now).Bind(8, doc.text);
    ins->BindBlob(9, EncodeSourceMap(doc.to_source));
    if (doc.edits.empty()) ins->BindNull(10);
    else ins->Bind(10, EditsJson(doc.edits));
    if (doc.warnings.empty()) ins->BindNull(11);
    else ins->Bind(11, json(doc.warnings).dump(-1, ' ', false, json::error_handler_t::replace));
    COOPKB_RETURN_IF_ERROR(ins->Run());
    doc_id = sqlite3_last_insert_rowid(db_.handle());
  }

  std::vector<int64_t> entity_ids(doc.establishments.size(), 0);
  for (size_t i = 0; i < doc.establishments.size(); ++i) {
    const Establishment& e = doc.establishments[i];
    unsigned fields = EntityFields(e);
    auto known = st.entities.find(e.key);
    if (known != st.entities.end() && (fields & ~known->second.fields) == 0) {
      entity_ids[i] = known->second.id;
      continue;
    }
    Resetting up(st.upsert_entity);
    up->Bind(1, e.key).Bind(2, e.name).Bind(3, e.kind).BindOptional(4, e.city);
    up->BindOptional(5, e.departement).BindOptional(6, e.region);
    if (up->Step() != Statement::kRow) return up->status();
    entity_ids[i] = up->Int64(0);
    // What the base has now is at least what it had and what this document gave.
    StoreStatements::KnownEntity& k = st.entities[e.key];
    k = {entity_ids[i], k.fields | fields};
  }

  // The document's period: its publication date and every date it mentions.
  std::string_view first = doc.published, last = doc.published;
  COOPKB_RETURN_IF_ERROR(st.mentions.Run(db_, doc.mentions.size(), [&](Statement& ins, int p, size_t i) {
    const Mention& m = doc.mentions[i];
    bool has_entity = m.entity >= 0 && static_cast<size_t>(m.entity) < entity_ids.size();
    ins.Bind(p, doc_id).Bind(p + 1, static_cast<int64_t>(i)).Bind(p + 2, MentionKindCode(m.kind));
    ins.Bind(p + 3, static_cast<int64_t>(m.span.begin)).Bind(p + 4, static_cast<int64_t>(m.span.end));
    // An establishment's value is its entity's name, read back from entities.
    if (has_entity) ins.BindNull(p + 5);
    else ins.Bind(p + 5, m.value);
    ins.BindOptional(p + 6, m.unit);
    if (has_entity) ins.Bind(p + 7, entity_ids[m.entity]);
    else ins.BindNull(p + 7);
  }));
  // Each entity and specialty the document names, once. (Selected from the
  // rows just written, DISTINCT took a temporary B-tree: twice the time.)
  std::vector<int64_t> named_entities;
  std::vector<std::string_view> named_specialties;
  for (const Mention& m : doc.mentions) {
    if (m.entity >= 0 && static_cast<size_t>(m.entity) < entity_ids.size()) {
      named_entities.push_back(entity_ids[m.entity]);
    } else if (m.kind == MentionKind::kSpecialty) {
      named_specialties.push_back(m.value);
    }
  }
  std::sort(named_entities.begin(), named_entities.end());
  named_entities.erase(std::unique(named_entities.begin(), named_entities.end()), named_entities.end());
  std::sort(named_specialties.begin(), named_specialties.end());
  named_specialties.erase(std::unique(named_specialties.begin(), named_specialties.end()), named_specialties.end());
  COOPKB_RETURN_IF_ERROR(st.document_entities.Run(db_, named_entities.size(), [&](Statement& ins, int p, size_t i) {
    ins.Bind(p, named_entities[i]).Bind(p + 1, doc_id);
  }));
  COOPKB_RETURN_IF_ERROR(
      st.document_specialties.Run(db_, named_specialties.size(), [&](Statement& ins, int p, size_t i) {
        ins.Bind(p, named_specialties[i]).Bind(p + 1, doc_id);
      }));

  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kDate) {
      if (first.empty() && last.empty()) {
        first = last = m.value;
      } else {
        first = std::min(first, std::string_view(m.value));
        last = std::max(last, std::string_view(m.value));
      }
    }
  }
  bool dated = !doc.published.empty() ||
               std::any_of(doc.mentions.begin(), doc.mentions.end(),
                           [](const Mention& m) { return m.kind == MentionKind::kDate; });
  if (dated) {
    Resetting ins(st.insert_period);
    ins->Bind(1, doc_id).Bind(2, first).Bind(3, last);
    COOPKB_RETURN_IF_ERROR(ins->Run());
  }

  // Each cooperation's own row first (its id is needed), then the parties
  // and specialties of all of them.
  struct Party {
    int64_t cooperation, entity, position;
  };
  std::vector<Party> parties;
  std::vector<std::pair<int64_t, std::string>> specialties;
  for (const Cooperation& c : doc.cooperations) {
    std::string evidence = "[";
    for (const Span& s : c.evidence) {
      evidence += fmt::format("{}[{},{}]", evidence.size() > 1 ? "," : "", s.begin, s.end);
    }
    evidence += "]";
    // As cooperation_parties and cooperation_specialties keep them: a party
    // named twice at its first place, each specialty once.
    std::vector<int64_t> party_ids;
    for (int idx : c.parties) {
      if (idx < 0 || static_cast<size_t>(idx) >= entity_ids.size()) continue;
      if (std::find(party_ids.begin(), party_ids.end(), entity_ids[idx]) == party_ids.end()) {
        party_ids.push_back(entity_ids[idx]);
      }
    }
    std::vector<std::string> specialty_names(c.specialties.begin(), c.specialties.end());
    std::sort(specialty_names.begin(), specialty_names.end());
    specialty_names.erase(std::unique(specialty_names.begin(), specialty_names.end()), specialty_names.end());
    int64_t coop_id = 0;
    {
      Resetting ins(st.insert_cooperation);
      ins->Bind(1, doc_id).Bind(2, c.kind).BindOptional(3, c.date).Bind(4, evidence);
      ins->Bind(5, json(party_ids).dump()).Bind(6, json(specialty_names).dump());
      COOPKB_RETURN_IF_ERROR(ins->Run());
      coop_id = sqlite3_last_insert_rowid(db_.handle());
    }
    for (size_t p = 0; p < party_ids.size(); ++p) {
      parties.push_back({coop_id, party_ids[p], static_cast<int64_t>(p)});
    }
    for (const std::string& name : specialty_names) specialties.emplace_back(coop_id, name);
  }
  COOPKB_RETURN_IF_ERROR(st.parties.Run(db_, parties.size(), [&](Statement& ins, int p, size_t i) {
    ins.Bind(p, parties[i].cooperation).Bind(p + 1, parties[i].entity).Bind(p + 2, parties[i].position);
  }));
  COOPKB_RETURN_IF_ERROR(
      st.cooperation_specialties.Run(db_, specialties.size(), [&](Statement& ins, int p, size_t i) {
        ins.Bind(p, specialties[i].first).Bind(p + 1, specialties[i].second);
      }));

  {
    Resetting set(st.set_last_ingest);
    set->Bind(1, now);
    COOPKB_RETURN_IF_ERROR(set->Run());
  }
  st.unindexed.emplace_back(doc_id, DocumentStat{0, PackIsoDate(first), PackIsoDate(last)});
  if (!tx.nested()) COOPKB_RETURN_IF_ERROR(IndexPending());
  if (Status c = tx.Commit(); !c.ok()) {
    if (tx.nested()) st.unindexed.pop_back();
    return c;
  }
  return old_id != 0 ? StoreOutcome::kReplaced : StoreOutcome::kAdded;
}

namespace {

// The SQL condition that keeps the documents passing the filters of `q`, on
// the document id `id`, with its parameters numbered from `next`. Each filter
// is answered by an index: the entity and specialty ones by the documents
// naming each (document_entities, document_specialties), the period by the
// document's earliest and latest date.
struct FilterSql {
  std::string where;
  std::vector<std::pair<int, std::string>> binds;
};

FilterSql SearchFilters(const SearchQuery& q, std::string_view id, int next) {
  FilterSql f;
  if (q.entity_filter) {
    std::string ids;
    for (int64_t e : q.entity_ids) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(e);
    }
    f.where += fmt::format(" AND {} IN (SELECT document_id FROM document_entities WHERE entity_id IN ({}))", id, ids);
  }
  if (!q.specialty.empty()) {
    f.where += fmt::format(" AND {} IN (SELECT document_id FROM document_specialties WHERE specialty = ?{})", id,
                           next);
    f.binds.emplace_back(next++, q.specialty);
  }
  // A document is in a period when its publication date or a date it
  // mentions is, compared at the bound's precision: some date of the document
  // is at or after `since` exactly when its latest is, and some date is at
  // or before `until` exactly when its earliest is.
  if (!q.since.empty()) {
    f.where += fmt::format(" AND EXISTS (SELECT 1 FROM document_periods p WHERE p.document_id = {} AND p.last >= ?{})",
                           id, next);
    f.binds.emplace_back(next++, q.since);
  }
  if (!q.until.empty()) {
    f.where += fmt::format(
        " AND EXISTS (SELECT 1 FROM document_periods p WHERE p.document_id = {0} AND "
        "substr(p.first, 1, length(?{1})) <= ?{1})",
        id, next);
    f.binds.emplace_back(next++, q.until);
  }
  return f;
}

// An error while running our compiled SQL with a MATCH comes from FTS5
// parsing the user's query ("expected integer, got ...").
Status QueryError(const Status& s) {
  if (s.code() != Status::kInternal) return s;
  std::string msg = s.message();
  if (auto pos = msg.find("fts5: "); pos != std::string::npos) msg = msg.substr(pos + 6);
  return Status::UserError("invalid search query: " + msg);
}

}  // namespace

Result<DocumentIdSet> KnowledgeBase::FilteredDocuments(const SearchQuery& q) const {
  std::optional<DocumentIdSet> result;
  auto keep = [&result](DocumentIdSet set) {
    if (result) result->IntersectWith(set);
    else result = std::move(set);
  };
  auto collect = [this](const std::string& sql, const std::vector<std::string>& binds) -> Result<DocumentIdSet> {
    auto st = db_.Prepare(sql);
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < binds.size(); ++i) st.value().Bind(static_cast<int>(i) + 1, binds[i]);
    DocumentIdSet set;
    while (true) {
      auto r = st.value().Step();
      if (r == Statement::kDone) return set;
      if (r == Statement::kError) return st.value().status();
      set.Add(st.value().Int64(0));
    }
  };
  if (q.entity_filter) {
    std::string ids;
    for (int64_t e : q.entity_ids) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(e);
    }
    auto set = collect(fmt::format("SELECT document_id FROM document_entities WHERE entity_id IN ({})", ids), {});
    if (!set.ok()) return set.status();
    keep(std::move(set).value());
  }
  if (!q.specialty.empty()) {
    auto set = collect("SELECT document_id FROM document_specialties WHERE specialty = ?1", {q.specialty});
    if (!set.ok()) return set.status();
    keep(std::move(set).value());
  }
  if (!q.since.empty() || !q.until.empty()) {
    // A document is in a period when its publication date or a date it
    // mentions is, compared at the bound's precision: some date of the
    // document is at or after `since` exactly when its latest is, and some
    // date is at or before `until` exactly when its earliest is. Plain
    // bounds read the packed periods of DocumentStats, a row per block.
    int32_t since = q.since.empty() ? 0 : PackIsoDate(q.since);
    int32_t until = q.until.empty() ? INT32_MAX : PackedUntilBound(q.until);
    if ((!q.since.empty() && since == 0) || until == 0) {
      auto set = collect(
          "SELECT document_id FROM document_periods WHERE (?1 = '' OR last >= ?1) AND "
          "(?2 = '' OR substr(first, 1, length(?2)) <= ?2)",
          {q.since, q.until});
      if (!set.ok()) return set.status();
      keep(std::move(set).value());
    } else {
      DocumentIdSet set;
      DocumentStatsReader stats(db_.handle());
      COOPKB_RETURN_IF_ERROR(stats.ForEach([&](int64_t id, const DocumentStat& s) {
        if (s.last_day != 0 && s.last_day >= since && s.first_day < until) set.Add(id);
      }));
      keep(std::move(set));
    }
  }
  return result ? std::move(*result) : DocumentIdSet();
}

Result<std::vector<SearchHit>> KnowledgeBase::Search(const SearchQuery& q) const {
  const char* open = q.highlight_ansi ? "\x1b[1m" : "[";
  const char* close = q.highlight_ansi ? "\x1b[0m" : "]";
  if (q.entity_filter && q.entity_ids.empty()) return std::vector<SearchHit>{};
  std::vector<SearchHit> hits;
  if (q.query.empty()) {
    FilterSql f = SearchFilters(q, "d.id", 3);
    auto st = db_.Prepare(
        "SELECT d.id, d.source, d.title, d.published, substr(d.text, 1, 160) FROM documents d WHERE 1" + f.where +
        " ORDER BY d.published DESC, d.id LIMIT ?1");
    if (!st.ok()) return st.status();
    Statement& s = st.value();
    s.Bind(1, static_cast<int64_t>(q.limit));
    for (auto& [i, v] : f.binds) s.Bind(i, v);
    while (true) {
      auto r = s.Step();
      if (r == Statement::kDone) return hits;
      if (r == Statement::kError) return s.status();
      hits.push_back({s.Int64(0), 0.0, s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
    }
  }
  auto fts = ToFtsQuery(q.query);
  if (!fts.ok()) return fts.status();

  // The filters are answered once, as a set of document ids, before the
  // ranking: a test per match against the set costs next to nothing, where a
  // subquery per match (or handing ids to FTS5, which runs the whole query
  // again for each) costs more than the ranking itself.
  std::optional<DocumentIdSet> allowed;
  if (q.entity_filter || !q.specialty.empty() || !q.since.empty() || !q.until.empty()) {
    auto set = FilteredDocuments(q);
    if (!set.ok()) return set.status();
    if (set.value().empty()) return hits;
    allowed = std::move(set).value();
  }
  // Ranking reads every match; a snippet tokenizes its document's whole text
  // again. So rank first, on ids alone, and make snippets for the hits only.
  RankContext context;
  if (allowed) context.allowed = &*allowed;
  context.limit = static_cast<size_t>(q.limit);
  auto range = SplittableRange();
  if (!range.ok()) return range.status();
  context.leave_word_sequences = range.value().has_value();
  auto top = db_.Prepare(
      "SELECT coopkb_top(documents_fts, ?2, 4.0, 1.0) FROM documents_fts WHERE documents_fts MATCH ?1 LIMIT 1");
  if (!top.ok()) return top.status();
  top.value().Bind(1, fts.value());
  BindRankContext(top.value().handle(), 2, &context);
  auto one_pass = top.value().Step();
  if (one_pass == Statement::kError) return QueryError(top.value().status());
  if (one_pass == Statement::kDone) return hits;  // nothing matches
  int64_t answer = top.value().Int64(0);
  if (answer == 2) {
    top.value().Reset();
    COOPKB_RETURN_IF_ERROR(RankInParts(fts.value(), *range.value(), context));
    answer = 1;
  }
  if (answer == 1) {
    for (const RankContext::Ranked& r : context.top) hits.push_back({r.id, r.score, {}, {}, {}, {}});
  } else {
    // Several phrases: the match set is their boolean combination, ranked row by row.
    context = RankContext{};
    if (allowed) context.allowed = &*allowed;
    auto ranked = db_.Prepare(
        "SELECT documents_fts.rowid, coopkb_bm25(documents_fts, ?3, 4.0, 1.0) AS score FROM documents_fts "
        "WHERE documents_fts MATCH ?1 ORDER BY score LIMIT ?2");
    if (!ranked.ok()) return ranked.status();
    Statement& r = ranked.value();
    r.Bind(1, fts.value()).Bind(2, static_cast<int64_t>(q.limit));
    BindRankContext(r.handle(), 3, &context);
    while (true) {
      auto step = r.Step();
      if (step == Statement::kDone) break;
      if (step == Statement::kError) return QueryError(r.status());
      if (r.Double(1) >= RankContext::kFilteredOut) break;  // the rest are filtered out too
      hits.push_back({r.Int64(0), r.Double(1), {}, {}, {}, {}});
    }
  }
  for (SearchHit& h : hits) h.score = context.Score(h.score);
  if (hits.empty()) return hits;
  auto shown = db_.Prepare(
      "SELECT d.source, d.title, d.published, snippet(documents_fts, 1, ?2, ?3, '…', 20) FROM documents_fts "
      "JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH ?1 AND documents_fts.rowid = ?4");
  if (!shown.ok()) return shown.status();
  Statement& s = shown.value();
  std::vector<SearchHit> found;
  for (SearchHit& h : hits) {
    s.Reset();
    s.Bind(1, fts.value()).Bind(2, open).Bind(3, close).Bind(4, h.id);
    auto step = s.Step();
    if (step == Statement::kError) return QueryError(s.status());
    // Gone when an ingest replaced the document between the two statements.
    if (step != Statement::kRow) continue;
    h.source = s.Text(0);
    h.title = s.Text(1);
    h.published = s.Text(2);
    h.snippet = s.Text(3);
    found.push_back(std::move(h));
  }
  return found;
}

Result<std::optional<KnowledgeBase::IdRange>> KnowledgeBase::SplittableRange() const {
  // A transaction open here (ReadSnapshot, a batch) promises one snapshot,
  // which other connections would not share.
  if (search_threads_ < 2 || !sqlite3_get_autocommit(db_.handle()) || db_.path().empty() ||
      db_.path() == ":memory:") {
    return std::optional<IdRange>();
  }
  // Two subqueries: min() and max() in one select would scan the table.
  auto bounds = db_.Prepare("SELECT (SELECT min(id) FROM documents), (SELECT max(id) FROM documents)");
  if (!bounds.ok()) return bounds.status();
  if (bounds.value().Step() != Statement::kRow) return bounds.value().status();
  IdRange range{bounds.value().Int64(0), bounds.value().Int64(1)};
  if (range.last - range.first + 1 < std::max<int64_t>(parallel_min_documents_, 2)) return std::optional<IdRange>();
  return std::optional<IdRange>(range);
}

Status KnowledgeBase::RankInParts(const std::string& fts, IdRange range, RankContext& ranked) const {
  const int64_t first = range.first, last = range.last;
  const int workers = static_cast<int>(std::min<int64_t>(search_threads_, last - first + 1));
  while (rankers_.size() < static_cast<size_t>(workers - 1)) {
    auto db = SqliteDb::Open(db_.path(), /*read_only=*/true, immutable_);
    if (!db.ok()) return db.status();
    COOPKB_RETURN_IF_ERROR(RegisterFrenchTokenizer(db.value().handle()));
    COOPKB_RETURN_IF_ERROR(RegisterSearchFunctions(db.value().handle()));
    COOPKB_RETURN_IF_ERROR(db.value().Exec("PRAGMA mmap_size = 2147418112"));
    rankers_.push_back(std::move(db).value());
  }
  // More parts than workers, taken in turn: parts of one size do not take
  // one time (where the index's segments split, a core's cold cache), and a
  // worker left with nothing to do would wait for the slowest.
  const int64_t parts = std::min<int64_t>(int64_t{workers} * 4, last - first + 1);
  const int64_t span = (last - first + 1 + parts - 1) / parts;
  std::atomic<int64_t> next_part{0};
  std::vector<RankContext> contexts(static_cast<size_t>(workers));
  std::vector<Status> statuses(static_cast<size_t>(workers));
  auto work = [&](int worker) {
    const SqliteDb& db = worker == 0 ? db_ : rankers_[static_cast<size_t>(worker - 1)];
    RankContext& context = contexts[static_cast<size_t>(worker)];
    Status& status = statuses[static_cast<size_t>(worker)];
    context.allowed = ranked.allowed;
    context.limit = ranked.limit;
    auto st = db.Prepare(
        "SELECT coopkb_keep(documents_fts, ?2, 4.0, 1.0) FROM documents_fts "
        "WHERE documents_fts MATCH ?1 AND documents_fts.rowid BETWEEN ?3 AND ?4");
    if (!st.ok()) {
      status = st.status();
      return;
    }
    Statement& s = st.value();
    for (int64_t part = next_part++; part < parts; part = next_part++) {
      s.Reset();
      s.Bind(1, fts).Bind(3, first + part * span).Bind(4, first + (part + 1) * span - 1);
      BindRankContext(s.handle(), 2, &context);
      while (true) {
        auto step = s.Step();
        if (step == Statement::kDone) break;
        if (step == Statement::kError) {
          status = QueryError(s.status());
          return;
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int worker = 1; worker < workers; ++worker) {
    try {
      threads.emplace_back(work, worker);
    } catch (const std::system_error&) {
      break;  // no thread to be had: the parts left are taken by the others
    }
  }
  work(0);
  for (std::thread& t : threads) t.join();
  for (const Status& s : statuses) COOPKB_RETURN_IF_ERROR(s);
  ranked.matches = 0;
  ranked.top.clear();
  for (const RankContext& c : contexts) {
    ranked.matches += c.matches;
    ranked.rows = std::max(ranked.rows, c.rows);
    ranked.idf_deferred = ranked.idf_deferred || c.idf_deferred;
    ranked.top.insert(ranked.top.end(), c.top.begin(), c.top.end());
  }
  std::sort(ranked.top.begin(), ranked.top.end());
  if (ranked.top.size() > ranked.limit) ranked.top.resize(ranked.limit);
  return Status::Ok();
}

Result<StoredDocument> KnowledgeBase::Load(const std::string& id_or_source) const {
  int64_t id = 0;
  bool numeric = !id_or_source.empty() &&
                 id_or_source.find_first_not_of("0123456789") == std::string::npos &&
                 id_or_source.size() < 18;
  auto st = db_.Prepare(numeric ? "SELECT id FROM documents WHERE id = ?1 OR source = ?2"
                                : "SELECT id FROM documents WHERE source = ?2");
  if (!st.ok()) return st.status();
  if (numeric) st.value().Bind(1, static_cast<int64_t>(std::stoll(id_or_source)));
  st.value().Bind(2, id_or_source);
  auto r = st.value().Step();
  if (r == Statement::kError) return st.value().status();
  if (r == Statement::kRow) {
    id = st.value().Int64(0);
  } else {
    // A path given differently (./corpus/a.txt, an absolute path) than when it was ingested.
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(id_or_source, ec);
    auto st2 = db_.Prepare("SELECT id, source FROM documents");
    if (!st2.ok()) return st2.status();
    while (!ec && st2.value().Step() == Statement::kRow) {
      std::error_code ec2;
      if (std::filesystem::weakly_canonical(st2.value().Text(1), ec2) == canonical && !ec2) {
        id = st2.value().Int64(0);
        break;
      }
    }
  }
  if (id == 0) return Status::UserError(fmt::format("{}: no such document in the knowledge base", id_or_source));
  return LoadById(id);
}

Result<StoredDocument> KnowledgeBase::LoadById(int64_t id) const {
  auto st = db_.Prepare(
      "SELECT id, source, sha256, format, encoding, title, published, ingested_at, text, source_map, "
      "edits, warnings FROM documents WHERE id = ?1");
  if (!st.ok()) return st.status();
  st.value().Bind(1, id);
  auto r = st.value().Step();
  if (r == Statement::kError) return st.value().status();
  if (r != Statement::kRow) return Status::UserError(fmt::format("{}: no such document", id));
  Statement& s = st.value();
  StoredDocument sd;
  sd.id = s.Int64(0);
  sd.doc.source = s.Text(1);
  sd.doc.sha256 = s.Text(2);
  sd.doc.format = s.Text(3);
  sd.doc.encoding = s.Text(4);
  sd.doc.title = s.Text(5);
  sd.doc.published = s.Text(6);
  sd.ingested_at = s.Text(7);
  sd.doc.text = s.Text(8);
  sd.doc.to_source = DecodeSourceMap(s.TextView(9));
  sd.doc.edits = EditsFromJson(s.TextView(10));
  json w = s.IsNull(11) ? json::array() : json::parse(s.TextView(11), nullptr, false);
  if (w.is_array()) {
    for (const auto& x : w) {
      if (x.is_string()) sd.doc.warnings.push_back(x.get<std::string>());
    }
  }
  COOPKB_RETURN_IF_ERROR(LoadAnnotations(sd));
  return sd;
}

Status KnowledgeBase::LoadAnnotations(StoredDocument& sd) const {
  Document& doc = sd.doc;
  std::map<int64_t, int> entity_index;  // entity id -> index in doc.establishments
  auto st = db_.Prepare(
      "SELECT m.kind, m.byte_start, m.byte_end, coalesce(m.value, e.name), m.unit, e.id, e.key, e.name, e.kind, "
      "e.city, e.departement, e.region FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
      "WHERE m.document_id = ?1 ORDER BY m.seq");
  if (!st.ok()) return st.status();
  st.value().Bind(1, sd.id);
  Statement& s = st.value();
  while (true) {
    auto r = s.Step();
    if (r == Statement::kDone) break;
    if (r == Statement::kError) return s.status();
    Mention m;
    m.kind = MentionKindFromCode(s.Int64(0));
    m.span = {static_cast<size_t>(s.Int64(1)), static_cast<size_t>(s.Int64(2))};
    m.value = s.Text(3);
    m.unit = s.Text(4);
    if (!s.IsNull(5)) {
      int64_t eid = s.Int64(5);
      auto it = entity_index.find(eid);
      if (it == entity_index.end()) {
        Establishment e{s.Text(6), s.Text(7), s.Text(8), s.Text(9), s.Text(10), s.Text(11)};
        it = entity_index.emplace(eid, static_cast<int>(doc.establishments.size())).first;
        doc.establishments.push_back(std::move(e));
      }
      m.entity = it->second;
    }
    doc.mentions.push_back(std::move(m));
  }
  auto cs = db_.Prepare(
      "SELECT c.id, c.kind, c.date, c.evidence, "
      "(SELECT group_concat(entity_id) FROM (SELECT entity_id FROM cooperation_parties p "
      " WHERE p.cooperation_id = c.id ORDER BY position)), "
      "(SELECT json_group_array(specialty) FROM cooperation_specialties s WHERE s.cooperation_id = c.id) "
      "FROM cooperations c WHERE c.document_id = ?1 ORDER BY c.id");
  if (!cs.ok()) return cs.status();
  cs.value().Bind(1, sd.id);
  Statement& c = cs.value();
  while (true) {
    auto r = c.Step();
    if (r == Statement::kDone) break;
    if (r == Statement::kError) return c.status();
    Cooperation coop;
    coop.kind = c.Text(1);
    coop.date = c.Text(2);
    json ev = json::parse(c.TextView(3), nullptr, false);
    if (ev.is_array()) {
      for (const auto& pair : ev) {
        if (pair.is_array() && pair.size() == 2) coop.evidence.push_back({pair[0].get<size_t>(), pair[1].get<size_t>()});
      }
    }
    std::string parties = c.Text(4);
    size_t pos = 0;
    while (pos < parties.size()) {
      size_t comma = parties.find(',', pos);
      std::string id = parties.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      auto it = entity_index.find(std::stoll(id));
      if (it != entity_index.end()) coop.parties.push_back(it->second);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    json specs = json::parse(c.TextView(5), nullptr, false);
    if (specs.is_array()) {
      for (const auto& x : specs) coop.specialties.push_back(x.get<std::string>());
    }
    doc.cooperations.push_back(std::move(coop));
  }
  return Status::Ok();
}

Status KnowledgeBase::ForEachDocument(const std::function<Status(const StoredDocument&)>& fn) const {
  // Walk ids in pages so that no statement stays open across the callback's work.
  int64_t last = 0;
  while (true) {
    auto st = db_.Prepare("SELECT id FROM documents WHERE id > ?1 ORDER BY id LIMIT 256");
    if (!st.ok()) return st.status();
    st.value().Bind(1, last);
    std::vector<int64_t> ids;
    while (true) {
      auto r = st.value().Step();
      if (r == Statement::kDone) break;
      if (r == Statement::kError) return st.value().status();
      ids.push_back(st.value().Int64(0));
    }
    if (ids.empty()) return Status::Ok();
    for (int64_t id : ids) {
      auto sd = LoadById(id);
      if (!sd.ok()) return sd.status();
      COOPKB_RETURN_IF_ERROR(fn(sd.value()));
      last = id;
    }
  }
}

Result<KbStats> KnowledgeBase::Stats() const {
  KbStats s;
  auto st = db_.Prepare(
      "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM mentions), "
      "(SELECT count(DISTINCT entity_id) FROM document_entities), "
      "(SELECT count(*) FROM cooperations), (SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM documents), "
      "(SELECT value FROM meta WHERE key = 'last_ingest')");
  if (!st.ok()) return st.status();
  if (st.value().Step() != Statement::kRow) return st.value().status();
  s.documents = st.value().Int64(0);
  s.mentions = st.value().Int64(1);
  s.establishments = st.value().Int64(2);
  s.cooperations = st.value().Int64(3);
  s.text_bytes = st.value().Int64(4);
  s.last_ingest = st.value().Text(5);
  std::error_code ec;
  auto size = std::filesystem::file_size(db_.path(), ec);
  s.file_bytes = ec ? 0 : static_cast<int64_t>(size);
  auto wal = std::filesystem::file_size(db_.path() + "-wal", ec);
  if (!ec) s.file_bytes += static_cast<int64_t>(wal);
  return s;
}

Result<std::vector<EntityRow>> KnowledgeBase::Entities() const {
  auto st = db_.Prepare(
      "SELECT e.id, e.key, e.name, e.kind, e.city, e.departement, e.region, "
      "(SELECT count(*) FROM document_entities n WHERE n.entity_id = e.id), "
      "(SELECT count(*) FROM cooperation_parties p WHERE p.entity_id = e.id) "
      "FROM entities e ORDER BY e.name");
  if (!st.ok()) return st.status();
  std::vector<EntityRow> rows;
  Statement& s = st.value();
  while (true) {
    auto r = s.Step();
    if (r == Statement::kDone) break;
    if (r == Statement::kError) return s.status();
    EntityRow e{s.Int64(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6),
                s.Int64(7), s.Int64(8)};
    if (e.documents > 0) rows.push_back(std::move(e));
  }
  return rows;
}

}  // namespace coopkb
