// KnowledgeBase: the one SQLite file that holds documents, their annotations,
// canonical establishments and cooperations, with an FTS5 index over the text.
//
//   auto kb = KnowledgeBase::Open("output/coopkb.sqlite", KnowledgeBase::kReadWrite);
//   if (kb.value().IsUnchanged(path, sha256)) skip();          // idempotent ingest
//   Result<StoreOutcome> r = kb.value().Store(doc);             // one transaction
//   auto hits = kb.value().Search({.query = "neurochirurgie"}); // bm25-ranked
//   kb.value().ForEachDocument([](const StoredDocument& d) { ... return Status::Ok(); });
//
// Storing a document is atomic: after any failure the base holds whole
// documents only. The same bytes stored twice add nothing; a changed file at
// the same source path replaces its earlier version and all its annotations.
// The schema is versioned with PRAGMA user_version and migrated forward on open.
// Mentions keep only what cannot be derived: their text and code-point
// offsets come from the document's text and byte offsets when read.
//
// Opening read-write fails with a one-line error naming the file when it or
// its folder cannot be written (SQLite needs the folder for its -wal and -shm
// files). Opening read-only works on a base nobody can write (read-only media,
// another user's folder): when the -shm file cannot be created and no -wal
// file is left, the file is read as immutable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/sqlite_db.h"
#include "pipeline/status.h"

namespace coopkb {

class DocumentIdSet;
struct RankContext;

enum class StoreOutcome { kAdded, kReplaced, kUnchanged, kDuplicate };

// A document as stored, rebuilt as a Document with its annotations.
struct StoredDocument {
  int64_t id = 0;
  std::string ingested_at;
  Document doc;
};

struct SearchQuery {
  std::string query;  // user syntax, see ToFtsQuery in pipeline/search_query.h
  int limit = 10;
  std::vector<int64_t> entity_ids;  // documents mentioning any of them (empty: no filter)
  bool entity_filter = false;       // true when --establishment was given
  std::string specialty;            // canonical specialty name, or empty
  std::string since, until;         // ISO dates/years bounding the publication or a mentioned date
  bool highlight_ansi = false;      // snippet markup: ANSI bold, else [brackets]
};

// The integer a mention's kind is stored as (table mention_kinds names them).
int64_t MentionKindCode(MentionKind kind);

struct SearchHit {
  int64_t id = 0;
  double score = 0;  // bm25: lower is better
  std::string source, title, published, snippet;
};

struct KbStats {
  int64_t documents = 0, mentions = 0, establishments = 0, cooperations = 0;
  int64_t text_bytes = 0, file_bytes = 0;
  std::string last_ingest;
};

struct EntityRow {
  int64_t id = 0;
  std::string key, name, kind, city, departement, region;
  int64_t documents = 0, cooperations = 0;
};

class KnowledgeBase {
 public:
  enum Mode { kReadOnly, kReadWrite };
  static Result<KnowledgeBase> Open(const std::string& path, Mode mode);
  ~KnowledgeBase();
  KnowledgeBase(KnowledgeBase&&) noexcept;
  KnowledgeBase& operator=(KnowledgeBase&&) noexcept;

  // True when `source` is stored with these exact bytes, or the bytes are
  // stored under another source: ingest can skip the file without reading it further.
  Result<bool> IsUnchanged(const std::string& source, const std::string& sha256) const;
  Result<StoreOutcome> Store(const Document& doc);
  // Groups many Store() calls in one commit (each still whole or absent):
  // a crash loses at most the open batch, never part of a document. The
  // batch's documents enter the full-text index when it commits, so Search
  // finds them from then on.
  Status BeginBatch();
  Status CommitBatch();
  // Rolls back the open batch, if any (after a failed Store or commit).
  void AbandonBatch();

  // Runs `fn` inside one read transaction: everything it reads is one
  // snapshot of the base, even while another process ingests.
  Status ReadSnapshot(const std::function<Status()>& fn) const;

  Result<std::vector<SearchHit>> Search(const SearchQuery& q) const;
  // A phrase of several words is matched in up to `threads` parts of the
  // index at once, each on its own read-only connection (opened on first
  // need and kept), when the index holds at least `min_documents` documents
  // and no transaction is open on this connection. Default: the core count,
  // at most 4, from 10 000 documents. Hits and scores are the same either way.
  void SetSearchParallelism(int threads, int64_t min_documents);
  // The read-only connections opened so far to rank parts of searches.
  size_t RankerConnections() const { return rankers_.size(); }

  // By numeric id or by source path.
  Result<StoredDocument> Load(const std::string& id_or_source) const;
  // Streams every document in id order, one at a time (memory stays flat).
  Status ForEachDocument(const std::function<Status(const StoredDocument&)>& fn) const;

  Result<KbStats> Stats() const;
  Result<std::vector<EntityRow>> Entities() const;

  const SqliteDb& db() const { return db_; }

 private:
  // Statements Store() runs for every document, prepared once per connection.
  struct StoreStatements;

  explicit KnowledgeBase(SqliteDb db);
  Status Migrate();
  // Records DocumentStats for the documents of a base made before they existed.
  Status FillDocumentStats();
  // The documents that pass the filters of `q` (entity, specialty, period).
  Result<DocumentIdSet> FilteredDocuments(const SearchQuery& q) const;
  struct IdRange {
    int64_t first, last;
  };
  // The documents' ids when a search may rank in parts (see
  // SetSearchParallelism); nullopt when it should not.
  Result<std::optional<IdRange>> SplittableRange() const;
  // Ranks the matches of `fts` in parts of `range`, in parallel, into
  // `ranked` (which brings the filter and the limit): its `top` best first,
  // ties by id, `matches` and `rows` for the whole index.
  Status RankInParts(const std::string& fts, IdRange range, RankContext& ranked) const;
  Result<StoreStatements*> PreparedForStore();
  Result<StoreOutcome> StoreWith(StoreStatements& st, const Document& doc);
  // Adds the documents stored since the last call to documents_fts, and
  // their DocumentStats: at the end of each batch and of each lone Store.
  Status IndexPending();
  Result<StoredDocument> LoadById(int64_t id) const;
  Status LoadAnnotations(StoredDocument& sd) const;
  SqliteDb db_;
  // After db_: statements are finalized before the connection closes.
  std::unique_ptr<StoreStatements> store_;
  bool immutable_ = false;  // opened with ?immutable=1: so are the rankers
  int search_threads_ = 1;
  int64_t parallel_min_documents_ = 10000;
  // Read-only connections ranking parts of a search beside db_.
  mutable std::vector<SqliteDb> rankers_;
};

// The current UTC time as ISO 8601 ("2026-11-23T06:40:12Z").
std::string NowIso();

}  // namespace coopkb
