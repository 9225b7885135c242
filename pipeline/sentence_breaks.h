// SentenceBreaks: where the sentence rules of Unicode (UAX #29) allow a break
// inside one line of text.
//
//   std::vector<size_t> breaks;
//   SentenceBreaks("Il vient. Elle part ! Fin", breaks);   // breaks == {10, 22}
//
// Offsets are in bytes, each the start of the text after a break (a sentence
// ends before it, spaces included); neither 0 nor the end of the line is
// listed. These are the boundaries ICU's sentence iterator gives for the same
// line (tests/segmenter_test.cc checks it on every bundled text and on random
// ones), computed on the UTF-8 bytes from each character's Sentence_Break
// property instead of through a UTF-16 copy and ICU's rule tables, which cost
// a tenth of all extraction. The rules, in UAX #29's numbering:
//   SB4   a break after a paragraph separator (U+2028, U+2029, U+0085, CR, LF);
//   SB5   combining marks and format characters belong to the character before;
//   SB6   no break in "3.5" (full stop, digit);
//   SB7   no break in "U.S" (letter, full stop, capital);
//   SB8   no break after a full stop when a lower-case letter comes first
//         among the letters after it ("etc. et", "p. (voir) la");
//   SB8a  no break before a comma, a colon or another terminator ("?!");
//   SB9-11 otherwise a break after a terminator, its closing marks and spaces.
// Invalid UTF-8 reads as U+FFFD, one per maximal ill-formed sequence.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace coopkb {

// Fills `breaks` (cleared first) with the break offsets of `line`.
void SentenceBreaks(std::string_view line, std::vector<size_t>& breaks);

}  // namespace coopkb
