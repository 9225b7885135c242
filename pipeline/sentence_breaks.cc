#include "pipeline/sentence_breaks.h"

#include <array>
#include <cstdint>
#include <string_view>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

// The Sentence_Break value of a character, as ICU gives it.
using SentenceClass = uint8_t;

SentenceClass ClassOf(UChar32 c) {
  return static_cast<SentenceClass>(u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK));
}

// ASCII and Latin-1 are nearly all of a French text: looked up once.
const std::array<SentenceClass, 256>& Latin1Classes() {
  static const std::array<SentenceClass, 256> table = [] {
    std::array<SentenceClass, 256> t{};
    for (UChar32 c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = ClassOf(c);
    return t;
  }();
  return table;
}

bool IsParagraphSeparator(SentenceClass c) { return c == U_SB_SEP || c == U_SB_CR || c == U_SB_LF; }

bool IsTerminator(SentenceClass c) { return c == U_SB_ATERM || c == U_SB_STERM; }

// What SB8 looks past on its way to a letter.
bool StopsFullStopLookahead(SentenceClass c) {
  return c == U_SB_OLETTER || c == U_SB_UPPER || c == U_SB_LOWER || IsParagraphSeparator(c) || IsTerminator(c);
}

bool IsMarkOrFormat(SentenceClass c) { return c == U_SB_EXTEND || c == U_SB_FORMAT; }

// The ASCII bytes a break can follow: the scan stops only on those and on
// non-ASCII characters. A table, since the scan asks about every byte.
const std::array<bool, 256>& ScanStops() {
  static const std::array<bool, 256> table = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view(".!?\r\n")) t[c] = true;
    for (int c = 0x80; c < 256; ++c) t[static_cast<size_t>(c)] = true;
    return t;
  }();
  return table;
}

// Whether the bytes at p[i] are a character of U+0080..U+00FF (two bytes)
// that neither ends a sentence nor separates paragraphs: an accented letter,
// a no-break space, a guillemet. The scan steps over it as over an ASCII
// letter; marks after it, if any, are stepped over in turn, as alone they
// end nothing either.
bool InertLatin1At(const uint8_t* p, int32_t i, int32_t n) {
  if ((p[i] != 0xC2 && p[i] != 0xC3) || i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) return false;
  const SentenceClass cls = Latin1Classes()[static_cast<size_t>((p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F))];
  return !IsParagraphSeparator(cls) && !IsTerminator(cls);
}

// One line read character by character, each with the marks and format
// characters that follow it (SB5).
class Line {
 public:
  explicit Line(std::string_view text)
      : p_(reinterpret_cast<const uint8_t*>(text.data())), length_(static_cast<int32_t>(text.size())) {}

  int32_t length() const { return length_; }
  const uint8_t* bytes() const { return p_; }

  struct Char {
    SentenceClass cls;
    int32_t end;  // past its marks
  };

  Char At(int32_t i) const {
    Char c{ClassAt(i), i};  // ClassAt moves i past the character first: braced initializers run in order
    if (IsParagraphSeparator(c.cls)) return c;
    while (c.end < length_) {
      int32_t next = c.end;
      if (!IsMarkOrFormat(ClassAt(next))) break;
      c.end = next;
    }
    return c;
  }

  // The class of the character that ends before byte `i`: a mark or format
  // character counts as the one it follows, unless it opens the line or
  // follows a separator (then it stands alone); U_SB_OTHER at the start.
  SentenceClass Before(int32_t i) const {
    bool after_marks = false;
    SentenceClass first_mark = U_SB_OTHER;
    while (i > 0) {
      UChar32 c;
      U8_PREV(p_, 0, i, c);
      const SentenceClass cls = Classify(c);
      if (!IsMarkOrFormat(cls)) return after_marks && IsParagraphSeparator(cls) ? first_mark : cls;
      after_marks = true;
      first_mark = cls;
    }
    return first_mark;
  }

 private:
  static SentenceClass Classify(UChar32 c) {
    const auto& latin1 = Latin1Classes();
    return c < 0 ? ClassOf(0xFFFD) : c < 256 ? latin1[static_cast<size_t>(c)] : ClassOf(c);
  }

  // The class of the character at `i`, which moves past it.
  SentenceClass ClassAt(int32_t& i) const {
    if (p_[i] < 0x80) return Latin1Classes()[p_[i++]];
    UChar32 c;
    U8_NEXT(p_, i, length_, c);
    return Classify(c);
  }

  const uint8_t* p_;
  int32_t length_;
};

}  // namespace

void SentenceBreaks(std::string_view text, std::vector<size_t>& breaks) {
  breaks.clear();
  const Line line(text);
  const int32_t n = line.length();
  const uint8_t* p = line.bytes();
  const std::array<bool, 256>& stops = ScanStops();
  for (int32_t i = 0; i < n;) {
    if (!stops[p[i]]) {
      ++i;
      continue;
    }
    if (InertLatin1At(p, i, n)) {
      i += 2;
      continue;
    }
    const Line::Char here = line.At(i);
    if (IsParagraphSeparator(here.cls)) {
      bool cr_lf = here.cls == U_SB_CR && here.end < n && p[here.end] == '\n';            // SB3
      if (!cr_lf && here.end < n) breaks.push_back(static_cast<size_t>(here.end));  // SB4
      i = here.end;
      continue;
    }
    if (!IsTerminator(here.cls)) {
      i = here.end;
      continue;
    }
    if (here.cls == U_SB_ATERM && here.end < n) {
      const SentenceClass next = line.At(here.end).cls;
      if (next == U_SB_NUMERIC) {  // SB6
        i = here.end;
        continue;
      }
      if (next == U_SB_UPPER) {  // SB7
        SentenceClass before = line.Before(i);
        if (before == U_SB_UPPER || before == U_SB_LOWER) {
          i = here.end;
          continue;
        }
      }
    }
    // The terminator's closing marks, then its spaces.
    int32_t k = here.end;
    Line::Char next{U_SB_OTHER, k};
    while (k < n && (next = line.At(k)).cls == U_SB_CLOSE) k = next.end;
    while (k < n && (next = line.At(k)).cls == U_SB_SP) k = next.end;
    if (k >= n) break;
    // `next` is the character at k; the scan goes on from there.
    i = k;
    if (here.cls == U_SB_ATERM) {  // SB8
      Line::Char letter{U_SB_OTHER, k};
      for (int32_t m = k; m < n; m = letter.end) {
        letter = line.At(m);
        if (StopsFullStopLookahead(letter.cls)) break;
      }
      if (letter.cls == U_SB_LOWER) continue;
    }
    if (next.cls == U_SB_SCONTINUE || IsTerminator(next.cls)) continue;  // SB8a
    if (IsParagraphSeparator(next.cls)) continue;                         // SB11 breaks after it (SB4)
    breaks.push_back(static_cast<size_t>(k));                             // SB11
  }
}

}  // namespace coopkb
