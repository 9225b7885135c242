#include "pipeline/knowledge_base.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
};
constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

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

json EditsJson(const std::vector<Edit>& edits) {
  json a = json::array();
  for (const Edit& e : edits) {
    a.push_back({{"action", e.action}, {"rule", e.rule}, {"source_begin", e.source_begin},
                 {"source_end", e.source_end}, {"before", e.before}, {"after", e.after}});
  }
  return a;
}

std::vector<Edit> EditsFromJson(std::string_view s) {
  std::vector<Edit> out;
  if (s.empty()) return out;
  json a = json::parse(s, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& e : a) {
    out.push_back({e.value("action", ""), e.value("rule", ""), e.value("source_begin", size_t{0}),
                   e.value("source_end", size_t{0}), e.value("before", ""), e.value("after", "")});
  }
  return out;
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
  COOPKB_RETURN_IF_ERROR(RegisterFrenchTokenizer(kb.db_.handle()));
  COOPKB_RETURN_IF_ERROR(kb.db_.Exec("PRAGMA foreign_keys = ON"));
  if (mode == kReadWrite) {
    if (sqlite3_db_readonly(kb.db_.handle(), "main") == 1) {
      return Status::UserError(fmt::format("{}: the knowledge base is read-only: it can be searched, not written", path));
    }
    COOPKB_RETURN_IF_ERROR(kb.db_.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"));
    COOPKB_RETURN_IF_ERROR(kb.Migrate());
  } else {
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
  return tx.Commit();
}

Status KnowledgeBase::BeginBatch() { return db_.Exec("BEGIN IMMEDIATE"); }

Status KnowledgeBase::CommitBatch() {
  Status s = db_.Exec("COMMIT");
  if (!s.ok()) AbandonBatch();
  return s;
}

void KnowledgeBase::AbandonBatch() {
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

Result<StoreOutcome> KnowledgeBase::Store(const Document& doc) {
  Transaction tx(db_);
  COOPKB_RETURN_IF_ERROR(tx.Begin());

  // Same bytes already stored (here or under another path): nothing to add.
  int64_t old_id = 0;
  {
    auto st = db_.Prepare("SELECT id, sha256 FROM documents WHERE source = ?1");
    if (!st.ok()) return st.status();
    st.value().Bind(1, doc.source);
    auto r = st.value().Step();
    if (r == Statement::kError) return st.value().status();
    if (r == Statement::kRow) {
      if (st.value().TextView(1) == doc.sha256) return StoreOutcome::kUnchanged;
      old_id = st.value().Int64(0);
    }
  }
  if (old_id == 0) {
    auto st = db_.Prepare("SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1");
    if (!st.ok()) return st.status();
    st.value().Bind(1, doc.sha256);
    auto r = st.value().Step();
    if (r == Statement::kError) return st.value().status();
    if (r == Statement::kRow) return StoreOutcome::kDuplicate;
  }
  if (old_id != 0) {
    auto del = db_.Prepare("DELETE FROM documents WHERE id = ?1");
    if (!del.ok()) return del.status();
    del.value().Bind(1, old_id);
    COOPKB_RETURN_IF_ERROR(del.value().Run());
  }

  std::string now = NowIso();
  int64_t doc_id = 0;
  {
    auto st = db_.Prepare(
        "INSERT INTO documents(source, sha256, format, encoding, title, published, ingested_at, "
        "text, source_map, edits, warnings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st.ok()) return st.status();
    Statement& s = st.value();
    s.Bind(1, doc.source).Bind(2, doc.sha256).Bind(3, doc.format).BindOptional(4, doc.encoding);
    s.BindOptional(5, doc.title).BindOptional(6, doc.published).Bind(7, now).Bind(8, doc.text);
    s.BindBlob(9, EncodeSourceMap(doc.to_source));
    // Excerpts and warnings come from the input: never let a stray byte throw.
    s.Bind(10, EditsJson(doc.edits).dump(-1, ' ', false, json::error_handler_t::replace));
    s.Bind(11, json(doc.warnings).dump(-1, ' ', false, json::error_handler_t::replace));
    COOPKB_RETURN_IF_ERROR(s.Run());
    doc_id = sqlite3_last_insert_rowid(db_.handle());
  }

  // Canonical entities: the first document to name one sets its fields; later
  // ones only fill what is still unknown.
  std::vector<int64_t> entity_ids(doc.establishments.size(), 0);
  {
    auto up = db_.Prepare(
        "INSERT INTO entities(key, name, kind, city, departement, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT(key) DO UPDATE SET city = COALESCE(entities.city, excluded.city), "
        "departement = COALESCE(entities.departement, excluded.departement), "
        "region = COALESCE(entities.region, excluded.region)");
    auto sel = db_.Prepare("SELECT id FROM entities WHERE key = ?1");
    if (!up.ok()) return up.status();
    if (!sel.ok()) return sel.status();
    for (size_t i = 0; i < doc.establishments.size(); ++i) {
      const Establishment& e = doc.establishments[i];
      up.value().Reset();
      up.value().Bind(1, e.key).Bind(2, e.name).Bind(3, e.kind).BindOptional(4, e.city);
      up.value().BindOptional(5, e.departement).BindOptional(6, e.region);
      COOPKB_RETURN_IF_ERROR(up.value().Run());
      sel.value().Reset();
      sel.value().Bind(1, e.key);
      if (sel.value().Step() != Statement::kRow) return sel.value().status();
      entity_ids[i] = sel.value().Int64(0);
    }
  }

  Utf8Index index(doc.text);
  {
    auto st = db_.Prepare(
        "INSERT INTO mentions(document_id, kind, start, end, byte_start, byte_end, text, value, "
        "unit, entity_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st.ok()) return st.status();
    Statement& s = st.value();
    for (const Mention& m : doc.mentions) {
      s.Reset();
      s.Bind(1, doc_id).Bind(2, MentionKindName(m.kind));
      s.Bind(3, static_cast<int64_t>(index.CodePoint(m.span.begin)));
      s.Bind(4, static_cast<int64_t>(index.CodePoint(m.span.end)));
      s.Bind(5, static_cast<int64_t>(m.span.begin)).Bind(6, static_cast<int64_t>(m.span.end));
      s.Bind(7, doc.Text(m.span)).Bind(8, m.value).BindOptional(9, m.unit);
      if (m.entity >= 0 && static_cast<size_t>(m.entity) < entity_ids.size()) {
        s.Bind(10, entity_ids[m.entity]);
      } else {
        s.BindNull(10);
      }
      COOPKB_RETURN_IF_ERROR(s.Run());
    }
  }

  {
    auto coop = db_.Prepare(
        "INSERT INTO cooperations(document_id, kind, date, evidence) VALUES (?1, ?2, ?3, ?4)");
    auto party = db_.Prepare(
        "INSERT OR IGNORE INTO cooperation_parties(cooperation_id, entity_id, position) VALUES (?1, ?2, ?3)");
    auto spec = db_.Prepare(
        "INSERT OR IGNORE INTO cooperation_specialties(cooperation_id, specialty) VALUES (?1, ?2)");
    if (!coop.ok()) return coop.status();
    if (!party.ok()) return party.status();
    if (!spec.ok()) return spec.status();
    for (const Cooperation& c : doc.cooperations) {
      json evidence = json::array();
      for (const Span& s : c.evidence) evidence.push_back({s.begin, s.end});
      coop.value().Reset();
      coop.value().Bind(1, doc_id).Bind(2, c.kind).BindOptional(3, c.date).Bind(4, evidence.dump());
      COOPKB_RETURN_IF_ERROR(coop.value().Run());
      int64_t coop_id = sqlite3_last_insert_rowid(db_.handle());
      for (size_t p = 0; p < c.parties.size(); ++p) {
        int idx = c.parties[p];
        if (idx < 0 || static_cast<size_t>(idx) >= entity_ids.size()) continue;
        party.value().Reset();
        party.value().Bind(1, coop_id).Bind(2, entity_ids[idx]).Bind(3, static_cast<int64_t>(p));
        COOPKB_RETURN_IF_ERROR(party.value().Run());
      }
      for (const std::string& name : c.specialties) {
        spec.value().Reset();
        spec.value().Bind(1, coop_id).Bind(2, name);
        COOPKB_RETURN_IF_ERROR(spec.value().Run());
      }
    }
  }

  {
    auto st = db_.Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_ingest', ?1)");
    if (!st.ok()) return st.status();
    st.value().Bind(1, now);
    COOPKB_RETURN_IF_ERROR(st.value().Run());
  }
  COOPKB_RETURN_IF_ERROR(tx.Commit());
  return old_id != 0 ? StoreOutcome::kReplaced : StoreOutcome::kAdded;
}

Result<std::vector<SearchHit>> KnowledgeBase::Search(const SearchQuery& q) const {
  std::string sql;
  std::vector<std::string> text_params;
  bool has_match = !q.query.empty();
  std::string fts;
  if (has_match) {
    auto f = ToFtsQuery(q.query);
    if (!f.ok()) return f.status();
    fts = std::move(f).value();
  }
  const char* open = q.highlight_ansi ? "\x1b[1m" : "[";
  const char* close = q.highlight_ansi ? "\x1b[0m" : "]";
  if (has_match) {
    sql = "SELECT d.id, bm25(documents_fts, 4.0, 1.0) AS score, d.source, d.title, d.published, "
          "snippet(documents_fts, 1, ?1, ?2, '…', 20) FROM documents_fts "
          "JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH ?3";
  } else {
    sql = "SELECT d.id, 0.0 AS score, d.source, d.title, d.published, substr(d.text, 1, 160), "
          "?1, ?2, ?3 FROM documents d WHERE 1";
  }
  int next = 4;
  std::vector<std::pair<int, std::string>> binds;
  if (q.entity_filter) {
    if (q.entity_ids.empty()) return std::vector<SearchHit>{};
    std::string ids;
    for (int64_t id : q.entity_ids) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(id);
    }
    sql += " AND d.id IN (SELECT document_id FROM mentions WHERE entity_id IN (" + ids + "))";
  }
  if (!q.specialty.empty()) {
    sql += fmt::format(
        " AND d.id IN (SELECT document_id FROM mentions WHERE kind = 'specialty' AND value = ?{})", next);
    binds.emplace_back(next++, q.specialty);
  }
  // A document is in a period when its publication date or a date it mentions is.
  auto period = [&](const std::string& bound, const char* op) {
    int i = next++;
    binds.emplace_back(i, bound);
    sql += fmt::format(
        " AND (substr(d.published, 1, length(?{0})) {1} ?{0} OR EXISTS (SELECT 1 FROM mentions m "
        "WHERE m.document_id = d.id AND m.kind = 'date' AND substr(m.value, 1, length(?{0})) {1} ?{0}))",
        i, op);
  };
  if (!q.since.empty()) period(q.since, ">=");
  if (!q.until.empty()) period(q.until, "<=");
  sql += has_match ? " ORDER BY score LIMIT ?" : " ORDER BY d.published DESC, d.id LIMIT ?";
  sql += std::to_string(next);
  auto st = db_.Prepare(sql);
  if (!st.ok()) return st.status();
  Statement& s = st.value();
  s.Bind(1, open).Bind(2, close);
  if (has_match) s.Bind(3, fts);
  else s.BindNull(3);
  for (auto& [i, v] : binds) s.Bind(i, v);
  s.Bind(next, static_cast<int64_t>(q.limit));
  std::vector<SearchHit> hits;
  while (true) {
    auto r = s.Step();
    if (r == Statement::kDone) break;
    if (r == Statement::kError) {
      // The SQL is ours and compiled: an error while running it with a MATCH
      // comes from FTS5 parsing the user's query ("expected integer, got ...").
      std::string msg = s.status().message();
      if (has_match && s.status().code() == Status::kInternal) {
        if (auto pos = msg.find("fts5: "); pos != std::string::npos) msg = msg.substr(pos + 6);
        return Status::UserError("invalid search query: " + msg);
      }
      return s.status();
    }
    SearchHit h;
    h.id = s.Int64(0);
    h.score = s.Double(1);
    h.source = s.Text(2);
    h.title = s.Text(3);
    h.published = s.Text(4);
    h.snippet = s.Text(5);
    hits.push_back(std::move(h));
  }
  return hits;
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
  json w = json::parse(s.TextView(11), nullptr, false);
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
      "SELECT m.kind, m.byte_start, m.byte_end, m.value, m.unit, e.id, e.key, e.name, e.kind, "
      "e.city, e.departement, e.region FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
      "WHERE m.document_id = ?1 ORDER BY m.id");
  if (!st.ok()) return st.status();
  st.value().Bind(1, sd.id);
  Statement& s = st.value();
  while (true) {
    auto r = s.Step();
    if (r == Statement::kDone) break;
    if (r == Statement::kError) return s.status();
    Mention m;
    std::string_view kind = s.TextView(0);
    m.kind = kind == "establishment" ? MentionKind::kEstablishment
             : kind == "date"        ? MentionKind::kDate
             : kind == "specialty"   ? MentionKind::kSpecialty
                                     : MentionKind::kCount;
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
      "(SELECT count(DISTINCT entity_id) FROM mentions WHERE entity_id IS NOT NULL), "
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
      "(SELECT count(DISTINCT document_id) FROM mentions m WHERE m.entity_id = e.id), "
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
