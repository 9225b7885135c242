// The cleaning stage: every normalization, repair and removal rule, with
// snippets where it applies and snippets where nothing may change; the map back
// to the source; the five seed documents of corpus/; one article read from four
// encodings and from a web page.
#include <cctype>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "pipeline/cleaner.h"
#include "pipeline/reader.h"
#include "pipeline/segmenter.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

const Cleaner& DefaultCleaner() {
  static const Cleaner cleaner = [] {
    auto c = Cleaner::Create(test::DefaultLexicons());
    REQUIRE(c.ok());
    return std::move(c).value();
  }();
  return cleaner;
}

Document Clean(const std::string& text) {
  Document doc;
  doc.text = text;
  DefaultCleaner().Clean(doc);
  return doc;
}

std::string CleanText(const std::string& text) { return Clean(text).text; }

Document ReadAndClean(const std::string& source, const std::string& bytes) {
  auto doc = ReadDocument(source, bytes);
  INFO(source << ": " << doc.status().message());
  REQUIRE(doc.ok());
  DefaultCleaner().Clean(doc.value());
  return std::move(doc).value();
}

std::vector<std::string> Rules(const Document& doc) {
  std::vector<std::string> rules;
  for (const Edit& e : doc.edits) rules.push_back(e.action + " " + e.rule);
  return rules;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Every byte of the cleaned text that a piece maps byte for byte is the same
// byte of the source, or a space standing for some whitespace there.
void CheckMapsBack(const Document& doc, const std::string& source) {
  for (const auto& p : doc.to_source.pieces()) {
    if (p.dst_len != p.src_len) continue;
    INFO("piece dst " << p.dst << " src " << p.src << " len " << p.dst_len);
    REQUIRE(p.src + p.src_len <= source.size());
    for (size_t k = 0; k < p.dst_len; ++k) {
      char t = doc.text[p.dst + k], o = source[p.src + k];
      if (t == o || (t == ' ' && std::isspace(static_cast<unsigned char>(o)))) continue;
      FAIL("text byte " << p.dst + k << " is not source byte " << p.src + k);
    }
  }
}

// A paragraph long enough to count as article text before a related marker.
const std::string kBody =
    "Le centre hospitalier de Dieppe et le CHU de Rouen ont signé une convention de coopération en "
    "cardiologie. Les cardiologues du CHU assureront des consultations avancées à Dieppe chaque "
    "semaine, et les patients seront adressés au CHU pour les actes de rythmologie.";

// ---- characters ---------------------------------------------------------------

TEST_CASE("clean text comes out unchanged, with no edit", "[cleaner]") {
  std::string text =
      "Le CHU d’Amiens coopère avec le CH d’Abbeville\u00A0: une convention « cadre » signée en 2021.\n"
      "Quel avenir pour l’hôpital de proximité ? La question reste ouverte.\n"
      "Les équipes hospitalo-universitaires de Saint‐Quentin y participent.";
  Document doc = Clean(text);
  CHECK(doc.text == text);
  CHECK(doc.edits.empty());
  CHECK(doc.to_source.ToSource(20) == 20);
}

TEST_CASE("lines and whitespace are normalized, control characters dropped", "[cleaner]") {
  std::string text =
      "  Titre\t de  l'article \r\n\r\n\r\nPremier\u00A0\u00A0paragraphe\x01 avec\u00A0espace "
      "insécable.  \rSecond\u2028Troisième\n\n\n   \n";
  Document doc = Clean(text);
  CHECK(doc.text ==
        "Titre de l'article\nPremier paragraphe avec espace insécable.\nSecond\nTroisième");
  // A lone no-break space stays where typography wants it.
  std::string typography = "Objectif\u00A0: 600\u202F000 patients, «\u00A0G4\u00A0» et 12\u00A0% de plus\u00A0!";
  CHECK(CleanText(typography) == typography);
  CheckMapsBack(doc, text);
  size_t at = doc.text.find("Second");
  CHECK(text.compare(doc.to_source.ToSource(at), 6, "Second") == 0);
}

TEST_CASE("a soft hyphen, zero-width space or BOM vanishes; a C1 control becomes its windows-1252 character",
          "[cleaner]") {
  CHECK(CleanText("hospi\u00ADtalier\u200B et\uFEFF universitaire") == "hospitalier et universitaire");
  CHECK(CleanText("l\u0092hôpital \u0085 la \u0096 fin") == "l’hôpital … la – fin");
}

TEST_CASE("text is put in NFC", "[cleaner]") {
  std::string decomposed = "Le CHU de Besanc\u0327on et l'hopital de Ve\u0301soul";
  Document doc = Clean(decomposed);
  CHECK(doc.text == "Le CHU de Besançon et l'hopital de Vésoul");
  size_t at = doc.text.find("Vésoul");
  CHECK(doc.to_source.ToSource(at) == decomposed.find("Ve\u0301soul"));
  CHECK(doc.to_source.EndToSource(doc.text.size()) == decomposed.size());
}

// ---- mojibake -------------------------------------------------------------------

TEST_CASE("double-encoded UTF-8 is undone for a whole text", "[cleaner]") {
  std::string broken = "La coopÃ©ration entre lâ€™hÃ´pital de Sens et le CHU de Dijon Â« renforcÃ©e Â».";
  Document doc = Clean(broken);
  CHECK(doc.text == "La coopération entre l’hôpital de Sens et le CHU de Dijon « renforcée ».");
  CHECK(Rules(doc) == std::vector<std::string>{"repaired mojibake:whole_text"});
  size_t at = doc.text.find("hôpital");
  std::string source_word = "hÃ´pital";
  CHECK(broken.compare(doc.to_source.ToSource(at), source_word.size(), source_word) == 0);
}

TEST_CASE("listed mojibake sequences are repaired inside otherwise good text", "[cleaner]") {
  // The genuine "é" in "Médecine" makes the whole-text repair impossible.
  Document doc = Clean("Médecine : la coopÃ©ration de lâ€™Ã©quipe du CHU.");
  CHECK(doc.text == "Médecine : la coopération de l’équipe du CHU.");
  CHECK(Rules(doc) == std::vector<std::string>{"repaired mojibake", "repaired mojibake", "repaired mojibake"});
  REQUIRE(doc.edits.size() == 3);
  CHECK(doc.edits[1].before.find("lâ€™") != std::string::npos);
  CHECK(doc.edits[1].after.find("l’") != std::string::npos);
}

TEST_CASE("mojibake read as Latin-1, and à whose no-break space became a space", "[cleaner]") {
  // "’" double-encoded then read as Latin-1: a C1 control stands for "€".
  CHECK(CleanText("L\u00E9quipe : l\u00E2\u0080\u0099h\u00C3\u00B4pital de Sens coop\u00C3\u00A8re.") ==
        "Léquipe : l’hôpital de Sens coopère.");
  CHECK(CleanText("Médecins : il participe Ã\u00A0 la réunion et Ã la formation.") ==
        "Médecins : il participe à la réunion et à la formation.");
}

TEST_CASE("French text that merely contains Â or Ã is left alone", "[cleaner]") {
  CHECK(CleanText("ÂGE MOYEN DES PATIENTS : 67 ANS, selon le CHU de Tours.") ==
        "ÂGE MOYEN DES PATIENTS : 67 ANS, selon le CHU de Tours.");
  CHECK(CleanText("Une délégation de São Paulo a visité le CHU de Nantes.") ==
        "Une délégation de São Paulo a visité le CHU de Nantes.");
}

// ---- lost characters ------------------------------------------------------------------

TEST_CASE("a lost oe is put back in known words", "[cleaner]") {
  Document doc = Clean("La mise en ?uvre du projet tient à c?ur aux s?urs de la man?uvre. ?UVRE.");
  CHECK(doc.text == "La mise en œuvre du projet tient à cœur aux sœurs de la manœuvre. ŒUVRE.");
  for (const Edit& e : doc.edits) CHECK(e.rule == "lost_char:oe");
  // Not a known oe word: left as it is.
  CHECK(CleanText("Le Dr Ma?ga, la ville de K?ln.") == "Le Dr Ma?ga, la ville de K?ln.");
}

TEST_CASE("a lost apostrophe after an elided word", "[cleaner]") {
  CHECK(CleanText("Depuis l?ouverture, qu?il s?agisse d?Arras ou jusqu?à Lens, aujourd?hui.") ==
        "Depuis l’ouverture, qu’il s’agisse d’Arras ou jusqu’à Lens, aujourd’hui.");
}

TEST_CASE("a pair of lost quotes around words becomes « »", "[cleaner]") {
  Document doc = Clean("Le programme ?Périnat? et le label de ?centre expert ? sont reconduits.");
  CHECK(doc.text == "Le programme «Périnat» et le label de «centre expert » sont reconduits.");
  CHECK(Count(doc.text, "?") == 0);
  // An opening without a closing one is left as found.
  CHECK(CleanText("Le projet ?Alpha se poursuit.") == "Le projet ?Alpha se poursuit.");
}

TEST_CASE("a lost dash between capitalized words, only where characters were lost", "[cleaner]") {
  // Two in a row show the pattern.
  CHECK(CleanText("Le syndicat inter-hospitalier Lille ? Roubaix ? Tourcoing.") ==
        "Le syndicat inter-hospitalier Lille – Roubaix – Tourcoing.");
  // One, with other lost characters in the text.
  CHECK(CleanText("La région Nord ? Pas de Calais et l?Artois.") == "La région Nord – Pas de Calais et l’Artois.");
  // One alone: maybe a question followed by a sentence.
  CHECK(CleanText("Qui finance la maternité de Lens ? Personne ne le sait.") ==
        "Qui finance la maternité de Lens ? Personne ne le sait.");
  // Even with lost characters around, a sentence starter after "?" keeps it.
  CHECK(CleanText("Faut-il fermer Lens ? Le ministre répond à l?ARS.") ==
        "Faut-il fermer Lens ? Le ministre répond à l’ARS.");
  // A list bullet lost at the start of a line.
  CHECK(CleanText("Les projets d?avenir :\n? avec Arras\n? avec Lens") ==
        "Les projets d’avenir :\n– avec Arras\n– avec Lens");
}

TEST_CASE("a lost hyphen after a compound prefix, and a wrapped compound joined", "[cleaner]") {
  CHECK(CleanText("Des pôles hospitalo ? universitaires et médico ? sociaux.") ==
        "Des pôles hospitalo-universitaires et médico-sociaux.");
  Document doc = Clean("Les pôles hospitalo- universitaires de partage régional.");
  CHECK(doc.text == "Les pôles hospitalo-universitaires de partage régional.");
  CHECK(Rules(doc) == std::vector<std::string>{"repaired hyphen_space"});
  // A suspended hyphen is French typography, not a wrapped word.
  CHECK(CleanText("Les soins pré- et post-opératoires, inter- ou intra-hospitaliers.") ==
        "Les soins pré- et post-opératoires, inter- ou intra-hospitaliers.");
  CHECK(CleanText("Une prise en charge médico ? et la suite ?") == "Une prise en charge médico ? et la suite ?");
}

TEST_CASE("real question marks stay", "[cleaner]") {
  std::string text =
      "Quel avenir pour l’hôpital de Morlaix ? Les élus s’interrogent.\n"
      "« Pourquoi fermer ? » demande le maire. Et après ?";
  CHECK(CleanText(text) == text);
}

// ---- removals ----------------------------------------------------------------------

TEST_CASE("site chrome lines are removed wherever they stand", "[cleaner]") {
  std::string text =
      "Rechercher\nFermer ce champ de recherche.\nAuteur\u00A0/Etablissement :\nTitre de l'article\n"
      "Partager cet article sur LinkedIn\nFacebook Twitter LinkedIn E-mail\nImprimer\n"
      "Crédit : Photo d'illustration\n© Photo CHU de Caen\nTemps de lecture : 3 min\n"
      "Ce site utilise des cookies pour mesurer l'audience. En poursuivant, vous acceptez leur usage.\n"
      "Le CHU de Caen et le CH de Bayeux mutualisent leur pharmacie.\nMentions légales\nVous êtes ici : Accueil > Actualités";
  Document doc = Clean(text);
  CHECK(doc.text == "Titre de l'article\nLe CHU de Caen et le CH de Bayeux mutualisent leur pharmacie.");
  CHECK(Rules(doc) == std::vector<std::string>{
                          "removed chrome:search_box", "removed chrome:search_box",
                          "removed chrome:empty_field_label", "removed chrome:share", "removed chrome:share",
                          "removed chrome:print", "removed chrome:photo_credit", "removed chrome:photo_credit",
                          "removed chrome:reading_time", "removed chrome:cookie_banner",
                          "removed chrome:footer_link", "removed chrome:breadcrumb"});
  // Source offsets point at what was removed.
  const Edit& credit = doc.edits[6];
  CHECK(text.substr(credit.source_begin, credit.source_end - credit.source_begin) ==
        "Crédit : Photo d'illustration\n");
  CHECK(credit.before == "Crédit : Photo d'illustration");
}

// Patterns that start with "any text" are matched apart from the others
// (ParagraphFilter); they must still see the whole line and its length limit.
TEST_CASE("chrome patterns that start with any text match whole lines only", "[cleaner]") {
  std::string text =
      "Hospimedia 2025 - Tous droits réservés\n"
      "Le CHU de Reims et le CH d'Épernay partagent une équipe de cardiologie.\n"
      "Nous utilisons des cookies.\n"
      "Les droits réservés aux patients sont rappelés dans la convention signée par les deux hôpitaux.\n"
      "Les cookies de la cafétéria du CH d'Épernay ont été servis lors de la signature de la convention "
      "avec le CHU de Reims, qui a réuni les équipes des deux établissements, leurs directions, les "
      "représentants des usagers, les élus du territoire et la presse locale venue nombreuse pour "
      "l'occasion, dans une salle trop petite pour tout ce monde, ce qui a fait sourire chacun des "
      "invités présents, y compris le directeur général de l'agence régionale de santé.";
  Document doc = Clean(text);
  CHECK(Rules(doc) == std::vector<std::string>{"removed chrome:rights", "removed chrome:cookie_banner"});
  CHECK(doc.text.find("Les droits réservés aux patients") != std::string::npos);
  CHECK(doc.text.find("Les cookies de la cafétéria") != std::string::npos);  // over 400 characters
}

TEST_CASE("more chrome: social, paywall, comment form, breadcrumbs with guillemets", "[cleaner]") {
  std::string text =
      "Accueil » Actualités » Santé\nSuivez-nous sur Facebook et LinkedIn\nArticle réservé aux abonnés\n" +
      kBody + "\nLire la suite »\nVotre adresse e-mail ne sera pas publiée. Les champs obligatoires sont "
      "indiqués avec *\nTélécharger le communiqué de presse (PDF, 120 Ko)\nA+ A-\n"
      "https://www.chu-exemple.fr/actualites/convention-2021\nTweet J'aime\nFin de l'article.";
  Document doc = Clean(text);
  CHECK(doc.text == kBody + "\nFin de l'article.");
  CHECK(Rules(doc) == std::vector<std::string>{"removed chrome:breadcrumb", "removed chrome:social",
                                               "removed chrome:paywall", "removed chrome:read_more",
                                               "removed chrome:comment_form", "removed chrome:download",
                                               "removed chrome:navigation", "removed chrome:bare_link",
                                               "removed chrome:share"});
  // A link inside a sentence is text.
  std::string sentence = "Le programme est en ligne sur https://www.chu-exemple.fr/programme depuis lundi.";
  CHECK(CleanText(sentence) == sentence);
}

TEST_CASE("article sentences that mention chrome words are kept", "[cleaner]") {
  std::string text =
      "La recherche clinique est au cœur de la convention entre les deux établissements.\n"
      "Les auteurs de l'étude, médecins au CHU de Brest, partagent leurs données.\n"
      "Le service de photo-thérapie du CHU est le premier de la région.\n"
      "Rechercher des donneurs reste la priorité du centre de greffe, explique le Pr Le Gall.\n"
      "Photo : le nouveau bâtiment du CHU de Brest a été inauguré en présence du ministre de la santé, "
      "des élus de la région et des équipes médicales qui y travailleront dès le mois de septembre prochain.";
  CHECK(CleanText(text) == text);
}

TEST_CASE("a related-content marker cuts the rest of the article", "[cleaner]") {
  for (std::string marker : {"Sur le même sujet", "À lire également", "Lire aussi :", "Articles similaires",
                             "Commentaires", "Dans la même rubrique", "Vous aimerez aussi", "3 commentaires",
                             "À lire aussi sur chu-exemple.fr", "Lire également dans notre dossier santé",
                             "Dans ce numéro également", "Au sommaire de ce numéro"}) {
    std::string text = "Titre\n" + kBody + "\n" + marker +
                       "\nLe CHU de Nantes ouvre un centre de simulation\nUn teaser d'un autre article.";
    Document doc = Clean(text);
    INFO(marker);
    CHECK(doc.text == "Titre\n" + kBody);
    REQUIRE(doc.edits.size() == 1);
    CHECK(doc.edits[0].rule.rfind("related:", 0) == 0);
    CHECK(doc.edits[0].source_end == text.size());
    CHECK(text.substr(doc.edits[0].source_begin, 1) == "\n");
  }
}

TEST_CASE("a marker above the article removes only itself; an in-text teaser only its line", "[cleaner]") {
  std::string top = "Lire aussi\n" + kBody + "\nSuite de l'article.";
  CHECK(CleanText(top) == kBody + "\nSuite de l'article.");
  std::string inline_teaser = kBody + "\nLire aussi : Les urgences de Dieppe sous tension\nSuite de l'article.";
  Document doc = Clean(inline_teaser);
  CHECK(doc.text == kBody + "\nSuite de l'article.");
  CHECK(Rules(doc) == std::vector<std::string>{"removed related:read_also_teaser"});
  // Marker words inside a sentence are text.
  std::string sentence = kBody + "\nLes commentaires des patients sur le même sujet sont positifs.";
  CHECK(CleanText(sentence) == sentence);
}

TEST_CASE("a repeated paragraph is kept once: the version with more words", "[cleaner]") {
  std::string lead =
      "Le CHU de Poitiers et le centre hospitalier de Niort ont signé une convention de coopération "
      "pour la chirurgie vasculaire et l'imagerie.";
  std::string body =
      "Le CHU de Poitiers et le centre hospitalier de Niort ont signé une convention de coopération "
      "pour la chirurgie vasculaire et l’imagerie. Elle prévoit des consultations avancées.";
  Document doc = Clean("Titre\n" + lead + "\n" + body + "\nSuite.");
  CHECK(doc.text == "Titre\n" + body + "\nSuite.");
  CHECK(Rules(doc) == std::vector<std::string>{"removed repeated_paragraph"});

  // Near copies with a few different words: the one with more words stays.
  std::string a = "Quatre hôpitaux publics, le CHU de Limoges – établissement de recours et de référence – "
                  "et les hôpitaux de Tulle, Guéret et Brive, ont signé une charte de coopération.";
  std::string b = "Quatre hôpitaux publics, le CHU de Limoges - établissement de recours de référence - "
                  "et les trois hôpitaux de Tulle, Guéret et Brive, ont signé une charte de coopération en 2019.";
  CHECK(CleanText(a + "\n" + b) == b);
  CHECK(CleanText(b + "\n" + a) == b);
  // An exact repeat.
  CHECK(CleanText(a + "\n" + a) == a);
  // A title printed twice in a row, with different apostrophes.
  CHECK(CleanText("Le CHU d'Angers et le CH de Cholet\nLe CHU d’Angers et le CH de Cholet\n" + body) ==
        "Le CHU d'Angers et le CH de Cholet\n" + body);
  // A dateline between the two copies does not hide the repeat.
  Document dated = Clean("Titre\n" + lead + "\n12 mars 2021\n" + body);
  CHECK(dated.text == "Titre\n12 mars 2021\n" + body);
  CHECK(dated.published == "2021-03-12");
}

TEST_CASE("different paragraphs, headings and short repeats are not repeats", "[cleaner]") {
  std::string text =
      "La coopération entre les deux établissements\n"
      "La coopération entre les deux établissements est ancienne et repose sur une convention signée en "
      "2009, renouvelée en 2015 puis en 2021 pour intégrer la télémédecine.\n"
      "Oui.\nOui.\nEn bref\nEn bref\n"
      "Le CHU de Tours assure les gardes de neurochirurgie pour le centre hospitalier de Blois.\n"
      "Le CHU de Tours assure les astreintes de cardiologie pour le centre hospitalier de Chinon.";
  CHECK(CleanText(text) == text);
  // Clauses of one shape share most word pairs, not their names and dates.
  std::string clauses =
      "VU la délibération du conseil de surveillance du centre hospitalier de Vesoul en date du 12 mai 2023 ;\n"
      "VU la délibération du conseil de surveillance du centre hospitalier de Gray en date du 15 mai 2023 ;\n"
      "VU l'avis du directeur général de l'agence régionale de santé ;";
  CHECK(CleanText(clauses) == clauses);
}

TEST_CASE("lines without a letter or digit are removed", "[cleaner]") {
  Document doc = Clean(kBody + "\n}\n* * *\n— « » —\n2021\nFin.");
  CHECK(doc.text == kBody + "\n2021\nFin.");
  CHECK(Rules(doc) == std::vector<std::string>{"removed lone_punctuation", "removed lone_punctuation",
                                               "removed lone_punctuation"});
}

TEST_CASE("a tail repeating the end of the paragraph is cut", "[cleaner]") {
  Document doc = Clean("Les systèmes d’information des deux régions (Emosys en Alsace et Santé en Lorraine)…"
                       "en Lorraine)…\nSuite.");
  CHECK(doc.text == "Les systèmes d’information des deux régions (Emosys en Alsace et Santé en Lorraine)…\nSuite.");
  CHECK(Rules(doc) == std::vector<std::string>{"removed repeated_tail"});
  // Natural repetitions are shorter or have no space.
  std::string text = "Le projet avance pas à pas, pas à pas.\nBora-Bora Bora-Bora.\nTrès, très, très bien.";
  CHECK(CleanText(text) == text);
}

// ---- metadata --------------------------------------------------------------------------

TEST_CASE("title from a first line that looks like one, date from a dateline kept in the text", "[cleaner]") {
  Document doc = Clean("Rechercher\nLe CHU de Rennes et le CH de Vitré renforcent leur coopération\n"
                       "3 février 2021 à 14h05 par la rédaction\n" + kBody);
  CHECK(doc.title == "Le CHU de Rennes et le CH de Vitré renforcent leur coopération");
  CHECK(doc.published == "2021-02-03T14:05");
  CHECK(doc.text.find("3 février 2021 à 14h05 par la rédaction") != std::string::npos);

  struct Case {
    std::string line, date;
  };
  std::vector<Case> cases = {
      {"Publié le 12/03/2021 à 09:30", "2021-03-12T09:30"},
      {"Mis à jour le mardi 1er juin 2021", "2021-06-01"},
      {"Le 9 nov. 2020", "2020-11-09"},
      {"15 septembre 2019 | Santé", "2019-09-15"},
      {"Le 2 novembre 2020, le CHU a signé la convention.", ""},
      {"31 février 2020", ""},
      // A press release's place before its date.
      {"Metz, le 4 avril 2022", "2022-04-04"},
      {"Bourg-en-Bresse, le 1er juillet 2019 à 10h", "2019-07-01T10:00"},
      {"Saint-Nazaire (44), le 15/01/2020", "2020-01-15"},
      {"Le CHU de Metz, le 4 avril 2022, a signé la convention.", ""},
      {"Par la rédaction | Mis à jour le 15 septembre 2022", "2022-09-15"},
      {"Par Jeanne Martin | 3 mars 2021 à 8h", "2021-03-03T08:00"},
      {"Par Jean-Paul Roux - 14.03.2024 à 18h05 - Mis à jour le 15/03/2024", "2024-03-14T18:05"},
      {"Rédaction \u2013 14 mars 2024", "2024-03-14"},
      {"Jeanne Martin | 2 mai 2023", "2023-05-02"},
      // A name of more than four words before the dash is no byline.
      {"Le CHU de Lille et le CH de Lens - 14 mars 2024", ""},
      {"Communiqué de presse \u2013 Metz, le 4 avril 2022", "2022-04-04"},
      {"Communiqué : Metz, le 4 avril 2022", "2022-04-04"},
      // The dateline opening a long first paragraph, cut at its dash.
      {"Metz, le 4 avril 2022 \u2013 Le centre hospitalier régional a présenté ce matin son projet "
       "d'établissement pour les cinq prochaines années, adopté par le conseil de surveillance.",
       "2022-04-04"},
      {"Le centre hospitalier régional a présenté le 4 avril 2022 son projet d'établissement \u2013 "
       "adopté par le conseil de surveillance pour les cinq prochaines années, après deux ans.",
       ""},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    CHECK(Clean("Titre de l'article\n" + c.line + "\n" + kBody).published == c.date);
  }
}

TEST_CASE("metadata already read from markup is not replaced", "[cleaner]") {
  Document doc;
  doc.text = "Un autre titre de ligne\n4 avril 2018\n" + kBody;
  doc.title = "Titre HTML";
  doc.published = "2018-04-03";
  DefaultCleaner().Clean(doc);
  CHECK(doc.title == "Titre HTML");
  CHECK(doc.published == "2018-04-03");
  // A first line that is a sentence is no title.
  CHECK(Clean(kBody + "\nSuite").title.empty());
}

TEST_CASE("cleaning rules come from the lexicons, and a bad override is an error", "[cleaner]") {
  test::TempDir dir;
  // The lexicons, then the cleaner, with this content for cleaning_chrome.tsv.
  auto lexicons_with = [&dir](const std::string& chrome_tsv) {
    std::ofstream(dir / "cleaning_chrome.tsv") << chrome_tsv;
    return Lexicons::Load(dir.path().string());
  };
  auto cleaner_with = [&lexicons_with](const std::string& chrome_tsv) {
    auto lex = lexicons_with(chrome_tsv);
    REQUIRE(lex.ok());
    return Cleaner::Create(lex.value());
  };

  auto cleaner = cleaner_with("# test\npattern\trule\tmax_chars?\nsuivez-nous sur .*\tfollow_us\n");
  REQUIRE(cleaner.ok());
  Document doc;
  doc.text = "Rechercher\nSuivez-nous sur Mastodon\n" + kBody;
  cleaner.value().Clean(doc);
  // "Rechercher" is no chrome for this lexicon; the new line is.
  CHECK(doc.text == "Rechercher\n" + kBody);
  CHECK(Rules(doc) == std::vector<std::string>{"removed chrome:follow_us"});

  auto bad = cleaner_with("pattern\trule\n(unbalanced\tbroken\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("cleaning_chrome.tsv:2") != std::string::npos);

  // A pattern that starts with any text is compiled apart: its error too names the line.
  auto bad_floating = cleaner_with("pattern\trule\nrechercher\tsearch\n.*(unbalanced\tbroken\n");
  REQUIRE_FALSE(bad_floating.ok());
  CHECK(bad_floating.status().message().find("cleaning_chrome.tsv:3") != std::string::npos);
  CHECK(bad_floating.status().message().find("missing )") != std::string::npos);

  // An override may leave an optional column out (max_chars: the default limit)...
  auto short_cleaner = cleaner_with("pattern\trule\nrechercher\tsearch\n");
  REQUIRE(short_cleaner.ok());
  Document searched;
  searched.text = "Rechercher\n" + kBody;
  short_cleaner.value().Clean(searched);
  CHECK(searched.text == kBody);
  // ...not a required one: that is an error of the file, at loading.
  auto no_rule = lexicons_with("pattern\nrechercher\n");
  REQUIRE_FALSE(no_rule.ok());
  CHECK(no_rule.status().message().find("cleaning_chrome.tsv: missing column 'rule'") != std::string::npos);
}

TEST_CASE("removal excerpts stay on one line", "[cleaner]") {
  Document doc = Clean("Titre\n" + kBody + "\nSur le même sujet\nAutre article\nSon résumé.");
  REQUIRE(doc.edits.size() == 1);
  CHECK(doc.edits[0].before == "Sur le même sujet \u00B6 Autre article \u00B6 Son résumé.");
}

// ---- whole documents -------------------------------------------------------------------

TEST_CASE("one article from four encodings and a web page cleans to the same text", "[cleaner]") {
  auto fixture = [](const std::string& name) {
    return test::ReadFile(test::SourceDir() / "tests/fixtures/ingest" / name);
  };
  std::string utf8_bytes = fixture("article_utf8.txt");
  Document utf8 = ReadAndClean("article_utf8.txt", utf8_bytes);
  CHECK(utf8.title == "Vierzon et Bourges\u00A0: une convention pour l’imagerie médicale");
  CHECK(utf8.published == "2022-03-14T09:15");
  CHECK(utf8.text.rfind("Vierzon et Bourges", 0) == 0);
  CHECK(utf8.text.find("Rechercher") == std::string::npos);
  CHECK(utf8.text.find("Partager") == std::string::npos);
  CHECK(utf8.text.find("Nevers") == std::string::npos);
  CHECK(utf8.text.find("comité de pilotage du groupement hospitalier de territoire du Cher.") != std::string::npos);
  CheckMapsBack(utf8, utf8_bytes);

  for (std::string name : {"article_cp1252.txt", "article_double_utf8.txt", "article_utf16.txt", "article.html"}) {
    std::string bytes = fixture(name);
    Document other = ReadAndClean(name, bytes);
    INFO(name);
    CHECK(other.text == utf8.text);
    CHECK(other.published == "2022-03-14T09:15");
    // (In UTF-16 a two-byte character maps to two bytes without being a copy.)
    if (name != "article_utf16.txt") CheckMapsBack(other, bytes);
    // The last paragraph maps back into the source, wherever its bytes are there.
    size_t at = other.text.find("Quatre manipulateurs");
    REQUIRE(at != std::string::npos);
    size_t src = other.to_source.ToSource(at);
    REQUIRE(src < bytes.size());
    if (name != "article_utf16.txt") CHECK(bytes.compare(src, 6, "Quatre") == 0);
  }
}

TEST_CASE("reading, cleaning and segmenting run on several threads at once", "[cleaner][reader]") {
  auto segmenter = Segmenter::Create(test::DefaultLexicons());
  REQUIRE(segmenter.ok());
  std::vector<std::pair<std::string, std::string>> inputs;
  for (std::string name : {"article.html", "article_cp1252.txt", "article_tei.xml", "article_utf16.txt"}) {
    inputs.emplace_back(name, test::ReadFile(test::SourceDir() / "tests/fixtures/ingest" / name));
  }
  auto run = [&](const std::pair<std::string, std::string>& in) {
    auto doc = ReadDocument(in.first, in.second);
    if (!doc.ok()) return std::string("error");
    DefaultCleaner().Clean(doc.value());
    segmenter.value().Segment(doc.value());
    return doc.value().text + "|" + std::to_string(doc.value().sentences.size());
  };
  std::vector<std::string> expected;
  for (const auto& in : inputs) expected.push_back(run(in));
  std::vector<std::string> got(4 * inputs.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t k = 0; k < inputs.size(); ++k) got[t * inputs.size() + k] = run(inputs[k]);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == expected[i % inputs.size()]);
}

struct Seed {
  std::string file;
  std::vector<std::string> must_have;    // article text, including its last paragraph
  std::string last_words;                // how the cleaned text ends
  std::vector<std::string> must_not;     // chrome and teasers of other articles
  std::string lead;                      // printed twice in the file, once after cleaning
  std::string title, published;
};

const std::vector<Seed>& Seeds() {
  static const std::vector<Seed> seeds = {
      {"000_4b1393cdf8af512f.txt",
       {"Formalisée depuis 2009", "Greffe hépatique : tous les patients Bourguignons",
        "La Fondation de Coopération Scientifique", "en avril 2010", "depuis juin 2010"},
       "(Emosist en Franche-Comté et e-Santé en Bourgogne)…",
       {"Rechercher", "Fermer ce champ", "Auteur", "Sur le même sujet", "Akladios", "chirurgie robotique",
        "diabète", "CECOS", "he-Comté et e-Santé en Bourgogne)…he"},
       "Astreintes communes, mutualisation des compétences",
       "Besançon-Dijon : Extension du domaine des coopérations", ""},
      {"001_ba0069c7e0d068b0.txt",
       {"Syndicat Inter-Hospitalier Lille – Roubaix – Tourcoing", "«mise en réseau des maternités",
        "(«Périnat»)", "région Nord – Pas de Calais", "pôles hospitalo-universitaires de partage régional",
        "Clinique Lille-Sud", "le 22 janvier 2001", "l’information médicale, la gestion des archives"},
       "la qualité, l’informatique.",
       {"Rechercher", "Fermer ce champ", "Auteur", "Sur le même sujet", "Cancer de la grossesse", "Scully",
        "Conférence des doyens"},
       "Pour que l’offre de soins proposée aux habitants",
       "Lille : champion toutes catégories des coopérations", ""},
      {"002_527f1b3cf2cd7156.txt",
       {"9 novembre 2020 à 11h30 par la rédaction", "Depuis le 2 novembre 2020",
        "UN NOUVEAU SITE TRES MODERNE ET INNOVANT", "la mise en œuvre de ce projet"},
       "aux besoins de la population.",
       {"Crédit", "}"},
       "En réponse à la crise sanitaire",
       "Le CHU Dijon renforce sa coopération avec la Clinique Mutualiste Bénigne Joly", "2020-11-09T11:30"},
      {"003_e9ef0ab0e64de565.txt",
       {"il participe à la mise en œuvre d’une offre de soins", "Paraphée par Monsieur G. DUMONT",
        "en mars 2000", "en juillet 2000", "6 praticiens exercent"},
       "politique de coopération interhospitalière médicale.",
       {"Auteur", "lire également", "Chiens, poules", "Healthtech", "Akladios"},
       "En 2001, le Centre Hospitalier Régional Universitaire de LILLE",
       "Convention de partenariat avec le Centre Hospitalier d’Arras", ""},
      {"004_8607ba3521bd8ac6.txt",
       {"les trois hôpitaux généraux du Forez", "Charte de confiance et gouvernance partagée",
        "les 5 axes prioritaires", "dans 6 domaines"},
       "consolider les filières publiques de soins.",
       {"Commentaires", "pas encore de commentaire", "Sur le même sujet", "Fumagilline", "endométriose",
        "SAS"},
       "4 hôpitaux publics, le CHU de Saint",
       "Saint-Etienne : un partenariat public‐public gage de qualité pour les 600 000 patients ligériens", ""},
  };
  return seeds;
}

TEST_CASE("the five seeds: whole article, no teaser, no chrome, lead once, no lost '?'", "[cleaner]") {
  for (const Seed& seed : Seeds()) {
    std::string bytes = test::ReadFile(test::SourceDir() / "corpus" / seed.file);
    REQUIRE_FALSE(bytes.empty());
    Document doc = ReadAndClean(seed.file, bytes);
    INFO(seed.file << "\n" << doc.text);
    for (const std::string& s : seed.must_have) {
      INFO(s);
      CHECK(doc.text.find(s) != std::string::npos);
    }
    CHECK(doc.text.size() >= seed.last_words.size());
    CHECK(doc.text.compare(doc.text.size() - seed.last_words.size(), std::string::npos, seed.last_words) == 0);
    for (const std::string& s : seed.must_not) {
      INFO(s);
      CHECK(doc.text.find(s) == std::string::npos);
    }
    CHECK(Count(doc.text, seed.lead) == 1);
    CHECK(Count(doc.text, "?") == 0);
    CHECK(doc.text.find("\n\n") == std::string::npos);
    CHECK(doc.title == seed.title);
    CHECK(doc.published == seed.published);
    CheckMapsBack(doc, bytes);
  }
}

}  // namespace

TEST_CASE("a site's menu of short lines above the article is removed, headings below are kept", "[cleaner]") {
  Document doc = Clean("Journal des hôpitaux\nActualités\nCardiologie\nUrgences\nEmploi\n"
                       "Le CHU et le CH signent une convention de cardiologie\n" + kBody +
                       "\nLes spécialités concernées\nCardiologie\nPneumologie\nNeurologie\nFin de l'article.");
  CHECK(doc.text == "Le CHU et le CH signent une convention de cardiologie\n" + kBody +
                        "\nLes spécialités concernées\nCardiologie\nPneumologie\nNeurologie\nFin de l'article.");
  CHECK(doc.title == "Le CHU et le CH signent une convention de cardiologie");
  // Entries already removed as chrome ("Accueil") belong to the menu.
  CHECK(Clean("Accueil\nActualités\nSanté\n" + kBody).text == kBody);
  // A press release's header lines are not a menu.
  std::string header = "Communiqué de presse\nCHU de Rennes\nCentre hospitalier de Vitré\n";
  CHECK(Clean(header + kBody).text == header + kBody);
}

TEST_CASE("teasers set off by a period or a bullet, tag lists and comment counts are removed", "[cleaner]") {
  Document doc = Clean(kBody + "\nLIRE AUSSI. Le CH de Morlaix ouvre une unité de soins palliatifs\n"
                       "► À lire aussi : Quimper recrute vingt infirmiers\n"
                       "[Lire aussi] Le CH de Carhaix menacé\n"
                       "Fin de l'article.\nTags : santé, cardiologie, Brest\nCommentaires (3)\n"
                       "Le CHU de Rennes investit dix millions d'euros");
  CHECK(doc.text == kBody + "\nFin de l'article.");
}

}  // namespace coopkb
