// Counts beyond the example corpus: spans and units as written, number words,
// exact decimals, the dates that come first, lexicon errors.
#include <catch2/catch.hpp>

#include <fstream>
#include <tuple>

#include "extractors/counts/count_extractor.h"
#include "extractors/counts/decimal.h"
#include "extractors/dates/date_extractor.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

struct Found {
  std::string value, unit, text;
  bool operator==(const Found&) const = default;
};

std::vector<Found> Counts(const std::string& text) {
  static const auto dates = DateExtractor::Create(test::DefaultLexicons());
  static const auto counts = CountExtractor::Create(test::DefaultLexicons());
  REQUIRE(dates.ok());
  REQUIRE(counts.ok());
  Document doc;
  doc.text = text;
  dates.value()->Extract(doc);
  counts.value()->Extract(doc);
  std::vector<Found> out;
  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kCount) {
      out.push_back({m.value, m.unit, std::string(doc.Text(m.span))});
    }
  }
  return out;
}

// The value of the one count in `text`; "" when there is none or several.
std::string Value(const std::string& text) {
  auto found = Counts(text);
  return found.size() == 1 ? found[0].value : std::string();
}

}  // namespace

TEST_CASE("count spans and units are the text as written", "[counts]") {
  CHECK(Counts("pour les 600\xE2\x80\xAF" "000 patients ligériens du bassin") ==
        std::vector<Found>{{"600000", "patients ligériens",
                            "600\xE2\x80\xAF" "000 patients ligériens"}});
  CHECK(Counts("avec 207 conventions de partage de temps médical : 129") ==
        std::vector<Found>{{"207", "conventions de partage de temps médical",
                            "207 conventions de partage de temps médical"}});
  CHECK(Counts("les deux autres conventions du même type") ==
        std::vector<Found>{{"2", "conventions", "deux autres conventions"}});
  CHECK(Counts("où 88\xC2\xA0% des CHU déclarent") ==
        std::vector<Found>{{"88", "%", "88\xC2\xA0% des CHU"}});
  CHECK(Counts("soit 4,2 millions de personnes.") ==
        std::vector<Found>{{"4200000", "personnes", "4,2 millions de personnes"}});
}

TEST_CASE("French number words compose", "[counts]") {
  CHECK(Value("deux sites") == "2");
  CHECK(Value("dix-sept sites") == "17");
  CHECK(Value("vingt et un sites") == "21");
  CHECK(Value("vingt-deux sites") == "22");
  CHECK(Value("soixante et onze sites") == "71");
  CHECK(Value("soixante-dix-sept sites") == "77");
  CHECK(Value("quatre-vingts sites") == "80");
  CHECK(Value("quatre-vingt-dix-neuf sites") == "99");
  CHECK(Value("cent sites") == "100");
  CHECK(Value("deux cents sites") == "200");
  CHECK(Value("deux cent cinquante sites") == "250");
  CHECK(Value("mille sites") == "1000");
  CHECK(Value("mille deux cents sites") == "1200");
  CHECK(Value("trois mille cinq cents sites") == "3500");
  CHECK(Value("deux-cent-quarante sites") == "240");
  CHECK(Value("un million de sites") == "1000000");
  CHECK(Counts("un site").empty());
  CHECK(Counts("une convention").empty());
  CHECK(Counts("les Quinze-Vingts sont").empty());
}

TEST_CASE("numbers inside dates are not counts", "[counts]") {
  CHECK(Counts("Le 22 janvier 2001 sept patients ont été transférés.") ==
        std::vector<Found>{{"7", "patients", "sept patients"}});
  CHECK(Counts("En 2016 trois hôpitaux ont signé.") ==
        std::vector<Found>{{"3", "hôpitaux", "trois hôpitaux"}});
}

TEST_CASE("decimals are exact", "[counts]") {
  Decimal d;
  REQUIRE(Decimal::Parse("4", "2", &d));
  CHECK(d.ToString() == "4.2");
  d.Scale(1000000);
  CHECK(d.ToString() == "4200000");
  REQUIRE(Decimal::Parse("0", "05", &d));
  CHECK(d.ToString() == "0.05");
  REQUIRE(Decimal::Parse("600000", "", &d));
  CHECK(d.ToString() == "600000");
  REQUIRE(Decimal::Parse("6", "10", &d));
  CHECK(d.ToString() == "6.1");
  CHECK_FALSE(Decimal::Parse("123456789012345678", "", &d));
}

TEST_CASE("below two, a count's noun is singular", "[counts]") {
  Decimal d;
  for (auto [integer, fraction, singular] : {std::tuple{"1", "", true}, {"1", "99", true}, {"0", "5", true},
                                             {"2", "", false}, {"2", "0", false}, {"12", "", false}}) {
    REQUIRE(Decimal::Parse(integer, fraction, &d));
    INFO(d.ToString());
    CHECK(d.TakesSingular() == singular);
  }
}

TEST_CASE("a malformed count lexicon is reported with file and line", "[counts]") {
  test::TempDir dir;
  std::ofstream(dir / "number_words.tsv") << "word\tvalue\trole\tambiguous?\ndeux\t2\tunit\ntrois\t3\tdozen\n";
  auto lex = Lexicons::Load(dir.path().string());
  REQUIRE(lex.ok());
  auto extractor = CountExtractor::Create(lex.value());
  REQUIRE_FALSE(extractor.ok());
  CHECK_THAT(extractor.status().message(), Catch::Contains("number_words.tsv:3"));
}

TEST_CASE("a count lexicon that lost a column is an error, not a crash", "[counts]") {
  test::TempDir dir;
  std::ofstream(dir / "count_symbols.tsv") << "symbol\tunit\n%\t%\n";
  // Loading already compares the header with the embedded file's.
  auto lex = Lexicons::Load(dir.path().string());
  REQUIRE_FALSE(lex.ok());
  CHECK_THAT(lex.status().message(), Catch::Contains("count_symbols.tsv: missing column 'scale'"));
}


TEST_CASE("counts: a key figure alone on its line is counted by its label", "[counts]") {
  auto found = Counts("Activité 2021\nNombre de lits : 412\nPassages aux urgences : 38 500\n"
                      "Le rapport est publié en juin.");
  REQUIRE(found.size() == 2);
  CHECK(found[0] == Found{"412", "Nombre de lits", "Nombre de lits : 412"});
  CHECK(found[1] == Found{"38500", "Passages aux urgences", "Passages aux urgences : 38 500"});
  // A code, a year, a quotation or a number inside a line are not key figures.
  CHECK(Counts("Tél : 03 21 00 00 00\n").empty());
  CHECK(Counts("Mise à jour : 2019\n").empty());
  CHECK(Counts("Le directeur l'a résumé : 12\n").empty());
  CHECK(Counts("Nombre de lits : 412 en tout, dit-il.\n").empty());
}

}  // namespace coopkb
