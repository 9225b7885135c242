// Dates beyond the example corpus: spans, calendar rules, tokens, lexicon errors.
#include <catch2/catch.hpp>

#include <fstream>

#include "extractors/dates/calendar.h"
#include "extractors/dates/date_extractor.h"
#include "extractors/dates/folded_tokens.h"
#include "extractors/dates/folded_view.h"
#include "pipeline/fold.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

struct Found {
  std::string value, text;
  bool operator==(const Found&) const = default;
};

std::vector<Found> Dates(const std::string& text, const std::string& published = "") {
  static const auto extractor = DateExtractor::Create(test::DefaultLexicons());
  REQUIRE(extractor.ok());
  Document doc;
  doc.text = text;
  doc.published = published;
  extractor.value()->Extract(doc);
  std::vector<Found> out;
  for (const Mention& m : doc.mentions) {
    REQUIRE(m.kind == MentionKind::kDate);
    out.push_back({m.value, std::string(doc.Text(m.span))});
  }
  return out;
}

}  // namespace

TEST_CASE("date spans cover the date as written, without article", "[dates]") {
  CHECK(Dates("Signée le 22 janvier 2001.") == std::vector<Found>{{"2001-01-22", "22 janvier 2001"}});
  CHECK(Dates("Mercredi 30 septembre 2009, à Lille") ==
        std::vector<Found>{{"2009-09-30", "Mercredi 30 septembre 2009"}});
  CHECK(Dates("le 9 novembre 2020 à 11h30 par") ==
        std::vector<Found>{{"2020-11-09T11:30", "9 novembre 2020 à 11h30"}});
  CHECK(Dates("en ce début d’année 2016.") == std::vector<Found>{{"2016", "début d’année 2016"}});
  CHECK(Dates("au début de l'exercice 2020") ==
        std::vector<Found>{{"2020", "début de l'exercice 2020"}});
  CHECK(Dates("depuis 2009,") == std::vector<Found>{{"2009", "2009"}});
  CHECK(Dates("fin sept. 2015") == std::vector<Found>{{"2015-09", "fin sept. 2015"}});
  CHECK(Dates("de 2009 à 2012") == std::vector<Found>{{"2009", "2009"}, {"2012", "2012"}});
  CHECK(Dates("le 2 décembre dernier", "2021-01-10") ==
        std::vector<Found>{{"2020-12-02", "2 décembre dernier"}});
}

TEST_CASE("dates are read through no-break spaces, case and accents", "[dates]") {
  CHECK(Dates("le 22\xC2\xA0janvier\xC2\xA0" "2001") ==
        std::vector<Found>{{"2001-01-22", "22\xC2\xA0janvier\xC2\xA0" "2001"}});
  CHECK(Dates("EN FÉVRIER 2019") == std::vector<Found>{{"2019-02", "FÉVRIER 2019"}});
  CHECK(Dates("le 3 Fevrier 2019") == std::vector<Found>{{"2019-02-03", "3 Fevrier 2019"}});
}

TEST_CASE("a day without year needs the publication date", "[dates]") {
  CHECK(Dates("Le 2 novembre, la clinique a repris.").empty());
  CHECK(Dates("Le 2 novembre, la clinique a repris.", "2020-11-09").size() == 1);
  CHECK(Dates("Le 2 novembre, la clinique a repris.", "2020-11").at(0).value == "2020-11-02");
  CHECK(Dates("Le 2 novembre, la clinique a repris.", "2020").at(0).value == "2020-11-02");
}

TEST_CASE("calendar validity and ISO rendering", "[dates]") {
  CHECK(WrittenDate{2001}.Iso() == "2001");
  CHECK(WrittenDate{2000, 3}.Iso() == "2000-03");
  CHECK(WrittenDate{2001, 1, 22}.Iso() == "2001-01-22");
  CHECK(WrittenDate{2020, 11, 9, 11, 30}.Iso() == "2020-11-09T11:30");
  CHECK(WrittenDate{2020, 2, 29}.valid());
  CHECK_FALSE(WrittenDate{2021, 2, 29}.valid());
  CHECK_FALSE(WrittenDate{2021, 4, 31}.valid());
  CHECK_FALSE(WrittenDate{2021, 13}.valid());
  CHECK_FALSE(WrittenDate{2021, 1, 1, 24, 0}.valid());
}

TEST_CASE("publication dates parse at any precision", "[dates]") {
  CHECK(ParsePublished("2020-11-09T11:30:00Z")->Iso() == "2020-11-09");
  CHECK(ParsePublished("2020-11")->Iso() == "2020-11");
  CHECK(ParsePublished("2020")->Iso() == "2020");
  CHECK_FALSE(ParsePublished(""));
  CHECK_FALSE(ParsePublished("hier"));
  CHECK_FALSE(ParsePublished("2020-13-01"));
}

TEST_CASE("a day without year takes the occurrence the hint points to", "[dates]") {
  WrittenDate pub{2021, 1, 5};
  CHECK(ResolveYear(15, 12, pub, YearHint::kNearest) == 2020);
  CHECK(ResolveYear(10, 1, pub, YearHint::kNearest) == 2021);
  CHECK(ResolveYear(15, 12, pub, YearHint::kFuture) == 2021);
  CHECK(ResolveYear(2, 1, pub, YearHint::kPast) == 2021);
  CHECK(ResolveYear(10, 1, pub, YearHint::kPast) == 2020);
  CHECK(ResolveYear(20, 11, WrittenDate{2020, 11, 9}, YearHint::kNearest) == 2020);
  CHECK(ResolveYear(1, 3, WrittenDate{2020}, YearHint::kNearest) == 2020);
}

TEST_CASE("folded tokens read the same forward and backward", "[dates]") {
  std::string f = "jusqu'en 2020, vingt-deux n°3 ";
  std::vector<std::string> forward, backward;
  for (Token t = NextToken(f, 0); !t.at_end(); t = NextToken(f, t.end)) {
    forward.emplace_back(t.text);
  }
  for (Token t = PrevToken(f, f.size()); !t.at_end(); t = PrevToken(f, t.begin)) {
    backward.insert(backward.begin(), std::string(t.text));
  }
  CHECK(forward == std::vector<std::string>{"jusqu'", "en", "2020", ",", "vingt-deux", "n\xC2\xB0", "3"});
  CHECK(backward == forward);
  std::string bullet = "\xE2\x80\xA2 deux";  // "• deux": a bullet is a mark, not a word
  CHECK(NextToken(bullet, 0).kind == TokenKind::kMark);
  CHECK(NextToken(bullet, 0).end == 3);
  CHECK(PrevToken(bullet, 3).kind == TokenKind::kMark);
  Token three = PrevToken(f, f.size());
  CHECK(GluedBefore(f, three));  // n°3
  CHECK_FALSE(GluedAfter(f, three.end));
}

TEST_CASE("FoldedView folds as Fold() and maps back like FoldedText", "[dates]") {
  for (std::string text : {
           std::string("Le Centre Hospitalier d\xE2\x80\x99" "Arras \xE2\x80\x93 \xC5\x92uvre"),
           std::string("600\xE2\x80\xAF" "000 patients, 22\xC2\xA0janvier\xC2\xA0" "2001"),
           std::string("soft\xC2\xADhyphen, \xC3\x89T\xC3\x89 \xE2\x80\xA2 1\xE1\xB5\x89\xCA\xB3 \xF0\x9F\x98\x80 ok"),
           std::string("bad \xC3 byte\n\x01 control \xE2\x82\xAC \xC2\xB0 m\xC2\xB2"),
       }) {
    FoldedView view(text);
    FoldedText reference(text);
    REQUIRE(view.folded() == Fold(text));
    REQUIRE(view.folded() == reference.folded());
    for (Token t = NextToken(view.folded(), 0); !t.at_end(); t = NextToken(view.folded(), t.end)) {
      Span a = view.ToOriginal(Span{t.begin, t.end});
      Span b = reference.ToOriginal(Span{t.begin, t.end});
      INFO(text << " token " << t.text);
      CHECK(text.substr(a.begin, a.size()) == text.substr(b.begin, b.size()));
    }
  }
}

TEST_CASE("FoldedView maps every character boundary to the fold of the text before it", "[dates]") {
  for (std::string text : {
           std::string("Le Centre Hospitalier d\xE2\x80\x99" "Arras \xE2\x80\x93 \xC5\x92uvre"),
           std::string("soft\xC2\xADhyphen, \xC3\x89T\xC3\x89 \xE2\x80\xA2 1\xE1\xB5\x89\xCA\xB3 \xF0\x9F\x98\x80 ok"),
           std::string("\xC3\xA9\xC3\xA9\xE2\x80\xA6 fin"),
           std::string(""),
       }) {
    FoldedView view(text);
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // not a boundary
      INFO(text << " at " << i);
      CHECK(view.folded().substr(0, view.ToFolded(i)) == Fold(text.substr(0, i)));
    }
  }
}

TEST_CASE("a shared folded view is refolded whenever the text differs", "[dates]") {
  std::string a = "Le 2 Mars";
  std::string b = "Le 2 Mai.";  // same length, other bytes
  const FoldedView& first = SharedFoldedView(a);
  CHECK(first.folded() == "le 2 mars");
  const FoldedView& again = SharedFoldedView(std::string("Le 2 Mars"));  // equal text elsewhere
  CHECK(&again == &first);
  CHECK(SharedFoldedView(b).folded() == "le 2 mai.");
  FoldedView view("\xC3\x89t\xC3\xA9 2020");
  view.Reset("Hiver 2021, \xC5\x93uvre");
  CHECK(view.folded() == "hiver 2021, oeuvre");
  CHECK(view.ToOriginal(Span{12, 18}).begin == 12);
  CHECK(view.ToOriginal(Span{12, 18}).end == 18);
}

TEST_CASE("a malformed date lexicon is reported with file and line", "[dates]") {
  test::TempDir dir;
  std::ofstream(dir / "months.tsv") << "name\tnumber\tabbreviations?\njanvier\t13\n";
  auto lex = Lexicons::Load(dir.path().string());
  REQUIRE(lex.ok());
  auto extractor = DateExtractor::Create(lex.value());
  REQUIRE_FALSE(extractor.ok());
  CHECK_THAT(extractor.status().message(), Catch::Contains("months.tsv:2"));
}

}  // namespace coopkb
