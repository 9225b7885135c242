// Establishments: spans, resolution within and across documents, lexicon
// loading. The example corpus (extractors/establishments/corpus.tsv) covers
// the shapes of mentions; these tests cover what a corpus line cannot say.
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "extractors/establishments/establishment_extractor.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

Document Run(const std::string& text) {
  Document doc;
  doc.source = "test";
  doc.text = text;
  test::DefaultPipeline().Extract(doc);
  return doc;
}

std::vector<const Mention*> Mentions(const Document& doc) {
  std::vector<const Mention*> out;
  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kEstablishment) out.push_back(&m);
  }
  return out;
}

std::vector<std::string> MentionTexts(const Document& doc) {
  std::vector<std::string> out;
  for (const Mention* m : Mentions(doc)) out.emplace_back(doc.Text(m->span));
  return out;
}

const Establishment* Find(const Document& doc, const std::string& key) {
  for (const Establishment& e : doc.establishments) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("establishments: every alias of one CHU is one entity", "[establishments]") {
  Document doc = Run(
      "Le Centre Hospitalier Régional Universitaire de LILLE signe. Le CHRU de Lille "
      "confirme, et le CHU Lille publie le bilan.");
  REQUIRE(doc.establishments.size() == 1);
  const Establishment& e = doc.establishments[0];
  CHECK(e.key == "chu:lille");
  CHECK(e.name == "CHU de Lille");
  CHECK(e.kind == "CHU");
  CHECK(e.city == "Lille");
  CHECK(e.departement == "Nord");
  CHECK(e.region == "Hauts-de-France");
  auto mentions = Mentions(doc);
  REQUIRE(mentions.size() == 3);
  for (const Mention* m : mentions) {
    CHECK(m->entity == 0);
    CHECK(m->value == "CHU de Lille");
  }
  CHECK(MentionTexts(doc)[0] == "Centre Hospitalier Régional Universitaire de LILLE");
}

TEST_CASE("establishments: coordinated items span their own words", "[establishments]") {
  Document doc = Run("La coopération entre les CHU de Besançon et de Dijon progresse.");
  CHECK(MentionTexts(doc) == std::vector<std::string>{"CHU de Besançon", "de Dijon"});

  doc = Run("Les Centres Hospitaliers de Calais, Boulogne et Dunkerque partagent un projet.");
  CHECK(MentionTexts(doc) ==
        std::vector<std::string>{"Centres Hospitaliers de Calais", "Boulogne", "Dunkerque"});
  REQUIRE(doc.establishments.size() == 3);
  // A bare "Boulogne" among communes of the Pas-de-Calais and the Nord is Boulogne-sur-Mer.
  const Establishment* boulogne = Find(doc, "ch:boulogne-sur-mer");
  REQUIRE(boulogne != nullptr);
  CHECK(boulogne->name == "CH de Boulogne-sur-Mer");
  CHECK(boulogne->departement == "Pas-de-Calais");

  doc = Run("Les hôpitaux généraux du Forez, du Gier et Le Corbusier ont signé.");
  CHECK(MentionTexts(doc) ==
        std::vector<std::string>{"hôpitaux généraux du Forez", "du Gier", "Le Corbusier"});
  REQUIRE(doc.establishments.size() == 3);
  CHECK(doc.establishments[0].name == "CH du Forez");
  CHECK(doc.establishments[0].city.empty());  // a pays, not a commune: no city invented
  CHECK(doc.establishments[2].name == "CH Le Corbusier");
}

TEST_CASE("establishments: spans point at the text as written", "[establishments]") {
  std::string text = "Convention avec le Centre Hospitalier d’Arras, signée hier.";
  Document doc = Run(text);
  auto mentions = Mentions(doc);
  REQUIRE(mentions.size() == 1);
  CHECK(text.substr(mentions[0]->span.begin, mentions[0]->span.size()) ==
        "Centre Hospitalier d’Arras");
}

TEST_CASE("establishments: the same establishment gets the same key in two documents",
          "[establishments]") {
  struct Pair {
    const char* a;
    const char* b;
    const char* key;
  };
  for (const Pair& p : {
           Pair{"Le CH d'Arras recrute.", "Le Centre Hospitalier d’Arras recrute.", "ch:arras"},
           Pair{"La Clinique Mutualiste Bénigne Joly de Talant ouvre.",
                "La Clinique Bénigne Joly ouvre.", "clinique:benigne-joly"},
           Pair{"Le CHU Dijon Bourgogne opère.", "Le CHRU de Dijon opère.", "chu:dijon"},
           Pair{"Le CHU de Saint‐Etienne signe.", "Le CHU de SAINT-ÉTIENNE signe.",
                "chu:saint-etienne"},
           Pair{"L'hôpital de Lens recrute.", "Le CH de Lens recrute.", "ch:lens"},
       }) {
    INFO(p.a << " / " << p.b);
    Document a = Run(p.a), b = Run(p.b);
    REQUIRE(a.establishments.size() == 1);
    REQUIRE(b.establishments.size() == 1);
    CHECK(a.establishments[0].key == p.key);
    CHECK(b.establishments[0].key == p.key);
    CHECK(a.establishments[0].name == b.establishments[0].name);
  }
}

TEST_CASE("establishments: a later mention without city joins the located one",
          "[establishments]") {
  Document doc = Run(
      "La Clinique Bénigne Joly accueille les chirurgiens. La Clinique Mutualiste Bénigne Joly "
      "de Talant déménagera.");
  REQUIRE(doc.establishments.size() == 1);
  CHECK(doc.establishments[0].name == "Clinique Bénigne Joly");
  CHECK(doc.establishments[0].city == "Talant");
  CHECK(doc.establishments[0].departement == "Côte-d'Or");
  CHECK(Mentions(doc).size() == 2);
}

TEST_CASE("establishments: generic uses and other bodies give nothing", "[establishments]") {
  for (const char* text : {
           "Les deux CHU ont signé une convention avec l'ARS.",
           "La Conférence des Directeurs Généraux de CHU se réunit.",
           "Le GHT et le Groupement de Coopération Sanitaire du Grand Est coopèrent.",
           "L'Agence Régionale de l'Hospitalisation du Nord-Pas de Calais a signé.",
           "La Clinique de Chirurgie Digestive accueille des internes.",
       }) {
    INFO(text);
    Document doc = Run(text);
    CHECK(Mentions(doc).empty());
    CHECK(doc.establishments.empty());
  }
}

TEST_CASE("establishments: an edited lexicon adds a kind without recompiling",
          "[establishments]") {
  test::TempDir dir;
  std::string kinds = test::ReadFile(test::SourceDir() / "lexicons" / "establishment_kinds.tsv");
  kinds += "maison de santé\tsg\tAUTRE\tMaison de santé\tmsp\tname\tname\t-\t0\n";
  std::ofstream(dir / "establishment_kinds.tsv") << kinds;
  auto lexicons = Lexicons::Load(dir.path().string());
  REQUIRE(lexicons.ok());
  auto extractor = EstablishmentExtractor::Create(lexicons.value());
  REQUIRE(extractor.ok());
  Document doc;
  doc.text = "La maison de santé de Talant ouvre ses portes.";
  extractor.value()->Extract(doc);
  REQUIRE(doc.establishments.size() == 1);
  CHECK(doc.establishments[0].name == "Maison de santé de Talant");
  CHECK(doc.establishments[0].key == "msp:talant");
}

TEST_CASE("establishments: a malformed lexicon line is reported with its line",
          "[establishments]") {
  test::TempDir dir;
  std::ofstream(dir / "establishment_kinds.tsv")
      << "# test\nphrase\tnumber\tkind\tlabel\tkey\tafter_de\tjuxtaposed\tby_city\t"
         "min_population\tnamed_kind?\tnamed_label?\tnamed_key?\n"
         "CHU\tany\tCHU\tCHU\tchu\tname\tcity\tCHU|CHR\t0\n"
         "clinique\tmany\tCLINIQUE\tClinique\tclinique\tname\tname\t-\t0\n";
  auto lexicons = Lexicons::Load(dir.path().string());
  REQUIRE(lexicons.ok());
  auto extractor = EstablishmentExtractor::Create(lexicons.value());
  REQUIRE_FALSE(extractor.ok());
  CHECK_THAT(extractor.status().message(),
             Catch::Contains("establishment_kinds.tsv:4") && Catch::Contains("number"));
}


TEST_CASE("establishments: an acronym alone (\"le CHU\", \"du CHIC\") is the one of its kind the text means", "[establishments]") {
  Document one = Run("Le CHU de Poitiers ouvre une unité. Le CH de Niort est lié au CHU par convention.");
  CHECK(MentionTexts(one) == std::vector<std::string>{"CHU de Poitiers", "CH de Niort", "CHU"});
  REQUIRE(Mentions(one).size() == 3);
  CHECK(Mentions(one)[2]->entity == Mentions(one)[0]->entity);
  // With two CHU, or with none, the acronym alone names nothing.
  Document two = Run("Le CHU de Poitiers et le CHU de Limoges coopèrent. Au CHU, rien ne change.");
  CHECK(MentionTexts(two) == std::vector<std::string>{"CHU de Poitiers", "CHU de Limoges"});
  CHECK(Mentions(Run("Le CHU recrute. Le CH de Niort aussi.")).size() == 1);
  // Several CHU in the text: the one the paragraph names before the acronym,
  // else the one the text names most.
  Document brief = Run(
      "Le CHU de Rennes et le CHU de Brest publient leurs comptes.\n"
      "Le CHU de Brest et la clinique Pasteur partagent un scanner, installé au CHU.\n");
  REQUIRE(Mentions(brief).size() == 5);
  CHECK(Mentions(brief)[4]->value == "CHU de Brest");
  Document most = Run(
      "Le CHU de Tours ouvre un bâtiment. Le CHU de Tours recrute. Un patient venu du CHU de Poitiers y est soigné.\n"
      "Le CH de Chinon est lié au CHU par une convention.\n");
  REQUIRE(Mentions(most).size() == 5);
  CHECK(Mentions(most)[4]->value == "CHU de Tours");
  // Any acronym of a kind: "le CHIC" is the text's intercommunal hospital.
  Document chic = Run(
      "Le centre hospitalier intercommunal de Créteil ouvre une maternité.\n"
      "Les internes du CHIC y sont formés.\n");
  REQUIRE(Mentions(chic).size() == 2);
  CHECK(Mentions(chic)[1]->entity == Mentions(chic)[0]->entity);
  // "le CHIC" is an intercommunal hospital, not the other CH its paragraph names first.
  Document narrow = Run(
      "Le centre hospitalier intercommunal de Créteil ouvre une maternité.\n"
      "Avec le CH de Fontenay, une convention ouvre les avis du CHIC aux enfants.\n");
  REQUIRE(Mentions(narrow).size() == 3);
  CHECK(Mentions(narrow)[2]->entity == Mentions(narrow)[0]->entity);
}

TEST_CASE("establishments: a named CH placed in a commune joins that commune's CH", "[establishments]") {
  Document doc = Run(
      "Le centre hospitalier Jacques-Lacarin de Vichy et le CHU de Clermont-Ferrand coopèrent. "
      "Le CH de Vichy accueille les urgentistes.");
  REQUIRE(doc.establishments.size() == 2);
  CHECK(Find(doc, "ch:vichy") != nullptr);
  // Two CH of one commune: the named one stays apart.
  Document apart = Run(
      "Le centre hospitalier Sainte-Marie de Rodez, le CH de Rodez et le CHS de Rodez coopèrent.");
  CHECK(apart.establishments.size() == 3);
}

TEST_CASE("establishments: a kind of several words alone is the one of its kind the text names", "[establishments]") {
  Document doc = Run(
      "Le centre hospitalier de Dax et l'Institut Bergonié coopèrent. C'est avec le centre hospitalier que le "
      "centre régional de lutte contre le cancer a signé la convention. Les patients restent à l'hôpital.");
  CHECK(MentionTexts(doc) == std::vector<std::string>{"centre hospitalier de Dax", "Institut Bergonié",
                                                      "centre hospitalier", "centre régional de lutte contre le cancer"});
  auto mentions = Mentions(doc);
  REQUIRE(mentions.size() == 4);
  CHECK(mentions[2]->entity == mentions[0]->entity);
  CHECK(mentions[3]->entity == mentions[1]->entity);
}

TEST_CASE("establishments: an acronym the text defines after a name stands for it", "[establishments]") {
  Document doc = Run(
      "Le centre hospitalier de l'agglomération de Montluçon (CHAM) et le CHU de Clermont-Ferrand "
      "ont signé une convention. Les praticiens du CHAM, dont la CHAMBRE syndicale ne parle pas, "
      "opéreront aussi à Vichy.");
  CHECK(MentionTexts(doc) == std::vector<std::string>{
                                 "centre hospitalier de l'agglomération de Montluçon", "CHU de Clermont-Ferrand",
                                 "CHAM"});
  const Establishment* montlucon = Find(doc, "ch:montlucon");
  REQUIRE(montlucon != nullptr);
  auto mentions = Mentions(doc);
  REQUIRE(mentions.size() == 3);
  CHECK(doc.establishments[mentions[2]->entity].key == "ch:montlucon");
}

TEST_CASE("establishments: an acronym given for two establishments stands for neither", "[establishments]") {
  Document doc = Run(
      "Le centre hospitalier de Vichy (CHV) et le centre hospitalier de Valence (CHV) coopèrent. "
      "Le CHV recrute.");
  CHECK(MentionTexts(doc) == std::vector<std::string>{"centre hospitalier de Vichy", "centre hospitalier de Valence"});
}

TEST_CASE("establishments: an acronym the lexicons read stays theirs", "[establishments]") {
  // "CHU" is a kind: "le CHU" alone goes by the rule of bare acronyms, not as
  // a definition of the CH de Vichy.
  Document doc = Run("Le centre hospitalier de Vichy (CHU) recrute. Le CHU forme les internes.");
  for (const Mention* m : Mentions(doc)) {
    CHECK((doc.establishments[m->entity].key != "ch:vichy" || doc.Text(m->span) != "CHU"));
  }
}

}  // namespace coopkb
