#include "pipeline/segmenter.h"

#include <string>
#include <vector>
#include <unordered_set>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace coopkb {

struct Segmenter::Rules {
  std::unordered_set<std::string> abbreviations;
  // Cloned for each document: a BreakIterator holds the text it iterates.
  std::unique_ptr<const icu::BreakIterator> prototype;
};

namespace {

bool IsSpaceAt(std::string_view s, size_t pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t') return true;
  return s.compare(pos, 2, "\xC2\xA0") == 0 || s.compare(pos, 3, "\xE2\x80\xAF") == 0;
}

size_t SpaceLengthAt(std::string_view s, size_t pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t') return 1;
  if (s.compare(pos, 2, "\xC2\xA0") == 0) return 2;
  if (s.compare(pos, 3, "\xE2\x80\xAF") == 0) return 3;
  return 0;
}

// End of `s` [begin, end) without trailing spaces.
size_t TrimEnd(std::string_view s, size_t begin, size_t end) {
  while (end > begin) {
    if (s[end - 1] == ' ' || s[end - 1] == '\t') {
      --end;
    } else if (end - begin >= 2 && s.compare(end - 2, 2, "\xC2\xA0") == 0) {
      end -= 2;
    } else if (end - begin >= 3 && s.compare(end - 3, 3, "\xE2\x80\xAF") == 0) {
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
  UErrorCode status = U_ZERO_ERROR;
  rules->prototype.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getFrench(), status));
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("ICU sentence rules unavailable: ") + u_errorName(status));
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
  std::unique_ptr<icu::BreakIterator> it(rules_->prototype->clone());

  // Whether a sentence may end at `boundary` (the start of what follows).
  auto ends_sentence = [&](size_t begin, size_t boundary, size_t end) {
    size_t next = TrimBegin(t, boundary, end);
    if (next < end) {
      int32_t i = static_cast<int32_t>(next);
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(t.data()), i, static_cast<int32_t>(end), c);
      if (c >= 0 && (u_islower(c) || c == 0xBB || c == 0x201D || c == 0x2019 || c == ')' ||
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
    while ((c = CharBefore(t, begin, p)) >= 0 && u_isalpha(c)) word_begin = p;
    if (word_begin == word_end) return true;
    std::string_view word = t.substr(word_begin, word_end - word_begin);
    if (rules_->abbreviations.count(std::string(word))) return false;
    // A single capital initial ("G." in "G. DUMONT", "P." in "J.-P. Martin").
    size_t initial_begin = word_end;
    UChar32 initial = CharBefore(t, word_begin, initial_begin);
    return !(initial_begin == word_begin && u_isupper(initial));
  };

  UErrorCode status = U_ZERO_ERROR;
  UText* ut = nullptr;
  // ICU iterates UTF-16 text in place, but UTF-8 text through a conversion
  // in small chunks as it goes: converting each paragraph once is cheaper.
  std::vector<UChar> utf16;
  for (const Span& para : doc.paragraphs) {
    // Without a terminator (. ! ? …) ICU finds no break inside a line: skip it.
    std::string_view text = t.substr(para.begin, para.size());
    if (text.find_first_of(".!?") == std::string_view::npos && text.find("\xE2\x80\xA6") == std::string_view::npos) {
      doc.sentences.push_back(para);
      continue;
    }
    // Invalid UTF-8 reads as U+FFFD, one per maximal ill-formed sequence, as
    // ICU's UTF-8 text does.
    const uint8_t* p = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t length = static_cast<int32_t>(text.size());
    utf16.resize(text.size());  // never more UTF-16 units than UTF-8 bytes
    int32_t units = 0;
    for (int32_t i = 0; i < length;) {
      if (p[i] < 0x80) {
        utf16[units++] = p[i++];
        continue;
      }
      UChar32 c;
      U8_NEXT(p, i, length, c);
      if (c < 0) c = 0xFFFD;
      U16_APPEND_UNSAFE(utf16.data(), units, c);
    }
    ut = utext_openUChars(ut, utf16.data(), units, &status);
    if (U_FAILURE(status)) break;
    it->setText(ut, status);
    // Boundaries come in increasing UTF-16 offsets: walk the UTF-8 text along.
    int32_t byte = 0, unit = 0;
    auto to_utf8 = [&](int32_t target) {
      while (unit < target && byte < length) {
        UChar32 c;
        U8_NEXT(p, byte, length, c);
        unit += c < 0 ? 1 : U16_LENGTH(c);
      }
      return static_cast<size_t>(byte);
    };
    size_t start = para.begin;
    it->first();
    for (int32_t next = it->next(); next != icu::BreakIterator::DONE; next = it->next()) {
      size_t boundary = para.begin + to_utf8(next);
      if (boundary < para.end && !ends_sentence(start, boundary, para.end)) continue;
      size_t s = TrimBegin(t, start, boundary), e = TrimEnd(t, start, boundary);
      if (e > s) doc.sentences.push_back({s, e});
      start = boundary;
    }
  }
  utext_close(ut);
  if (U_FAILURE(status)) doc.sentences = doc.paragraphs;
}

}  // namespace coopkb
