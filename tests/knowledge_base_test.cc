// The knowledge base: storing, idempotence, replacement, search, export.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pipeline/document_json.h"
#include "pipeline/knowledge_base.h"
#include "pipeline/reader.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

Document Annotated(const std::string& source, const std::string& text) {
  auto doc = test::DefaultPipeline().Process(source, text);
  REQUIRE(doc.ok());
  return std::move(doc).value();
}

KnowledgeBase OpenFresh(const test::TempDir& dir) {
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  return std::move(kb).value();
}

int64_t Count(const KnowledgeBase& kb, const char* sql) {
  auto st = kb.db().Prepare(sql);
  REQUIRE(st.ok());
  REQUIRE(st.value().Step() == Statement::kRow);
  return st.value().Int64(0);
}

SearchQuery Query(const std::string& text) {
  SearchQuery q;
  q.query = text;
  return q;
}

}  // namespace

TEST_CASE("every seed ingests and is stored whole", "[kb]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourceDir() / "corpus")) {
    std::string bytes = test::ReadFile(entry.path());
    Document doc = Annotated(entry.path().string(), bytes);
    auto r = kb.Store(doc);
    REQUIRE(r.ok());
    CHECK(r.value() == StoreOutcome::kAdded);
    auto loaded = kb.Load(entry.path().string());
    REQUIRE(loaded.ok());
    CHECK(loaded.value().doc.text == doc.text);
    CHECK(loaded.value().doc.sha256 == Sha256Hex(bytes));
    CHECK(loaded.value().doc.mentions.size() == doc.mentions.size());
    ++n;
  }
  CHECK(n == 5);
  CHECK(Count(kb, "SELECT count(*) FROM documents") == 5);
  CHECK(Count(kb, "PRAGMA integrity_check") == 0);  // "ok" reads as 0
}

TEST_CASE("the same bytes twice add nothing; a changed file replaces its version", "[kb]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  Document v1 = Annotated("notes/a.txt", "Le CHU de Lille signe une convention avec le CH d'Arras.");
  REQUIRE(kb.Store(v1).value() == StoreOutcome::kAdded);
  CHECK(kb.Store(v1).value() == StoreOutcome::kUnchanged);
  Document copy = Annotated("elsewhere/a-copy.txt", "Le CHU de Lille signe une convention avec le CH d'Arras.");
  CHECK(kb.Store(copy).value() == StoreOutcome::kDuplicate);
  CHECK(Count(kb, "SELECT count(*) FROM documents") == 1);

  Document v2 = Annotated("notes/a.txt", "Le CHU de Nantes et le CHU d'Angers créent une fédération.");
  CHECK(kb.Store(v2).value() == StoreOutcome::kReplaced);
  CHECK(Count(kb, "SELECT count(*) FROM documents") == 1);
  auto loaded = kb.Load("notes/a.txt");
  REQUIRE(loaded.ok());
  CHECK(loaded.value().doc.text == v2.text);
  // The old version's annotations went with it.
  CHECK(Count(kb, "SELECT count(*) FROM mentions m LEFT JOIN documents d ON d.id = m.document_id "
                  "WHERE d.id IS NULL") == 0);
  // The index follows: the old text is no longer found, the new one is.
  SearchQuery old_words = Query("Arras");
  CHECK(kb.Search(old_words).value().empty());
  SearchQuery new_words = Query("Nantes");
  CHECK(kb.Search(new_words).value().size() == 1);
}

TEST_CASE("search ignores case and accents and stems French plurals", "[kb][search]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  REQUIRE(kb.Store(Annotated("a.txt", "Les coopérations hospitalières se développent en Bretagne.")).ok());
  REQUIRE(kb.Store(Annotated("b.txt", "Un nouvel équipement d'imagerie arrive à Rennes.")).ok());
  for (const char* q : {"cooperation", "COOPÉRATION", "coopérations", "hospitaliere"}) {
    INFO(q);
    auto hits = kb.Search(Query(q));
    REQUIRE(hits.ok());
    REQUIRE(hits.value().size() == 1);
    CHECK(hits.value()[0].source == "a.txt");
    CHECK(hits.value()[0].snippet.find('[') != std::string::npos);
  }
  auto equip = kb.Search(Query("equipement"));
  REQUIRE(equip.ok());
  REQUIRE(equip.value().size() == 1);
  CHECK(equip.value()[0].source == "b.txt");
}

TEST_CASE("malformed queries give a user error, never a crash or SQL", "[kb][search]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  REQUIRE(kb.Store(Annotated("a.txt", "Le centre hospitalier d'Arras.")).ok());
  for (const char* q : {"\"unbalanced", "AND", "(arras", "arras)", "*", "NEAR(", "OR OR", "arras AND"}) {
    INFO(q);
    auto r = kb.Search(Query(q));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::kUserError);
    CHECK(r.status().message().rfind("invalid search query", 0) == 0);
    CHECK(r.status().message().find("SELECT") == std::string::npos);
  }
  // Punctuation that is not syntax is searched as words.
  for (const char* q : {"d'Arras", "centre-hospitalier", "hospitalier;", "title:arras OR arras"}) {
    INFO(q);
    CHECK(kb.Search(Query(q)).ok());
  }
}

TEST_CASE("a file that is not a knowledge base is refused, not damaged", "[kb]") {
  test::TempDir dir;
  std::string path = (dir / "other.sqlite").string();
  {
    auto db = SqliteDb::Open(path, false);
    REQUIRE(db.ok());
    REQUIRE(db.value().Exec("CREATE TABLE t(x); INSERT INTO t VALUES (42)").ok());
  }
  auto kb = KnowledgeBase::Open(path, KnowledgeBase::kReadWrite);
  REQUIRE_FALSE(kb.ok());
  CHECK(kb.status().code() == Status::kUserError);
  std::string text_file = (dir / "notes.txt").string();
  { std::ofstream(text_file) << "just some text, not a database\n"; }
  auto kb2 = KnowledgeBase::Open(text_file, KnowledgeBase::kReadWrite);
  REQUIRE_FALSE(kb2.ok());
  CHECK(test::ReadFile(text_file) == "just some text, not a database\n");
}

TEST_CASE("the JSON of a document carries the export contract's fields", "[kb][export]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  std::string text = "Le 22 janvier 2001, le CHU de Lille et le CH d’Arras signent une convention en neurochirurgie.";
  REQUIRE(kb.Store(Annotated("notes/é.txt", text)).ok());
  auto sd = kb.Load("notes/é.txt");
  REQUIRE(sd.ok());
  nlohmann::json j = DocumentJson(sd.value());
  for (const char* field : {"source", "text", "establishments", "dates", "specialties", "counts", "cooperations"}) {
    CHECK(j.contains(field));
  }
  CHECK(j["source"] == "notes/é.txt");
  // Offsets count code points: every mention's text is the text at its offsets.
  std::u32string u32;
  {
    auto t = j["text"].get<std::string>();
    for (size_t i = 0; i < t.size();) {
      unsigned char c = t[i];
      int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      u32.push_back(c);  // the value is irrelevant: only positions are compared
      i += len;
    }
  }
  auto check_span = [&](const nlohmann::json& m) {
    size_t start = m["start"], end = m["end"];
    REQUIRE(end <= u32.size());
    REQUIRE(start <= end);
    std::string t = j["text"];
    // Convert the code point span back to bytes and compare with the mention text.
    size_t byte = 0, cp = 0, b_start = 0, b_end = t.size();
    while (byte <= t.size()) {
      if (cp == start) b_start = byte;
      if (cp == end) { b_end = byte; break; }
      if (byte == t.size()) break;
      unsigned char c = t[byte];
      byte += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++cp;
    }
    CHECK(t.substr(b_start, b_end - b_start) == m["text"].get<std::string>());
  };
  for (const auto& d : j["dates"]) check_span(d);
  for (const auto& c : j["counts"]) check_span(c);
  for (const auto& e : j["establishments"]) for (const auto& m : e["mentions"]) check_span(m);
  for (const auto& s : j["specialties"]) for (const auto& m : s["mentions"]) check_span(m);
}

}  // namespace coopkb
