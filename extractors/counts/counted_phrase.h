// Counted phrases: the noun phrase a number counts, read right after the number
// on folded text, with the original text consulted for letter case.
//
//   CountedPhraseReader reader(words, folded_view, doc.text);
//   // "207 conventions de partage de temps médical : 129 ..."
//   auto np = reader.Read(head, {.before_number = "", .value_is_one = false});
//   np->begin, np->end   // folded span of "conventions de partage de temps médical"
//
// The phrase is a head noun (lower case, an acronym such as "CHU", or a
// capitalised noun), then up to four adjectives ("hôpitaux généraux", "séminaires
// communs", "structures régionales dédiées") and up to three "de/d' + noun"
// complements, each optionally followed by adjectives. It ends at punctuation, a
// line break, a number, a capitalised word after the head, any word of
// count_phrase_stops.tsv (articles, prepositions other than de, pronouns,
// auxiliaries) or a word with a verb or adverb ending ("permettant", "exercent").
#pragma once

#include <optional>
#include <string_view>

#include "extractors/counts/count_words.h"
#include "extractors/dates/folded_tokens.h"
#include "extractors/dates/folded_view.h"

namespace coopkb {

enum class WordCase { kLower, kCapitalized, kUpper, kOther };

// The case of `t` (a token of folded text) as written in `original`.
WordCase CaseOf(const FoldedView& folded, std::string_view original, const Token& t);

class CountedPhraseReader {
 public:
  struct Context {
    std::string_view before_number;  // folded word right before the number ("à")
    bool value_is_one = false;       // below 2, a singular head: verb endings are not checked
    bool lower_case_head = false;    // postal codes and years: "21000 Dijon"
  };
  struct Phrase {
    size_t begin = 0, end = 0;  // folded offsets
  };

  CountedPhraseReader(const CountWords& words, const FoldedView& folded,
                      std::string_view original)
      : w_(words), ft_(folded), f_(folded.folded()), original_(original) {}

  // The phrase whose head is `head`, or nullopt when `head` cannot head one.
  std::optional<Phrase> Read(const Token& head, const Context& context) const;

 private:
  bool IsPhraseWord(const Token& t) const;

  const CountWords& w_;
  const FoldedView& ft_;
  std::string_view f_;
  std::string_view original_;
};

}  // namespace coopkb
