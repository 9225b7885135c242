// The segmenter: paragraphs are lines, sentences follow ICU's French rules with
// the corrections of segmenter.h (abbreviations, initials, French spacing).
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "pipeline/segmenter.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

const Segmenter& DefaultSegmenter() {
  static const Segmenter segmenter = [] {
    auto s = Segmenter::Create(test::DefaultLexicons());
    REQUIRE(s.ok());
    return std::move(s).value();
  }();
  return segmenter;
}

std::vector<std::string> Texts(const Document& doc, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(doc.Text(s));
  return out;
}

std::vector<std::string> Sentences(const std::string& text) {
  Document doc;
  doc.text = text;
  DefaultSegmenter().Segment(doc);
  return Texts(doc, doc.sentences);
}

using Strings = std::vector<std::string>;

TEST_CASE("paragraphs are lines; sentences never cross them", "[segmenter]") {
  Document doc;
  doc.text = "Titre sans point\nPremière phrase. Deuxième phrase !\n  \nDernière ligne ? Oui.";
  DefaultSegmenter().Segment(doc);
  CHECK(Texts(doc, doc.paragraphs) ==
        Strings{"Titre sans point", "Première phrase. Deuxième phrase !", "Dernière ligne ? Oui."});
  CHECK(Texts(doc, doc.sentences) == Strings{"Titre sans point", "Première phrase.", "Deuxième phrase !",
                                             "Dernière ligne ?", "Oui."});
  // Spans index the text: no trailing spaces, offsets in bytes.
  CHECK(doc.sentences[1].begin == doc.text.find("Première"));
}

TEST_CASE("titles and civilities do not end a sentence", "[segmenter]") {
  CHECK(Sentences("Le Pr. Martin et le Dr. Rousseau opèrent. M. Dupont et Mme. Durand assistent.") ==
        Strings{"Le Pr. Martin et le Dr. Rousseau opèrent.", "M. Dupont et Mme. Durand assistent."});
  CHECK(Sentences("Voir le rapport, cf. Annexe 2, p. 12. La suite est claire.") ==
        Strings{"Voir le rapport, cf. Annexe 2, p. 12.", "La suite est claire."});
}

TEST_CASE("a capital initial does not end a sentence", "[segmenter]") {
  CHECK(Sentences("Paraphée par Monsieur G. DUMONT, directeur de l'agence. Elle entre en vigueur.") ==
        Strings{"Paraphée par Monsieur G. DUMONT, directeur de l'agence.", "Elle entre en vigueur."});
  CHECK(Sentences("Le Pr J.-P. Lemaire dirige le pôle. Il arrive de Nancy.") ==
        Strings{"Le Pr J.-P. Lemaire dirige le pôle.", "Il arrive de Nancy."});
}

TEST_CASE("an abbreviation not listed still ends a sentence before a capital", "[segmenter]") {
  CHECK(Sentences("Des lits, des blocs, etc. Les équipes suivent.") ==
        Strings{"Des lits, des blocs, etc.", "Les équipes suivent."});
  CHECK(Sentences("Des lits, des blocs, etc. les équipes suivent.") ==
        Strings{"Des lits, des blocs, etc. les équipes suivent."});
  // Listed abbreviations match case as written: "MME." is no civility.
  CHECK(Sentences("Il signe. Mme Petit aussi.") == Strings{"Il signe.", "Mme Petit aussi."});
}

TEST_CASE("French spacing before ? and » keeps a quoted question in its sentence", "[segmenter]") {
  CHECK(Sentences("« Pourquoi fermer ? » demande le maire. La direction répond.") ==
        Strings{"« Pourquoi fermer ? » demande le maire.", "La direction répond."});
  CHECK(Sentences("Quel avenir pour l’hôpital ? Les élus s’inquiètent.") ==
        Strings{"Quel avenir pour l’hôpital ?", "Les élus s’inquiètent."});
}

TEST_CASE("hyphens, no-break spaces and numbers stay inside sentences", "[segmenter]") {
  CHECK(Sentences("Le CHU de Saint\u2011Étienne compte 600\u202F000 patients. Il recrute\u00A0!") ==
        Strings{"Le CHU de Saint\u2011Étienne compte 600\u202F000 patients.", "Il recrute\u00A0!"});
  CHECK(Sentences("Le budget atteint 4.2 millions d'euros en 2021. Il augmente.") ==
        Strings{"Le budget atteint 4.2 millions d'euros en 2021.", "Il augmente."});
}

TEST_CASE("sentence offsets stay on UTF-8 bytes past accents, emoji and invalid bytes", "[segmenter]") {
  // ICU reads UTF-16: characters of two, three and four UTF-8 bytes (one or
  // two UTF-16 units) and invalid bytes (one U+FFFD each) before a break
  // must not shift the byte offsets.
  CHECK(Sentences("\xC3\x89t\xC3\xA9 \xF0\x9F\x98\x80 fini. Apr\xC3\xA8s \xE2\x80\x94 oui. Fin.") ==
        Strings{"\xC3\x89t\xC3\xA9 \xF0\x9F\x98\x80 fini.", "Apr\xC3\xA8s \xE2\x80\x94 oui.", "Fin."});
  CHECK(Sentences("Bad \xC3 byte \xE2\x80 here. Then \x80\x80 more. End") ==
        Strings{"Bad \xC3 byte \xE2\x80 here.", "Then \x80\x80 more.", "End"});
}

TEST_CASE("the segmenter reads its abbreviations from the lexicon", "[segmenter]") {
  test::TempDir dir;
  {
    std::ofstream out(dir / "abbreviations.tsv");
    out << "# test\nabbreviation\nCh\n";
  }
  auto lex = Lexicons::Load(dir.path().string());
  REQUIRE(lex.ok());
  auto seg = Segmenter::Create(lex.value());
  REQUIRE(seg.ok());
  Document doc;
  doc.text = "Voir le Ch. Lemoine. Puis le Dr. Noël.";
  seg.value().Segment(doc);
  CHECK(Texts(doc, doc.sentences) == Strings{"Voir le Ch. Lemoine.", "Puis le Dr.", "Noël."});
}

}  // namespace
}  // namespace coopkb
