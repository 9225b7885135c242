#include "extractors/establishments/word_tokens.h"

#include <array>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

// Byte classes of the folded text: word bytes, and the separators a gap is made of.
enum ByteClass : uint8_t { kOther, kWord, kSpace, kHyphen, kApostrophe, kSlash, kComma, kNewline };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) t[c] = kWord;
  }
  t[' '] = kSpace;
  t['-'] = kHyphen;
  t['\''] = kApostrophe;
  t['/'] = kSlash;
  t[','] = kComma;
  t['\n'] = kNewline;
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

// 'A'..'Z' or 'a'..'z': in ASCII, what u_isalpha() says is a letter, of
// which u_isupper() says the capitals and u_islower() the others.
bool IsAsciiAlpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// What a gap made of these separator classes is (bit k set: class k seen).
Gap Classify(unsigned seen) {
  auto has = [seen](ByteClass c) { return (seen >> c) & 1u; };
  if (has(kNewline)) return Gap::kBreak;
  if (has(kOther)) return Gap::kHard;
  if (has(kComma)) return Gap::kComma;
  if (has(kHyphen)) return has(kSpace) ? Gap::kDash : Gap::kHyphen;
  if (has(kApostrophe)) return Gap::kApostrophe;
  if (has(kSlash)) return Gap::kSlash;
  return Gap::kSpace;
}

}  // namespace

WordTokens::WordTokens(const FoldedView& folded, std::string_view original)
    : folded_text_(folded), folded_(folded.folded()), original_(original) {
  words_.reserve(folded_.size() / 5 + 1);
  const auto* p = reinterpret_cast<const unsigned char*>(folded_.data());
  const size_t n = folded_.size();
  size_t i = 0;
  unsigned seen = 0;
  while (i < n) {
    uint8_t c = kClasses[p[i]];
    if (c != kWord) {
      seen |= 1u << c;
      ++i;
      continue;
    }
    size_t begin = i;
    uint64_t h = 1469598103934665603ull;
    do {
      h = (h ^ p[i]) * 1099511628211ull;
      ++i;
    } while (i < n && kClasses[p[i]] == kWord);
    Gap gap = words_.empty() ? Gap::kStart : Classify(seen);
    words_.push_back({h | 1, static_cast<uint32_t>(begin), static_cast<uint32_t>(i), gap});
    seen = 0;
  }
}

std::string_view WordTokens::gap_text(size_t i) const {
  size_t begin = i == 0 ? 0 : words_[i - 1].end;
  return folded_.substr(begin, words_[i].begin - begin);
}

Span WordTokens::Original(size_t i) const {
  if (original_spans_.empty()) original_spans_.assign(words_.size(), Span{1, 0});
  Span& s = original_spans_[i];
  if (s.begin > s.end) s = folded_text_.ToOriginal(Span{words_[i].begin, words_[i].end});
  return s;
}

std::string_view WordTokens::OriginalText(size_t i) const {
  Span s = Original(i);
  return original_.substr(s.begin, s.size());
}

bool WordTokens::Capitalized(size_t i) const {
  std::string_view w = OriginalText(i);
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t len = static_cast<int32_t>(w.size()), k = 0;
  while (k < len) {
    if (p[k] < 0x80) {  // ICU's answers for ASCII, without asking it
      const uint8_t c = p[k++];
      if (IsAsciiAlpha(c)) return c <= 'Z';
      continue;
    }
    UChar32 c;
    U8_NEXT(p, k, len, c);
    if (c < 0) continue;
    if (u_isalpha(c)) return u_isupper(c) || u_istitle(c);
  }
  return false;
}

bool WordTokens::AllCaps(size_t i) const {
  std::string_view w = OriginalText(i);
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t len = static_cast<int32_t>(w.size()), k = 0;
  bool letter = false;
  while (k < len) {
    if (p[k] < 0x80) {  // ICU's answers for ASCII, without asking it
      const uint8_t c = p[k++];
      if (!IsAsciiAlpha(c)) continue;
      if (c >= 'a') return false;
      letter = true;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, k, len, c);
    if (c < 0 || !u_isalpha(c)) continue;
    if (u_islower(c)) return false;
    letter = true;
  }
  return letter;
}

bool WordTokens::Alphabetic(size_t i) const {
  for (char c : folded(i)) {
    if (c >= '0' && c <= '9') return false;
  }
  return true;
}

}  // namespace coopkb
