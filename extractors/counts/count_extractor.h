// Counts: a number and the noun phrase it counts, as written.
//
//   auto counts = CountExtractor::Create(lexicons);   // Result<std::unique_ptr<Extractor>>
//   counts.value()->Extract(doc);                     // appends Mentions of kind kCount
//
//   "207 conventions de partage de temps médical"  -> 207 | conventions de partage de temps médical
//   "les 600 000 patients ligériens"               -> 600000 | patients ligériens
//   "les deux autres conventions"                  -> 2 | conventions
//   "vingt-deux sites pilotes"                     -> 22 | sites pilotes
//   "4,2 millions de personnes"                    -> 4200000 | personnes
//   "88 % des CHU"                                 -> 88 | %    (span "88 % des CHU")
//
// Not counts: "un"/"une" (articles; "un million de" is), years and every
// number inside a date mention (the dates extractor runs first), clock times
// ("11h30", "à 10 heures"), ordinals ("3e", "deuxième"), codes glued to letters
// or dashes ("G4", "COVID-19", "2009-879"), numbers after an identifier word
// ("article 6", "n° 22", "page 3"), phone numbers and postal codes, numbers
// inside establishment names, and numbers followed by no noun.
//
// Candidates are located by one scan of the folded text (digit runs, and words
// found in lexicons/number_words.tsv); everything after that is a few token
// look-ups around each candidate.
#pragma once

#include <memory>

#include "extractors/counts/count_words.h"
#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class CountExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "counts"; }
  void Extract(Document& doc) const override;

 private:
  explicit CountExtractor(CountWords words) : words_(std::move(words)) {}
  CountWords words_;
};

}  // namespace coopkb
