// Ranking (coopkb_bm25 against FTS5's bm25), French function words in the
// index, DocumentStats and TextSlicer.
#include <algorithm>
#include <cmath>
#include <map>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "pipeline/document_stats.h"
#include "pipeline/fts_ranking.h"
#include "pipeline/knowledge_base.h"
#include "pipeline/search_query.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

using test::Annotated;

// Short and long documents with the searched words repeated unevenly, so that
// length normalization and term frequency both decide the order.
const char* const kTexts[] = {
    "Convention de coopération entre deux hôpitaux.",
    "La convention signée par le CHU de Lille et le CH d'Arras porte sur la neurochirurgie. La convention "
    "prévoit une équipe médicale de territoire et des consultations avancées.",
    "Une équipe médicale de territoire en cardiologie réunit le CHU de Brest et le CH de Morlaix depuis 2012. "
    "Les praticiens partagent leur temps entre les deux sites, et la convention sera revue en 2015.",
    "Le conseil de surveillance a examiné le budget. Aucune coopération nouvelle n'a été annoncée cette année.",
    "Coopération, coopération, coopération : le mot revient dans chaque rapport, mais la convention attendue "
    "n'est pas encore signée entre le CHU de Nantes et le CH de Saint-Nazaire.",
};

KnowledgeBase Filled(const test::TempDir& dir) {
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  int i = 0;
  for (const char* text : kTexts) {
    REQUIRE(kb.value().Store(Annotated("doc" + std::to_string(i++) + ".txt", text)).ok());
  }
  return std::move(kb).value();
}

// rowid -> score of `function` for an FTS5 query.
std::map<int64_t, double> Scores(const KnowledgeBase& kb, const std::string& function, const std::string& match) {
  auto st = kb.db().Prepare("SELECT rowid, " + function +
                            "(documents_fts, 4.0, 1.0) FROM documents_fts WHERE documents_fts MATCH ?1");
  REQUIRE(st.ok());
  st.value().Bind(1, match);
  std::map<int64_t, double> scores;
  while (st.value().Step() == Statement::kRow) scores[st.value().Int64(0)] = st.value().Double(1);
  REQUIRE(st.value().status().ok());
  return scores;
}

}  // namespace

TEST_CASE("coopkb_bm25 gives FTS5's bm25 scores", "[search][ranking]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  for (const char* match : {"convention", "coopération", "convention OR coopération", "convention AND CHU",
                            "\"équipe médicale de territoire\"", "cardiologie OR neurochirurgie OR budget"}) {
    INFO(match);
    auto ours = Scores(kb, "coopkb_bm25", match);
    auto fts5 = Scores(kb, "bm25", match);
    REQUIRE(!fts5.empty());
    REQUIRE(ours.size() == fts5.size());
    for (const auto& [id, score] : fts5) {
      INFO("document " << id);
      CHECK(ours.at(id) == Approx(score).epsilon(1e-12));
    }
  }
}

TEST_CASE("search hits carry bm25 scores in bm25 order, with or without filters", "[search][ranking]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  for (const char* words : {"convention", "coopération OR convention", "\"équipe médicale de territoire\""}) {
    INFO(words);
    SearchQuery q;
    q.query = words;
    auto hits = kb.Search(q);
    REQUIRE(hits.ok());
    auto fts5 = Scores(kb, "bm25", ToFtsQuery(words).value());
    REQUIRE(hits.value().size() == fts5.size());
    for (size_t i = 0; i < hits.value().size(); ++i) {
      const SearchHit& h = hits.value()[i];
      CHECK(h.score == Approx(fts5.at(h.id)).epsilon(1e-12));
      if (i > 0) CHECK(hits.value()[i - 1].score <= h.score);
    }
    // A filter keeps the order and the scores, over fewer documents.
    q.since = "2012";
    auto dated = kb.Search(q);
    REQUIRE(dated.ok());
    for (const SearchHit& h : dated.value()) CHECK(h.score == Approx(fts5.at(h.id)).epsilon(1e-12));
  }
}

TEST_CASE("a limit below the matches keeps the best of them, in every query form", "[search][ranking]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  // One phrase (ranked in one pass) and several (ranked row by row) give the same best rows.
  for (const char* words : {"convention", "coop*", "\"équipe médicale de territoire\"", "text:convention",
                            "convention OR coopération", "convention NOT budget"}) {
    INFO(words);
    auto fts5 = Scores(kb, "bm25", ToFtsQuery(words).value());
    REQUIRE(!fts5.empty());
    std::vector<std::pair<double, int64_t>> best;
    for (const auto& [id, score] : fts5) best.emplace_back(score, id);
    std::sort(best.begin(), best.end());
    for (int limit : {1, 2, 100}) {
      INFO("limit " << limit);
      SearchQuery q;
      q.query = words;
      q.limit = limit;
      auto hits = kb.Search(q);
      REQUIRE(hits.ok());
      REQUIRE(hits.value().size() == std::min(best.size(), static_cast<size_t>(limit)));
      for (size_t i = 0; i < hits.value().size(); ++i) {
        CHECK(hits.value()[i].score == Approx(best[i].first).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("a phrase ranked in parts on several connections gives the hits of one pass", "[search][ranking]") {
  test::TempDir dir;
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  // 41 documents: the phrase in the first and the last (the parts' edges)
  // and in every third, repeated and in texts of different lengths; dated
  // from 2005 to 2025 so that a period filter keeps some of them.
  constexpr int kDocuments = 41;
  for (int i = 0; i < kDocuments; ++i) {
    std::string text = fmt::format("Le CH n{} a réuni son conseil de surveillance en {}.", i, 2005 + i % 21);
    if (i == 0 || i == kDocuments - 1 || i % 3 == 0) {
      for (int k = 0; k <= i % 4; ++k) text += " Une équipe médicale de territoire assure les consultations.";
    }
    for (int k = 0; k < i % 5; ++k) text += " Le budget des travaux a été voté sans débat.";
    REQUIRE(kb.value().Store(Annotated(fmt::format("doc{}.txt", i), text)).ok());
  }
  const std::string phrase = "\"équipe médicale de territoire\"";
  auto search = [&](int threads, const std::string& since, int limit) {
    kb.value().SetSearchParallelism(threads, 0);
    SearchQuery q;
    q.query = phrase;
    q.since = since;
    q.limit = limit;
    auto hits = kb.value().Search(q);
    REQUIRE(hits.ok());
    return std::move(hits).value();
  };
  for (const std::string since : {"", "2015"}) {
    for (int limit : {1, 5, 100}) {
      INFO("since '" << since << "', limit " << limit);
      std::vector<SearchHit> one_pass = search(1, since, limit);
      std::vector<SearchHit> in_parts = search(3, since, limit);
      REQUIRE(!one_pass.empty());
      REQUIRE(in_parts.size() == one_pass.size());
      for (size_t i = 0; i < one_pass.size(); ++i) {
        CHECK(in_parts[i].id == one_pass[i].id);
        CHECK(in_parts[i].score == one_pass[i].score);
        CHECK(in_parts[i].snippet == one_pass[i].snippet);
      }
      if (since.empty() && limit == 100) CHECK(in_parts.size() == 15);  // 0, 3, ..., 39 and 40
    }
  }
  CHECK(kb.value().RankerConnections() == 2);
  // Inside a snapshot, the other connections would read another state: one pass.
  auto ranked_alone = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadOnly);
  REQUIRE(ranked_alone.ok());
  ranked_alone.value().SetSearchParallelism(3, 0);
  REQUIRE(ranked_alone.value()
              .ReadSnapshot([&]() -> Status {
                SearchQuery q;
                q.query = phrase;
                auto hits = ranked_alone.value().Search(q);
                if (!hits.ok()) return hits.status();
                CHECK(hits.value().size() == 10);
                return Status::Ok();
              })
              .ok());
  CHECK(ranked_alone.value().RankerConnections() == 0);
}

TEST_CASE("a filter that keeps fewer documents than the limit returns only those", "[search][ranking]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  SearchQuery q;
  q.query = "convention";
  q.specialty = "cardiologie";
  auto hits = kb.Search(q);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  CHECK(hits.value()[0].source == "doc2.txt");
  q.specialty = "pneumologie";
  hits = kb.Search(q);
  REQUIRE(hits.ok());
  CHECK(hits.value().empty());
}

TEST_CASE("French function words are left out of the index and of queries", "[search][tokenizer]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  auto sources = [&](const std::string& words) {
    std::vector<std::string> out = test::SearchSources(kb, words);
    std::sort(out.begin(), out.end());
    return out;
  };
  // The phrase matches whatever function word stands between its words.
  CHECK(sources("\"équipe médicale territoire\"") == std::vector<std::string>{"doc1.txt", "doc2.txt"});
  CHECK(sources("\"équipe médicale du territoire\"") == std::vector<std::string>{"doc1.txt", "doc2.txt"});
  CHECK(sources("\"CHU Lille\"") == std::vector<std::string>{"doc1.txt"});
  // Function words alone find nothing, without an error.
  CHECK(sources("de").empty());
  CHECK(sources("\"de la\"").empty());
  // A prefix keeps its letters: "d*" is not the word "d".
  CHECK(sources("depu*") == std::vector<std::string>{"doc2.txt"});
  // Snippets mark the whole phrase, the left-out words within it.
  SearchQuery q;
  q.query = "\"équipe médicale de territoire\"";
  auto hits = kb.Search(q);
  REQUIRE(hits.ok());
  REQUIRE(!hits.value().empty());
  CHECK(hits.value()[0].snippet.find("[équipe médicale de territoire]") != std::string::npos);
}

TEST_CASE("ISO dates pack in the order of their strings", "[search][stats]") {
  CHECK(PackIsoDate("2015") == 20150000);
  CHECK(PackIsoDate("2015-06") == 20150600);
  CHECK(PackIsoDate("2015-06-03") == 20150603);
  CHECK(PackIsoDate("2015-06-03T11:30") == 20150603);
  for (const char* bad : {"", "15", "2015-6", "2015-13", "2015-06-32", "2015/06/03", "2015-06-03 11h", "abcd"}) {
    INFO(bad);
    CHECK(PackIsoDate(bad) == 0);
  }
  const char* ordered[] = {"2014-12-31", "2015", "2015-01", "2015-01-01", "2015-06", "2015-06-03T11:30", "2016"};
  for (size_t i = 1; i < std::size(ordered); ++i) {
    INFO(ordered[i - 1] << " < " << ordered[i]);
    CHECK(PackIsoDate(ordered[i - 1]) <= PackIsoDate(ordered[i]));
  }
  // --until at the bound's precision: below the bound exactly when the prefix is at most the bound.
  CHECK(PackedUntilBound("2018") == 20190000);
  CHECK(PackedUntilBound("2018-05") == 20180600);
  CHECK(PackedUntilBound("2018-05-03") == 20180504);
  CHECK(PackIsoDate("2018-12-31") < PackedUntilBound("2018"));
  CHECK_FALSE(PackIsoDate("2019") < PackedUntilBound("2018"));
  CHECK(PackIsoDate("2018-05") < PackedUntilBound("2018-05-03"));
  CHECK(PackedUntilBound("2018-05-03T10:00") == 0);
  CHECK(PackedUntilBound("mai") == 0);
}

TEST_CASE("document stats are written per document and read back per block", "[search][stats]") {
  test::TempDir dir;
  auto kb = KnowledgeBase::Open((dir / "kb.sqlite").string(), KnowledgeBase::kReadWrite);
  REQUIRE(kb.ok());
  sqlite3* db = kb.value().db().handle();
  DocumentStatsWriter writer(db);
  // Both sides of a block boundary, and a block far away.
  const int64_t ids[] = {1, kDocumentsPerBlock - 1, kDocumentsPerBlock, 10 * kDocumentsPerBlock + 7};
  for (int64_t id : ids) {
    DocumentStat stat{static_cast<uint32_t>(id + 1), static_cast<int32_t>(20000000 + id), 20991231};
    REQUIRE(writer.Write(id, stat).ok());
  }
  DocumentStatsReader reader(db);
  for (int64_t id : ids) {
    INFO(id);
    const DocumentStat* s = reader.Find(id);
    REQUIRE(s != nullptr);
    CHECK(s->tokens == id + 1);
    CHECK(s->first_day == 20000000 + id);
    CHECK(s->last_day == 20991231);
  }
  CHECK(reader.Find(2) == nullptr);                          // in a block, never written
  CHECK(reader.Find(5 * kDocumentsPerBlock) == nullptr);     // no such block
  CHECK(reader.Find(-1) == nullptr);
  std::vector<int64_t> seen;
  REQUIRE(reader.ForEach([&](int64_t id, const DocumentStat&) { seen.push_back(id); }).ok());
  CHECK(seen == std::vector<int64_t>(std::begin(ids), std::end(ids)));
}

TEST_CASE("storing a document records its indexed length and period", "[search][stats]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  DocumentStatsWriter writer(kb.db().handle());
  DocumentStatsReader reader(kb.db().handle());
  auto st = kb.db().Prepare("SELECT id FROM documents ORDER BY id");
  REQUIRE(st.ok());
  int n = 0;
  while (st.value().Step() == Statement::kRow) {
    int64_t id = st.value().Int64(0);
    INFO("document " << id);
    const DocumentStat* s = reader.Find(id);
    REQUIRE(s != nullptr);
    auto indexed = writer.IndexedTokens(id);
    REQUIRE(indexed.ok());
    CHECK(s->tokens == indexed.value());
    CHECK(s->tokens > 0);
    ++n;
  }
  CHECK(n == static_cast<int>(std::size(kTexts)));
  // doc2 mentions 2012 and 2015.
  auto brest = kb.Load("doc2.txt");
  REQUIRE(brest.ok());
  const DocumentStat* s = reader.Find(brest.value().id);
  REQUIRE(s != nullptr);
  CHECK(s->first_day == 20120000);
  CHECK(s->last_day == 20150000);
}

TEST_CASE("TextSlicer reads byte ranges of stored texts, clamped", "[sqlite]") {
  test::TempDir dir;
  KnowledgeBase kb = Filled(dir);
  auto doc = kb.Load("doc0.txt");
  REQUIRE(doc.ok());
  const std::string& text = doc.value().doc.text;
  TextSlicer slicer(kb.db().handle(), "documents", "text");
  CHECK(slicer.Slice(doc.value().id, 0, 10).value() == text.substr(0, 10));
  CHECK(slicer.Slice(doc.value().id, 11, 10).value().empty());
  CHECK(slicer.Slice(doc.value().id, 5, 100000).value() == text.substr(5));
  auto other = kb.Load("doc3.txt");
  REQUIRE(other.ok());
  CHECK(slicer.Slice(other.value().id, 3, 20).value() == other.value().doc.text.substr(3, 17));
  auto missing = slicer.Slice(999999, 0, 5);
  CHECK_FALSE(missing.ok());
  // Usable again after a failure.
  CHECK(slicer.Slice(doc.value().id, 0, 4).value() == text.substr(0, 4));
}

}  // namespace coopkb
