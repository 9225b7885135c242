#include "pipeline/text_normalizer.h"

#include <cstring>

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

namespace coopkb {

char32_t Windows1252Char(unsigned char byte) {
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  if (byte < 0x80 || byte > 0x9F) return byte;
  return kHigh[byte - 0x80];
}

namespace {

// True when every character is below U+0300 or in U+2002..U+20CF (general
// punctuation, super/subscripts, currency signs), or is U+2122 or U+FFFD: all
// of them are NFC_Quick_Check=Yes with combining class 0, so such a text is in
// NFC. That is nearly every French text, which then skips ICU's check.
bool TriviallyNfc(std::string_view text) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(text.data());
  size_t n = text.size();
  for (size_t i = 0; i < n;) {
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {  // eight ASCII bytes
        i += 8;
        continue;
      }
    }
    uint8_t c = p[i];
    if (c < 0xCC) {
      ++i;  // ASCII, continuation bytes and leads of U+0080..U+02FF
      continue;
    }
    if (c == 0xE2 && i + 2 < n) {
      uint32_t cp = (c & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
      if ((cp >= 0x2002 && cp <= 0x20CF) || cp == 0x2122) {
        i += 3;
        continue;
      }
    }
    if (c == 0xEF && i + 2 < n && p[i + 1] == 0xBF && p[i + 2] == 0xBD) {
      i += 3;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

std::optional<RewrittenText> NormalizeNfc(std::string_view text) {
  if (TriviallyNfc(text)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::nullopt;
  icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(piece, status) || U_FAILURE(status)) return std::nullopt;
  RewrittenText out;
  out.text.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out.text);
  icu::Edits edits;
  status = U_ZERO_ERROR;
  nfc->normalizeUTF8(0, piece, sink, &edits, status);
  if (U_FAILURE(status)) return std::nullopt;
  OffsetMapBuilder map;
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(status)) {
    if (it.hasChange()) {
      map.Replace(it.sourceIndex(), it.oldLength(), it.newLength());
    } else {
      map.Copy(it.sourceIndex(), it.oldLength());
    }
  }
  out.map = std::move(map).Build();
  return out;
}

namespace {

enum class CharClass { kPlain, kSpace, kBreak, kDrop, kMapped };

CharClass Classify(UChar32 c) {
  if (c < 0x80) {
    if (c > 0x20 && c < 0x7F) return CharClass::kPlain;
    if (c == ' ' || c == '\t') return CharClass::kSpace;
    if (c == '\n' || c == '\f' || c == '\v') return CharClass::kBreak;
    return CharClass::kDrop;  // other C0 controls, DEL ('\r' is handled by the caller)
  }
  if (c < 0xA0) return CharClass::kMapped;
  switch (c) {
    case 0x00A0: case 0x202F: case 0x2007: case 0x2000: case 0x2001: case 0x2002:
    case 0x2003: case 0x2004: case 0x2005: case 0x2006: case 0x2008: case 0x2009:
    case 0x200A: case 0x205F: case 0x3000: case 0x1680:
      return CharClass::kSpace;
    case 0x2028: case 0x2029:
      return CharClass::kBreak;
    case 0x00AD: case 0x200B: case 0x2060: case 0xFEFF:
      return CharClass::kDrop;
    default:
      return CharClass::kPlain;
  }
}

bool IsNoBreakSpace(std::string_view s) {
  return s == "\xC2\xA0" || s == "\xE2\x80\xAF";  // NBSP, narrow NBSP
}

UChar32 DecodeAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return -1;
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  return c;
}

UChar32 DecodeBefore(std::string_view s, size_t pos) {
  if (pos == 0) return -1;
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, i, c);
  return c;
}

// Where French typography puts a no-break space: before : ; ! ? » % and
// currency, after «, and between the digit groups of a number.
bool IsTypographicSpace(UChar32 before, UChar32 after) {
  switch (after) {
    case ':': case ';': case '!': case '?': case '%': case 0xBB: case 0x203A: case 0x20AC: case '$':
      return true;
    default:
      break;
  }
  if (before == 0xAB || before == 0x2039) return true;
  return before >= '0' && before <= '9' && after >= '0' && after <= '9';
}

// Per byte of x, the high bit set where the byte is zero (exact, no borrow
// from one byte into the next).
uint64_t ZeroBytes(uint64_t x) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full, kHigh = 0x8080808080808080ull;
  return ~(((x & kLow7) + kLow7) | x) & kHigh;
}

// Whether the eight bytes at p pass the byte-by-byte fast path below: each
// printable ASCII other than a space (0x21..0x7E), or a space followed by one
// (so p[8] is read too).
bool PlainEight(const uint8_t* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  uint64_t x, y;
  std::memcpy(&x, p, 8);
  std::memcpy(&y, p + 1, 8);
  // x: all of 0x20..0x7E.
  if ((x & kHigh) || ((x - 0x20 * kOnes) & ~x & kHigh) || ZeroBytes(x ^ (0x7F * kOnes))) return false;
  // y, where x has a space: 0x21..0x7E (b + 0x5F has its high bit from 0x21 on).
  const uint64_t spaces = ZeroBytes(x ^ (0x20 * kOnes));
  const uint64_t low7 = y & 0x7F7F7F7F7F7F7F7Full;
  const uint64_t plain_y = ~(y & kHigh) & ((low7 + 0x5F * kOnes) & kHigh) & ~ZeroBytes(y ^ (0x7F * kOnes));
  return (spaces & ~plain_y) == 0;
}

class CharacterNormalizer {
 public:
  explicit CharacterNormalizer(std::string_view text) : text_(text), w_(text) {}

  std::optional<RewrittenText> Run() {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(text_.data());
    int32_t n = static_cast<int32_t>(text_.size());
    int32_t i = 0;
    size_t plain_from = kNone;
    while (i < n) {
      size_t b = static_cast<size_t>(i);
      // Fast path: inside a run of plain text, printable ASCII and single
      // spaces between words need no decision.
      if (plain_from != kNone) {
        if (i + 9 <= n && PlainEight(p + i)) {
          i += 8;
          continue;
        }
        uint8_t c0 = p[i];
        if ((c0 > 0x20 && c0 < 0x7F) || (c0 == ' ' && i + 1 < n && p[i + 1] > 0x20 && p[i + 1] < 0x7F)) {
          ++i;
          continue;
        }
        // Latin-1 letters (U+00C0..U+00FF) and French punctuation (‘ ’ “ ” – — …).
        if (c0 == 0xC3 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
          i += 2;
          continue;
        }
        if (c0 == 0xE2 && i + 2 < n && p[i + 1] == 0x80) {
          uint8_t c2 = p[i + 2];
          if (c2 == 0x93 || c2 == 0x94 || c2 == 0x98 || c2 == 0x99 || c2 == 0x9C || c2 == 0x9D || c2 == 0xA6) {
            i += 3;
            continue;
          }
        }
      }
      UChar32 c;
      if (p[i] < 0x80) {
        c = p[i++];
      } else {
        U8_NEXT(p, i, n, c);
        if (c < 0) c = 0xFFFD;  // the reader already replaced invalid bytes
      }
      CharClass k = c == '\r' ? (i < n && p[i] == '\n' ? CharClass::kDrop : CharClass::kBreak)
                              : Classify(c);
      if (k == CharClass::kPlain) {
        if (plain_from == kNone) {
          Separate(b);
          plain_from = b;
        }
        continue;
      }
      if (plain_from != kNone) {
        w_.Copy(plain_from, b);
        plain_from = kNone;
      }
      switch (k) {
        case CharClass::kSpace:
          if (line_has_text_) {
            if (space_begin_ == kNone) space_begin_ = b;
            space_end_ = i;
          }
          break;
        case CharClass::kBreak:
          if (line_has_text_) {
            line_has_text_ = false;
            break_begin_ = space_begin_ != kNone ? space_begin_ : b;
          }
          space_begin_ = kNone;
          break;
        case CharClass::kMapped: {
          char32_t mapped = Windows1252Char(static_cast<unsigned char>(c));
          if (mapped == 0) break;  // undefined in windows-1252 too: dropped
          Separate(b);
          char buf[4];
          int32_t len = 0;
          UBool error = false;
          U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, static_cast<UChar32>(mapped), error);
          if (!error) w_.Replace(b, i, std::string_view(buf, len));
          break;
        }
        default:
          break;  // dropped
      }
    }
    if (plain_from != kNone) w_.Copy(plain_from, text_.size());
    if (!w_.changed()) return std::nullopt;
    return RewrittenText{w_.TakeText(), w_.TakeMap()};
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // Writes what separates the text already written from a character at `pos`:
  // one line break, one space, or nothing.
  void Separate(size_t pos) {
    if (!line_has_text_) {
      if (break_begin_ != kNone && !w_.text().empty()) {
        if (pos == break_begin_ + 1 && text_[break_begin_] == '\n') {
          w_.Copy(break_begin_, pos);
        } else {
          w_.Replace(break_begin_, pos, "\n");
        }
      }
      break_begin_ = kNone;
      space_begin_ = kNone;
      line_has_text_ = true;
      return;
    }
    if (space_begin_ != kNone) {
      std::string_view run = text_.substr(space_begin_, space_end_ - space_begin_);
      bool keep = space_end_ == pos &&
                  (run == " " || (IsNoBreakSpace(run) && IsTypographicSpace(DecodeBefore(text_, space_begin_),
                                                                           DecodeAt(text_, pos))));
      if (keep) {
        w_.Copy(space_begin_, space_end_);
      } else {
        w_.Replace(space_begin_, pos, " ");
      }
      space_begin_ = kNone;
    }
  }

  std::string_view text_;
  TextRewriter w_;
  bool line_has_text_ = false;
  size_t space_begin_ = kNone, space_end_ = kNone;
  size_t break_begin_ = kNone;
};

}  // namespace

std::optional<RewrittenText> NormalizeCharacters(std::string_view text) {
  return CharacterNormalizer(text).Run();
}

}  // namespace coopkb
