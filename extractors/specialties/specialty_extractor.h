// SpecialtyExtractor: the medical and surgical specialties, services and care
// activities a document names, each mention with its canonical name.
//
//   auto e = SpecialtyExtractor::Create(lexicons);   // builds the matcher once
//   if (!e.ok()) die(e.status().message());
//   e.value()->Extract(doc);
//   // "Les chirurgies digestive et vasculaire, l'AMP et la pédiatrie" appends
//   // kSpecialty mentions, value = canonical name, span = the words as written:
//   //   "chirurgies digestive" -> "chirurgie viscérale et digestive"
//   //   "vasculaire"           -> "chirurgie vasculaire"
//   //   "AMP"                  -> "assistance médicale à la procréation"
//   //   "pédiatrie"            -> "pédiatrie"
//
// The lexicons are lexicons/specialties.tsv (names, synonyms, acronyms) and
// lexicons/specialty_exclusions.tsv (phrases that only look like specialties);
// the reading rules are in specialty_matcher.h.
#pragma once

#include <memory>

#include "extractors/extractor.h"
#include "extractors/specialties/specialty_matcher.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class SpecialtyExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "specialties"; }
  void Extract(Document& doc) const override;

 private:
  explicit SpecialtyExtractor(SpecialtyMatcher matcher) : matcher_(std::move(matcher)) {}
  SpecialtyMatcher matcher_;
};

}  // namespace coopkb
