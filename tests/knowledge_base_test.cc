// The knowledge base: storing, idempotence, replacement, search, export.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pipeline/document_json.h"
#include "pipeline/document_stats.h"
#include "pipeline/exporters.h"
#include "pipeline/fts_tokenizer.h"
#include "pipeline/knowledge_base.h"
#include "pipeline/reader.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

using test::Annotated;

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
  Document v1 = Annotated("notes/a.txt", "Le CHU de Lille et le CH d'Arras signent une convention de partenariat en cardiologie.");
  REQUIRE(!v1.cooperations.empty());
  REQUIRE(kb.Store(v1).value() == StoreOutcome::kAdded);
  CHECK(kb.Store(v1).value() == StoreOutcome::kUnchanged);
  Document copy = Annotated("elsewhere/a-copy.txt", "Le CHU de Lille et le CH d'Arras signent une convention de partenariat en cardiologie.");
  CHECK(kb.Store(copy).value() == StoreOutcome::kDuplicate);
  CHECK(Count(kb, "SELECT count(*) FROM documents") == 1);

  Document v2 = Annotated("notes/a.txt", "Le CHU de Nantes et le CHU d'Angers signent une convention de partenariat en neurologie.");
  CHECK(kb.Store(v2).value() == StoreOutcome::kReplaced);
  CHECK(Count(kb, "SELECT count(*) FROM documents") == 1);
  auto loaded = kb.Load("notes/a.txt");
  REQUIRE(loaded.ok());
  CHECK(loaded.value().doc.text == v2.text);
  // The old version's annotations went with it.
  CHECK(Count(kb, "SELECT count(*) FROM mentions m LEFT JOIN documents d ON d.id = m.document_id "
                  "WHERE d.id IS NULL") == 0);
  CHECK(Count(kb, "SELECT count(*) FROM cooperations c LEFT JOIN documents d ON d.id = c.document_id "
                  "WHERE d.id IS NULL") == 0);
  CHECK(Count(kb, "SELECT count(*) FROM cooperation_parties p LEFT JOIN cooperations c ON c.id = p.cooperation_id "
                  "WHERE c.id IS NULL") == 0);
  CHECK(Count(kb, "SELECT count(*) FROM cooperation_specialties s "
                  "LEFT JOIN cooperations c ON c.id = s.cooperation_id WHERE c.id IS NULL") == 0);
  CHECK(Count(kb, "SELECT count(*) FROM document_periods p LEFT JOIN documents d ON d.id = p.document_id "
                  "WHERE d.id IS NULL") == 0);
  // The filters' rows follow: the new version's establishments and specialty only.
  CHECK(Count(kb, "SELECT count(*) FROM document_entities") == 2);
  CHECK(Count(kb, "SELECT count(*) FROM document_entities n JOIN entities e ON e.id = n.entity_id "
                  "WHERE e.name IN ('CHU de Nantes', 'CHU d''Angers')") == 2);
  CHECK(Count(kb, "SELECT count(*) FROM document_specialties WHERE specialty = 'cardiologie'") == 0);
  CHECK(Count(kb, "SELECT count(*) FROM document_specialties WHERE specialty = 'neurologie'") == 1);
  // Only the new version's rows are left (its id may be the old one's).
  REQUIRE(!v2.cooperations.empty());
  CHECK(Count(kb, "SELECT count(*) FROM cooperations") == static_cast<int64_t>(v2.cooperations.size()));
  CHECK(Count(kb, "SELECT count(*) FROM mentions") == static_cast<int64_t>(v2.mentions.size()));
  size_t parties = 0, specialties = 0;
  for (const Cooperation& c : v2.cooperations) {
    parties += c.parties.size();
    specialties += c.specialties.size();
  }
  CHECK(Count(kb, "SELECT count(*) FROM cooperation_parties") == static_cast<int64_t>(parties));
  CHECK(Count(kb, "SELECT count(*) FROM cooperation_specialties") == static_cast<int64_t>(specialties));
  REQUIRE(kb.db().Exec("PRAGMA foreign_keys = ON").ok());
  CHECK(Count(kb, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
  // The index follows: the old text is no longer found, the new one is.
  SearchQuery old_words = Query("Arras");
  CHECK(kb.Search(old_words).value().empty());
  SearchQuery new_words = Query("Nantes");
  CHECK(kb.Search(new_words).value().size() == 1);
}

TEST_CASE("a batch indexes its documents at commit, replacements within it included", "[kb][batch]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  REQUIRE(kb.Store(Annotated("before.txt", "Le CH de Dax ouvre une unité de soins palliatifs.")).ok());
  REQUIRE(kb.BeginBatch().ok());
  REQUIRE(kb.Store(Annotated("one.txt", "Le CHU de Brest et le CH de Morlaix partagent une équipe de cardiologie.")).ok());
  REQUIRE(kb.Store(Annotated("two.txt", "Le CHU de Tours accueille des internes en pédiatrie.")).ok());
  // Replaced before the batch indexed it, then the one stored before the batch.
  CHECK(kb.Store(Annotated("one.txt", "Le CHU de Limoges signe avec le CH de Guéret.")).value() == StoreOutcome::kReplaced);
  CHECK(kb.Store(Annotated("before.txt", "Le CH de Mont-de-Marsan rejoint le groupement.")).value() ==
        StoreOutcome::kReplaced);
  REQUIRE(kb.Store(Annotated("three.txt", "Une consultation avancée de neurologie ouvre à Guéret.")).ok());
  REQUIRE(kb.CommitBatch().ok());

  CHECK(Count(kb, "SELECT count(*) FROM documents") == 4);
  REQUIRE(kb.db().Exec("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')").ok());
  CHECK(Count(kb, "SELECT count(*) FROM documents_fts_docsize") == 4);
  for (const char* gone : {"Morlaix", "Dax"}) {
    INFO(gone);
    CHECK(kb.Search(Query(gone)).value().empty());
  }
  auto gueret = kb.Search(Query("Guéret"));
  REQUIRE(gueret.ok());
  CHECK(gueret.value().size() == 2);
  for (const char* q : {"Tours", "Marsan"}) {
    INFO(q);
    CHECK(kb.Search(Query(q)).value().size() == 1);
  }
  // Every document has its length recorded for ranking, as FTS5 counts it.
  auto ids = kb.db().Prepare("SELECT id FROM documents");
  REQUIRE(ids.ok());
  DocumentStatsWriter counter(kb.db().handle());
  DocumentStatsReader stats(kb.db().handle());
  while (ids.value().Step() == Statement::kRow) {
    int64_t id = ids.value().Int64(0);
    const DocumentStat* stat = stats.Find(id);
    REQUIRE(stat != nullptr);
    CHECK(stat->tokens > 0);
    CHECK(stat->tokens == counter.IndexedTokens(id).value());
  }
}

TEST_CASE("an abandoned batch leaves neither rows nor index entries", "[kb][batch]") {
  test::TempDir dir;
  KnowledgeBase kb = OpenFresh(dir);
  REQUIRE(kb.BeginBatch().ok());
  REQUIRE(kb.Store(Annotated("lost.txt", "Le CHU de Reims renforce la filière d'urologie.")).ok());
  kb.AbandonBatch();
  REQUIRE(kb.Store(Annotated("kept.txt", "Le CH de Troyes recrute en urologie.")).ok());
  CHECK(Count(kb, "SELECT count(*) FROM documents") == 1);
  REQUIRE(kb.db().Exec("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')").ok());
  CHECK(kb.Search(Query("Reims")).value().empty());
  CHECK(kb.Search(Query("urologie")).value().size() == 1);
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

namespace coopkb {
namespace {

// The schema coopkb wrote before user_version 2, as it was: mentions repeated
// their text and code-point offsets, kinds were words, edits were objects.
const char* const kSchemaV1 = R"sql(
CREATE TABLE documents (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
  format TEXT NOT NULL, encoding TEXT, title TEXT, published TEXT, ingested_at TEXT NOT NULL,
  text TEXT NOT NULL, source_map BLOB, edits TEXT, warnings TEXT);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_published ON documents(published);
CREATE TABLE entities (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
  city TEXT, departement TEXT, region TEXT);
CREATE INDEX entities_region ON entities(region);
CREATE TABLE mentions (id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, kind TEXT NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL, byte_start INTEGER NOT NULL, byte_end INTEGER NOT NULL,
  text TEXT NOT NULL, value TEXT NOT NULL, unit TEXT, entity_id INTEGER REFERENCES entities(id));
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_kind_value ON mentions(kind, value, document_id);
CREATE INDEX mentions_entity ON mentions(entity_id, document_id);
CREATE TABLE cooperations (id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, kind TEXT NOT NULL, date TEXT,
  evidence TEXT NOT NULL);
CREATE INDEX cooperations_document ON cooperations(document_id);
CREATE INDEX cooperations_kind ON cooperations(kind);
CREATE INDEX cooperations_date ON cooperations(date);
CREATE TABLE cooperation_parties (
  cooperation_id INTEGER NOT NULL REFERENCES cooperations(id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL REFERENCES entities(id), position INTEGER NOT NULL,
  PRIMARY KEY (cooperation_id, entity_id)) WITHOUT ROWID;
CREATE INDEX cooperation_parties_entity ON cooperation_parties(entity_id, cooperation_id);
CREATE TABLE cooperation_specialties (
  cooperation_id INTEGER NOT NULL REFERENCES cooperations(id) ON DELETE CASCADE, specialty TEXT NOT NULL,
  PRIMARY KEY (cooperation_id, specialty)) WITHOUT ROWID;
CREATE INDEX cooperation_specialties_specialty ON cooperation_specialties(specialty, cooperation_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, text, content='documents', content_rowid='id', tokenize='coopkb_fr');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
PRAGMA user_version = 1;
)sql";

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

struct V1Mention {
  std::string kind, text, value, unit;
  int64_t entity = 0;  // 0: none
};

}  // namespace

TEST_CASE("a schema 1 base migrates and reads back the same", "[kb][migration]") {
  test::TempDir dir;
  std::string path = (dir / "kb.sqlite").string();
  const std::string lille_text =
      "Le CHU de Lille signe une convention avec le CH d’Arras le 22 janvier 2001 : 120 lits en neurochirurgie.";
  const std::string nantes_text = "Le CHU de Nantes et l’hôpital de Saint-Nazaire créent une fédération.";
  const std::vector<V1Mention> lille_mentions = {
      {"establishment", "CHU de Lille", "CHU de Lille", "", 1},
      {"establishment", "CH d’Arras", "CH d'Arras", "", 2},
      {"date", "22 janvier 2001", "2001-01-22", "", 0},
      {"count", "120 lits", "120", "lits", 0},
      {"specialty", "neurochirurgie", "neurochirurgie", "", 0},
  };
  {
    auto db = SqliteDb::Open(path, false);
    REQUIRE(db.ok());
    REQUIRE(RegisterFrenchTokenizer(db.value().handle()).ok());
    REQUIRE(db.value().Exec(kSchemaV1).ok());
    REQUIRE(db.value()
                .Exec("INSERT INTO entities VALUES (1, 'chu:lille', 'CHU de Lille', 'CHU', 'Lille', 'Nord', "
                      "'Hauts-de-France'), (2, 'ch:arras', 'CH d''Arras', 'CH', 'Arras', 'Pas-de-Calais', "
                      "'Hauts-de-France')")
                .ok());
    auto doc = db.value().Prepare(
        "INSERT INTO documents(id, source, sha256, format, encoding, title, published, ingested_at, text, "
        "source_map, edits, warnings) VALUES (?1, ?2, ?3, 'text', 'UTF-8', ?4, ?5, '2026-01-01T00:00:00Z', ?6, "
        "NULL, ?7, ?8)");
    REQUIRE(doc.ok());
    doc.value().Bind(1, int64_t{1}).Bind(2, "lille.txt").Bind(3, "aa").Bind(4, "Lille et Arras");
    doc.value().Bind(5, "2000-05-01").Bind(6, lille_text);
    doc.value().Bind(7,
                     R"([{"action":"removed","after":"","before":"Rechercher","rule":"chrome:search_box",)"
                     R"("source_begin":0,"source_end":12}])");
    doc.value().Bind(8, "[]");
    REQUIRE(doc.value().Run().ok());
    doc.value().Reset();
    doc.value().Bind(1, int64_t{2}).Bind(2, "nantes.txt").Bind(3, "bb").Bind(4, "Nantes");
    doc.value().BindNull(5).Bind(6, nantes_text).Bind(7, "[]").Bind(8, R"(["odd bytes"])");
    REQUIRE(doc.value().Run().ok());
    auto mention = db.value().Prepare(
        "INSERT INTO mentions(document_id, kind, start, end, byte_start, byte_end, text, value, unit, entity_id) "
        "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    REQUIRE(mention.ok());
    for (const V1Mention& m : lille_mentions) {
      size_t at = lille_text.find(m.text);
      REQUIRE(at != std::string::npos);
      Statement& s = mention.value();
      s.Reset();
      s.Bind(1, m.kind).Bind(2, static_cast<int64_t>(CodePoints(lille_text.substr(0, at))));
      s.Bind(3, static_cast<int64_t>(CodePoints(lille_text.substr(0, at + m.text.size()))));
      s.Bind(4, static_cast<int64_t>(at)).Bind(5, static_cast<int64_t>(at + m.text.size()));
      s.Bind(6, m.text).Bind(7, m.value).BindOptional(8, m.unit);
      if (m.entity) s.Bind(9, m.entity);
      REQUIRE(s.Run().ok());
    }
    REQUIRE(db.value()
                .Exec("INSERT INTO cooperations VALUES (1, 1, 'convention', '2001-01-22', '[[0, 60]]');"
                      "INSERT INTO cooperation_parties VALUES (1, 1, 0), (1, 2, 1);"
                      "INSERT INTO cooperation_specialties VALUES (1, 'neurochirurgie')")
                .ok());
  }

  auto opened = KnowledgeBase::Open(path, KnowledgeBase::kReadWrite);
  REQUIRE(opened.ok());
  KnowledgeBase& kb = opened.value();
  CHECK(Count(kb, "PRAGMA user_version") == 6);
  CHECK(Count(kb, "PRAGMA integrity_check") == 0);
  // Schema 6: a cooperation's row lists its parties and specialties.
  CHECK(Count(kb, "SELECT count(*) FROM cooperations WHERE id = 1 AND party_ids = '[1,2]' AND "
                  "specialty_names = '[\"neurochirurgie\"]'") == 1);
  // Schema 3: the documents' lengths and periods, read by ranking and --since/--until.
  CHECK(Count(kb, "SELECT count(*) FROM document_stats") == 1);
  // Schema 5: the documents naming each entity and specialty, read by the filters.
  CHECK(Count(kb, "SELECT count(*) FROM document_entities WHERE document_id = 1") == 2);
  CHECK(Count(kb, "SELECT count(*) FROM document_specialties WHERE specialty = 'neurochirurgie'") == 1);
  auto sources = [&kb](const SearchQuery& q) {
    auto hits = kb.Search(q);
    REQUIRE(hits.ok());
    std::vector<std::string> out;
    for (const auto& hit : hits.value()) out.push_back(hit.source);
    return out;
  };
  {
    SearchQuery by_entity;
    by_entity.query = "convention";
    by_entity.entity_filter = true;
    by_entity.entity_ids = {2};
    CHECK(sources(by_entity) == std::vector<std::string>{"lille.txt"});
    SearchQuery by_specialty;
    by_specialty.query = "convention";
    by_specialty.specialty = "neurochirurgie";
    CHECK(sources(by_specialty) == std::vector<std::string>{"lille.txt"});
    by_specialty.specialty = "cardiologie";
    CHECK(sources(by_specialty).empty());
    SearchQuery since_2001;
    since_2001.query = "convention";
    since_2001.since = "2001";
    CHECK(sources(since_2001) == std::vector<std::string>{"lille.txt"});
    SearchQuery phrase;
    phrase.query = "\"hôpital de Saint-Nazaire\"";
    CHECK(sources(phrase) == std::vector<std::string>{"nantes.txt"});
  }

  auto lille = kb.Load("lille.txt");
  REQUIRE(lille.ok());
  const Document& d = lille.value().doc;
  CHECK(d.text == lille_text);
  REQUIRE(d.mentions.size() == lille_mentions.size());
  for (size_t i = 0; i < d.mentions.size(); ++i) {
    INFO(lille_mentions[i].text);
    CHECK(MentionKindName(d.mentions[i].kind) == lille_mentions[i].kind);
    CHECK(d.Text(d.mentions[i].span) == lille_mentions[i].text);
    CHECK(d.mentions[i].value == lille_mentions[i].value);
    CHECK(d.mentions[i].unit == lille_mentions[i].unit);
  }
  REQUIRE(d.establishments.size() == 2);
  CHECK(d.establishments[1].key == "ch:arras");
  REQUIRE(d.edits.size() == 1);
  CHECK(d.edits[0].action == "removed");
  CHECK(d.edits[0].rule == "chrome:search_box");
  CHECK(d.edits[0].source_begin == 0);
  CHECK(d.edits[0].source_end == 12);
  CHECK(d.edits[0].before == "Rechercher");
  CHECK(d.warnings.empty());
  REQUIRE(d.cooperations.size() == 1);
  CHECK(d.cooperations[0].parties == std::vector<int>{0, 1});
  CHECK(d.cooperations[0].specialties == std::vector<std::string>{"neurochirurgie"});
  auto nantes = kb.Load("nantes.txt");
  REQUIRE(nantes.ok());
  CHECK(nantes.value().doc.warnings == std::vector<std::string>{"odd bytes"});

  // Offsets in code points and the mention's text, as schema 1 stored them.
  std::ostringstream out;
  ExportOptions mentions_jsonl;
  mentions_jsonl.dataset = "mentions";
  mentions_jsonl.format = "jsonl";
  REQUIRE(ExportTo(kb, mentions_jsonl, out).ok());
  std::istringstream lines(out.str());
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    REQUIRE(n < lille_mentions.size());
    const V1Mention& want = lille_mentions[n++];
    size_t at = lille_text.find(want.text);
    CHECK(j["kind"] == want.kind);
    CHECK(j["text"] == want.text);
    CHECK(j["start"] == CodePoints(lille_text.substr(0, at)));
    CHECK(j["end"] == CodePoints(lille_text.substr(0, at + want.text.size())));
    CHECK(j.value("entity_key", "") == (want.entity == 1 ? "chu:lille" : want.entity == 2 ? "ch:arras" : ""));
  }
  CHECK(n == lille_mentions.size());

  // The index and every filter work on the migrated base.
  auto search = [&](SearchQuery q) {
    auto hits = kb.Search(q);
    REQUIRE(hits.ok());
    std::vector<std::string> sources;
    for (const auto& h : hits.value()) sources.push_back(h.source);
    return sources;
  };
  CHECK(search(Query("convention")) == std::vector<std::string>{"lille.txt"});
  CHECK(search(Query("fédération")) == std::vector<std::string>{"nantes.txt"});
  // Without words the period is read from document_periods; with words,
  // from the packed periods of document_stats: both must agree.
  for (const char* words : {"", "CHU"}) {
    INFO("query: " << words);
    SearchQuery period = Query(words);
    period.since = "2001";
    CHECK(search(period) == std::vector<std::string>{"lille.txt"});  // a mentioned date
    period.since = "";
    period.until = "2000-05";
    CHECK(search(period) == std::vector<std::string>{"lille.txt"});  // the publication date
    period.until = "2000-05-01";
    CHECK(search(period) == std::vector<std::string>{"lille.txt"});
    period.until = "2000-04-30";
    CHECK(search(period).empty());
    period.until = "2000-04";
    CHECK(search(period).empty());
    period.until = "";
    period.since = "2001-02";
    CHECK(search(period).empty());
    period.since = "2001-01-22";
    CHECK(search(period) == std::vector<std::string>{"lille.txt"});
    period.until = "2000";
    CHECK(search(period) == std::vector<std::string>{"lille.txt"});  // earliest 2000, latest 2001
    period.since = "2001-01-23";
    CHECK(search(period).empty());
  }
  SearchQuery period = Query("");
  SearchQuery specialty = Query("");
  specialty.specialty = "neurochirurgie";
  CHECK(search(specialty) == std::vector<std::string>{"lille.txt"});
  SearchQuery entity = Query("convention");
  entity.entity_filter = true;
  entity.entity_ids = {2};
  CHECK(search(entity) == std::vector<std::string>{"lille.txt"});

  // Storing after the migration: the replaced version's mentions and period go.
  Document v2 = Annotated("lille.txt", "Le CHU de Nantes et le CHU d'Angers créent une fédération en 2019.");
  REQUIRE(kb.Store(v2).value() == StoreOutcome::kReplaced);
  CHECK(Count(kb, "SELECT count(*) FROM mentions m LEFT JOIN documents d ON d.id = m.document_id "
                  "WHERE d.id IS NULL") == 0);
  CHECK(Count(kb, "SELECT count(*) FROM document_periods p LEFT JOIN documents d ON d.id = p.document_id "
                  "WHERE d.id IS NULL") == 0);
  period.since = "2019";
  CHECK(search(period) == std::vector<std::string>{"lille.txt"});
}

}  // namespace coopkb
