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

}  // namespace coopkb
