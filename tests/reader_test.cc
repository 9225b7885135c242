// The ingest stage: encodings, binary rejection, format sniffing, the HTML and
// XML readers (content selection, metadata, safety) and the map back to the
// original bytes. Fixtures: tests/fixtures/ingest/ (see its README).
#include <algorithm>
#include <chrono>
#include <cctype>
#include <fstream>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "pipeline/encoding.h"
#include "pipeline/reader.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

std::string Fixture(const std::string& name) {
  return test::ReadFile(test::SourceDir() / "tests/fixtures/ingest" / name);
}

Document Read(const std::string& source, const std::string& bytes) {
  auto doc = ReadDocument(source, bytes);
  INFO(source << ": " << doc.status().message());
  REQUIRE(doc.ok());
  return std::move(doc).value();
}

std::string WithoutCarriageReturns(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  return s;
}

// The source bytes a span of the text was read from.
std::string SourceOf(const Document& doc, const std::string& bytes, size_t begin, size_t end) {
  size_t b = doc.to_source.ToSource(begin), e = doc.to_source.EndToSource(end);
  REQUIRE(b <= e);
  REQUIRE(e <= bytes.size());
  return bytes.substr(b, e - b);
}

std::string SourceOf(const Document& doc, const std::string& bytes, std::string_view needle) {
  size_t at = doc.text.find(needle);
  REQUIRE(at != std::string::npos);
  return SourceOf(doc, bytes, at, at + needle.size());
}

std::string Utf16(const std::string& utf8, bool big_endian) {
  std::string out;
  auto put = [&](uint16_t u) {
    char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  };
  // The test strings are BMP-only.
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp;
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n; ++k) cp = cp << 6 | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    put(static_cast<uint16_t>(cp));
    i += n;
  }
  return out;
}

// ---- text and encodings ----------------------------------------------------

TEST_CASE("UTF-8 text keeps its lines and maps byte for byte", "[reader]") {
  std::string bytes = "Le CHU d’Amiens et le CH d’Abbeville.\nDeuxième paragraphe.\n";
  Document doc = Read("a.txt", bytes);
  CHECK(doc.format == "text");
  CHECK(doc.encoding == "UTF-8");
  CHECK(doc.text == bytes);
  CHECK(doc.warnings.empty());
  CHECK(doc.sha256 == Sha256Hex(bytes));
  CHECK(SourceOf(doc, bytes, "Deuxième") == "Deuxième");
}

TEST_CASE("a UTF-8 byte order mark is skipped and offsets still point into the file", "[reader]") {
  std::string bytes = "\xEF\xBB\xBFHôpital de Lens";
  Document doc = Read("bom.txt", bytes);
  CHECK(doc.text == "Hôpital de Lens");
  CHECK(doc.to_source.ToSource(0) == 3);
  CHECK(SourceOf(doc, bytes, "Lens") == "Lens");
}

TEST_CASE("the same article saved in four encodings reads the same", "[reader]") {
  Document utf8 = Read("article_utf8.txt", Fixture("article_utf8.txt"));
  std::string cp1252_bytes = Fixture("article_cp1252.txt");
  Document cp1252 = Read("article_cp1252.txt", cp1252_bytes);
  Document utf16 = Read("article_utf16.txt", Fixture("article_utf16.txt"));
  Document doubled = Read("article_double_utf8.txt", Fixture("article_double_utf8.txt"));

  CHECK(utf8.encoding == "UTF-8");
  CHECK(cp1252.encoding == "windows-1252");
  CHECK(utf16.encoding == "UTF-16LE");
  CHECK(doubled.encoding == "UTF-8");  // valid UTF-8: the cleaner undoes the double encoding
  CHECK(utf16.text == utf8.text);
  CHECK(WithoutCarriageReturns(cp1252.text) == utf8.text);
  CHECK(doubled.text != utf8.text);
  CHECK(doubled.text.find("Ã©") != std::string::npos);

  // "Cœur" is 4 bytes of UTF-8 text but 4 one-byte characters of windows-1252.
  size_t at = cp1252.text.find("Cœur");
  REQUIRE(at != std::string::npos);
  CHECK(SourceOf(cp1252, cp1252_bytes, at, at + std::string("Cœur").size()) == "C\x9Cur");
  CHECK(SourceOf(cp1252, cp1252_bytes, "Vierzon") == "Vierzon");
}

TEST_CASE("UTF-16 big-endian with a BOM and little-endian without one", "[reader]") {
  std::string text = "Le centre hospitalier de Dole coopère avec le CHU de Besançon.";
  Document be = Read("be.txt", "\xFE\xFF" + Utf16(text, true));
  CHECK(be.encoding == "UTF-16BE");
  CHECK(be.text == text);
  std::string le_bytes = Utf16(text, false);
  Document le = Read("le.txt", le_bytes);
  CHECK(le.encoding == "UTF-16LE");
  CHECK(le.text == text);
  // Each character maps to its two bytes.
  size_t at = le.text.find("Dole");
  CHECK(le.to_source.ToSource(at) == 2 * at);
  CHECK(le.to_source.EndToSource(at + 4) == 2 * (at + 4));
}

TEST_CASE("invalid UTF-8 sequences become U+FFFD with one warning counting them", "[reader]") {
  std::string bytes = "Coopération entre hôpitaux, équipes médicales \xFF\xFE et \xC3 soins.";
  Document doc = Read("bad.txt", bytes);
  CHECK(doc.encoding == "UTF-8");
  CHECK(doc.text == "Coopération entre hôpitaux, équipes médicales \xEF\xBF\xBD\xEF\xBF\xBD et \xEF\xBF\xBD soins.");
  REQUIRE(doc.warnings.size() == 1);
  CHECK(doc.warnings[0] == "3 invalid byte sequences replaced by U+FFFD");
  CHECK(SourceOf(doc, bytes, "soins") == "soins");
}

TEST_CASE("UTF-8 damaged by random bytes stays UTF-8; legacy text with a chance UTF-8 pair does not",
          "[reader]") {
  // One valid character, several broken sequences that are no French text.
  Document damaged = Read("d.txt", "Le CHU de Lille et le CH d'Arras coop\xC3\xA8rent \xFF\xFE depuis \xC3 2015, "
                                   "\xED\xA0\x80 fin.");
  CHECK(damaged.encoding == "UTF-8");
  CHECK(damaged.text.find("coopèrent") != std::string::npos);
  REQUIRE(damaged.warnings.size() == 1);
  // "É" and a no-break space happen to form a valid UTF-8 pair in windows-1252.
  Document legacy = Read("l.txt", "LA SANT\xC9\xA0: une priorit\xE9 pour l'h\xF4pital et la r\xE9gion.");
  CHECK(legacy.encoding == "windows-1252");
  CHECK(legacy.text == "LA SANTÉ\u00A0: une priorité pour l'hôpital et la région.");
  CHECK(legacy.warnings.empty());
}

TEST_CASE("legacy 8-bit text: windows-1252 quotes and Latin-9 oe", "[reader]") {
  // windows-1252: curly apostrophe 0x92, guillemets, e acute.
  Document w = Read("w.txt", "L\x92h\xF4pital de Cambrai signe une convention \xAB cadre \xBB avec le CHU "
                             "de Lille pour la p\xE9" "diatrie et la r\xE9\xE9" "ducation.");
  CHECK(w.encoding == "windows-1252");
  CHECK(w.text == "L’hôpital de Cambrai signe une convention « cadre » avec le CHU de Lille pour la "
                  "pédiatrie et la rééducation.");
  // ISO-8859-15: oe is 0xBD, which windows-1252 reads as a one-half sign.
  Document l9 = Read("l9.txt", "La mise en \xBDuvre du projet m\xE9" "dical partag\xE9 tient \xE0 c\xBDur "
                               "aux \xE9quipes des deux h\xF4pitaux.");
  CHECK(l9.encoding == "ISO-8859-15");
  CHECK(l9.text == "La mise en œuvre du projet médical partagé tient à cœur aux équipes des deux hôpitaux.");
}

TEST_CASE("text that is no Western legacy text goes to ICU's charset detection", "[reader]") {
  // Russian in windows-1251 (a partner hospital's press release quoted whole).
  std::string russian =
      "Городская больница и университетская клиника подписали соглашение о сотрудничестве в области "
      "кардиологии и неврологии. Врачи обеих больниц будут проводить совместные консультации, а "
      "пациенты получат доступ к современному оборудованию.";
  std::string bytes;
  for (size_t i = 0; i < russian.size();) {
    unsigned char c = static_cast<unsigned char>(russian[i]);
    if (c < 0x80) {
      bytes.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    // Two-byte UTF-8 Cyrillic: U+0410..U+044F is 0xC0..0xFF in windows-1251.
    uint32_t cp = (c & 0x1F) << 6 | (static_cast<unsigned char>(russian[i + 1]) & 0x3F);
    bytes.push_back(static_cast<char>(cp - 0x410 + 0xC0));
    i += 2;
  }
  Document doc = Read("ru.txt", bytes);
  CHECK(doc.encoding == "windows-1251");
  CHECK(doc.text == russian);
}

TEST_CASE("bytes windows-1252 leaves undefined are counted as invalid", "[reader]") {
  Document doc = Read("u.txt", "Le centre hospitalier d\x92\x41rras \x81 et le CHU de Lille \x9D.");
  CHECK(doc.encoding == "windows-1252");
  CHECK(doc.text.find("\xEF\xBF\xBD") != std::string::npos);
  REQUIRE(doc.warnings.size() == 1);
  CHECK(doc.warnings[0] == "2 invalid byte sequences replaced by U+FFFD");
}

TEST_CASE("binary and empty inputs are user errors with a short message", "[reader]") {
  struct Case {
    std::string bytes, message;
  };
  std::vector<Case> cases = {
      {"", "empty file"},
      {"  \n\t\n", "no text in this file"},
      {"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", "not a text document (PNG image)"},
      {"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "not a text document (PDF document)"},
      {std::string("\x7F" "ELF\x02\x01\x01\0\0\0", 10), "not a text document (ELF executable)"},
      {std::string("PK\x03\x04\x14\0\x06\0", 8), "not a text document (ZIP archive)"},
      {std::string("Un texte\0avec des octets nuls\0au milieu", 39),
       "not a text document (binary content: NUL bytes)"},
      {"Texte \x01\x02\x03\x04\x05\x06\x07\x08\x0E\x0F\x10\x11", "not a text document (binary content)"},
  };
  for (const Case& c : cases) {
    auto doc = ReadDocument("/data/in/fichier.bin", c.bytes);
    INFO(c.message);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == Status::kUserError);
    CHECK(doc.status().message() == c.message);
    CHECK(doc.status().message().find("fichier") == std::string::npos);
  }
}

TEST_CASE("the format is sniffed from the content, the extension breaks ties", "[reader]") {
  CHECK(Read("x.txt", "<!DOCTYPE html><p>Le CHU de Caen.</p>").format == "html");
  CHECK(Read("x.txt", "<html><body><p>Le CHU de Caen.</p></body></html>").format == "html");
  CHECK(Read("x", "<div><p>Le CHU de Caen.</p></div>").format == "html");
  CHECK(Read("x", "<?xml version=\"1.0\"?><doc><p>Le CHU de Caen.</p></doc>").format == "xml");
  CHECK(Read("x", "<communique><p>Le CHU de Caen.</p></communique>").format == "xml");
  CHECK(Read("x.html", "<communique><p>Le CHU de Caen.</p></communique>").format == "html");
  CHECK(Read("x.xml", "<p>Le CHU de Caen.</p>").format == "xml");
  CHECK(Read("x.txt", "<3 les soignants du CHU de Caen").format == "text");
  CHECK(Read("x.txt", "Le CHU de Caen <b>coopère</b>.").format == "text");
  CHECK(Read("x.html", "Le CHU de Caen <p>coopère</p>.").format == "html");
}

TEST_CASE("hard-wrapped paragraphs of old text files are joined, other lines kept", "[reader]") {
  std::string wrapped =
      "Le centre hospitalier de Saint-Omer et le CHU de Lille ont signe une\n"
      "convention de cooperation en cardiologie interventionnelle. Les deux\n"
      "etablissements partageront une equipe medicale et une astreinte de\n"
      "nuit, avec des consultations avancees organisees chaque semaine.\n"
      "\n"
      "La convention prevoit aussi la formation des infirmieres du service\n"
      "de cardiologie de Saint-Omer au CHU, et des reunions de concertation\n"
      "pluridisciplinaire communes, tenues en visioconference deux fois par\n"
      "mois. Un bilan sera presente au comite de pilotage en fin d'annee.\n"
      "Les priorites :\n"
      "- la cardiologie ;\n"
      "- la rythmologie.\n";
  Document doc = Read("old.txt", wrapped);
  CHECK(doc.text ==
        "Le centre hospitalier de Saint-Omer et le CHU de Lille ont signe une convention de cooperation "
        "en cardiologie interventionnelle. Les deux etablissements partageront une equipe medicale et "
        "une astreinte de nuit, avec des consultations avancees organisees chaque semaine.\n\n"
        "La convention prevoit aussi la formation des infirmieres du service de cardiologie de "
        "Saint-Omer au CHU, et des reunions de concertation pluridisciplinaire communes, tenues en "
        "visioconference deux fois par mois. Un bilan sera presente au comite de pilotage en fin "
        "d'annee.\nLes priorites :\n- la cardiologie ;\n- la rythmologie.\n");
  CHECK(SourceOf(doc, wrapped, "convention de cooperation") == "convention de cooperation");

  // Lines of one paragraph each, even short ones, stay as they are.
  std::string seedlike = Fixture("article_utf8.txt");
  CHECK(Read("a.txt", seedlike).text == seedlike);
}

// ---- HTML --------------------------------------------------------------------

TEST_CASE("an HTML page gives its article only, one block per line", "[reader]") {
  std::string bytes = Fixture("article.html");
  Document doc = Read("article.html", bytes);
  CHECK(doc.format == "html");
  CHECK(doc.title == "Vierzon et Bourges : une convention pour l’imagerie médicale");
  CHECK(doc.published == "2022-03-14T09:15");
  CHECK(doc.text ==
        "Vierzon et Bourges\u00A0: une convention pour l’imagerie médicale\n"
        "14 mars 2022 à 9h15 par la rédaction\n"
        "Le centre hospitalier de Vierzon et le centre hospitalier Jacques Cœur de Bourges ont signé "
        "le 10 mars 2022 une convention de coopération en imagerie médicale. L’objectif\u00A0: réduire "
        "les délais d’accès au scanner et à l’IRM pour les patients du nord du Cher.\n"
        "Concrètement, deux radiologues de Bourges assureront chaque semaine des vacations à Vierzon, "
        "et les examens seront interprétés à distance grâce à la télé-imagerie. «\u00A0Nous mettons en "
        "œuvre une véritable équipe territoriale\u00A0», souligne la direction commune des deux "
        "établissements.\n"
        "La convention couvre trois volets\u00A0:\n"
        "– la permanence des soins en radiologie, la nuit et le week-end\u00A0;\n"
        "– le partage des images sur une plateforme régionale\u00A0;\n"
        "– des protocoles communs pour les urgences…\n"
        "Quatre manipulateurs en électroradiologie seront formés d’ici l’été. Un premier bilan sera "
        "présenté en fin d’année au comité de pilotage du groupement hospitalier de territoire du Cher.");
  // Entities map to the reference they were read from, text to itself.
  CHECK(SourceOf(doc, bytes, "Cœur") == "C&oelig;ur");
  CHECK(SourceOf(doc, bytes, "l’imagerie") == "l&rsquo;imagerie");
  CHECK(SourceOf(doc, bytes, "Quatre manipulateurs") == "Quatre manipulateurs");
  // A newline inside a paragraph of the source became a space of the text.
  CHECK(SourceOf(doc, bytes, "signé le") == "signé\n        le");
}

// Random pages built from the pieces that trip a text aligner: entities,
// inline tags, attributes holding '>', comments, scripts with markup inside,
// whitespace runs. Every byte the map calls a copy must be that source byte.
TEST_CASE("HTML text maps back to the source on random pages", "[reader]") {
  std::mt19937 rng(42);
  const std::vector<std::string> words = {"hôpital", "CHU", "coopération", "Saint‐Étienne", "l’équipe",
                                          "soins", "œuvre", "2021", "«", "»", "—", "&amp;", "&eacute;t&eacute;",
                                          "&#8217;", "&#x2013;", "&nbsp;", "&lt;b&gt;", "a&b", "x < y"};
  const std::vector<std::string> open_inline = {"<b>", "<i class=\"a>b\">", "<a href='/x?a=1&b=2'>", "<span>"};
  const std::vector<std::string> close_inline = {"</b>", "</i>", "</a>", "</span>"};
  const std::vector<std::string> between = {"<!-- note > fin -->", "<script>if (a<b) { x = '</p>'; }</script>",
                                            "<style>p > a { }</style>", "\n  ", "<br>", "<img alt=\"x > y\">"};
  for (int round = 0; round < 60; ++round) {
    std::string html = "<html><body>";
    for (int block = 0; block < 1 + static_cast<int>(rng() % 6); ++block) {
      html += rng() % 2 ? "<p>" : "<div>";
      for (int w = 0; w < 3 + static_cast<int>(rng() % 15); ++w) {
        size_t kind = rng() % 10;
        if (kind == 0) {
          size_t k = rng() % open_inline.size();
          html += open_inline[k] + words[rng() % words.size()] + close_inline[k];
        } else if (kind == 1) {
          html += between[rng() % between.size()];
        } else {
          html += words[rng() % words.size()];
        }
        html += rng() % 4 ? " " : "\n\t ";
      }
      html += "</p></div>\n";
    }
    html += "</body></html>";
    auto doc = ReadDocument("r.html", html);
    if (!doc.ok()) continue;  // only scripts and comments: no text
    const Document& d = doc.value();
    INFO(html);
    for (const auto& p : d.to_source.pieces()) {
      if (p.dst_len != p.src_len) continue;
      REQUIRE(p.src + p.src_len <= html.size());
      for (size_t k = 0; k < p.dst_len; ++k) {
        char t = d.text[p.dst + k], o = html[p.src + k];
        if (t == o || (t == ' ' && std::isspace(static_cast<unsigned char>(o)))) continue;
        FAIL("text byte " << p.dst + k << " '" << t << "' maps to source byte " << p.src + k << " '" << o << "'");
      }
    }
    // Nothing from scripts, styles or comments.
    CHECK(d.text.find("if (a<b)") == std::string::npos);
    CHECK(d.text.find("note >") == std::string::npos);
  }
}

TEST_CASE("HTML chrome: menus, sidebars, hidden and scripted content are dropped", "[reader]") {
  std::string html =
      "<html><head><title>Page</title><script>var x = '<p>pas du texte</p>';</script></head><body>"
      "<div class=\"nav-main\"><a>Accueil</a></div>"
      "<div id=\"cookie-banner\">Ce site utilise des cookies.</div>"
      "<p>Premier paragraphe sur le CHU de Nîmes.</p>"
      "<div style=\"display: none\">Texte caché</div>"
      "<p hidden>Texte masqué</p><span aria-hidden=\"true\">icône</span>"
      "<div role=\"complementary\">Encadré</div>"
      "<noscript>Activez JavaScript</noscript>"
      "<p>Second <strong>paragraphe</strong>, avec <a href=\"#\">un lien</a>.</p>"
      "<section class=\"comments\"><p>Un commentaire de lecteur.</p></section>"
      "<footer>Pied de page</footer></body></html>";
  Document doc = Read("p.html", html);
  CHECK(doc.text == "Premier paragraphe sur le CHU de Nîmes.\nSecond paragraphe, avec un lien.");
  CHECK(doc.title == "Page");
}

TEST_CASE("a blog post page: theme chrome, sharing and related-post plugins, comment form", "[reader]") {
  Document doc = Read("blog_post.html", Fixture("blog_post.html"));
  CHECK(doc.title == "Le CH de Fougères rejoint le GHT");
  CHECK(doc.published == "2019-10-02T08:12");
  CHECK(doc.text ==
        "Le CH de Fougères rejoint le GHT\n"
        "Publié le 2 octobre 2019 par Rédaction\n"
        "Le centre hospitalier de Fougères a rejoint le groupement hospitalier de territoire "
        "Haute-Bretagne, dont l’établissement support est le CHU de Rennes.\n"
        "Cette adhésion permettra de partager la filière de cardiologie et d’organiser des "
        "consultations avancées.");
}

TEST_CASE("HTML: header classes are chrome outside the article only", "[reader]") {
  std::string html =
      "<body><div class=\"site-header\"><span class=\"site-logo\">Le Journal</span></div>"
      "<div id=\"top-banner\">Abonnez-vous</div>"
      "<article><div class=\"entry-header\"><h1>Le CH de Dax et le CHU de Bordeaux</h1></div>"
      "<p>Le centre hospitalier de Dax et le CHU de Bordeaux mutualisent leur pharmacie.</p></article></body>";
  CHECK(Read("h.html", html).text ==
        "Le CH de Dax et le CHU de Bordeaux\nLe centre hospitalier de Dax et le CHU de Bordeaux mutualisent "
        "leur pharmacie.");
  // Without an article, the page body minus its header block.
  std::string plain = "<body><div class=\"header\">Le Journal</div><p>Texte de la page.</p></body>";
  CHECK(Read("p.html", plain).text == "Texte de la page.");
}

TEST_CASE("HTML: main wins, else the largest article, with an h1 placed before it", "[reader]") {
  std::string with_main =
      "<body><p>Bandeau du site</p><main><p>Texte principal du CHU de Reims.</p></main>"
      "<p>Autre chose</p></body>";
  CHECK(Read("m.html", with_main).text == "Texte principal du CHU de Reims.");

  std::string with_articles =
      "<body><h1>Le CHU de Reims et le CH de Charleville signent</h1>"
      "<article><p>Court résumé.</p></article>"
      "<article><p>Le CHU de Reims et le centre hospitalier de Charleville-Mézières ont signé une "
      "convention de coopération en neurologie, avec des consultations avancées.</p>"
      "<p>Un neurologue se rendra deux jours par semaine à Charleville.</p></article></body>";
  Document doc = Read("a.html", with_articles);
  CHECK(doc.text ==
        "Le CHU de Reims et le CH de Charleville signent\n"
        "Le CHU de Reims et le centre hospitalier de Charleville-Mézières ont signé une convention "
        "de coopération en neurologie, avec des consultations avancées.\n"
        "Un neurologue se rendra deux jours par semaine à Charleville.");
  CHECK(doc.title == "Le CHU de Reims et le CH de Charleville signent");
}

TEST_CASE("HTML: headings, list items, table cells, br and pre make lines", "[reader]") {
  std::string html =
      "<body><h2>Les  sites</h2><ul><li>Reims</li><li>Épernay</li></ul>"
      "<table><tr><th>Site</th><td>Lits</td></tr><tr><td>Reims</td><td>1 200</td></tr></table>"
      "<p>Ligne un<br>Ligne deux<br/>Ligne trois</p>"
      "<pre>Bloc\npréformaté</pre><p>Fin.</p></body>";
  CHECK(Read("t.html", html).text ==
        "Les sites\nReims\nÉpernay\nSite\nLits\nReims\n1 200\nLigne un\nLigne deux\nLigne trois\n"
        "Bloc\npréformaté\nFin.");
}

TEST_CASE("HTML: broken markup is recovered, literal < and & kept", "[reader]") {
  std::string html = "<body><p>Le CHU de Metz <b>et le CH de Thionville<p>Deux établissements & "
                     "un GHT < 3 ans<div>Fin";
  Document doc = Read("b.html", html);
  CHECK(doc.text == "Le CHU de Metz et le CH de Thionville\nDeux établissements & un GHT < 3 ans\nFin");
  CHECK(SourceOf(doc, html, "Thionville") == "Thionville");
  CHECK(SourceOf(doc, html, "Fin") == "Fin");
}

TEST_CASE("HTML: declared legacy charset and metadata fallbacks", "[reader]") {
  std::string html =
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
      "<title>Coop\xE9ration \xE0 Laval | Le site</title></head>"
      "<body><h1>Coop\xE9ration \xE0 Laval</h1><p><time datetime=\"2019-06-02\">2 juin</time></p>"
      "<p>Le centre hospitalier de Laval et le CHU d\x92\x41ngers.</p></body></html>";
  Document doc = Read("l.html", html);
  CHECK(doc.encoding == "windows-1252");
  CHECK(doc.title == "Coopération à Laval");  // the h1 the <title> contains
  CHECK(doc.published == "2019-06-02");
  CHECK(doc.text == "Coopération à Laval\n2 juin\nLe centre hospitalier de Laval et le CHU d’Angers.");
  CHECK(SourceOf(doc, html, "d’Angers") == "d\x92\x41ngers");
}

TEST_CASE("HTML: JSON-LD metadata when there is no meta tag", "[reader]") {
  std::string html =
      "<html><head><title>Accueil | Site</title><script type=\"application/ld+json\">"
      "{\"@type\": \"NewsArticle\", \"headline\": \"Le CH de Cholet rejoint le GHT\",\n"
      " \"datePublished\" : \"2023-01-17T08:00:00+01:00\", \"dateModified\": \"2023-01-18\"}"
      "</script></head><body><p>Le centre hospitalier de Cholet rejoint le groupement.</p></body></html>";
  Document doc = Read("j.html", html);
  CHECK(doc.title == "Le CH de Cholet rejoint le GHT");
  CHECK(doc.published == "2023-01-17T08:00");
  CHECK(doc.text == "Le centre hospitalier de Cholet rejoint le groupement.");
}

TEST_CASE("a page with no text is a user error", "[reader]") {
  auto doc = ReadDocument("vide.html", "<html><head><title>Vide</title></head><body><nav>Menu</nav></body></html>");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message() == "no article text in this HTML page");
}

// ---- XML -----------------------------------------------------------------------

TEST_CASE("TEI: title and date from the header, text from the body without notes", "[reader]") {
  std::string bytes = Fixture("article_tei.xml");
  Document doc = Read("article.xml", bytes);
  CHECK(doc.format == "tei");
  CHECK(doc.title == "Vierzon et Bourges : une convention pour l’imagerie médicale");
  CHECK(doc.published == "2022-03-14T09:15");
  CHECK(doc.text ==
        "Vierzon et Bourges : une convention pour l’imagerie médicale\n"
        "Le centre hospitalier de Vierzon et le centre hospitalier Jacques Cœur de Bourges ont signé "
        "le 10 mars 2022 une convention de coopération en imagerie médicale.\n"
        "Deux radiologues de Bourges assureront des vacations à Vierzon dès le printemps.\n"
        "la permanence des soins en radiologie ;\n"
        "le partage des images & des comptes rendus.");
  CHECK(SourceOf(doc, bytes, "images & des") == "images &amp; des");
  CHECK(SourceOf(doc, bytes, "Jacques Cœur") == "Jacques Cœur");
}

TEST_CASE("TEI line and page beginnings separate words unless break=no", "[reader]") {
  std::string tei =
      "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>"
      "<p>Le centre hospita<lb break=\"no\"/>lier de Laon<lb/>et le CHU d'Amiens<pb n=\"2\"/>coopèrent.</p>"
      "</body></text></TEI>";
  CHECK(Read("lb.xml", tei).text == "Le centre hospitalier de Laon et le CHU d'Amiens coopèrent.");
}

TEST_CASE("other XML: all text in order, inline markup joined, CDATA kept", "[reader]") {
  std::string bytes = Fixture("plain.xml");  // declares and uses ISO-8859-1
  Document doc = Read("plain.xml", bytes);
  CHECK(doc.format == "xml");
  CHECK(doc.encoding == "windows-1252");
  CHECK(doc.title == "Coopération entre Vierzon et Bourges");
  CHECK(doc.published == "2022-03-14");
  CHECK(doc.text ==
        "Coopération entre Vierzon et Bourges\n2022-03-14\n"
        "Les deux hôpitaux signent une convention d'imagerie.\n"
        "Les vacations débuteront au printemps <2022>.");
  CHECK(SourceOf(doc, bytes, "printemps <2022>") == "printemps <2022>");
  CHECK(SourceOf(doc, bytes, "hôpitaux") == "h\xF4pitaux");
}

TEST_CASE("XML external entities are never read", "[reader]") {
  // The fixture points at /etc/passwd and at a DTD on the network.
  Document fixture = Read("xxe.xml", Fixture("xxe.xml"));
  CHECK(fixture.text == "Début du communiqué.\nContenu : fin.");
  CHECK(fixture.text.find("root") == std::string::npos);

  // A file of our own, so the test does not depend on the machine.
  test::TempDir dir;
  std::string secret = "jeton-secret-7f3a9c";
  { std::ofstream(dir / "secret.txt") << secret << "\n"; }
  std::string path = (dir / "secret.txt").string();
  for (std::string declaration : {"<!ENTITY s SYSTEM \"file://" + path + "\">",
                                  "<!ENTITY s SYSTEM \"" + path + "\">",
                                  "<!ENTITY % p SYSTEM \"file://" + path + "\"> %p;"}) {
    std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [\n" + declaration +
                      "\n]>\n<doc><p>Avant &s; après.</p></doc>\n";
    auto doc = ReadDocument("x.xml", xml);
    INFO(declaration);
    REQUIRE(doc.ok());
    CHECK(doc.value().text.find(secret) == std::string::npos);
    CHECK(doc.value().text == "Avant après.");
    REQUIRE_FALSE(doc.value().warnings.empty());
    CHECK(doc.value().warnings[0].find("left unexpanded") != std::string::npos);
  }
  // An external DTD is not loaded either.
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE doc SYSTEM \"file://" + path +
                    "\">\n<doc><p>Texte &amp; suite.</p></doc>";
  CHECK(Read("d.xml", xml).text == "Texte & suite.");
}

TEST_CASE("an entity expansion bomb does not expand", "[reader]") {
  auto start = std::chrono::steady_clock::now();
  Document doc = Read("billion_laughs.xml", Fixture("billion_laughs.xml"));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 2.0);
  CHECK(doc.text == "Avant la bombe.\nAprès la bombe.");
  CHECK(doc.text.find("rire") == std::string::npos);
}

TEST_CASE("malformed XML: recovered text with a warning, or an error", "[reader]") {
  Document doc = Read("m.xml", "<?xml version=\"1.0\"?><doc><p>Le CHU de Brest</p><p>et le CH de Morlaix</doc>");
  CHECK(doc.text.find("Le CHU de Brest") != std::string::npos);
  REQUIRE_FALSE(doc.warnings.empty());
  CHECK(doc.warnings.back().find("not well-formed") != std::string::npos);

  auto bad = ReadDocument("b.xml", "<?xml version=\"1.0\"?><doc");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::kUserError);
}

// ---- encoding helpers -----------------------------------------------------------

TEST_CASE("DeclaredCharset reads meta and XML declarations", "[reader]") {
  CHECK(DeclaredCharset("<html><head><meta charset=\"windows-1252\">") == "windows-1252");
  CHECK(DeclaredCharset("<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-15'>") ==
        "ISO-8859-15");
  CHECK(DeclaredCharset("<?xml version=\"1.0\" encoding='latin1'?><a/>") == "latin1");
  CHECK(DeclaredCharset("<html><body>charset=utf-8 in text</body>") == "");
  CHECK(BinarySignature("Mzab est une vallée").empty());  // "MZ" needs binary bytes nearby
  CHECK(BinarySignature(std::string("MZ\x90\0\x03\0", 6)) == "Windows executable");
}

TEST_CASE("Sha256Hex", "[reader]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace coopkb
