// Search functions for the FTS5 index documents_fts, registered per
// connection:
//
//   Status s = RegisterSearchFunctions(db);
//   SELECT rowid, coopkb_bm25(documents_fts, 4.0, 1.0) AS score FROM documents_fts
//     WHERE documents_fts MATCH ?1 ORDER BY score LIMIT 10;
//
//   RankContext context{.allowed = &filter_set};      // optional
//   SELECT rowid, coopkb_bm25(documents_fts, ?2, 4.0, 1.0) AS score ... ;
//   BindRankContext(stmt, 2, &context);               // outlives the run
//   ... each row: if (score >= RankContext::kFilteredOut) skip;
//                 shown score = context.Score(score);  // after the last row
//
// coopkb_bm25 gives exactly FTS5's bm25() (same k1, b, idf and column
// weights: lower is better) but reads each document's length from
// DocumentStats, one row per block of documents, instead of one %_docsize
// row per match: ranking 90 000 matches of a common word costs about 10 ms
// instead of 60. A document without stats falls back to FTS5's own count.
// With a RankContext it also skips the documents outside `allowed` (a search
// filter answered once, before the query, instead of a subquery per match),
// and for a query of one phrase it leaves out the phrase's idf, which would
// need a second pass over the index, and RankContext::Score applies it.
//
// coopkb_top(documents_fts, ?context, 4.0, 1.0) ranks a query of one phrase
// (a word, a prefix, a "phrase", with or without a column filter) in one
// call, on the first row of the MATCH, so run it with LIMIT 1:
//
//   context.limit = 10;
//   SELECT coopkb_top(documents_fts, ?2, 4.0, 1.0) FROM documents_fts
//     WHERE documents_fts MATCH ?1 LIMIT 1;
//   1: context.top holds the best `limit` matches with coopkb_bm25's scores
//      (ties by id), context.matches every match; 0: the query has several
//      phrases, rank it with coopkb_bm25; no row: nothing matches.
//
// It walks the phrase's documents with FTS5's xQueryPhrase, so the SQL
// machinery of a result row and of the sorter is not paid per match: a word
// found in 90 000 documents ranks in a third of the time.
//
// coopkb_keep(documents_fts, ?context, 4.0, 1.0) does for each row of its
// query what coopkb_top does for each match: it adds the row to context.top
// (ties by id) and counts it in context.matches. Unlike xQueryPhrase, its
// query can be bounded to a range of rowids, so that several connections rank
// parts of one index at once and their tops are merged:
//
//   SELECT coopkb_keep(documents_fts, ?2, 4.0, 1.0) FROM documents_fts
//     WHERE documents_fts MATCH ?1 AND rowid BETWEEN ?3 AND ?4;
//   ... step every row; then context.top is a heap: std::sort_heap it.
//
// The parts pay off for a phrase of several words, where matching positions
// costs far more than a row: with context.leave_word_sequences set,
// coopkb_top answers 2, without ranking, for such a query.
//
// coopkb_in_set(id, set) is true when `id` is in the DocumentIdSet bound as a
// pointer: a search filter answered once, before the query, instead of a
// subquery per match.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <vector>

#include "pipeline/status.h"

namespace coopkb {

// A set of document ids as a bitmap over [0, max id].
class DocumentIdSet {
 public:
  void Add(int64_t id);
  bool Contains(int64_t id) const {
    return id >= 0 && static_cast<uint64_t>(id) / 64 < bits_.size() && (bits_[id / 64] >> (id % 64) & 1);
  }
  // Keeps only the ids also in `other`.
  void IntersectWith(const DocumentIdSet& other);
  bool empty() const;

 private:
  std::vector<uint64_t> bits_;
};

// What one run of coopkb_bm25 shares with its caller.
struct RankContext {
  static constexpr double kFilteredOut = 1e300;  // the score of a match outside `allowed`
  const DocumentIdSet* allowed = nullptr;        // nullptr: every match
  // Filled by the run.
  int64_t matches = 0;  // rows the query matched, allowed or not
  int64_t rows = 0;     // documents in the index
  bool idf_deferred = false;
  // For coopkb_top: how many to keep, and the best rows found, best first.
  struct Ranked {
    double score;  // as coopkb_bm25's, lower is better
    int64_t id;
    bool operator<(const Ranked& o) const { return score < o.score || (score == o.score && id < o.id); }
  };
  size_t limit = 0;
  std::vector<Ranked> top;
  bool leave_word_sequences = false;  // coopkb_top answers 2 for one phrase of several words
  // The bm25 score of a row whose coopkb_bm25 value was `score`, once the
  // run has seen every match.
  double Score(double score) const;
};

Status RegisterSearchFunctions(sqlite3* db);

// Binds `set` to parameter `index` of `stmt` for coopkb_in_set.
int BindDocumentIdSet(sqlite3_stmt* stmt, int index, const DocumentIdSet* set);
// Binds `context` to parameter `index` of `stmt`, as coopkb_bm25's first argument after the table.
int BindRankContext(sqlite3_stmt* stmt, int index, RankContext* context);

}  // namespace coopkb
