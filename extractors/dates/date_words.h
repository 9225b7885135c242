// DateWords: what the date rules know of French date vocabulary, loaded once
// from lexicons/months.tsv, weekdays.tsv and date_cues.tsv (see those files).
//
//   auto words = DateWords::Load(lexicons);       // Result<DateWords>
//   words.value().Month("fevr");                  // 2 (folded full name or abbreviation)
//   words.value().IsWeekday("mercredi");          // true
//   words.value().cues(CueRole::kBefore).MatchBefore(folded, pos);
//
// Cues whose folded form is ambiguous ("dès" folds to "des") carry tag 1 and
// must be confirmed on the original text with HasAccent().
#pragma once

#include <array>
#include <initializer_list>
#include <string_view>

#include "extractors/dates/phrase_list.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

enum class CueRole {
  kBefore, kQualifier, kLink, kTime, kPast, kFuture, kJoiner, kHour, kOpenRange
};
inline constexpr int kCueRoles = 9;
inline constexpr int kNeedsAccent = 1;  // PhraseList tag

class DateWords {
 public:
  static Result<DateWords> Load(const Lexicons& lexicons);

  // 1-12 for a folded month name or abbreviation, else 0.
  int Month(std::string_view folded_word) const;
  bool IsAbbreviation(std::string_view folded_word) const;
  bool IsWeekday(std::string_view folded_word) const;
  const PhraseList& cues(CueRole role) const { return cues_[static_cast<int>(role)]; }

 private:
  WordMap<int> months_;  // folded name or abbreviation -> month; abbreviations negated
  WordMap<int> weekdays_;
  std::array<PhraseList, kCueRoles> cues_;
};

// An error naming the file when `table` lacks one of `columns` (an edited
// override that lost a column is reported, not a crash).
Status RequireColumns(const LexiconTable& table, std::initializer_list<std::string_view> columns);

// True when `original` holds a non-ASCII byte: the accented spelling of a cue
// whose folded form is ambiguous.
bool HasAccent(std::string_view original);

}  // namespace coopkb
