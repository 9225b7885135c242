// CountWords: the vocabulary the count rules consult, loaded once from
// lexicons/number_words.tsv, count_phrase_stops.tsv, count_pre_nominal.tsv,
// count_not_units.tsv, count_identifier_cues.tsv, count_symbols.tsv, plus the
// month and weekday names of the date vocabulary (never counted nouns).
//
//   auto words = CountWords::Load(lexicons);         // Result<CountWords>
//   const CountWords& w = words.value();
//   w.Number("vingt");        // {20, NumberRole::kTen}, or nullptr
//   w.IsStop("permettant");   // true: ends with a verb suffix ("-ant")
//   w.IsIdentifierCue("n°");  // true: "n° 22" is not a count
//   w.symbols().MatchAfter(folded, pos);   // "%", "pour cent", "M€" after a number
//
// All lookups take folded words (see pipeline/fold.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "extractors/dates/date_words.h"
#include "extractors/counts/small_word_map.h"
#include "extractors/dates/phrase_list.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

enum class NumberRole { kArticle, kUnit, kTen, kHundred, kThousand, kMultiplier };

struct NumberWord {
  long long value;
  NumberRole role;
  bool ambiguous = false;  // also a common adjective ("neuf"): needs a determiner before
};

struct CountSymbol {
  std::string unit;  // "%", "€"
  long long scale;   // 1, 1000, 1000000, ...
};

class CountWords {
 public:
  static Result<CountWords> Load(const Lexicons& lexicons);

  const NumberWord* Number(std::string_view folded_word) const {
    return numbers_.Find(folded_word);
  }

  // A closed-class word or a word ending in a verb/adverb suffix: never part of
  // a counted noun phrase after its head.
  bool IsStop(std::string_view folded_word) const;
  // Only the closed-class list: never the head noun itself.
  bool IsStopWord(std::string_view folded_word) const;
  bool IsPreNominal(std::string_view folded_word) const;
  // True when `word` after a number means it is not a count; `before` is the
  // folded word right before the number ("à" in "à 10 heures").
  bool IsNotUnit(std::string_view word, std::string_view before) const;
  bool IsIdentifierCue(std::string_view folded_word) const;
  bool IsDateWord(std::string_view folded_word) const;

  const PhraseList& symbols() const { return symbols_; }  // tag: index into symbol()
  const CountSymbol& symbol(int tag) const { return symbol_units_[tag]; }

 private:
  SmallWordMap<NumberWord> numbers_;
  SmallWordMap<bool> stop_words_;
  std::vector<std::string> stop_suffixes_;
  SmallWordMap<bool> pre_nominal_;
  SmallWordMap<std::vector<std::string>> not_units_;  // word -> only after these (empty: always)
  SmallWordMap<bool> identifier_cues_;
  PhraseList symbols_;
  std::vector<CountSymbol> symbol_units_;
  SmallWordMap<bool> date_words_;
};

}  // namespace coopkb
