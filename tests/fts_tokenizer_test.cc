// The coopkb_fr tokenizer outside SQLite (DocumentTokenizer) and the streams
// the writer replays instead of tokenizing (ScopedPretokenized).
#include <fstream>

#include <catch2/catch.hpp>

#include "pipeline/fts_tokenizer.h"
#include "pipeline/ingest_runner.h"
#include "pipeline/knowledge_base.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

struct Collected {
  std::vector<std::string> tokens;
  std::vector<std::pair<int, int>> offsets;
};

int Collect(void* ctx, int, const char* token, int n, int start, int end) {
  auto* c = static_cast<Collected*>(ctx);
  c->tokens.emplace_back(token, static_cast<size_t>(n));
  c->offsets.emplace_back(start, end);
  return SQLITE_OK;
}

Collected Replayed(const TokenStream& stream) {
  Collected c;
  REQUIRE(stream.Replay(&c, Collect) == SQLITE_OK);
  return c;
}

// FTS5's own check: the index holds exactly what tokenizing the stored
// columns gives.
void RequireIndexIntact(const KnowledgeBase& kb) {
  REQUIRE(kb.db().Exec("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')").ok());
}

using test::SearchSources;

}  // namespace

TEST_CASE("DocumentTokenizer folds, leaves out function words and stems", "[tokenizer]") {
  auto tokenizer = DocumentTokenizer::Create();
  REQUIRE(tokenizer.ok());
  std::string text = "Les Coopérations de l'Hôpital et 2 établissements";
  Collected c = Replayed(tokenizer.value()->Tokenize(text));
  CHECK(c.tokens == std::vector<std::string>{"cooper", "hopital", "2", "etabl"});
  REQUIRE(c.offsets.size() == 4);
  CHECK(text.substr(c.offsets[1].first, c.offsets[1].second - c.offsets[1].first) == "Hôpital");
  // The stem cache gives the same stems the second time.
  CHECK(Replayed(tokenizer.value()->Tokenize(text)).tokens == c.tokens);
  CHECK(tokenizer.value()->Tokenize("").size() == 0);
  CHECK(tokenizer.value()->Tokenize("de la du").size() == 0);
  // Every function word of the list goes, and only those.
  CHECK(tokenizer.value()
            ->Tokenize("a au aux avec c ce ces d dans de des du elle en et il ils j l la le les leur leurs lui m n "
                       "ne nos notre nous on ou par pour qu que qui s sa se ses son sur t un une vos votre vous y")
            .size() == 0);
  CHECK(tokenizer.value()->Tokenize("ai aus leu votr avecs b").size() == 6);
}

TEST_CASE("a stored document replays its pre-made tokens into an intact index", "[tokenizer][kb]") {
  test::TempDir dir;
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  auto tokenizer = DocumentTokenizer::Create();
  REQUIRE(tokenizer.ok());
  auto doc = test::DefaultPipeline().Process("a.txt", "Le CHU de Rennes et le CH de Vitré signent une convention de neurologie.");
  REQUIRE(doc.ok());
  const Document& d = doc.value();
  TokenStream title = tokenizer.value()->Tokenize(d.title);
  TokenStream text = tokenizer.value()->Tokenize(d.text);
  {
    PretokenizedTexts texts;
    texts.Add(d.title, &title);
    texts.Add(d.text, &text);
    ScopedPretokenized scope(texts);
    REQUIRE(kb.value().Store(d).ok());
  }
  RequireIndexIntact(kb.value());
  CHECK(SearchSources(kb.value(), "neurologie") == std::vector<std::string>{"a.txt"});
  CHECK(SearchSources(kb.value(), "\"CHU Rennes\"") == std::vector<std::string>{"a.txt"});

  // A stream made for another text is not used: the document is tokenized.
  auto other = test::DefaultPipeline().Process("b.txt", "Le CHU de Brest ouvre une unité de soins palliatifs.");
  REQUIRE(other.ok());
  {
    PretokenizedTexts texts;
    texts.Add(d.text, &text);
    ScopedPretokenized stale(texts);
    REQUIRE(kb.value().Store(other.value()).ok());
  }
  RequireIndexIntact(kb.value());
  CHECK(SearchSources(kb.value(), "palliatifs") == std::vector<std::string>{"b.txt"});
  CHECK(SearchSources(kb.value(), "neurologie") == std::vector<std::string>{"a.txt"});
}

TEST_CASE("an ingest with parallel workers leaves the index intact", "[tokenizer][ingest]") {
  test::TempDir dir;
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  IngestOptions options;
  options.jobs = 2;
  IngestRunner runner(test::DefaultPipeline(), kb.value(), options);
  IngestSummary summary = runner.Run({(test::SourceDir() / "corpus").string()}, [](const IngestEvent&) {});
  CHECK(summary.added == 5);
  CHECK(summary.failed == 0);
  RequireIndexIntact(kb.value());
  CHECK(SearchSources(kb.value(), "neurochirurgie").size() >= 1);
}

}  // namespace coopkb

namespace coopkb {

// Past kLongestPretokenizedText a worker leaves the tokens to the writer:
// such a text must still be indexed, not replayed from an empty stream.
TEST_CASE("an ingest indexes a text too long to be tokenized ahead", "[tokenizer][ingest]") {
  test::TempDir dir;
  std::string text = "Une longue note de coopération\n\n";
  const char* topics[] = {"cardiologie", "pédiatrie", "imagerie", "urgences", "gériatrie", "oncologie", "urologie"};
  for (int i = 0; text.size() < (size_t{3} << 19); ++i) {
    text += "Le document " + std::to_string(i) + " traite de " + topics[i % 7] + " et de " + topics[(i / 7) % 7] + ". ";
  }
  text += "Le dernier mot est Quimperlé.\n";
  const auto path = dir / "longue.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  IngestOptions options;
  options.jobs = 2;
  IngestRunner runner(test::DefaultPipeline(), kb.value(), options);
  IngestSummary summary = runner.Run({path.string(), (test::SourceDir() / "corpus").string()}, [](const IngestEvent&) {});
  CHECK(summary.added == 6);
  RequireIndexIntact(kb.value());
  CHECK(SearchSources(kb.value(), "Quimperlé") == std::vector<std::string>{path.string()});
  CHECK(SearchSources(kb.value(), "neurochirurgie").size() >= 1);
}

}  // namespace coopkb
