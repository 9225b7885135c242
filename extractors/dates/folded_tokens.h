// Folded tokens: the words, numbers and marks of a folded text (see
// pipeline/fold.h), read on demand forward or backward from any offset. The
// date and count rules look a few tokens around a candidate number instead of
// tokenizing whole documents.
//
//   const std::string& f = folded.folded();       // "depuis le 2 novembre 2020"
//   Token t = NextToken(f, 0);                     // word "depuis"
//   Token n = NextToken(f, t.end);                 // word "le"
//   Token p = PrevToken(f, n.begin);               // word "depuis" again
//   if (Attached(t, n)) ...                        // no space between them?
//
// Words are runs of letters, where a non-ASCII letter, currency or number sign
// counts as a letter ("n°", "m€", "m²", "1ᵉʳ" gives number "1" then word "ᵉʳ")
// but a bullet, arrow or other symbol is a mark; an inner hyphen between letters
// joins ("vingt-deux", "mi-mars", "saint-etienne"); an elided word keeps its
// apostrophe ("d'", "l'", "jusqu'"). Numbers are runs of ASCII digits. Any other
// non-space byte is a one-byte mark. Spaces are skipped; a line break is a
// mark of its own so that rules never join words across paragraphs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace coopkb {

enum class TokenKind { kEnd, kWord, kNumber, kMark, kNewline };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t begin = 0;
  size_t end = 0;  // exclusive
  std::string_view text;

  bool is_word() const { return kind == TokenKind::kWord; }
  bool is_number() const { return kind == TokenKind::kNumber; }
  bool is(std::string_view s) const { return kind != TokenKind::kEnd && text == s; }
  bool at_end() const { return kind == TokenKind::kEnd; }
};

// The first token starting at or after `pos`; kind kEnd past the end.
Token NextToken(std::string_view text, size_t pos);
// The last token ending at or before `pos`; kind kEnd before the start.
Token PrevToken(std::string_view text, size_t pos);

// True when nothing (not even a space) separates `a` from the later token `b`.
inline bool Attached(const Token& a, const Token& b) { return a.end == b.begin; }

// Glued to what precedes it without a space, as in "G4", "COVID-19", "4,2",
// "n°3", "22/01": the token is part of a code or of a larger number.
bool GluedBefore(std::string_view text, const Token& t);
// Glued to what follows `end`, as in "3e", "2009-879", "24h/24", "15/20".
// A mark followed by a space (end of sentence, comma) does not glue.
bool GluedAfter(std::string_view text, size_t end);

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }

// The offset of the first ASCII digit of `text` at or after `pos`, or
// text.size(). Eight bytes at a time: rules that start from numbers skip the
// text between them this way, and most of a text is between them.
inline size_t FindAsciiDigit(std::string_view text, size_t pos) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (; pos + 8 <= text.size(); pos += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + pos, 8);
    // Digits become 0..9, and a byte below 10 borrows when 10 is taken from
    // it; a byte from 0x80 on has its high bit cleared by ~t. Borrows run
    // only towards later bytes, so the first flagged byte is a digit.
    const uint64_t t = x ^ (0x30 * kOnes);
    const uint64_t digits = (t - 0x0A * kOnes) & ~t & kHigh;
    if (digits != 0) return pos + static_cast<size_t>(__builtin_ctzll(digits)) / 8;
  }
  while (pos < text.size() && !IsAsciiDigit(text[pos])) ++pos;
  return pos;
}

}  // namespace coopkb
