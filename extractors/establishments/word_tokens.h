// WordTokens: the words of a folded text, what separates them, and how each
// one is written in the original.
//
//   FoldedView folded(doc.text);   // or SharedFoldedView(doc.text)
//   WordTokens words(folded, doc.text);
//   words.folded(3);              // "arras"        (rules match folded words)
//   words.gap_before(3);          // Gap::kApostrophe: "d'Arras"
//   words.Capitalized(3);         // true: "Arras" starts with a capital in doc.text
//   words.Original(3);            // span of "Arras" in doc.text
//   words.hash(3);                // WordHash("arras"), for lexicon lookups
//
// A word is a maximal run of [a-z0-9] or non-ASCII bytes of the folded text;
// everything between two words is a gap, classified so that phrase rules can
// tell "Boulogne-sur-Mer" (hyphens) from "Lille - Roubaix" (a dash) or
// "Calais, Boulogne" (a comma). Case is read on the original text, since
// folding drops it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "extractors/dates/folded_view.h"

namespace coopkb {

// The hash of a folded word that WordTokens stores for every word (FNV-1a; never 0).
inline uint64_t WordHash(std::string_view folded_word) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : folded_word) h = (h ^ c) * 1099511628211ull;
  return h | 1;
}

enum class Gap : uint8_t {
  kStart,       // before the first word
  kSpace,       // spaces only
  kHyphen,      // a hyphen with no space: "Lille-Sud"
  kApostrophe,  // "d'Arras", "l'Ouest"
  kSlash,       // "Pointe-à-Pitre/Abymes"
  kDash,        // a hyphen or dash with spaces: "Lille - Roubaix"
  kComma,       // ", "
  kHard,        // any other punctuation: . ; : ( ) ? " ...
  kBreak,       // a line break
};

// Gaps that may stand inside one name or phrase.
inline bool IsSoftGap(Gap g) {
  return g == Gap::kSpace || g == Gap::kHyphen || g == Gap::kApostrophe || g == Gap::kSlash ||
         g == Gap::kDash;
}

class WordTokens {
 public:
  WordTokens(const FoldedView& folded, std::string_view original);

  size_t size() const { return words_.size(); }
  std::string_view folded(size_t i) const {
    return std::string_view(folded_.data() + words_[i].begin, words_[i].end - words_[i].begin);
  }
  Gap gap_before(size_t i) const { return words_[i].gap; }
  uint64_t hash(size_t i) const { return words_[i].hash; }
  // The folded text between word i-1 and word i (between the start and word 0).
  std::string_view gap_text(size_t i) const;
  // Byte span of word i in the folded text, and of words [first, last) in the original.
  Span FoldedSpan(size_t i) const { return {words_[i].begin, words_[i].end}; }
  Span Original(size_t i) const;
  Span Original(size_t first, size_t last) const {
    return {Original(first).begin, Original(last - 1).end};
  }
  std::string_view OriginalText(size_t i) const;

  // Case as written: the first letter is a capital; every letter is a capital.
  bool Capitalized(size_t i) const;
  bool AllCaps(size_t i) const;
  // Letters only (no digit): "G4" is not a name word.
  bool Alphabetic(size_t i) const;

 private:
  struct Word {
    uint64_t hash;
    uint32_t begin, end;  // folded offsets
    Gap gap;
  };
  const FoldedView& folded_text_;
  std::string_view folded_;
  std::string_view original_;
  std::vector<Word> words_;
  // Original spans, computed on first use: mapping back costs a search, and
  // only the words near an establishment are ever asked for.
  mutable std::vector<Span> original_spans_;
};

}  // namespace coopkb
