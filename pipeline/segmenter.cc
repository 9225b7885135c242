#include "pipeline/segmenter.h"

#include <string>
#include <vector>
#include <unordered_set>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/sentence_breaks.h"

namespace coopkb {

struct Segmenter::Rules {
  std::unordered_set<std::string> abbreviations;
};

namespace {

// Whether `s` holds `bytes` at `pos`. Byte tests instead of a compare():
// paragraphs and sentences are trimmed at every boundary, and the first byte
// almost always differs.
template <size_t N>
bool BytesAt(std::string_view s, size_t pos, const char (&bytes)[N]) {
  constexpr size_t n = N - 1;  // without the terminating '\0'
  if (pos > s.size() || s.size() - pos < n) return false;
  for (size_t k = 0; k < n; ++k) {
    if (s[pos + k] != bytes[k]) return false;
  }
  return true;
}

constexpr char kNoBreakSpace[] = "\xC2\xA0";            // U+00A0
constexpr char kNarrowNoBreakSpace[] = "\xE2\x80\xAF";  // U+202F

bool IsSpaceAt(std::string_view s, size_t pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t') return true;
  return BytesAt(s, pos, kNoBreakSpace) || BytesAt(s, pos, kNarrowNoBreakSpace);
}

size_t SpaceLengthAt(std::string_view s, size_t pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t') return 1;
  if (BytesAt(s, pos, kNoBreakSpace)) return 2;
  if (BytesAt(s, pos, kNarrowNoBreakSpace)) return 3;
  return 0;
}

// End of `s` [begin, end) without trailing spaces.
size_t TrimEnd(std::string_view s, size_t begin, size_t end) {
  while (end > begin) {
    if (s[end - 1] == ' ' || s[end - 1] == '\t') {
      --end;
    } else if (end - begin >= 2 && BytesAt(s, end - 2, kNoBreakSpace)) {
      end -= 2;
    } else if (end - begin >= 3 && BytesAt(s, end - 3, kNarrowNoBreakSpace)) {
      end -= 3;
    } else {
      break;
    }
  }
  return end;
}

size_t TrimBegin(std::string_view s, size_t begin, size_t end) {
  while (begin < end && IsSpaceAt(s, begin)) begin += SpaceLengthAt(s, begin);
  return begin;
}

// u_isalpha() and u_islower(), answered without ICU for ASCII (A-Z, a-z):
// every sentence end asks about the word before it.
bool IsLetter(UChar32 c) {
  return c < 0x80 ? (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') : u_isalpha(c);
}
bool IsLowerCase(UChar32 c) { return c < 0x80 ? c >= 'a' && c <= 'z' : u_islower(c); }

UChar32 CharBefore(std::string_view s, size_t floor, size_t& pos) {
  if (pos <= floor) return -1;
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), static_cast<int32_t>(floor), i, c);
  pos = static_cast<size_t>(i);
  return c;
}

}  // namespace

Result<Segmenter> Segmenter::Create(const Lexicons& lexicons) {
  auto rules = std::make_shared<Rules>();
  for (const LexiconRow& row : lexicons.Table("abbreviations").rows()) {
    rules->abbreviations.emplace(row.Get("abbreviation"));
  }
  Segmenter s;
  s.rules_ = std::move(rules);
  return s;
}

void Segmenter::Segment(Document& doc) const {
  doc.paragraphs.clear();
  doc.sentences.clear();
  std::string_view t = doc.text;
  for (size_t pos = 0; pos < t.size();) {
    size_t nl = t.find('\n', pos);
    size_t end = nl == std::string_view::npos ? t.size() : nl;
    size_t b = TrimBegin(t, pos, end), e = TrimEnd(t, pos, end);
    if (e > b) doc.paragraphs.push_back({b, e});
    pos = end + 1;
  }
  // Whether a sentence may end at `boundary` (the start of what follows).
  auto ends_sentence = [&](size_t begin, size_t boundary, size_t end) {
    size_t next = TrimBegin(t, boundary, end);
    if (next < end) {
      int32_t i = static_cast<int32_t>(next);
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(t.data()), i, static_cast<int32_t>(end), c);
      if (c >= 0 && (IsLowerCase(c) || c == 0xBB || c == 0x201D || c == 0x2019 || c == ')' ||
                     c == ']' || c == ',' || c == ';' || c == ':')) {
        return false;
      }
    }
    size_t last = TrimEnd(t, begin, boundary);
    if (last == begin || t[last - 1] != '.') return true;
    size_t word_end = last - 1;
    size_t word_begin = word_end;
    size_t p = word_end;
    UChar32 c;
    while ((c = CharBefore(t, begin, p)) >= 0 && IsLetter(c)) word_begin = p;
    if (word_begin == word_end) return true;
    std::string_view word = t.substr(word_begin, word_end - word_begin);
    if (rules_->abbreviations.count(std::string(word))) return false;
    // A single capital initial ("G." in "G. DUMONT", "P." in "J.-P. Martin").
    size_t initial_begin = word_end;
    UChar32 initial = CharBefore(t, word_begin, initial_begin);
    return !(initial_begin == word_begin && u_isupper(initial));
  };

  std::vector<size_t> breaks;
  for (const Span& para : doc.paragraphs) {
    std::string_view text = t.substr(para.begin, para.size());
    SentenceBreaks(text, breaks);
    breaks.push_back(text.size());
    size_t start = para.begin;
    for (size_t offset : breaks) {
      size_t boundary = para.begin + offset;
      if (boundary < para.end && !ends_sentence(start, boundary, para.end)) continue;
      size_t s = TrimBegin(t, start, boundary), e = TrimEnd(t, start, boundary);
      if (e > s) doc.sentences.push_back({s, e});
      start = boundary;
    }
  }
}

}  // namespace coopkb
