#include "pipeline/fold.h"

#include <array>
#include <mutex>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

void AppendUtf8(UChar32 c, FoldedChar& e) {
  char buf[4];
  int32_t n = 0;
  UBool err = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, err);
  if (err) return;
  for (int32_t i = 0; i < n && e.size < sizeof(e.bytes); ++i) e.bytes[e.size++] = buf[i];
}

FoldedChar ComputeFold(UChar32 c) {
  FoldedChar e{};
  auto put = [&e](const char* s) {
    for (; *s && e.size < sizeof(e.bytes); ++s) e.bytes[e.size++] = *s;
  };
  if (c == '\n') { put("\n"); return e; }
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) { put(" "); return e; }
  if (c < 0x80) {
    char ch = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    e.bytes[0] = ch;
    e.size = 1;
    return e;
  }
  switch (c) {
    case 0x00AD: return e;  // soft hyphen: dropped
    case 0x0152: case 0x0153: put("oe"); return e;
    case 0x00C6: case 0x00E6: put("ae"); return e;
    case 0x00DF: put("ss"); return e;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE63: case 0xFF0D:
      put("-"); return e;
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x00B4: case 0x2032: case 0x0060:
      put("'"); return e;
    case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    case 0x2039: case 0x203A:
      put("\""); return e;
    case 0x00A0: case 0x202F: case 0x2007: case 0x2009: case 0x200A: case 0x2002:
    case 0x2003: case 0x2004: case 0x2005: case 0x2006: case 0x2008: case 0x3000:
      put(" "); return e;
    case 0x200B: case 0x200C: case 0x200D: case 0xFEFF: return e;  // zero width: dropped
    case 0x2026: put("..."); return e;
    default: break;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  UChar32 base = c;
  if (U_SUCCESS(status)) {
    icu::UnicodeString decomposition;
    if (nfd->getDecomposition(c, decomposition) && decomposition.length() > 0) {
      base = decomposition.char32At(0);
    }
  }
  if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) return e;
  AppendUtf8(u_tolower(base), e);
  return e;
}

const std::array<FoldedChar, 0x10000>& FoldTable() {
  static const auto* table = [] {
    auto* t = new std::array<FoldedChar, 0x10000>();
    for (UChar32 c = 0; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      (*t)[c] = ComputeFold(c);
    }
    return t;
  }();
  return *table;
}

template <typename Sink>
void FoldEach(std::string_view s, Sink&& sink) {
  const auto& table = FoldTable();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t len = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < len) {
    int32_t start = i;
    if (p[i] < 0x80) {
      uint8_t ch = p[i++];
      char out = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
      if (ch < 0x20 && ch != '\n') out = ' ';
      if (ch == 0x7F) out = ' ';
      sink(start, 1, &out, 1);
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) {
      static const char kReplacement[] = "\xEF\xBF\xBD";
      sink(start, i - start, kReplacement, 3);
      continue;
    }
    if (c < 0x10000) {
      const FoldedChar& e = table[c];
      sink(start, i - start, e.bytes, e.size);
    } else {
      sink(start, i - start, reinterpret_cast<const char*>(p + start), i - start);
    }
  }
}

}  // namespace

FoldedChar FoldCodePoint(int32_t c) {
  if (c < 0) return FoldedChar{{'\xEF', '\xBF', '\xBD'}, 3};  // as Fold(): U+FFFD
  if (c < 0x10000) return FoldTable()[static_cast<size_t>(c)];
  FoldedChar f{};
  AppendUtf8(c, f);  // beyond the BMP a character folds to itself, as in FoldEach
  return f;
}

namespace {

// ASCII folded byte for byte, as FoldCodePoint() folds it.
const std::array<char, 128>& AsciiFold() {
  static const std::array<char, 128> table = [] {
    std::array<char, 128> t{};
    for (int c = 0; c < 128; ++c) t[c] = FoldCodePoint(c).bytes[0];
    return t;
  }();
  return table;
}

// Reads the folded bytes of a text one at a time, a code point at a time.
class FoldReader {
 public:
  explicit FoldReader(std::string_view s)
      : p_(reinterpret_cast<const uint8_t*>(s.data())), n_(static_cast<int32_t>(s.size())) {}
  // The next folded byte; false at the end.
  bool Next(char& out) {
    while (k_ == f_.size) {
      if (i_ >= n_) return false;
      if (p_[i_] < 0x80) {
        out = AsciiFold()[p_[i_++]];
        return true;
      }
      UChar32 c;
      U8_NEXT(p_, i_, n_, c);
      f_ = FoldCodePoint(c);
      k_ = 0;
    }
    out = f_.bytes[k_++];
    return true;
  }

 private:
  const uint8_t* p_;
  int32_t n_, i_ = 0;
  FoldedChar f_{};
  uint8_t k_ = 0;
};

}  // namespace

std::string Fold(std::string_view utf8) {
  std::string out;
  FoldInto(utf8, out);
  return out;
}

// The same bytes as FoldEach gives: ASCII through a table, any other code
// point through FoldCodePoint() (which also re-encodes a supplementary
// character to its own bytes and an invalid sequence to U+FFFD), written
// straight into the buffer rather than appended character by character.
void FoldInto(std::string_view utf8, std::string& out) {
  const auto& ascii = AsciiFold();
  out.resize(utf8.size());  // folding seldom lengthens a text; grown below if it does
  char* o = out.data();
  size_t size = 0;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  int32_t i = 0;
  while (i < length) {
    if (p[i] < 0x80) {
      if (i + 8 <= length && FoldEightAscii(utf8.data() + i, o + size)) {
        i += 8;
        size += 8;
        continue;
      }
      o[size++] = ascii[p[i++]];
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, length, c);
    const FoldedChar f = FoldCodePoint(c);
    size_t remaining = static_cast<size_t>(length - i);
    if (size + f.size + remaining > out.size()) {
      out.resize(size + f.size + remaining);
      o = out.data();
    }
    for (uint8_t k = 0; k < f.size; ++k) o[size++] = f.bytes[k];
  }
  out.resize(size);
}

bool FoldsEqual(std::string_view a, std::string_view b) {
  // ASCII on both sides compares byte for byte; from the first other byte on,
  // folded bytes are read one by one.
  const auto& ascii = AsciiFold();
  size_t i = 0;
  const size_t common = std::min(a.size(), b.size());
  while (i < common) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if ((x | y) >= 0x80) break;
    if (ascii[x] != ascii[y]) return false;
    ++i;
  }
  // What is left may still fold to nothing (a soft hyphen), so even an
  // exhausted side is read on.
  FoldReader ra(a.substr(i)), rb(b.substr(i));
  for (;;) {
    char x, y;
    bool more_a = ra.Next(x), more_b = rb.Next(y);
    if (more_a != more_b) return false;
    if (!more_a) return true;
    if (x != y) return false;
  }
}

FoldedText::FoldedText(std::string_view original) {
  folded_.reserve(original.size());
  OffsetMapBuilder b;
  // ASCII runs fold byte for byte (equal length maps as a copy whatever the
  // bytes), so most of a French text costs one Copy() per run, not per character.
  size_t i = 0;
  const size_t n = original.size();
  while (i < n) {
    size_t run = i;
    while (run < n && static_cast<unsigned char>(original[run]) < 0x80) ++run;
    if (run > i) {
      for (size_t k = i; k < run; ++k) {
        unsigned char c = static_cast<unsigned char>(original[k]);
        char out = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        if ((c < 0x20 && c != '\n') || c == 0x7F) out = ' ';
        folded_.push_back(out);
      }
      b.Copy(i, run - i);
      i = run;
      continue;
    }
    // One non-ASCII character (or an invalid byte), folded by the table.
    size_t end = i + 1;
    while (end < n && (static_cast<unsigned char>(original[end]) & 0xC0) == 0x80 && end - i < 4) ++end;
    FoldEach(original.substr(i, end - i), [&](int32_t src, int32_t src_len, const char* bytes, size_t len) {
      size_t at = i + static_cast<size_t>(src);
      if (len == static_cast<size_t>(src_len)) {
        b.Copy(at, len);
      } else {
        b.Replace(at, static_cast<size_t>(src_len), len);
      }
      folded_.append(bytes, len);
    });
    i = end;
  }
  map_ = std::move(b).Build();
}

Span FoldedText::ToOriginal(Span s) const {
  return Span{map_.ToSource(s.begin), map_.EndToSource(s.end)};
}

}  // namespace coopkb
