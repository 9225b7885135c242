#include "extractors/specialties/text_words.h"

#include <array>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace coopkb::specialties {
namespace {

// What one code point is to the word splitter, and its folded bytes.
enum class CharClass : uint8_t {
  kWord,        // a letter or digit: its folded bytes join the word
  kIgnored,     // folds to nothing (soft hyphen, zero width, combining mark)
  kBlank,
  kHyphen,
  kApostrophe,
  kLineBreak,
  kMark,        // ',' or '/'
  kOther,
};

struct CharFold {
  char bytes[6];
  uint8_t size;
  CharClass cls;
};

CharFold ComputeCharFold(UChar32 c) {
  CharFold f{};
  if (c < 0 || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    f.cls = CharClass::kOther;
    return f;
  }
  const FoldedChar folded_char = FoldCodePoint(c);
  const std::string_view folded(folded_char.bytes, folded_char.size);
  if (folded.empty()) {
    f.cls = CharClass::kIgnored;
    return f;
  }
  if (u_isalnum(c) && folded.size() <= sizeof(f.bytes)) {
    f.cls = CharClass::kWord;
    f.size = static_cast<uint8_t>(folded.size());
    for (size_t i = 0; i < folded.size(); ++i) f.bytes[i] = folded[i];
    return f;
  }
  if (folded == " ") f.cls = CharClass::kBlank;
  else if (folded == "-") f.cls = CharClass::kHyphen;
  else if (folded == "'") f.cls = CharClass::kApostrophe;
  else if (folded == "\n") f.cls = CharClass::kLineBreak;
  else if (folded == "," || folded == "/") f.cls = CharClass::kMark;
  else f.cls = CharClass::kOther;
  return f;
}

// Latin, Greek, Cyrillic and general punctuation, computed once; rarer code
// points are folded when met. ASCII letters and digits also get a plain
// lower-case table for the fast path, since they make most of a French text.
constexpr UChar32 kTableEnd = 0x2200;

struct CharTables {
  std::array<CharFold, kTableEnd> chars;
  std::array<char, 256> ascii_word;  // the folded ASCII letter or digit, or 0
};

const CharTables& Tables() {
  static const auto* tables = [] {
    auto* t = new CharTables();
    for (UChar32 c = 0; c < kTableEnd; ++c) t->chars[c] = ComputeCharFold(c);
    t->ascii_word.fill('\0');
    for (int c = 0; c < 128; ++c) {
      const CharFold& f = t->chars[c];
      if (f.cls == CharClass::kWord && f.size == 1) t->ascii_word[c] = f.bytes[0];
    }
    return t;
  }();
  return *tables;
}

}  // namespace

// Inlined into the word loop below: a call per word cost 8 % of this stage.
__attribute__((always_inline)) inline void TextWords::AddWord(Word word, size_t folded_size) {
  if (folded_size > 0xFFFF) folded_size = 0;  // a run of letters no phrase can be: unmatched
  word.folded_size = word.key_size = static_cast<uint16_t>(folded_size);
  const char last = folded_size > 0 ? folded_[word.folded + folded_size - 1] : '\0';
  if (folded_size > 3 && (last == 's' || last == 'x')) --word.key_size;
  words_.push_back(word);
}

TextWords::TextWords(std::string_view text) {
  // Offsets are 32-bit: a text past 1 GiB is read up to there.
  text = text.substr(0, size_t{1} << 30);
  const CharTables& tables = Tables();
  const char* const ascii_word = tables.ascii_word.data();
  words_.reserve(text.size() / 6 + 1);
  // A letter folds to at most three bytes per byte of UTF-8. Left uninitialized:
  // only what is written is read.
  folded_.reset(new char[3 * text.size() + sizeof(CharFold::bytes)]);
  char* const out_begin = folded_.get();
  char* out = out_begin;
  const uint8_t* const p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t size = static_cast<int32_t>(text.size());

  bool in_word = false;
  Word word{};
  uint8_t gap = 0;
  bool gap_empty = true;
  int32_t i = 0;
  while (i < size) {
    const int32_t start = i;
    // The fast path: a run of ASCII letters and digits.
    if (char c = ascii_word[p[i]]; c != '\0') {
      if (!in_word) {
        in_word = true;
        word.begin = static_cast<size_t>(start);
        word.folded = static_cast<uint32_t>(out - out_begin);
        word.gap = gap;
      }
      do {
        *out++ = c;
      } while (++i < size && (c = ascii_word[p[i]]) != '\0');
      word.end = static_cast<size_t>(i);
      continue;
    }
    CharFold computed;
    const CharFold* f;
    if (p[i] < 0x80) {
      f = &tables.chars[p[i++]];
    } else {
      UChar32 c;
      U8_NEXT(p, i, size, c);
      if (c >= 0 && c < kTableEnd) {
        f = &tables.chars[c];
      } else {
        computed = c >= 0 ? ComputeCharFold(c) : CharFold{{}, 0, CharClass::kOther};
        f = &computed;
      }
    }
    if (f->cls == CharClass::kWord) {
      if (!in_word) {
        in_word = true;
        word.begin = static_cast<size_t>(start);
        word.folded = static_cast<uint32_t>(out - out_begin);
        word.gap = gap;
      }
      for (uint8_t k = 0; k < f->size; ++k) *out++ = f->bytes[k];
      word.end = static_cast<size_t>(i);
      continue;
    }
    if (f->cls == CharClass::kIgnored) {  // inside a word it is dropped, as by Fold()
      if (in_word) word.end = static_cast<size_t>(i);
      continue;
    }
    if (in_word) {
      AddWord(word, static_cast<size_t>(out - out_begin) - word.folded);
      in_word = false;
      gap = 0;
      gap_empty = true;
    }
    switch (f->cls) {
      case CharClass::kBlank: break;
      case CharClass::kHyphen: gap |= kHyphen; break;
      case CharClass::kApostrophe: gap |= kApostrophe; break;
      case CharClass::kLineBreak: gap |= (gap & kLineBreak) ? kLineBreaks : kLineBreak; break;
      case CharClass::kMark: gap |= (gap & kMark) ? kMarks : kMark; break;
      default: gap |= kOther; break;
    }
    if (gap_empty && (f->cls == CharClass::kBlank || f->cls == CharClass::kHyphen)) {
      gap |= kSingle;
    } else {
      gap &= static_cast<uint8_t>(~kSingle);
    }
    gap_empty = false;
  }
  if (in_word) AddWord(word, static_cast<size_t>(out - out_begin) - word.folded);
}

}  // namespace coopkb::specialties
