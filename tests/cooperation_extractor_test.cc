// Cooperations read from document structure: hubs with lists of partners,
// partners named only in a later paragraph, multi-party charters, kinds,
// specialties per partner, dates nearest the partner.
#include <fstream>

#include <catch2/catch.hpp>

#include "extractors/cooperations/cooperation_extractor.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

Document Run(const std::string& text, const std::string& published = "") {
  Document doc;
  doc.source = "test";
  doc.text = text;
  doc.published = published;
  test::DefaultPipeline().Extract(doc);
  return doc;
}

std::string Names(const Document& doc, const Cooperation& c) {
  std::vector<std::string> names;
  for (int p : c.parties) names.push_back(doc.establishments[p].name);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += " + ";
    out += n;
  }
  return out;
}

const Cooperation* Find(const Document& doc, const std::string& names) {
  for (const auto& c : doc.cooperations) {
    if (Names(doc, c) == names) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a hub and its list of partners", "[cooperations]") {
  Document doc = Run(
      "Le CHU de Bordeaux noue des conventions cadres avec les hôpitaux de son territoire :\n"
      "– avec le CH de Libourne : une équipe commune en urologie ;\n"
      "– avec le centre hospitalier d'Arcachon, en pneumologie ;\n"
      "– avec les centres hospitaliers de Périgueux et de Bergerac.\n");
  for (const char* partner : {"CH d'Arcachon", "CH de Libourne", "CH de Périgueux", "CH de Bergerac"}) {
    INFO(partner);
    std::string pair = std::string(partner) + " + CHU de Bordeaux";
    const Cooperation* c = Find(doc, pair);
    REQUIRE(c != nullptr);
    // An item that names its own kind keeps it; the others take the introduction's.
    CHECK(c->kind == (std::string(partner) == "CH de Libourne" ? "équipe de territoire" : "convention cadre"));
  }
  CHECK(doc.cooperations.size() == 4);  // the partners are not paired with each other
  REQUIRE(Find(doc, "CH de Libourne + CHU de Bordeaux") != nullptr);
  CHECK(Find(doc, "CH de Libourne + CHU de Bordeaux")->specialties == std::vector<std::string>{"urologie"});
  CHECK(Find(doc, "CH d'Arcachon + CHU de Bordeaux")->specialties == std::vector<std::string>{"pneumologie"});
}

TEST_CASE("partners named alone pair with the establishment the text speaks about", "[cooperations]") {
  Document doc = Run(
      "Le CHU de Reims forme des assistants spécialistes pour les hôpitaux de la région.\n"
      "Des postes partagés ont été créés en 2019 : en gériatrie avec le CH d'Épernay, "
      "en cardiologie avec le CH de Châlons-en-Champagne.\n");
  const Cooperation* epernay = Find(doc, "CH d'Épernay + CHU de Reims");
  const Cooperation* chalons = Find(doc, "CH de Châlons-en-Champagne + CHU de Reims");
  REQUIRE(epernay != nullptr);
  REQUIRE(chalons != nullptr);
  CHECK(epernay->specialties == std::vector<std::string>{"gériatrie"});
  CHECK(chalons->specialties == std::vector<std::string>{"cardiologie"});
  CHECK(epernay->date == "2019");
  CHECK(Find(doc, "CH d'Épernay + CH de Châlons-en-Champagne") == nullptr);
}

TEST_CASE("a charter signed by several establishments joins them all", "[cooperations]") {
  Document doc = Run(
      "Trois hôpitaux publics, le CHU de Poitiers et les centres hospitaliers de Niort et de "
      "Châtellerault, ont signé une charte de coopération en 2017.");
  REQUIRE(doc.cooperations.size() == 1);
  CHECK(doc.cooperations[0].parties.size() == 3);
  CHECK(doc.cooperations[0].kind == "charte");
  CHECK(doc.cooperations[0].date == "2017");
}

TEST_CASE("each partner takes the date written nearest to it", "[cooperations]") {
  Document doc = Run(
      "Le CHU de Tours a signé deux conventions : l'une avec le CH de Blois en mars 2010, "
      "l'autre avec le CH de Chinon en juin 2012.");
  REQUIRE(Find(doc, "CH de Blois + CHU de Tours") != nullptr);
  REQUIRE(Find(doc, "CH de Chinon + CHU de Tours") != nullptr);
  CHECK(Find(doc, "CH de Blois + CHU de Tours")->date == "2010-03");
  CHECK(Find(doc, "CH de Chinon + CHU de Tours")->date == "2012-06");
  CHECK(Find(doc, "CH de Blois + CH de Chinon") == nullptr);
}

TEST_CASE("establishments named together without a cooperation are not one", "[cooperations]") {
  CHECK(Run("Le CHU de Nantes et le CHU d'Angers ont publié leurs comptes.").cooperations.empty());
  CHECK(Run("Le CHU de Lyon.\nLe CH de Vienne a ouvert une maternité.\n").cooperations.empty());
  // A trigger far away, in an unrelated paragraph, does not make a partner.
  CHECK(Run("La convention collective a été signée.\nLe budget a été voté.\n"
            "Un patient a été transféré avec le CH de Vienne vers le CHU de Lyon.\n")
            .cooperations.empty());
}

TEST_CASE("a partner in a new paragraph pairs with the document's focus, not the last one named", "[cooperations]") {
  Document doc = Run(
      "L'Institut Curie a signé plusieurs conventions. L'Institut Curie accueille des internes.\n"
      "Le CH de Meaux a rejoint le réseau de l'Institut Curie en 2019.\n"
      "Par ailleurs, un partenariat a été engagé avec l'Hôpital privé d'Antony.\n");
  CHECK(Find(doc, "Hôpital privé d'Antony + Institut Curie") != nullptr);
  CHECK(Find(doc, "CH de Meaux + Hôpital privé d'Antony") == nullptr);
}

TEST_CASE("the establishments of a convention's block of parties are its parties", "[cooperations]") {
  Document doc = Run(
      "CONVENTION DE PARTENARIAT\n"
      "Entre les soussignés :\n"
      "Le CENTRE HOSPITALIER DE COLMAR, représenté par son directeur,\n"
      "La CLINIQUE DU DIACONAT, établissement de santé privé,\n"
      "Le centre hospitalier de Sélestat,\n"
      "Il a été convenu ce qui suit.\n"
      "Article 1 : les parties organisent une permanence commune de radiologie.\n");
  REQUIRE(doc.cooperations.size() == 1);
  CHECK(Names(doc, doc.cooperations[0]) == "CH de Colmar + CH de Sélestat + Clinique du Diaconat");
  CHECK(doc.cooperations[0].kind == "convention de partenariat");
  // Establishments listed between two other headings are no parties.
  Document report = Run(
      "Rapport annuel\nEntre 2015 et 2020\nLe CH de Colmar a ouvert un service.\n"
      "Le CH de Sélestat a fermé sa maternité.\nArticle suivant\n");
  CHECK(report.cooperations.empty());
}

}  // namespace coopkb

namespace coopkb {

TEST_CASE("a list of names under an introduction stating a cooperation are its parties", "[cooperations]") {
  Document doc = Run(
      "Un projet médical partagé\n"
      "Les partenaires du projet :\n"
      "- le centre hospitalier de Verdun ;\n"
      "- le centre hospitalier de Bar-le-Duc (CHBD) ;\n"
      "- le CHRU de Nancy.\n"
      "Le projet sera présenté au printemps.\n");
  REQUIRE(doc.cooperations.size() == 1);
  CHECK(Names(doc, doc.cooperations[0]) == "CH de Bar-le-Duc + CH de Verdun + CHU de Nancy");
  // The establishment the introduction names is a party too.
  Document hub = Run(
      "Le CHU de Poitiers a signé une convention avec :\n"
      "\u2022 le CH de Niort,\n"
      "\u2022 le CH de Châtellerault.\n");
  REQUIRE(hub.cooperations.size() == 1);
  CHECK(Names(hub, hub.cooperations[0]) == "CH de Châtellerault + CH de Niort + CHU de Poitiers");
  // Items that say more than a name are read one by one; an introduction
  // without a cooperation joins nothing.
  CHECK(Run("Les partenaires :\n- le CH de Niort a fermé sa maternité ;\n- le CH de Châtellerault.\n")
            .cooperations.empty());
  CHECK(Run("Les hôpitaux de la région :\n- le CH de Niort ;\n- le CH de Châtellerault.\n").cooperations.empty());
}

TEST_CASE("a commune named as a place stands for the document's establishment there", "[cooperations]") {
  Document doc = Run(
      "Le centre hospitalier de Bar-le-Duc présente son projet médical.\n"
      "À Bar-le-Duc, la coopération avec Nancy porte sur l'oncologie : le CHRU de Nancy y détache un oncologue.\n");
  REQUIRE(doc.cooperations.size() == 1);
  CHECK(Names(doc, doc.cooperations[0]) == "CH de Bar-le-Duc + CHU de Nancy");
  Document partner = Run(
      "Le CHU de Caen a présenté ses résultats. Le CH de Lisieux a ouvert une unité.\n"
      "Le CHU de Caen renforce sa coopération avec Lisieux en cardiologie.\n");
  CHECK(Find(partner, "CH de Lisieux + CHU de Caen") != nullptr);
}

TEST_CASE("an establishment said to be a partner is the partner of the one the text is about", "[cooperations]") {
  Document doc = Run(
      "Le CH du Mans présente son projet médical.\n"
      "Le CH du Mans ouvre une unité de soins palliatifs. Le CHU d'Angers reste son principal partenaire universitaire.\n");
  REQUIRE(doc.cooperations.size() == 1);
  CHECK(Names(doc, doc.cooperations[0]) == "CH du Mans + CHU d'Angers");
  // Said of no one the text is about (named once each), it pairs nothing.
  CHECK(Run("Le CH de Laval a ouvert un service.\nLe CHU d'Angers est un partenaire apprécié des patients.\n")
            .cooperations.empty());
}

TEST_CASE("an anaphor stands for the establishments of the sentence it sums up", "[cooperations]") {
  // The signatories are named in the paragraph before; the charter's sentence names none.
  Document doc = Run(
      "Dans le Gers, le CH d'Auch, le CH de Condom et la Clinique Pasteur d'Auch accueillent les urgences du département.\n"
      "\n"
      "Une charte, signée le 2 mars 2021 par les trois établissements, organise leur permanence des soins.\n");
  const Cooperation* charter = Find(doc, "CH d'Auch + CH de Condom + Clinique Pasteur");
  REQUIRE(charter != nullptr);
  CHECK(charter->kind == "charte");
  CHECK(charter->date == "2021-03-02");
  CHECK(doc.cooperations.size() == 1);

  // Counted too many: "les quatre établissements" after a sentence naming three is no cooperation.
  doc = Run(
      "Le CH d'Auch, le CH de Condom et la Clinique Pasteur d'Auch accueillent les urgences du département.\n"
      "Une charte a été signée par les quatre établissements.\n");
  CHECK(doc.cooperations.empty());
}

TEST_CASE("an anaphor joined to a party stands for the others, one of them named in the sentence", "[cooperations]") {
  Document doc = Run(
      "Le CH de Montauban et le CH de Castelsarrasin partagent une équipe de cardiologie. "
      "Les cas graves vont au CH de Montauban ou au CHU de Toulouse, selon la convention signée entre "
      "le CHU et les deux établissements.\n");
  CHECK(Find(doc, "CH de Castelsarrasin + CH de Montauban + CHU de Toulouse") != nullptr);

  // Not joined to a party, the anaphor sums up its own sentence's names.
  doc = Run(
      "Le CH de Montauban a signé une convention avec le CHU de Toulouse. "
      "En imagerie, le CHU et la Clinique du Pont de Chaume coopèrent : les deux établissements partagent leurs radiologues.\n");
  CHECK(Find(doc, "CHU de Toulouse + Clinique du Pont de Chaume") != nullptr);
  CHECK(Find(doc, "CH de Montauban + CHU de Toulouse + Clinique du Pont de Chaume") == nullptr);
}

TEST_CASE("an establishment joining a group becomes a party of the group's cooperation", "[cooperations]") {
  Document doc = Run(
      "Le centre hospitalier de Pontarlier rejoint le GCS de biologie du Haut-Doubs.\n"
      "\n"
      "Créé en 2019 par le CHU de Besançon et le CH de Morteau, le groupement de coopération sanitaire "
      "mutualise les analyses de nuit.\n");
  CHECK(Find(doc, "CH de Morteau + CH de Pontarlier + CHU de Besançon") != nullptr);

  // Two establishments joining the one group both become its parties.
  doc = Run(
      "Le centre hospitalier de Pontarlier rejoint le GCS de biologie du Haut-Doubs.\n"
      "\n"
      "Le centre hospitalier de Saint-Claude rejoindra le GCS en 2026.\n"
      "\n"
      "Créé en 2019 par le CHU de Besançon et le CH de Morteau, le groupement de coopération sanitaire "
      "mutualise les analyses de nuit.\n");
  CHECK(Find(doc, "CH de Morteau + CH de Pontarlier + CHU de Besançon") != nullptr);
  CHECK(Find(doc, "CH de Morteau + CH de Saint-Claude + CHU de Besançon") != nullptr);

  // Two groups of that kind: which one it joins is not known.
  doc = Run(
      "Le centre hospitalier de Pontarlier rejoint le GCS de biologie.\n"
      "\n"
      "Le CHU de Besançon et le CH de Morteau ont créé un GCS en 2019. Le CH de Vesoul et le CH de Gray "
      "ont créé un autre GCS en 2021.\n");
  for (const Cooperation& c : doc.cooperations) CHECK(Names(doc, c).find("Pontarlier") == std::string::npos);
}

TEST_CASE("a sentence extending the cooperation just stated adds its establishment", "[cooperations]") {
  Document doc = Run(
      "Une convention de télé-AVC a été signée en mars 2022 entre le CHU de Dijon et le CH de Beaune. "
      "Elle concerne aussi le centre hospitalier de Semur-en-Auxois.\n");
  const Cooperation* c = Find(doc, "CH de Beaune + CH de Semur-en-Auxois + CHU de Dijon");
  REQUIRE(c != nullptr);
  CHECK(c->date == "2022-03");
  // "bénéficie lui aussi": a pronoun may stand before "aussi".
  doc = Run(
      "Une convention de télé-AVC a été signée en mars 2022 entre le CHU de Dijon et le CH de Beaune. "
      "Le centre hospitalier de Semur-en-Auxois en bénéficie lui aussi.\n");
  CHECK(Find(doc, "CH de Beaune + CH de Semur-en-Auxois + CHU de Dijon") != nullptr);

  // "aussi" alone, without a verb of extent, adds nobody.
  doc = Run(
      "Une convention de télé-AVC a été signée en mars 2022 entre le CHU de Dijon et le CH de Beaune. "
      "Le centre hospitalier de Semur-en-Auxois rénove aussi sa maternité.\n");
  for (const Cooperation& k : doc.cooperations) CHECK(Names(doc, k).find("Semur") == std::string::npos);
}

TEST_CASE("a kind the sentence denies is not the cooperation's kind", "[cooperations]") {
  Document doc = Run("Il ne s'agit ni d'une fusion ni d'une absorption : le CH de Cognac et le CH de Jarnac "
                     "ont signé une convention de partenariat.\n");
  const Cooperation* c = Find(doc, "CH de Cognac + CH de Jarnac");
  REQUIRE(c != nullptr);
  CHECK(c->kind == "convention de partenariat");
  doc = Run("Le CH de Cognac et le CH de Jarnac préparent leur fusion pour 2026.\n");
  c = Find(doc, "CH de Cognac + CH de Jarnac");
  REQUIRE(c != nullptr);
  CHECK(c->kind == "fusion");
}

TEST_CASE("a trigger with a gap reads a few words between its parts, and a gap at its edge is an error", "[cooperations]") {
  test::TempDir dir;
  std::string triggers = test::ReadFile(test::SourceDir() / "lexicons" / "cooperation_triggers.tsv");
  std::ofstream(dir / "cooperation_triggers.tsv") << triggers << "partagent ... un plateau\ttemps médical partagé\t2\n";
  auto lexicons = Lexicons::Load(dir.path().string());
  REQUIRE(lexicons.ok());
  auto extractor = CooperationExtractor::Create(lexicons.value());
  REQUIRE(extractor.ok());

  std::ofstream(dir / "cooperation_triggers.tsv", std::ios::trunc) << triggers << "consultations ...\tautre\t5\n";
  lexicons = Lexicons::Load(dir.path().string());
  REQUIRE(lexicons.ok());
  auto bad = CooperationExtractor::Create(lexicons.value());
  REQUIRE(!bad.ok());
  CHECK(bad.status().message().find("cooperation_triggers.tsv:") != std::string::npos);
  CHECK(bad.status().message().find("'...'") != std::string::npos);
}

TEST_CASE("a counted anaphor far from any name sums up the last pair named", "[cooperations]") {
  // Three paragraphs of a plan's priorities stand between the pair and the
  // anaphor; "qui met à leur disposition" states the cooperation.
  const std::string text =
      "Le CH de Dole et le CH de Lons-le-Saunier partagent une direction commune depuis 2022.\n"
      "\n"
      "Le projet médical retient trois filières.\n"
      "\n"
      "La gériatrie, avec une équipe mobile.\n"
      "\n"
      "La psychiatrie, en lien avec le CHS de Saint-Ylie.\n"
      "\n"
      "Pour les cas complexes, les deux établissements s'appuient sur le CHU de Besançon, qui met à leur "
      "disposition quatre neurologues.\n";
  Document doc = Run(text);
  CHECK(Find(doc, "CH de Dole + CH de Lons-le-Saunier + CHU de Besançon") != nullptr);

  // Uncounted ("ces établissements"), the anaphor reads only what is near it.
  std::string uncounted = text;
  uncounted.replace(uncounted.find("les deux établissements"), 23, "ces établissements");
  doc = Run(uncounted);
  CHECK(Find(doc, "CH de Dole + CH de Lons-le-Saunier + CHU de Besançon") == nullptr);
}

}  // namespace coopkb

namespace coopkb {

TEST_CASE("a page lists the partners of the establishment it presents", "[cooperations]") {
  Document doc = Run(
      "Le centre hospitalier de Cholet accueille chaque année 60 000 patients.\n"
      "Nos partenaires hospitaliers\n"
      "CHU d'Angers : recours en neurochirurgie et en chirurgie cardiaque.\n"
      "Clinique de la Loire (Saumur) : imagerie en coupe partagée.\n"
      "Institut de Cancérologie de l'Ouest : réunions de concertation en oncologie.\n");
  // Names() sorts the parties: "CH de Cholet" comes before each of these.
  for (const char* partner : {"CHU d'Angers", "Clinique de la Loire", "Institut de Cancérologie de l'Ouest"}) {
    INFO(partner);
    CHECK(Find(doc, std::string("CH de Cholet + ") + partner) != nullptr);
  }
  CHECK(doc.cooperations.size() == 3);  // the partners are not paired with each other

  // A list of establishments under a heading that announces no partnership is no cooperation.
  doc = Run(
      "Le centre hospitalier de Cholet publie ses chiffres.\n"
      "Les hôpitaux du département\n"
      "CHU d'Angers : 1 700 lits.\n"
      "Clinique de la Loire (Saumur) : 120 lits.\n");
  CHECK(doc.cooperations.empty());
}

}  // namespace coopkb

namespace coopkb {

TEST_CASE("a partner named as a heading is a party of the cooperation its paragraph states", "[cooperations]") {
  // A heading line, then the paragraph about the cooperation with it, which
  // names only the page's own establishment (or no one).
  Document doc = Run(
      "Le centre hospitalier de Périgueux présente ses partenariats. Le CH de Périgueux est l'hôpital de recours "
      "du département.\n"
      "Centre hospitalier de Sarlat\n"
      "Une convention de coopération permet aux urgentistes sarladais de joindre les cardiologues du CH de "
      "Périgueux jour et nuit.\n"
      "Centre hospitalier de Bergerac\n"
      "Une équipe médicale de territoire en pneumologie partage ses praticiens entre les deux sites.\n");
  CHECK(Find(doc, "CH de Périgueux + CH de Sarlat-la-Canéda") != nullptr);
  CHECK(Find(doc, "CH de Bergerac + CH de Périgueux") != nullptr);
  CHECK(doc.cooperations.size() == 2);

  // The heading as its paragraph's first sentence, in a report.
  doc = Run(
      "Le CHU de Brest coopère avec les établissements de son territoire. Le CHU de Brest en publie le bilan.\n"
      "Centre hospitalier de Morlaix. Les pneumologues du CHU y assurent des consultations avancées.\n"
      "Centre hospitalier de Landerneau. Des vacations de cardiologie y sont tenues depuis 2020.\n");
  CHECK(Find(doc, "CH de Morlaix + CHU de Brest") != nullptr);
  CHECK(Find(doc, "CH de Landerneau + CHU de Brest") != nullptr);
  CHECK(doc.cooperations.size() == 2);

  // A heading may give the commune in brackets, however long its name.
  doc = Run(
      "Le CHU de Rouen coopère avec les établissements de la région. Le CHU de Rouen en publie le bilan.\n"
      "Centre hospitalier intercommunal Caux Vallée de Seine (Lillebonne‐Bolbec‐Fécamp)\n"
      "Des neurologues du CHU y assurent des consultations avancées deux fois par mois.\n");
  CHECK(doc.cooperations.size() == 1);

  // A heading over another heading heads nothing, nor does one over a
  // paragraph that states no cooperation; the issuer's own header line is no
  // partner.
  doc = Run(
      "CHU de Brest\n"
      "Le CHU de Brest publie son bilan. Le CHU de Brest propose des consultations avancées.\n"
      "Centre hospitalier de Morlaix\n"
      "Centre hospitalier de Landerneau\n"
      "Le bâtiment des urgences a été inauguré en mai.\n");
  CHECK(doc.cooperations.empty());
}

}  // namespace coopkb
