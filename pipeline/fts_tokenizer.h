// The FTS5 tokenizer "coopkb_fr": unicode61 (case and accents folded) followed
// by the Snowball French stemmer, so that "coopération", "cooperations" and
// "Coopérer" index and match alike. French function words (le, de, l', des,
// et...) are left out of documents and queries, as search engines' French
// analyzers do: the phrase "équipe médicale de territoire" matches as
// "équipe médicale territoire", and a query of function words alone finds
// nothing. A prefix query keeps them ("d*").
//
//   Status s = RegisterFrenchTokenizer(db.handle());   // once per connection
//   CREATE VIRTUAL TABLE t USING fts5(text, tokenize='coopkb_fr');
//
// The tokenizer exists only in connections that registered it: open a
// knowledge base with coopkb (or register it) before querying its FTS table.
//
// Tokenizing (stemming above all) is most of the cost of an FTS5 insert, and
// it runs on the one writing thread. Workers can do it ahead:
//
//   auto tokenizer = DocumentTokenizer::Create();          // one per thread
//   TokenStream tokens = tokenizer.value()->Tokenize(text);  // on a worker
//   ...
//   PretokenizedTexts texts;                                 // on the writer
//   ScopedPretokenized scope(texts);
//   texts.Add(text, &tokens);
//   INSERT INTO documents_fts ...;   // FTS5 asks to index `text`: the stream is replayed
//
// A text FTS5 asks for that is not byte for byte one of the set's is
// tokenized as usual, so a stale stream can only cost time, never the index.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/status.h"

namespace coopkb {

Status RegisterFrenchTokenizer(sqlite3* db);

// The connection's FTS5 API, to register tokenizers and functions; nullptr
// when this SQLite has no FTS5.
fts5_api* Fts5Api(sqlite3* db);

// What the tokenizer emitted for one text: each token and its offsets.
class TokenStream {
 public:
  void Add(int flags, std::string_view token, int start, int end);
  // Calls `callback` as the tokenizer would have.
  int Replay(void* ctx, int (*callback)(void*, int, const char*, int, int, int)) const;
  size_t size() const { return tokens_.size(); }
  // The memory it holds, about.
  size_t bytes() const { return chars_.size() + tokens_.size() * sizeof(Token); }

 private:
  struct Token {
    uint32_t offset, size;  // in chars_
    int start, end, flags;
  };
  std::string chars_;
  std::vector<Token> tokens_;
};

// The coopkb_fr tokenizer outside any knowledge base, for a worker thread
// (each thread its own).
class DocumentTokenizer {
 public:
  static Result<std::unique_ptr<DocumentTokenizer>> Create();
  ~DocumentTokenizer();
  DocumentTokenizer(const DocumentTokenizer&) = delete;
  DocumentTokenizer& operator=(const DocumentTokenizer&) = delete;

  // The tokens FTS5 would index for `text` as a document's column.
  TokenStream Tokenize(std::string_view text);

 private:
  DocumentTokenizer() = default;
  sqlite3* db_ = nullptr;  // in memory: the FTS5 API that finds unicode61
  fts5_tokenizer methods_{};
  Fts5Tokenizer* instance_ = nullptr;
};

// Texts and their streams, for a writer that indexes them later, often in
// the order they were added: each lookup tries the stream after the last one
// found before searching them all. Texts are views into memory that must
// outlive their presence in the set.
class PretokenizedTexts {
 public:
  void Add(std::string_view text, const TokenStream* tokens);
  void Clear();
  // Keeps the first `n` texts added.
  void Truncate(size_t n);
  size_t size() const { return entries_.size(); }
  // The stream of exactly `text`; nullptr when there is none.
  const TokenStream* Find(std::string_view text);

 private:
  std::vector<std::pair<std::string_view, const TokenStream*>> entries_;
  size_t next_ = 0;
};

// While alive, FTS5 inserts on this thread replay the streams of `texts`
// (the set may change meanwhile). Scopes nest: the inner one is used.
class ScopedPretokenized {
 public:
  explicit ScopedPretokenized(PretokenizedTexts& texts);
  ~ScopedPretokenized();
  ScopedPretokenized(const ScopedPretokenized&) = delete;
  ScopedPretokenized& operator=(const ScopedPretokenized&) = delete;

 private:
  PretokenizedTexts* outer_;
};

}  // namespace coopkb
