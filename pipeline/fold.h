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
#include <cstring>
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

// Folds the eight bytes at `in` into `out` when all of them are printable
// ASCII (0x20..0x7E), as Fold() would: capitals lowered, the rest copied, a
// word at a time. Returns false, writing nothing, for any other byte (line
// breaks, controls, non-ASCII), which the caller folds one by one. Most of a
// French text is such runs, so every whole-text fold goes through here.
inline bool FoldEightAscii(const char* in, char* out) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  uint64_t x;
  std::memcpy(&x, in, 8);
  // Any byte >= 0x80, < 0x20 or == 0x7F: not this path.
  if ((x & kHigh) || ((x - 0x20 * kOnes) & ~x & kHigh) || ((((x ^ (0x7F * kOnes)) - kOnes) & ~(x ^ (0x7F * kOnes))) & kHigh)) {
    return false;
  }
  // Bytes in 'A'..'Z' (0x41..0x5A) get 0x20: per byte, b + 0x3F has its high
  // bit set from 0x41 on, b + 0x25 from 0x5B on, and no byte carries over.
  const uint64_t capitals = ((x + 0x3F * kOnes) & ~(x + 0x25 * kOnes)) & kHigh;
  x += capitals >> 2;
  std::memcpy(out, &x, 8);
  return true;
}

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
