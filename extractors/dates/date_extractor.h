// Dates: every date written in a document, as ISO 8601 at the precision written.
//
//   auto dates = DateExtractor::Create(lexicons);   // Result<std::unique_ptr<Extractor>>
//   dates.value()->Extract(doc);                    // appends Mentions of kind kDate
//
//   "le 22 janvier 2001"            -> "2001-01-22", span "22 janvier 2001"
//   "Mercredi 30 septembre 2009"    -> "2009-09-30", the weekday in the span
//   "9 novembre 2020 à 11h30"       -> "2020-11-09T11:30"
//   "en mars 2000", "mi-mars 2000"  -> "2000-03"
//   "depuis 2009", "début d'année 2016", "l'exercice 2020" -> "2009", "2016", "2020"
//   "22/01/2001", "2001-01-22", "01/2001"
//   "de 2009 à 2012", "2015-2020", "du 2 au 5 mars 2020", "de mars à juin 2010"
//                                   -> one mention per end
//   "le 2 décembre [dernier]"       -> resolved against doc.published; nothing
//                                      when the publication date is unknown
//
// A bare four-digit year is a date only in a date context (a cue of
// lexicons/date_cues.tsv, a range, or a line heading "2016 :"), so counts
// ("2000 patients"), identifiers ("COVID-19", "n° 2009-879", "G4"), phone
// numbers, postal codes, "24h/24" and "7j/7" give no date. Rules run on the
// folded text (pipeline/fold.h, through folded_view.h); spans are mapped back
// to doc.text.
#pragma once

#include <memory>

#include "extractors/dates/date_words.h"
#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class DateExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "dates"; }
  void Extract(Document& doc) const override;

 private:
  explicit DateExtractor(DateWords words) : words_(std::move(words)) {}
  DateWords words_;
};

}  // namespace coopkb
