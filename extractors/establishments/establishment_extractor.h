// Establishments: hospitals and clinics named in a text, resolved to canonical
// entities.
//
//   auto extractor = EstablishmentExtractor::Create(lexicons);   // loads and indexes once
//   extractor.value()->Extract(doc);
//   // doc.establishments: {"chu:lille", "CHU de Lille", "CHU", "Lille", "Nord", ...}
//   // doc.mentions: one kEstablishment mention per written reference, value = the
//   //               canonical name, entity = index into doc.establishments
//
// What is read:
//   - known names and aliases of establishments.tsv: "Centre Oscar Lambret",
//     "Hospices Civils de Lyon", "AP-HP", "CHU Dijon Bourgogne";
//   - a kind of establishments_kinds.tsv with a proper-noun complement:
//     "CH de Valenciennes", "Centre Hospitalier d'Arras", "Clinique Lille-Sud",
//     "groupe Hopale", "Hôpital Sainte Justine", "CHR de Metz-Thionville";
//   - coordinations, one entity per item with the kind distributed: "les CHU de
//     Besançon et de Dijon", "les Centres Hospitaliers de Calais, Boulogne et
//     Dunkerque", "les hôpitaux généraux du Forez, du Gier et Le Corbusier";
//   - a demonstrative for the kind just named: "le CH de La Rochelle et celui de
//     Rochefort";
//   - "le CHU", "au CHU" alone, as a mention of the one CHU a text names.
// What is not: a kind without a name otherwise ("les deux CHU", "des hôpitaux
// universitaires de référence"), and bodies that are not establishments
// (organisations.tsv, establishment_blockers.tsv: ARS, GHT, GCS, syndicates).
// A named hospital placed in a commune ("centre hospitalier Jacques-Lacarin de
// Vichy", ", à Vannes", "(Quimper)", or a regional paper's dateline "DINAN.") is
// the CH of that commune when the text names it so too. Specialty mentions inside
// an establishment's mention ("Institut de cancérologie de Lorraine") are dropped.
// The span of a coordinated item covers its own words ("de Dijon"); the first
// item's span starts at the kind phrase. Resolution: see establishment_resolver.h.
#pragma once

#include <memory>
#include <string>

#include "extractors/establishments/establishment_lexicon.h"
#include "extractors/establishments/establishment_resolver.h"
#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class WordTokens;

class EstablishmentExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "establishments"; }
  void Extract(Document& doc) const override;

  EstablishmentExtractor(const EstablishmentExtractor&) = delete;
  EstablishmentExtractor& operator=(const EstablishmentExtractor&) = delete;

 private:
  explicit EstablishmentExtractor(EstablishmentLexicon lexicon)
      : lexicon_(std::move(lexicon)), resolver_(lexicon_) {}
  std::string DatelineCity(const WordTokens& words) const;
  EstablishmentLexicon lexicon_;
  EstablishmentResolver resolver_;  // refers to lexicon_
};

}  // namespace coopkb
