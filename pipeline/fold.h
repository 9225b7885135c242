// Folding: the form of text that rules and lexicons match against.
//
//   FoldedText f(doc.text);            // "Le Centre Hospitalier d’Arras" ->
//   f.folded();                        // "le centre hospitalier d'arras"
//   re2::RE2::FindAndConsume(...)      // match rules on f.folded()
//   Span s = f.ToOriginal({b, e});     // the span in doc.text
//
//   Fold("Œuvre – Périnatalité")       // "oeuvre - perinatalite"
//
// Folding is per code point: lower case; accents dropped; œ/æ split; every
// hyphen and dash (U+2010..U+2015, U+2212, U+00AD dropped) becomes '-'; every
// apostrophe becomes '\''; every quotation mark becomes '"'; every space
// (no-break, narrow no-break, thin, tab) becomes ' '; control characters
// become ' '. Line breaks stay '\n' so that rules can respect paragraphs.
// Since the same function folds lexicon entries and text, matching ignores
// exactly these differences and no others.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/document.h"
#include "pipeline/offset_map.h"

namespace coopkb {

std::string Fold(std::string_view utf8);
// Fold(utf8) into `out`, replacing its contents: a caller folding line after
// line reuses one buffer instead of allocating a string each time.
void FoldInto(std::string_view utf8, std::string& out);
// Fold(a) == Fold(b), without building either: most pairs differ within a
// few bytes, so the comparison stops there.
bool FoldsEqual(std::string_view a, std::string_view b);

// One code point folded exactly as Fold() folds it (at most 7 bytes: "…"
// gives "..."), for readers that fold as they scan. An invalid sequence
// (c < 0, as U8_NEXT reports it) folds to U+FFFD.
struct FoldedChar {
  char bytes[7];
  uint8_t size;
};
FoldedChar FoldCodePoint(int32_t c);

class FoldedText {
 public:
  explicit FoldedText(std::string_view original);
  const std::string& folded() const { return folded_; }
  // A span of folded() as a span of the original text.
  Span ToOriginal(Span folded_span) const;
  // The original offset of a folded offset.
  size_t ToOriginal(size_t folded_offset) const { return map_.ToSource(folded_offset); }

 private:
  std::string folded_;
  OffsetMap map_;
};

}  // namespace coopkb
