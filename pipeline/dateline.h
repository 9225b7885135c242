// Dateline: the publication date an article prints near its top.
//
//   auto reader = DatelineReader::Create(lexicons);
//   reader.value().Read("9 novembre 2020 à 11h30 par la rédaction");   // "2020-11-09T11:30"
//   reader.value().Read("Publié le 03/05/2021");                        // "2021-05-03"
//   reader.value().Read("Metz, le 4 avril 2022");                       // "2022-04-04"
//   reader.value().Read("Le 2 novembre 2020, le CHU a signé...");      // "" (a sentence)
//
// A dateline is a whole short line (or the head of the first paragraph, up to a
// dash: "Rennes, le 12 octobre 2021 – Le CHU ..."): an optional byline ("Par la
// rédaction |") or place ("Rennes,"), an optional lead ("Publié le"), an optional
// weekday, a day, a month name (months.tsv) or number, a four-digit year, an
// optional time, then nothing or a tail that is not a sentence ("par la
// rédaction", "| Mis à jour le ..."). Leads and tails: cleaning_dateline.tsv.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <re2/re2.h>

#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class DatelineReader {
 public:
  static Result<DatelineReader> Create(const Lexicons& lexicons);
  // The date as ISO 8601 ("2020-11-09" or "2020-11-09T11:30"), or "" when
  // `line` is not a dateline.
  std::string Read(std::string_view line) const;

  static constexpr size_t kMaxChars = 140;

 private:
  std::shared_ptr<const re2::RE2> named_month_, numeric_;
  std::unordered_map<std::string, int> months_;  // folded name or abbreviation -> 1..12
};

}  // namespace coopkb
