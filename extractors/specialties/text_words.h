// TextWords (namespace coopkb::specialties): the words of a text in their
// folded form (pipeline/fold.h), with the plural mark set apart and what
// separates each word from the previous one, so that lexicon phrases match
// word by word whatever their case, accents and number.
//
//   TextWords words("Les chirurgies maxillo-faciales, en ORL");
//   // "les" "chirurgies" "maxillo" "faciales" "en" "orl"
//   words.Key(1);          // "chirurgie" (the key drops the plural mark)
//   words.plural(1);       // true
//   words.span(1);         // {4, 14}: byte offsets in the text as given
//   words.InPhrase(3);     // true: a hyphen between words 2 and 3
//   words.Glues(3);        // true: "maxillo-" is a combining form
//   words.InPhrase(4);     // false: a comma
//
// Folding is Fold() applied code point by code point, so a word folds exactly
// as Fold() folds it, but the text is read once and words keep their offsets
// in the original text: no folded copy of the whole text and no offset map,
// which is most of the cost of matching.
// A word is a run of letters and digits (and of what Fold() drops, such as a
// soft hyphen or a combining accent, inside a word). The plural mark is a final
// 's' or 'x' of a folded word longer than three bytes: crude on purpose, since
// lexicon phrases go through the same class, a word and its plural share a key
// whether or not the cut is grammatical.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/document.h"

namespace coopkb::specialties {

class TextWords {
 public:
  explicit TextWords(std::string_view text);

  size_t size() const { return words_.size(); }
  Span span(size_t i) const { return {words_[i].begin, words_[i].end}; }
  // The folded word, and the same without its plural mark.
  std::string_view Folded(size_t i) const {
    return std::string_view(folded_.get() + words_[i].folded, words_[i].folded_size);
  }
  std::string_view Key(size_t i) const {
    return std::string_view(folded_.get() + words_[i].folded, words_[i].key_size);
  }
  bool plural(size_t i) const { return words_[i].key_size != words_[i].folded_size; }

  // What lies between word i-1 and word i (i > 0):
  // blanks, hyphens and apostrophes with at most one line break (a wrapped
  // line; a blank line ends a paragraph): two words of one phrase.
  // (Defined here, to be inlined: the matcher asks about every word.)
  bool InPhrase(size_t i) const { return (words_[i].gap & (kOther | kLineBreaks | kMark)) == 0; }
  // a single hyphen or blank after a word ending in 'o': "neuro-radiologie",
  // "neuro radiologie" may be read as the one word "neuroradiologie", as French
  // combining forms are written all three ways.
  bool Glues(size_t i) const {
    if ((words_[i].gap & kSingle) == 0) return false;
    std::string_view previous = Folded(i - 1);
    return !previous.empty() && previous.back() == 'o';
  }
  // a single hyphen (the way a lexicon writes a combining form).
  bool SingleHyphen(size_t i) const { return (words_[i].gap & (kSingle | kHyphen)) == (kSingle | kHyphen); }
  // blanks only, on one line.
  bool Blank(size_t i) const { return (words_[i].gap & ~kSingle & 0xFF) == 0; }
  // blanks around one comma or slash, on one line: the gap of a list.
  bool ListMark(size_t i) const { return (words_[i].gap & ~kSingle & 0xFF) == kMark; }

 private:
  enum GapFlag : uint8_t {
    kOther = 1,        // anything but blanks, hyphens, apostrophes, line breaks, ',' and '/'
    kHyphen = 2,
    kApostrophe = 4,
    kLineBreak = 8,
    kLineBreaks = 16,  // two or more
    kMark = 32,        // ',' or '/'
    kMarks = 64,       // two or more
    kSingle = 128,     // one folded character, a hyphen or a blank
  };
  struct Word {
    size_t begin, end;  // in the original text
    uint32_t folded;    // offset in folded_
    uint16_t folded_size, key_size;
    uint8_t gap;        // GapFlag bits of the gap before the word
  };
  // Sets the sizes of `word`, whose folded bytes end folded_, and keeps it.
  void AddWord(Word word, size_t folded_size);

  std::vector<Word> words_;
  std::unique_ptr<char[]> folded_;  // the folded words, one after the other
};

}  // namespace coopkb::specialties
