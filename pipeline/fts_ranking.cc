#include "pipeline/fts_ranking.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "pipeline/document_stats.h"
#include "pipeline/fts_tokenizer.h"

namespace coopkb {
namespace {

constexpr const char* kIdSetType = "coopkb_document_id_set";
constexpr const char* kRankContextType = "coopkb_rank_context";

// What bm25 computes once per query: FTS5's fts5Bm25GetData.
struct QueryData {
  explicit QueryData(sqlite3* db) : stats(db) {}
  std::vector<double> idf;
  std::vector<double> frequency;  // per phrase, reused for each row
  double average_length = 0;
  DocumentStatsReader stats;
};

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<int64_t*>(count);
  return SQLITE_OK;
}

void DeleteQueryData(void* p) { delete static_cast<QueryData*>(p); }

QueryData* GetQueryData(const Fts5ExtensionApi* api, Fts5Context* fts, RankContext* context, int* rc) {
  auto* data = static_cast<QueryData*>(api->xGetAuxdata(fts, 0));
  if (data) return data;
  auto fresh = std::make_unique<QueryData>(static_cast<sqlite3*>(api->xUserData(fts)));
  sqlite3_int64 rows = 0, tokens = 0;
  if ((*rc = api->xRowCount(fts, &rows)) != SQLITE_OK) return nullptr;
  if ((*rc = api->xColumnTotalSize(fts, -1, &tokens)) != SQLITE_OK) return nullptr;
  fresh->average_length = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1.0;
  int phrases = api->xPhraseCount(fts);
  fresh->idf.resize(static_cast<size_t>(phrases), 1.0);
  fresh->frequency.resize(static_cast<size_t>(phrases));
  if (context) context->rows = rows;
  // One phrase: its idf scales every score alike, and the caller, who sees
  // every match, applies it at the end. Counting the phrase's documents here
  // would match the phrase in the whole index a second time.
  if (context && phrases == 1) {
    context->idf_deferred = true;
    phrases = 0;
  }
  for (int i = 0; i < phrases; ++i) {
    int64_t hits = 0;
    if ((*rc = api->xQueryPhrase(fts, i, &hits, CountRow)) != SQLITE_OK) return nullptr;
    double idf = std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
    fresh->idf[static_cast<size_t>(i)] = idf <= 0.0 ? 1e-6 : idf;
  }
  data = fresh.release();
  if ((*rc = api->xSetAuxdata(fts, data, DeleteQueryData)) != SQLITE_OK) return nullptr;
  return data;
}

// FTS5's bm25 of the current row of `fts`, lower is better, without the idf
// when the run defers it. `weights` are the column weights.
int RowScore(const Fts5ExtensionApi* api, Fts5Context* fts, QueryData& data, sqlite3_value** weights,
             int n_weights, double* score) {
  constexpr double k1 = 1.2;
  constexpr double b = 0.75;
  // Each phrase's own position list: xInstCount would first build an array
  // of every instance of every phrase, an allocation per matching document.
  for (size_t phrase = 0; phrase < data.frequency.size(); ++phrase) {
    double f = 0;
    Fts5PhraseIter it;
    int column = 0, offset = 0;
    if (int rc = api->xPhraseFirst(fts, static_cast<int>(phrase), &it, &column, &offset); rc != SQLITE_OK) return rc;
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
      f += column < n_weights ? sqlite3_value_double(weights[column]) : 1.0;
    }
    data.frequency[phrase] = f;
  }
  double length = 0;
  if (const DocumentStat* stat = data.stats.Find(api->xRowid(fts))) {
    length = stat->tokens;
  } else {
    int tokens = 0;
    if (int rc = api->xColumnSize(fts, -1, &tokens); rc != SQLITE_OK) return rc;
    length = tokens;
  }
  double sum = 0;
  for (size_t i = 0; i < data.idf.size(); ++i) {
    double f = data.frequency[i];
    sum += data.idf[i] * (f * (k1 + 1.0)) / (f + k1 * (1 - b + b * length / data.average_length));
  }
  *score = -sum;
  return SQLITE_OK;
}

// Takes the RankContext pointer off the front of an auxiliary function's arguments.
RankContext* TakeRankContext(int* n_args, sqlite3_value*** args) {
  if (*n_args == 0 || sqlite3_value_type((*args)[0]) != SQLITE_NULL) return nullptr;
  auto* context = static_cast<RankContext*>(sqlite3_value_pointer((*args)[0], kRankContextType));
  ++*args;
  --*n_args;
  return context;
}

void Bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args, sqlite3_value** args) {
  RankContext* context = TakeRankContext(&n_args, &args);
  if (context) {
    ++context->matches;
    if (context->allowed && !context->allowed->Contains(api->xRowid(fts))) {
      sqlite3_result_double(ctx, RankContext::kFilteredOut);
      return;
    }
  }
  int rc = SQLITE_OK;
  QueryData* data = GetQueryData(api, fts, context, &rc);
  double score = 0;
  if (data) rc = RowScore(api, fts, *data, args, n_args, &score);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_double(ctx, score);
}

// One pass of xQueryPhrase over every document of the phrase.
struct TopPass {
  RankContext* context;
  QueryData* data;
  sqlite3_value** weights;
  int n_weights;
};

// Scores the current row of `fts` and keeps it among the best
// `context.limit`, in a heap whose top is the worst kept.
int KeepRow(const Fts5ExtensionApi* api, Fts5Context* fts, RankContext& context, QueryData& data,
            sqlite3_value** weights, int n_weights) {
  ++context.matches;
  const int64_t id = api->xRowid(fts);
  if (context.allowed && !context.allowed->Contains(id)) return SQLITE_OK;
  double score = 0;
  if (int rc = RowScore(api, fts, data, weights, n_weights, &score); rc != SQLITE_OK) return rc;
  auto& top = context.top;
  const RankContext::Ranked row{score, id};
  if (top.size() < context.limit) {
    top.push_back(row);
    std::push_heap(top.begin(), top.end());
  } else if (context.limit > 0 && row < top.front()) {
    std::pop_heap(top.begin(), top.end());
    top.back() = row;
    std::push_heap(top.begin(), top.end());
  }
  return SQLITE_OK;
}

int RankRow(const Fts5ExtensionApi* api, Fts5Context* fts, void* user) {
  auto* pass = static_cast<TopPass*>(user);
  return KeepRow(api, fts, *pass->context, *pass->data, pass->weights, pass->n_weights);
}

// coopkb_top(documents_fts, context, weights...): for a query of one phrase,
// ranks every match on the first row and answers 1 (2 without ranking when
// the context asks to leave phrases of several words to coopkb_keep); any
// other query, 0.
void Top(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args, sqlite3_value** args) {
  RankContext* context = TakeRankContext(&n_args, &args);
  if (!context || api->xPhraseCount(fts) != 1) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  if (context->leave_word_sequences && api->xPhraseSize(fts, 0) > 1) {
    sqlite3_result_int(ctx, 2);
    return;
  }
  int rc = SQLITE_OK;
  QueryData* data = GetQueryData(api, fts, context, &rc);
  if (data) {
    context->matches = 0;
    context->top.clear();
    TopPass pass{context, data, args, n_args};
    rc = api->xQueryPhrase(fts, 0, &pass, RankRow);
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  std::sort_heap(context->top.begin(), context->top.end());
  sqlite3_result_int(ctx, 1);
}

// coopkb_keep(documents_fts, context, weights...): keeps the row among the
// context's best, as coopkb_top does for each match; answers NULL.
void Keep(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args, sqlite3_value** args) {
  RankContext* context = TakeRankContext(&n_args, &args);
  if (!context) {
    sqlite3_result_error(ctx, "coopkb_keep needs a rank context", -1);
    return;
  }
  int rc = SQLITE_OK;
  QueryData* data = GetQueryData(api, fts, context, &rc);
  if (data) rc = KeepRow(api, fts, *context, *data, args, n_args);
  if (rc != SQLITE_OK) sqlite3_result_error_code(ctx, rc);
}

void InSet(sqlite3_context* ctx, int, sqlite3_value** args) {
  const auto* set = static_cast<const DocumentIdSet*>(sqlite3_value_pointer(args[1], kIdSetType));
  sqlite3_result_int(ctx, set && set->Contains(sqlite3_value_int64(args[0])) ? 1 : 0);
}

}  // namespace

void DocumentIdSet::Add(int64_t id) {
  if (id < 0) return;
  size_t word = static_cast<size_t>(id / 64);
  if (word >= bits_.size()) bits_.resize(std::max(word + 1, bits_.size() * 2));
  bits_[word] |= uint64_t{1} << (id % 64);
}

void DocumentIdSet::IntersectWith(const DocumentIdSet& other) {
  if (bits_.size() > other.bits_.size()) bits_.resize(other.bits_.size());
  for (size_t i = 0; i < bits_.size(); ++i) bits_[i] &= other.bits_[i];
}

bool DocumentIdSet::empty() const {
  return std::all_of(bits_.begin(), bits_.end(), [](uint64_t w) { return w == 0; });
}

Status RegisterSearchFunctions(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (!api) return Status::Internal("this SQLite has no FTS5");
  if (api->xCreateFunction(api, "coopkb_bm25", db, Bm25, nullptr) != SQLITE_OK ||
      api->xCreateFunction(api, "coopkb_top", db, Top, nullptr) != SQLITE_OK ||
      api->xCreateFunction(api, "coopkb_keep", db, Keep, nullptr) != SQLITE_OK) {
    return Status::Internal("cannot register the ranking functions");
  }
  if (sqlite3_create_function_v2(db, "coopkb_in_set", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                 nullptr, InSet, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Status::Internal("cannot register coopkb_in_set");
  }
  return Status::Ok();
}

int BindDocumentIdSet(sqlite3_stmt* stmt, int index, const DocumentIdSet* set) {
  return sqlite3_bind_pointer(stmt, index, const_cast<DocumentIdSet*>(set), kIdSetType, nullptr);
}

int BindRankContext(sqlite3_stmt* stmt, int index, RankContext* context) {
  return sqlite3_bind_pointer(stmt, index, context, kRankContextType, nullptr);
}

double RankContext::Score(double score) const {
  if (!idf_deferred) return score;
  double idf = std::log((static_cast<double>(rows - matches) + 0.5) / (static_cast<double>(matches) + 0.5));
  return score * (idf <= 0.0 ? 1e-6 : idf);
}

}  // namespace coopkb
