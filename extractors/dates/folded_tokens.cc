#include "extractors/dates/folded_tokens.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Folded text is lower case and accent-free, so most letters are a-z. A
// non-ASCII character is part of a word when it is a letter, a digit-like sign
// or a currency ("n°", "m²", "1ᵉʳ", "m€"); bullets, arrows and other symbols
// are marks, so that "• Deux sites" starts a phrase.
bool IsWordCodePoint(UChar32 c) {
  if (c < 0) return false;
  if (c == 0xB0 || c == 0xBA) return true;  // "n°", "nº"
  if (u_isalpha(c)) return true;
  int8_t type = u_charType(c);
  return type == U_CURRENCY_SYMBOL || type == U_OTHER_NUMBER || type == U_MODIFIER_LETTER ||
         type == U_NON_SPACING_MARK;
}

// Length of the word character starting at `i`, or 0 when it is not one.
size_t WordCharAt(std::string_view s, size_t i) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return IsAsciiLetter(static_cast<char>(b)) ? 1 : 0;
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  return IsWordCodePoint(c) ? static_cast<size_t>(pos) - i : 0;
}

// Length of the word character ending at `i` (exclusive), or 0.
size_t WordCharBefore(std::string_view s, size_t i) {
  unsigned char b = static_cast<unsigned char>(s[i - 1]);
  if (b < 0x80) return IsAsciiLetter(static_cast<char>(b)) ? 1 : 0;
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, pos, c);
  return IsWordCodePoint(c) ? i - static_cast<size_t>(pos) : 0;
}

// Length of the character starting at `i` (a mark may be several bytes).
size_t CharAt(std::string_view s, size_t i) {
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  return static_cast<size_t>(pos) - i;
}

size_t CharBefore(std::string_view s, size_t i) {
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, pos, c);
  return i - static_cast<size_t>(pos);
}

Token Make(std::string_view text, TokenKind kind, size_t begin, size_t end) {
  return Token{kind, begin, end, text.substr(begin, end - begin)};
}

}  // namespace

Token NextToken(std::string_view text, size_t pos) {
  size_t n = text.size();
  while (pos < n && IsSpace(text[pos])) ++pos;
  if (pos >= n) return Token{TokenKind::kEnd, n, n, {}};
  char c = text[pos];
  if (c == '\n') return Make(text, TokenKind::kNewline, pos, pos + 1);
  if (IsAsciiDigit(c)) {
    size_t e = pos;
    while (e < n && IsAsciiDigit(text[e])) ++e;
    return Make(text, TokenKind::kNumber, pos, e);
  }
  size_t len = WordCharAt(text, pos);
  if (len == 0) return Make(text, TokenKind::kMark, pos, pos + CharAt(text, pos));
  size_t e = pos + len;
  while (e < n) {
    if ((len = WordCharAt(text, e)) > 0) {
      e += len;
    } else if (text[e] == '-' && e + 1 < n && WordCharAt(text, e + 1) > 0) {
      e += 1;
    } else if (text[e] == '\'') {
      ++e;  // elision: the apostrophe ends the word
      break;
    } else {
      break;
    }
  }
  return Make(text, TokenKind::kWord, pos, e);
}

Token PrevToken(std::string_view text, size_t pos) {
  if (pos > text.size()) pos = text.size();
  while (pos > 0 && IsSpace(text[pos - 1])) --pos;
  if (pos == 0) return Token{TokenKind::kEnd, 0, 0, {}};
  size_t e = pos;
  char c = text[e - 1];
  if (c == '\n') return Make(text, TokenKind::kNewline, e - 1, e);
  if (IsAsciiDigit(c)) {
    size_t b = e;
    while (b > 0 && IsAsciiDigit(text[b - 1])) --b;
    return Make(text, TokenKind::kNumber, b, e);
  }
  size_t b = e;
  if (c == '\'') {
    if (e < 2 || WordCharBefore(text, e - 1) == 0) return Make(text, TokenKind::kMark, e - 1, e);
    --b;  // elided word: "d'" ends with its apostrophe
  } else if (WordCharBefore(text, e) == 0) {
    return Make(text, TokenKind::kMark, e - CharBefore(text, e), e);
  }
  while (b > 0) {
    size_t len = WordCharBefore(text, b);
    if (len > 0) {
      b -= len;
    } else if (text[b - 1] == '-' && b >= 2 && WordCharBefore(text, b - 1) > 0) {
      --b;
    } else {
      break;
    }
  }
  return Make(text, TokenKind::kWord, b, e);
}

namespace {
bool IsJoiningMark(const Token& t) {
  if (t.kind != TokenKind::kMark || t.text.size() != 1) return false;
  char c = t.text[0];
  return c == '-' || c == '/' || c == '.' || c == ',' || c == ':';
}
}  // namespace

bool GluedBefore(std::string_view text, const Token& t) {
  Token p = PrevToken(text, t.begin);
  if (!Attached(p, t)) return false;
  if (p.is_word() || p.is_number()) return true;
  if (!IsJoiningMark(p)) return false;
  Token pp = PrevToken(text, p.begin);
  return Attached(pp, p) && (pp.is_word() || pp.is_number());
}

bool GluedAfter(std::string_view text, size_t end) {
  Token n = NextToken(text, end);
  if (n.begin != end || n.at_end()) return false;
  if (n.is_word() || n.is_number()) return true;
  if (!IsJoiningMark(n)) return false;
  Token nn = NextToken(text, n.end);
  return Attached(n, nn) && (nn.is_word() || nn.is_number());
}

}  // namespace coopkb
