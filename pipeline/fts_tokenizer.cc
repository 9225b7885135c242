#include "pipeline/fts_tokenizer.h"

#include <libstemmer.h>

#include <memory>
#include <string_view>

namespace coopkb {

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, reinterpret_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

namespace {

struct FrenchTokenizer {
  fts5_tokenizer base{};
  Fts5Tokenizer* base_instance = nullptr;
  sb_stemmer* stemmer = nullptr;
};

struct CallbackContext {
  FrenchTokenizer* tokenizer;
  int tokenize_flags;
  void* user_ctx;
  int (*user_callback)(void*, int, const char*, int, int, int);
};

// French function words, as unicode61 leaves them (lower case, no accents;
// the elided l', d', qu' are tokens of their own). They are in nearly every
// document and carry no meaning alone, and they made most of the index and of
// the cost of matching a phrase ("équipe médicale de territoire" read every
// position of "de"). Dropped from documents and queries alike, a phrase still
// matches: its other words become adjacent on both sides. The list is part of
// the index format: changing it needs the index rebuilt (a schema migration).
bool IsStopWord(std::string_view token) {
  static constexpr std::string_view kStopWords[] = {
      "a",    "au",  "aux", "avec", "c",   "ce",  "ces", "d",   "dans",  "de",    "des",  "du",
      "elle", "en",  "et",  "il",   "ils", "j",   "l",   "la",  "le",    "les",   "leur", "leurs",
      "lui",  "m",   "n",   "ne",   "nos", "notre", "nous", "on", "ou",  "par",   "pour", "qu",
      "que",  "qui", "s",   "sa",   "se",  "ses", "son", "sur", "t",   "un",    "une",  "vos",
      "votre", "vous", "y"};
  if (token.size() > 5) return false;
  for (std::string_view w : kStopWords) {
    if (w == token) return true;
  }
  return false;
}

int StemCallback(void* ctx, int flags, const char* token, int n, int start, int end) {
  auto* c = static_cast<CallbackContext*>(ctx);
  // A prefix query ("d*") asks for the letters themselves.
  if (!(flags & FTS5_TOKEN_COLOCATED) && !(c->tokenize_flags & FTS5_TOKENIZE_PREFIX) &&
      IsStopWord(std::string_view(token, static_cast<size_t>(n)))) {
    return SQLITE_OK;
  }
  // Very short tokens and numbers are kept as they are: stemming them only
  // merges noise. snippet() and highlight() tokenize only to count positions
  // and find offsets: they never read the stem.
  if (n < 4 || (token[0] >= '0' && token[0] <= '9') || (c->tokenize_flags & FTS5_TOKENIZE_AUX)) {
    return c->user_callback(c->user_ctx, flags, token, n, start, end);
  }
  const sb_symbol* stem =
      sb_stemmer_stem(c->tokenizer->stemmer, reinterpret_cast<const sb_symbol*>(token), n);
  if (!stem) return c->user_callback(c->user_ctx, flags, token, n, start, end);
  int len = sb_stemmer_length(c->tokenizer->stemmer);
  return c->user_callback(c->user_ctx, flags, reinterpret_cast<const char*>(stem), len, start, end);
}

int Create(void* api_ptr, const char**, int, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(api_ptr);
  auto t = std::make_unique<FrenchTokenizer>();
  void* base_ctx = nullptr;
  int rc = api->xFindTokenizer(api, "unicode61", &base_ctx, &t->base);
  if (rc != SQLITE_OK) return rc;
  const char* args[] = {"remove_diacritics", "2"};
  rc = t->base.xCreate(base_ctx, args, 2, &t->base_instance);
  if (rc != SQLITE_OK) return rc;
  t->stemmer = sb_stemmer_new("french", "UTF_8");
  if (!t->stemmer) {
    t->base.xDelete(t->base_instance);
    return SQLITE_ERROR;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(t.release());
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* p) {
  auto* t = reinterpret_cast<FrenchTokenizer*>(p);
  if (!t) return;
  if (t->base_instance) t->base.xDelete(t->base_instance);
  if (t->stemmer) sb_stemmer_delete(t->stemmer);
  delete t;
}

int Tokenize(Fts5Tokenizer* p, void* ctx, int flags, const char* text, int n,
             int (*callback)(void*, int, const char*, int, int, int)) {
  auto* t = reinterpret_cast<FrenchTokenizer*>(p);
  CallbackContext c{t, flags, ctx, callback};
  return t->base.xTokenize(t->base_instance, &c, flags, text, n, StemCallback);
}

}  // namespace

Status RegisterFrenchTokenizer(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (!api) return Status::Internal("this SQLite has no FTS5");
  fts5_tokenizer tokenizer{Create, Delete, Tokenize};
  if (api->xCreateTokenizer(api, "coopkb_fr", api, &tokenizer, nullptr) != SQLITE_OK) {
    return Status::Internal("cannot register the FTS5 tokenizer");
  }
  return Status::Ok();
}

}  // namespace coopkb
