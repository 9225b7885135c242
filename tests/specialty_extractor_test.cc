// The specialties extractor: spans, the reading rules of specialty_matcher.h,
// lexicon errors and overrides, and its two helpers (text words, phrase trie).
// The example sentences are in extractors/specialties/corpus.tsv.
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "extractors/specialties/phrase_trie.h"
#include "extractors/specialties/specialty_extractor.h"
#include "extractors/specialties/specialty_matcher.h"
#include "extractors/specialties/text_words.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

struct Found {
  std::string text;   // the span as written
  std::string value;  // canonical name
  bool operator==(const Found&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Found& f) {
  return os << "{\"" << f.text << "\" -> \"" << f.value << "\"}";
}

std::vector<Found> Specialties(const std::string& text) {
  Document doc;
  doc.text = text;
  auto extractor = SpecialtyExtractor::Create(test::DefaultLexicons());
  REQUIRE(extractor.ok());
  extractor.value()->Extract(doc);
  std::vector<Found> out;
  for (const Mention& m : doc.mentions) {
    REQUIRE(m.kind == MentionKind::kSpecialty);
    out.push_back({std::string(doc.Text(m.span)), m.value});
  }
  return out;
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

// Lexicons with specialties.tsv replaced by `specialties` (header included).
Result<Lexicons> WithSpecialties(const test::TempDir& dir, const std::string& specialties) {
  WriteFile(dir / "specialties.tsv", specialties);
  return Lexicons::Load(dir.path().string());
}

TEST_CASE("coordinated adjectives give one mention each, spanning the adjective",
          "[specialties]") {
  std::string text = "Des interventions en chirurgie digestive, vasculaire, thoracique et "
                     "gynécologique sont programmées.";
  CHECK(Specialties(text) == std::vector<Found>{
                                 {"chirurgie digestive", "chirurgie viscérale et digestive"},
                                 {"vasculaire", "chirurgie vasculaire"},
                                 {"thoracique", "chirurgie thoracique"},
                                 {"gynécologique", "chirurgie gynécologique"},
                             });
}

TEST_CASE("a plural head distributes, a singular head reads the compound", "[specialties]") {
  CHECK(Specialties("les chirurgies orthopédique et traumatologique") ==
        std::vector<Found>{{"chirurgies orthopédique", "chirurgie orthopédique"},
                           {"traumatologique", "chirurgie traumatologique"}});
  CHECK(Specialties("la chirurgie orthopédique et traumatologique") ==
        std::vector<Found>{{"chirurgie orthopédique et traumatologique",
                            "chirurgie orthopédique et traumatologique"}});
}

TEST_CASE("a coordination stops at the first item that is not head + adjective",
          "[specialties]") {
  CHECK(Specialties("chirurgie cardiaque et pneumologie, vasculaire") ==
        std::vector<Found>{{"chirurgie cardiaque", "chirurgie cardiaque"},
                           {"pneumologie", "pneumologie"}});
  // A single-word specialty has no head to share.
  CHECK(Specialties("chirurgie, vasculaire") ==
        std::vector<Found>{{"chirurgie", "chirurgie"}});
}

TEST_CASE("the compound stomatologie-chirurgie maxillo-faciale is one mention", "[specialties]") {
  CHECK(Specialties("la stomatologie-chirurgie maxillo-faciale") ==
        std::vector<Found>{{"stomatologie-chirurgie maxillo-faciale",
                            "stomatologie et chirurgie maxillo-faciale"}});
  CHECK(Specialties("la stomatologie, la chirurgie maxillo-faciale") ==
        std::vector<Found>{{"stomatologie", "stomatologie"},
                           {"chirurgie maxillo-faciale", "chirurgie maxillo-faciale"}});
}

TEST_CASE("spans are byte offsets of the original text, accents and apostrophes included",
          "[specialties]") {
  Document doc;
  doc.text = "Le service de Pédiatrie et la médecine d’urgence.";
  doc.mentions.push_back({MentionKind::kDate, {0, 2}, "x", "", -1});  // kept, not replaced
  auto extractor = SpecialtyExtractor::Create(test::DefaultLexicons());
  REQUIRE(extractor.ok());
  extractor.value()->Extract(doc);
  REQUIRE(doc.mentions.size() == 3);
  CHECK(doc.mentions[0].kind == MentionKind::kDate);
  CHECK(doc.mentions[1].span == Span{14, 24});
  CHECK(doc.Text(doc.mentions[1].span) == "Pédiatrie");
  CHECK(doc.Text(doc.mentions[2].span) == "médecine d’urgence");
  CHECK(doc.mentions[2].value == "urgences");
}

TEST_CASE("acronyms match only in capitals and as whole words", "[specialties]") {
  CHECK(Specialties("le centre d'AMP") ==
        std::vector<Found>{{"AMP", "assistance médicale à la procréation"}});
  CHECK(Specialties("le centre d'Amp").empty());
  CHECK(Specialties("le centre d'amp").empty());
  CHECK(Specialties("les AMPS et les SSRX").empty());
  CHECK(Specialties("(SSR)") == std::vector<Found>{{"SSR", "soins de suite et de réadaptation"}});
}

TEST_CASE("number: singular lexicon words take both numbers, plural ones only the plural",
          "[specialties]") {
  CHECK(Specialties("les chirurgies") == std::vector<Found>{{"chirurgies", "chirurgie"}});
  CHECK(Specialties("aux urgences") == std::vector<Found>{{"urgences", "urgences"}});
  CHECK(Specialties("en urgence").empty());
  CHECK(Specialties("une maladie infectieuse").empty());
}

TEST_CASE("whole words only", "[specialties]") {
  // "biologie" and "chirurgie" are entries; these words only begin like them.
  CHECK(Specialties("les biologistes et les chirurgiens").empty());
  CHECK(Specialties("chirurgien, chirurgicale, biologiques").empty());
  // A practitioner is an entry of its own, read whole.
  CHECK(Specialties("les microbiologistes") == std::vector<Found>{{"microbiologistes", "microbiologie"}});
}

TEST_CASE("a phrase runs over one line break, not over a blank line or punctuation",
          "[specialties]") {
  CHECK(Specialties("la chirurgie\nvasculaire") ==
        std::vector<Found>{{"chirurgie\nvasculaire", "chirurgie vasculaire"}});
  CHECK(Specialties("la chirurgie\n\nvasculaire") ==
        std::vector<Found>{{"chirurgie", "chirurgie"}});
  CHECK(Specialties("la chirurgie. Vasculaire") ==
        std::vector<Found>{{"chirurgie", "chirurgie"}});
}

TEST_CASE("combining forms glue to the next word whichever way they are written",
          "[specialties]") {
  for (const char* text : {"neuroradiologie", "neuro-radiologie", "neuro radiologie",
                           "NEURO-RADIOLOGIE"}) {
    INFO(text);
    auto found = Specialties(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].text == text);
    CHECK(found[0].value == "neuroradiologie");
  }
  CHECK(Specialties("chirurgie maxillofaciale") ==
        std::vector<Found>{{"chirurgie maxillofaciale", "chirurgie maxillo-faciale"}});
}

TEST_CASE("exclusions hide the specialty they contain", "[specialties]") {
  CHECK(Specialties("un enjeu de santé publique").empty());
  CHECK(Specialties("un doctorat de santé publique") ==
        std::vector<Found>{{"santé publique", "santé publique"}});
  CHECK(Specialties("sous anesthésie générale").empty());
}

TEST_CASE("an edited copy of the lexicon is read instead of the embedded one", "[specialties]") {
  test::TempDir dir;
  auto lex = WithSpecialties(dir,
                             "name\tsynonyms?\tkind?\n"
                             "chirurgie de la main\tSOS mains|chirurgie du poignet\tsurgical\n");
  REQUIRE(lex.ok());
  auto matcher = SpecialtyMatcher::Create(lex.value());
  REQUIRE(matcher.ok());
  std::vector<SpecialtyMatch> found;
  matcher.value().FindAll("la chirurgie du poignet et la pédiatrie", found);
  REQUIRE(found.size() == 1);
  CHECK(matcher.value().name(found[0].specialty) == "chirurgie de la main");
  CHECK(matcher.value().kind(found[0].specialty) == "surgical");
}

TEST_CASE("lexicon errors name the file and the line", "[specialties]") {
  test::TempDir dir;
  SECTION("a phrase claimed by two entries") {
    auto lex = WithSpecialties(dir,
                               "name\tsynonyms?\tkind?\n"
                               "# comment\n"
                               "chirurgie cardiaque\t\tsurgical\n"
                               "cardiologie\tChirurgie Cardiaque\tmedical\n");
    REQUIRE(lex.ok());
    auto m = SpecialtyMatcher::Create(lex.value());
    REQUIRE(!m.ok());
    CHECK_THAT(m.status().message(), Catch::Contains("specialties.tsv:4") &&
                                         Catch::Contains("'chirurgie cardiaque'") &&
                                         Catch::Contains(":3)"));
  }
  SECTION("a comma") {
    auto lex = WithSpecialties(dir,
                               "name\tsynonyms?\tkind?\n"
                               "chirurgie plastique\tchirurgie plastique, reconstructrice\n");
    REQUIRE(lex.ok());
    auto m = SpecialtyMatcher::Create(lex.value());
    REQUIRE(!m.ok());
    CHECK_THAT(m.status().message(), Catch::Contains("specialties.tsv:2") &&
                                         Catch::Contains("comma"));
  }
  SECTION("an unknown kind") {
    auto lex = WithSpecialties(dir, "name\tsynonyms?\tkind?\nurologie\t\tsurgery\n");
    REQUIRE(lex.ok());
    auto m = SpecialtyMatcher::Create(lex.value());
    REQUIRE(!m.ok());
    CHECK_THAT(m.status().message(), Catch::Contains("specialties.tsv:2: unknown kind 'surgery'"));
  }
  SECTION("a missing column") {
    auto lex = WithSpecialties(dir, "nom\tsynonymes\nurologie\t\n");
    REQUIRE(!lex.ok());
    CHECK_THAT(lex.status().message(), Catch::Contains("specialties.tsv: missing column 'name'"));
  }
  SECTION("an exclusion that is also a specialty") {
    WriteFile(dir / "specialty_exclusions.tsv", "phrase\treason?\nurologie\toops\n");
    auto lex = Lexicons::Load(dir.path().string());
    REQUIRE(lex.ok());
    auto m = SpecialtyMatcher::Create(lex.value());
    REQUIRE(!m.ok());
    CHECK_THAT(m.status().message(), Catch::Contains("specialty_exclusions.tsv:2") &&
                                         Catch::Contains("'urologie'"));
  }
}

TEST_CASE("the embedded lexicons build", "[specialties]") {
  auto m = SpecialtyMatcher::Create(test::DefaultLexicons());
  REQUIRE(m.ok());
  CHECK(m.value().specialty_count() > 100);
  CHECK(m.value().phrase_count() > m.value().specialty_count());
}

TEST_CASE("text words fold, set the plural mark apart and keep original offsets",
          "[specialties]") {
  std::string text = "Les Chirurgies maxillo-faciales,\u00a0des ORL\nœsophagiennes\n\nx";
  specialties::TextWords w(text);
  REQUIRE(w.size() == 8);
  CHECK(w.Key(0) == "les");  // too short to carry a mark
  CHECK_FALSE(w.plural(0));
  CHECK(w.Key(1) == "chirurgie");
  CHECK(w.Folded(1) == "chirurgies");
  CHECK(w.plural(1));
  CHECK(text.substr(w.span(1).begin, w.span(1).size()) == "Chirurgies");
  CHECK(w.InPhrase(3));
  CHECK(w.Glues(3));                 // "maxillo-"
  CHECK(w.SingleHyphen(3));
  CHECK_FALSE(w.InPhrase(4));        // a comma
  CHECK(w.ListMark(4));              // a comma and a no-break space
  CHECK_FALSE(w.Glues(2));           // "chirurgies" does not end in 'o'
  CHECK(w.Blank(5));
  CHECK(w.Key(5) == "orl");
  CHECK(w.Key(6) == "oesophagienne");
  CHECK(w.InPhrase(6));              // one line break
  CHECK_FALSE(w.InPhrase(7));        // a blank line
}

TEST_CASE("text words join what folding drops, split on what it maps to punctuation",
          "[specialties]") {
  // A soft hyphen inside a word, a decomposed accent, a typographic apostrophe.
  std::string text = "chirur\u00adgie pe\u0301diatrie d\u2019urgence";
  specialties::TextWords w(text);
  REQUIRE(w.size() == 4);
  CHECK(w.Folded(0) == "chirurgie");
  CHECK(w.Folded(1) == "pediatrie");
  CHECK(w.Folded(2) == "d");
  CHECK(w.InPhrase(3));
  CHECK(w.span(0) == Span{0, 11});
}

TEST_CASE("the phrase trie finds every edge after growing", "[specialties]") {
  specialties::PhraseTrie trie;
  std::vector<int> nodes;
  for (int i = 0; i < 5000; ++i) {
    int parent = i % 7 == 0 ? specialties::PhraseTrie::kRoot : nodes[i / 7];
    nodes.push_back(trie.AddChild(parent, "mot" + std::to_string(i)));
  }
  CHECK(trie.size() == 5001);
  for (int i = 0; i < 5000; ++i) {
    int parent = i % 7 == 0 ? specialties::PhraseTrie::kRoot : nodes[i / 7];
    REQUIRE(trie.Child(parent, "mot" + std::to_string(i)) == nodes[i]);
    REQUIRE(trie.Child(parent, "mot", std::to_string(i)) == nodes[i]);
  }
  CHECK(trie.Child(specialties::PhraseTrie::kRoot, "mot1") == specialties::PhraseTrie::kNone);
  CHECK(trie.AddChild(specialties::PhraseTrie::kRoot, "mot0") == nodes[0]);
}

}  // namespace
}  // namespace coopkb
