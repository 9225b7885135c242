#include "extractors/dates/folded_tokens.h"

namespace coopkb {
namespace {

// Folded text is lower case, so letters are a-z; bytes >= 0x80 are what folding
// left of non-Latin letters and symbols, kept together with the letters around them.
bool IsLetterByte(char c) {
  return IsAsciiLetter(c) || (static_cast<unsigned char>(c) >= 0x80);
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

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
  if (!IsLetterByte(c)) return Make(text, TokenKind::kMark, pos, pos + 1);
  size_t e = pos;
  while (e < n) {
    if (IsLetterByte(text[e])) {
      ++e;
    } else if (text[e] == '-' && e + 1 < n && IsLetterByte(text[e + 1])) {
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
    if (e < 2 || !IsLetterByte(text[e - 2])) return Make(text, TokenKind::kMark, e - 1, e);
    --b;  // elided word: "d'" ends with its apostrophe
  } else if (!IsLetterByte(c)) {
    return Make(text, TokenKind::kMark, e - 1, e);
  }
  while (b > 0) {
    if (IsLetterByte(text[b - 1])) {
      --b;
    } else if (text[b - 1] == '-' && b >= 2 && IsLetterByte(text[b - 2])) {
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
