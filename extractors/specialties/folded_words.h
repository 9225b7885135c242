// Folded words (namespace coopkb::specialties): the words of a folded text
// (pipeline/fold.h), each with its plural mark set apart, so that lexicon
// phrases match word by word whatever their number.
//
//   std::string folded = Fold("Les chirurgies maxillo-faciales");
//   std::vector<FoldedWord> words = SplitFoldedWords(folded);
//   // "les" "chirurgies" "maxillo" "faciales"
//   words[1].Key(folded);        // "chirurgie"
//   words[1].plural;             // true
//   InPhraseGap(folded, words[2], words[3]);   // true: a hyphen
//   JoinsNext(folded, words[2], words[3]);     // true: "maxillo-" is a combining form
//
// A word is a maximal run of ASCII letters and digits and non-ASCII bytes
// (folding leaves only letters of other scripts there). The plural mark is a
// final 's' or 'x' of a word longer than three bytes: it is cut off the key and
// remembered, so "urgences" has the key "urgence". The rule is crude on
// purpose: lexicon phrases go through the same function, so a word and its
// plural share a key whether or not the cut is grammatical.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace coopkb::specialties {

struct FoldedWord {
  size_t begin = 0;     // byte offsets in the folded text
  size_t end = 0;
  size_t key_size = 0;  // the key is the word without its plural mark
  bool plural = false;

  std::string_view Text(std::string_view folded) const {
    return folded.substr(begin, end - begin);
  }
  std::string_view Key(std::string_view folded) const { return folded.substr(begin, key_size); }
};

// Appends the words of `folded` to `out` (cleared first).
void SplitFoldedWords(std::string_view folded, std::vector<FoldedWord>& out);
std::vector<FoldedWord> SplitFoldedWords(std::string_view folded);

// True when the text between `a` and the following word `b` may separate two
// words of one phrase: blanks, hyphens and apostrophes, with at most one line
// break (a wrapped line; a blank line ends a paragraph).
bool InPhraseGap(std::string_view folded, const FoldedWord& a, const FoldedWord& b);

// True when `a` ends in 'o' and is followed by `b` after a single hyphen or
// blank: "neuro-radiologie", "neuro radiologie" may then be read as the one
// word "neuroradiologie", as French combining forms are written all three ways.
bool JoinsNext(std::string_view folded, const FoldedWord& a, const FoldedWord& b);

}  // namespace coopkb::specialties
