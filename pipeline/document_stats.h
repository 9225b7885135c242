// DocumentStats: the few numbers per document that a search reads for every
// document it matches (tens of thousands for a common word): the length in
// indexed tokens that bm25 normalizes by, and the earliest and latest date of
// the document for --since/--until.
//
//   DocumentStatsWriter writer(db);                   // one per writing connection
//   uint32_t tokens = writer.IndexedTokens(doc_id).value();   // after the FTS5 insert
//   DocumentStat stat{tokens, PackIsoDate("2009"), PackIsoDate("2012-03-01")};
//   Status s = writer.Write(doc_id, stat);            // inside the document's transaction
//
//   DocumentStatsReader stats(db);                    // one per query
//   const DocumentStat* s = stats.Find(doc_id);       // nullptr when not recorded
//
// They live in blocks of kDocumentsPerBlock documents, one row of the table
// document_stats per block (`data`: 12 bytes per document, little-endian
// tokens, first_day, last_day), so that a query reads one row per block where
// FTS5's own bm25 reads one row of its %_docsize table per matching document
// (most of its time on a common word). A document never recorded, or whose
// block is absent, reads as nullptr: callers fall back to the slower source.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/sqlite_db.h"
#include "pipeline/status.h"

namespace coopkb {

struct DocumentStat {
  uint32_t tokens = 0;    // title and text, as FTS5 counts them; 0: not recorded
  int32_t first_day = 0;  // PackIsoDate of the earliest date; 0: the document has no date
  int32_t last_day = 0;   // PackIsoDate of the latest date
};

// "2015-06-03" -> 20150603, "2015-06" -> 20150600, "2015" -> 20150000; a time
// after the day is ignored. 0 when `iso` does not start with such a date.
// Packed values order as the ISO strings do.
int32_t PackIsoDate(std::string_view iso);

// The packed bound of "--until ISO": a date is at or before `iso`, at the
// precision of `iso`, exactly when its packed value is below this. 0 when
// `iso` is not a plain date (YYYY, YYYY-MM or YYYY-MM-DD).
int32_t PackedUntilBound(std::string_view iso);

inline constexpr int64_t kDocumentsPerBlock = 256;

class DocumentStatsWriter {
 public:
  explicit DocumentStatsWriter(sqlite3* db) : db_(db) {}
  ~DocumentStatsWriter();
  DocumentStatsWriter(const DocumentStatsWriter&) = delete;
  DocumentStatsWriter& operator=(const DocumentStatsWriter&) = delete;

  // Records `stat` for document `id` (creating its block when needed).
  Status Write(int64_t id, const DocumentStat& stat);
  // The number of tokens FTS5 stored for document `id` in documents_fts,
  // all columns together; 0 when it has none.
  Result<uint32_t> IndexedTokens(int64_t id);

 private:
  Status Prepare(sqlite3_stmt** stmt, const char* sql);
  Status Error() const;

  sqlite3* db_;
  sqlite3_stmt* create_block_ = nullptr;
  sqlite3_stmt* read_docsize_ = nullptr;
};

// Reads blocks on demand and keeps them for its lifetime: make one per query,
// so that it never shows a block older than the query.
class DocumentStatsReader {
 public:
  explicit DocumentStatsReader(sqlite3* db) : db_(db) {}
  ~DocumentStatsReader();
  DocumentStatsReader(const DocumentStatsReader&) = delete;
  DocumentStatsReader& operator=(const DocumentStatsReader&) = delete;

  const DocumentStat* Find(int64_t id);

  // Calls fn(id, stat) for every recorded document, in id order.
  template <typename Fn>
  Status ForEach(Fn fn);

 private:
  const std::vector<DocumentStat>* Block(int64_t block);
  Status ScanAll(const std::function<void(int64_t, const std::vector<DocumentStat>&)>& fn);

  sqlite3* db_;
  sqlite3_stmt* read_block_ = nullptr;
  std::unordered_map<int64_t, std::vector<DocumentStat>> blocks_;  // empty vector: no such block
};

template <typename Fn>
Status DocumentStatsReader::ForEach(Fn fn) {
  return ScanAll([&fn](int64_t block, const std::vector<DocumentStat>& stats) {
    for (size_t i = 0; i < stats.size(); ++i) {
      if (stats[i].tokens != 0) fn(block * kDocumentsPerBlock + static_cast<int64_t>(i), stats[i]);
    }
  });
}

}  // namespace coopkb
