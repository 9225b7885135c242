// Queries and exports on a knowledge base built from the seeds plus small
// fixtures (tests/fixtures/queries/): every option of `cooperations`,
// `establishments`, the search filters, and the CSV/TEI exports.
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "pipeline/exporters.h"
#include "pipeline/ingest_runner.h"
#include "pipeline/queries.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

// One base for all the tests of this file, built once.
class QueryFixture {
 public:
  static QueryFixture& Get() {
    static QueryFixture f;
    return f;
  }
  KnowledgeBase& kb() { return *kb_; }
  const QueryResolver& resolver() { return *resolver_; }
  const std::string& path() const { return path_; }

 private:
  QueryFixture() {
    path_ = (dir_ / "kb.sqlite").string();
    auto kb = KnowledgeBase::Open(path_, KnowledgeBase::kReadWrite);
    REQUIRE(kb.ok());
    kb_ = std::make_unique<KnowledgeBase>(std::move(kb).value());
    IngestRunner runner(test::DefaultPipeline(), *kb_, IngestOptions{});
    IngestSummary s = runner.Run({(test::SourceDir() / "corpus").string(),
                                  (test::SourceDir() / "tests/fixtures/queries").string()},
                                 [](const IngestEvent&) {});
    REQUIRE(s.failed == 0);
    REQUIRE(s.added == 8);
    resolver_ = std::make_unique<QueryResolver>(test::DefaultLexicons(), *kb_);
  }
  test::TempDir dir_;
  std::string path_;
  std::unique_ptr<KnowledgeBase> kb_;
  std::unique_ptr<QueryResolver> resolver_;
};

std::vector<CooperationRow> Cooperations(const CooperationFilter& f) {
  std::vector<CooperationRow> rows;
  Status s = ForEachCooperation(QueryFixture::Get().kb(), QueryFixture::Get().resolver(), f,
                                [&](const CooperationRow& r) {
                                  rows.push_back(r);
                                  return Status::Ok();
                                });
  REQUIRE(s.ok());
  return rows;
}

bool HasParty(const CooperationRow& r, const std::string& name) {
  return std::find(r.parties.begin(), r.parties.end(), name) != r.parties.end();
}

std::set<std::string> Partners(const std::vector<CooperationRow>& rows, const std::string& of) {
  std::set<std::string> out;
  for (const auto& r : rows) {
    for (const auto& p : r.parties) {
      if (p != of) out.insert(p);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the --with filter accepts any alias or a loose form", "[queries]") {
  for (const char* name : {"CHRU de Lille", "chu lille", "Centre Hospitalier Régional Universitaire de LILLE", "CHU de Lille"}) {
    INFO(name);
    CooperationFilter f;
    f.with = {name};
    auto rows = Cooperations(f);
    REQUIRE_FALSE(rows.empty());
    for (const auto& r : rows) CHECK(HasParty(r, "CHU de Lille"));
    std::set<std::string> partners = Partners(rows, "CHU de Lille");
    for (const char* p : {"CH de Valenciennes", "CH de Lens", "CH d'Arras", "CH de Douai", "Centre Oscar Lambret",
                          "CH de Roubaix", "CH de Tourcoing"}) {
      CHECK(partners.count(p) == 1);
    }
  }
  CooperationFilter unknown;
  unknown.with = {"CHU de Nulle-Part-sur-Mer"};
  Status s = ForEachCooperation(QueryFixture::Get().kb(), QueryFixture::Get().resolver(), unknown,
                                [](const CooperationRow&) { return Status::Ok(); });
  CHECK(s.code() == Status::kUserError);
}

TEST_CASE("two --with give the cooperations between them", "[queries]") {
  CooperationFilter f;
  f.with = {"chu lille", "CH Arras"};
  auto rows = Cooperations(f);
  REQUIRE(rows.size() >= 2);
  for (const auto& r : rows) {
    CHECK(HasParty(r, "CHU de Lille"));
    CHECK(HasParty(r, "CH d'Arras"));
  }
  f.with = {"CHU de Brest", "CHU de Rennes"};
  rows = Cooperations(f);
  // The convention, and the astreinte that "les deux établissements" share.
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].kind == "astreinte commune");
  CHECK(rows[1].evidence.at(0).rfind("Les deux établissements partageront", 0) == 0);
  CHECK(rows[0].date == "2018-03-12");
  CHECK(rows[0].kind == "convention cadre");
  CHECK(rows[0].source.find("brest-rennes.txt") != std::string::npos);
  // The title and the body sentence both state it: both are evidence.
  REQUIRE(rows[0].evidence.size() == 2);
  CHECK(rows[0].evidence[1].find("ont signé une convention cadre") != std::string::npos);
}

TEST_CASE("the --specialty filter takes any synonym", "[queries]") {
  CooperationFilter f;
  f.specialty = "neurochirurgie";
  auto rows = Cooperations(f);
  std::set<std::string> pairs;
  for (const auto& r : rows) {
    CHECK(std::find(r.specialties.begin(), r.specialties.end(), "neurochirurgie") != r.specialties.end());
    pairs.insert(r.parties[0] + "+" + r.parties[1]);
  }
  CHECK(pairs.count("CHU de Brest+CHU de Rennes") == 1);
  CHECK(pairs.count("CHU de Lille+CH de Valenciennes") == 1);
  f.specialty = "urgences de la main";  // a synonym of chirurgie de la main
  rows = Cooperations(f);
  REQUIRE_FALSE(rows.empty());
  std::set<std::string> partners;
  for (const auto& r : rows) partners.insert(r.parties.begin(), r.parties.end());
  CHECK(partners.count("Clinique Jules Verne") == 1);
  CHECK(partners.count("Clinique Lille-Sud") == 1);
}

TEST_CASE("the --kind filter selects on the cooperation kind, written loosely", "[queries]") {
  CooperationFilter f;
  f.kind = "GCS";
  auto rows = Cooperations(f);
  REQUIRE_FALSE(rows.empty());
  for (const auto& r : rows) CHECK(r.kind == "GCS");
  f.kind = "Convention-Cadre";
  rows = Cooperations(f);
  REQUIRE_FALSE(rows.empty());
  for (const auto& r : rows) CHECK(r.kind == "convention cadre");
  f.kind = "charte";
  rows = Cooperations(f);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].parties.size() == 4);
}

TEST_CASE("the --since and --until filters bound the cooperation date", "[queries]") {
  CooperationFilter f;
  f.since = "2009";
  for (const auto& r : Cooperations(f)) {
    INFO(r.date << " " << r.published);
    std::string when = r.date.empty() ? r.published : r.date;
    CHECK(when.substr(0, 4) >= "2009");
  }
  f.since = "2000";
  f.until = "2001";
  auto rows = Cooperations(f);
  REQUIRE_FALSE(rows.empty());
  for (const auto& r : rows) {
    CHECK(r.date.substr(0, 4) >= "2000");
    CHECK(r.date.substr(0, 4) <= "2001");
  }
  CooperationFilter lille_since;
  lille_since.with = {"CHU de Lille"};
  lille_since.since = "2004";
  rows = Cooperations(lille_since);
  REQUIRE(rows.size() == 1);
  CHECK(HasParty(rows[0], "CH de Tourcoing"));
}

TEST_CASE("the --region filter keeps cooperations with a party in the région", "[queries]") {
  CooperationFilter f;
  f.region = "bretagne";
  auto rows = Cooperations(f);
  REQUIRE(rows.size() == 2);  // Brest and Rennes: a convention and an astreinte
  for (const auto& r : rows) CHECK(HasParty(r, "CHU de Brest"));
  f.region = "Hauts-de-France";
  rows = Cooperations(f);
  REQUIRE(rows.size() >= 10);
}

TEST_CASE("establishments lists canonical entities with counts, filtered", "[queries]") {
  std::ostringstream out;
  EstablishmentFilter f;
  f.kind = "CHU";
  REQUIRE(ListEstablishments(QueryFixture::Get().kb(), f, "json", out).ok());
  auto all = nlohmann::json::parse(out.str());
  std::set<std::string> names;
  for (const auto& e : all) {
    CHECK(e["kind"] == "CHU");
    CHECK(e["documents"].get<int>() >= 1);
    names.insert(e["name"]);
  }
  for (const char* n : {"CHU de Lille", "CHU de Dijon", "CHU de Besançon", "CHU de Saint-Étienne", "CHU de Brest"}) {
    CHECK(names.count(n) == 1);
  }
  for (const auto& e : all) {
    if (e["name"] == "CHU de Lille") {
      CHECK(e["documents"] == 3);
      CHECK(e["cooperations"].get<int>() >= 10);
    }
  }
  std::ostringstream out2;
  EstablishmentFilter region;
  region.region = "bourgogne franche comte";
  REQUIRE(ListEstablishments(QueryFixture::Get().kb(), region, "json", out2).ok());
  std::set<std::string> bfc;
  for (const auto& e : nlohmann::json::parse(out2.str())) bfc.insert(e["name"]);
  CHECK(bfc == std::set<std::string>{"CHU de Besançon", "CHU de Dijon", "Clinique Bénigne Joly"});
}

TEST_CASE("search filters combine with the full-text query", "[queries][search]") {
  KnowledgeBase& kb = QueryFixture::Get().kb();
  auto sources = [&](SearchQuery q) {
    auto hits = kb.Search(q);
    REQUIRE(hits.ok());
    std::set<std::string> out;
    for (const auto& h : hits.value()) out.insert(std::filesystem::path(h.source).filename().string());
    return out;
  };
  SearchQuery q;
  q.query = "convention";
  q.limit = 50;
  q.entity_filter = true;
  q.entity_ids = QueryFixture::Get().resolver().Establishments("CH d'Arras").value();
  CHECK(sources(q) == std::set<std::string>{"001_ba0069c7e0d068b0.txt", "003_e9ef0ab0e64de565.txt"});

  SearchQuery s;
  s.query = "";
  s.limit = 50;
  s.specialty = QueryFixture::Get().resolver().Specialty("neurochirurgie");
  CHECK(sources(s) == std::set<std::string>{"001_ba0069c7e0d068b0.txt", "003_e9ef0ab0e64de565.txt", "brest-rennes.txt"});

  SearchQuery d;
  d.query = "coopération";
  d.limit = 50;
  d.since = "2016";
  d.until = "2018";
  CHECK(sources(d) == std::set<std::string>{"004_8607ba3521bd8ac6.txt", "brest-rennes.txt"});
}

TEST_CASE("CSV exports: header, quoting, Excel variant", "[queries][export]") {
  std::ostringstream out;
  ExportOptions o;
  o.dataset = "cooperations";
  o.format = "csv";
  REQUIRE(ExportTo(QueryFixture::Get().kb(), o, out).ok());
  std::string csv = out.str();
  CHECK(csv.rfind("id,parties,kind,specialties,date,document_id,source,published,evidence\r\n", 0) == 0);
  CHECK(csv.find("CHU de Brest | CHU de Rennes") != std::string::npos);
  // Two evidence sentences in one cell, kept apart as the other lists are.
  CHECK(csv.find("officialisent leur coopération en neurochirurgie | Le 12 mars 2018, le CHU de Brest") !=
        std::string::npos);
  o.excel = true;
  std::ostringstream excel;
  REQUIRE(ExportTo(QueryFixture::Get().kb(), o, excel).ok());
  CHECK(excel.str().rfind("\xEF\xBB\xBFid;parties;kind;", 0) == 0);
}

namespace {

// Rows of a delimited text (RFC 4180 quoting: a quoted cell may hold the
// separator, a doubled quote or a line break).
std::vector<std::vector<std::string>> ParseDelimited(const std::string& text, char sep) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, row_open = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    row_open = true;
    if (quoted) {
      if (c != '"') {
        cell += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == sep) {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
      row_open = false;
    } else {
      cell += c;
    }
  }
  if (row_open) rows.back().push_back(std::move(cell));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// LibreOffice Calc (headless) reads `csv` with the given separator and
// writes what it read back as tab-separated text.
std::string ReadWithLibreOffice(const test::TempDir& dir, const std::string& csv, int separator) {
  std::string profile = "file://" + (dir / "lo-profile").string();
  std::string cmd = "soffice -env:UserInstallation=" + profile + " --headless --infilter=CSV:" +
                    std::to_string(separator) + ",34,76,1 --convert-to 'csv:Text - txt - csv (StarCalc):9,34,76,1' " +
                    "--outdir '" + (dir / "lo").string() + "' '" + csv + "' >/dev/null 2>&1";
  INFO("needs LibreOffice Calc: .ci/install-deps --test installs libreoffice-calc-nogui");
  REQUIRE(std::system(cmd.c_str()) == 0);
  return test::ReadFile(dir / "lo" / std::filesystem::path(csv).filename());
}

}  // namespace

TEST_CASE("LibreOffice reads the cooperations CSV with the expected columns and rows", "[queries][export][libreoffice]") {
  const std::vector<std::string> header = {"id", "parties", "kind", "specialties", "date",
                                           "document_id", "source", "published", "evidence"};
  const size_t cooperations = Cooperations(CooperationFilter{}).size();
  REQUIRE(cooperations > 0);
  for (bool excel : {false, true}) {
    INFO((excel ? "--excel" : "plain"));
    test::TempDir dir;
    ExportOptions o;
    o.dataset = "cooperations";
    o.format = "csv";
    o.excel = excel;
    o.out = (dir / (excel ? "excel.csv" : "plain.csv")).string();
    REQUIRE(RunExport(QueryFixture::Get().kb(), o).ok());
    std::string ours = test::ReadFile(o.out);
    if (excel) ours = ours.substr(3);  // the BOM is for spreadsheets, not a cell
    auto written = ParseDelimited(ours, excel ? ';' : ',');
    // Calc reads an ISO date-time as a date-time value and writes it back with seconds.
    static const re2::RE2 minute_precision(R"(\d{4}-\d\d-\d\dT\d\d:\d\d)");
    for (auto& row : written) {
      for (auto& cell : row) {
        if (re2::RE2::FullMatch(cell, minute_precision)) cell += ":00";
      }
    }
    auto read = ParseDelimited(ReadWithLibreOffice(dir, o.out, excel ? ';' : ','), '\t');
    REQUIRE(read.size() == cooperations + 1);
    REQUIRE(written.size() == read.size());
    CHECK(read[0] == header);
    bool brest_rennes = false;
    for (size_t i = 0; i < read.size(); ++i) {
      INFO("row " << i);
      REQUIRE(read[i].size() == header.size());
      CHECK(read[i] == written[i]);  // every cell as written: no column shifted by a comma, quote or accent
      if (read[i][1] == "CHU de Brest | CHU de Rennes" && read[i][4] == "2018-03-12") brest_rennes = true;
    }
    CHECK(brest_rennes);
  }
}

TEST_CASE("TEI export is well-formed and holds every extracted span", "[queries][export][tei]") {
  test::TempDir dir;
  std::string file = (dir / "kb.tei.xml").string();
  ExportOptions o;
  o.dataset = "documents";
  o.format = "tei";
  o.out = file;
  REQUIRE(RunExport(QueryFixture::Get().kb(), o).ok());
  std::string cmd = "xmllint --noout '" + file + "' 2>&1";
  CHECK(std::system(cmd.c_str()) == 0);
  std::string xml = test::ReadFile(file);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t pos = xml.find(needle); pos != std::string::npos; pos = xml.find(needle, pos + 1)) ++n;
    return n;
  };
  auto kinds = QueryFixture::Get().kb().db().Prepare(
      "SELECT sum(k.name = 'establishment'), sum(k.name = 'date'), sum(k.name = 'count'), sum(k.name = 'specialty') "
      "FROM mentions m JOIN mention_kinds k ON k.id = m.kind");
  REQUIRE(kinds.ok());
  REQUIRE(kinds.value().Step() == Statement::kRow);
  CHECK(count("<orgName ref=") == static_cast<size_t>(kinds.value().Int64(0)));
  CHECK(count("<date when=") == static_cast<size_t>(kinds.value().Int64(1)));
  CHECK(count("<measure ") == static_cast<size_t>(kinds.value().Int64(2)));
  CHECK(count("<term type=\"specialty\"") == static_cast<size_t>(kinds.value().Int64(3)));
  CHECK(count("<TEI ") == 8);
}

}  // namespace coopkb
