#include "pipeline/fts_tokenizer.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
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

// Lets the stem cache be searched with the tokenizer's string_view.
struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

struct FrenchTokenizer {
  fts5_tokenizer base{};
  Fts5Tokenizer* base_instance = nullptr;
  sb_stemmer* stemmer = nullptr;
  // Stems already computed: an article's words are mostly words already
  // seen, and the stemmer costs several times a lookup. Bounded: emptied
  // when full.
  std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> stems;
  static constexpr size_t kMaxStems = size_t{1} << 16;
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
  // Each word as an integer (its bytes, then its length), looked up in a
  // sorted table: a short token is tested in a few comparisons.
  auto pack = [](std::string_view w) {
    uint64_t v = 0;
    for (char c : w) v = v << 8 | static_cast<unsigned char>(c);
    return v << 8 | w.size();
  };
  static const std::array<uint64_t, std::size(kStopWords)> kPacked = [&] {
    std::array<uint64_t, std::size(kStopWords)> t{};
    for (size_t i = 0; i < t.size(); ++i) t[i] = pack(kStopWords[i]);
    std::sort(t.begin(), t.end());
    return t;
  }();
  if (token.size() > 5) return false;
  return std::binary_search(kPacked.begin(), kPacked.end(), pack(token));
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
  FrenchTokenizer& t = *c->tokenizer;
  std::string_view word(token, static_cast<size_t>(n));
  auto known = t.stems.find(word);
  if (known == t.stems.end()) {
    const sb_symbol* stem = sb_stemmer_stem(t.stemmer, reinterpret_cast<const sb_symbol*>(token), n);
    if (!stem) return c->user_callback(c->user_ctx, flags, token, n, start, end);
    if (t.stems.size() >= FrenchTokenizer::kMaxStems) t.stems.clear();
    known = t.stems
                .emplace(std::string(word), std::string(reinterpret_cast<const char*>(stem),
                                                        static_cast<size_t>(sb_stemmer_length(t.stemmer))))
                .first;
  }
  const std::string& stem = known->second;
  return c->user_callback(c->user_ctx, flags, stem.data(), static_cast<int>(stem.size()), start, end);
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

// The streams a ScopedPretokenized offers on this thread.
thread_local PretokenizedTexts* t_pretokenized = nullptr;

int Tokenize(Fts5Tokenizer* p, void* ctx, int flags, const char* text, int n,
             int (*callback)(void*, int, const char*, int, int, int)) {
  if (t_pretokenized && (flags & FTS5_TOKENIZE_DOCUMENT)) {
    const TokenStream* known = t_pretokenized->Find(std::string_view(text, static_cast<size_t>(std::max(n, 0))));
    if (known) return known->Replay(ctx, callback);
  }
  auto* t = reinterpret_cast<FrenchTokenizer*>(p);
  CallbackContext c{t, flags, ctx, callback};
  return t->base.xTokenize(t->base_instance, &c, flags, text, n, StemCallback);
}

int CollectToken(void* stream, int flags, const char* token, int n, int start, int end) {
  static_cast<TokenStream*>(stream)->Add(flags, std::string_view(token, static_cast<size_t>(n)), start, end);
  return SQLITE_OK;
}

}  // namespace

void TokenStream::Add(int flags, std::string_view token, int start, int end) {
  tokens_.push_back({static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(token.size()), start, end, flags});
  chars_.append(token);
}

int TokenStream::Replay(void* ctx, int (*callback)(void*, int, const char*, int, int, int)) const {
  for (const Token& t : tokens_) {
    int rc = callback(ctx, t.flags, chars_.data() + t.offset, static_cast<int>(t.size), t.start, t.end);
    if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  return SQLITE_OK;
}

Result<std::unique_ptr<DocumentTokenizer>> DocumentTokenizer::Create() {
  std::unique_ptr<DocumentTokenizer> dt(new DocumentTokenizer());
  if (sqlite3_open_v2(":memory:", &dt->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return Status::Internal("cannot open an in-memory database for the tokenizer");
  }
  if (Status s = RegisterFrenchTokenizer(dt->db_); !s.ok()) return s;
  fts5_api* api = Fts5Api(dt->db_);
  void* user = nullptr;
  if (!api || api->xFindTokenizer(api, "coopkb_fr", &user, &dt->methods_) != SQLITE_OK ||
      dt->methods_.xCreate(user, nullptr, 0, &dt->instance_) != SQLITE_OK) {
    return Status::Internal("cannot create the coopkb_fr tokenizer");
  }
  return dt;
}

DocumentTokenizer::~DocumentTokenizer() {
  if (instance_) methods_.xDelete(instance_);
  sqlite3_close(db_);
}

TokenStream DocumentTokenizer::Tokenize(std::string_view text) {
  TokenStream stream;
  methods_.xTokenize(instance_, &stream, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()),
                     CollectToken);
  return stream;
}

void PretokenizedTexts::Add(std::string_view text, const TokenStream* tokens) { entries_.emplace_back(text, tokens); }

void PretokenizedTexts::Clear() {
  entries_.clear();
  next_ = 0;
}

void PretokenizedTexts::Truncate(size_t n) {
  if (n < entries_.size()) entries_.resize(n);
  next_ = std::min(next_, entries_.size());
}

const TokenStream* PretokenizedTexts::Find(std::string_view text) {
  if (next_ < entries_.size() && entries_[next_].first == text) return entries_[next_++].second;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].first == text) {
      next_ = i + 1;
      return entries_[i].second;
    }
  }
  return nullptr;
}

ScopedPretokenized::ScopedPretokenized(PretokenizedTexts& texts) : outer_(t_pretokenized) { t_pretokenized = &texts; }

ScopedPretokenized::~ScopedPretokenized() { t_pretokenized = outer_; }

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
