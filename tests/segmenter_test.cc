// The segmenter: paragraphs are lines, sentences follow Unicode's sentence rules
// (the breaks of ICU's sentence iterator, checked here against it) with the
// corrections of segmenter.h (abbreviations, initials, French spacing).
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include "pipeline/segmenter.h"
#include "pipeline/sentence_breaks.h"
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
  // Characters of two, three and four UTF-8 bytes and invalid bytes (one
  // U+FFFD each) before a break must not shift the byte offsets.
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

// ---- SentenceBreaks against ICU's sentence iterator ---------------------------

// ICU's breaks of `line` (valid UTF-8), as byte offsets, without 0 and the end.
std::vector<size_t> IcuBreaks(const std::string& line) {
  UErrorCode status = U_ZERO_ERROR;
  static const std::unique_ptr<icu::BreakIterator> prototype(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getFrench(), status));
  REQUIRE(prototype != nullptr);
  std::unique_ptr<icu::BreakIterator> it(prototype->clone());
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(line);
  it->setText(u);
  std::vector<size_t> out;
  for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
    if (b >= u.length()) break;
    std::string prefix;
    u.tempSubString(0, b).toUTF8String(prefix);
    out.push_back(prefix.size());
  }
  return out;
}

std::vector<size_t> OwnBreaks(std::string_view line) {
  std::vector<size_t> out;
  SentenceBreaks(line, out);
  return out;
}

TEST_CASE("sentence breaks: the rules of UAX #29, case by case", "[segmenter]") {
  using Offsets = std::vector<size_t>;
  CHECK(OwnBreaks("Il vient. Elle part ! Fin") == Offsets{10, 22});
  CHECK(OwnBreaks("Le taux est de 3.5 points.") == Offsets{});                 // SB6
  CHECK(OwnBreaks("Les U.S.A. et la France.") == Offsets{});                   // SB7, SB8
  CHECK(OwnBreaks("Voir p. (encadré) la suite.") == Offsets{});                // SB8
  CHECK(OwnBreaks("Quoi ?! Vraiment.") == Offsets{8});                         // SB8a
  // Closing marks count only before the spaces: the break comes before "»",
  // which the segmenter then takes back (segmenter.h).
  CHECK(OwnBreaks("Il dit « Non. » Puis il part.") == Offsets{15});           // SB9-11
  CHECK(OwnBreaks("Fin.\xE2\x80\xA8" "Suite") == Offsets{7});                 // SB4
  CHECK(OwnBreaks("Fin.\xCC\x81 Suite") == Offsets{7});                       // SB5: a mark after the stop
}

// Every line of every bundled text (seeds, evaluation articles, fixtures), then
// random lines over the characters the rules tell apart.
TEST_CASE("sentence breaks are those of ICU's sentence iterator", "[segmenter]") {
  size_t lines = 0;
  for (const char* dir : {"corpus", "tests/eval", "tests/fixtures", "extractors"}) {
    std::filesystem::path root = test::SourceDir() / dir;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.file_size() > (4u << 20)) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      std::istringstream text(buffer.str());
      for (std::string line; std::getline(text, line);) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(line);
        std::string round_trip;
        u.toUTF8String(round_trip);
        if (round_trip != line) continue;  // not UTF-8: ICU would read it otherwise
        INFO(entry.path().string() << ": " << line);
        REQUIRE(OwnBreaks(line) == IcuBreaks(line));
        ++lines;
      }
    }
  }
  CHECK(lines > 10000);

  const std::vector<std::string> pieces = {
      "a", "b", "é", "Z", "É", "3", "42", " ", "  ", "\xC2\xA0", "\xE2\x80\xAF", ".", "...", "\xE2\x80\xA6", "!",
      "?", ",", ";", ":", "-", "\xE2\x80\x94", "(", ")", "[", "\"", "'", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x99",
      "\xE2\x80\x9D", "\xCC\x81", "\xE2\x80\x8B", "\xE2\x80\xA8", "\r", "\t", "M", "Dr", "etc", "www", "\xE3\x80\x82",
      "\xEF\xBC\x8E", "\xD7\x90", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC2\xB7", "\xE2\x80\xBC", "/", "%"};
  std::mt19937 random(20261204);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1), length(1, 24);
  for (int round = 0; round < 20000; ++round) {
    std::string line;
    for (size_t k = length(random); k > 0; --k) line += pieces[pick(random)];
    INFO(line);
    REQUIRE(OwnBreaks(line) == IcuBreaks(line));
  }
}

}  // namespace
}  // namespace coopkb
