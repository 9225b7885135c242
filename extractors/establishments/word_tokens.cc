#include "extractors/establishments/word_tokens.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

inline bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

Gap Classify(std::string_view gap) {
  bool space = false, hyphen = false, apostrophe = false, slash = false, comma = false;
  for (char c : gap) {
    switch (c) {
      case '\n': return Gap::kBreak;
      case ' ': space = true; break;
      case '-': hyphen = true; break;
      case '\'': apostrophe = true; break;
      case '/': slash = true; break;
      case ',': comma = true; break;
      default: return Gap::kHard;
    }
  }
  if (comma) return Gap::kComma;
  if (hyphen) return space ? Gap::kDash : Gap::kHyphen;
  if (apostrophe) return Gap::kApostrophe;
  if (slash) return Gap::kSlash;
  return Gap::kSpace;
}

}  // namespace

WordTokens::WordTokens(const FoldedText& folded, std::string_view original)
    : folded_text_(folded), folded_(folded.folded()), original_(original) {
  words_.reserve(folded_.size() / 6 + 1);
  const size_t n = folded_.size();
  size_t i = 0;
  size_t prev_end = 0;
  while (i < n) {
    while (i < n && !IsWordByte(static_cast<unsigned char>(folded_[i]))) ++i;
    if (i >= n) break;
    size_t begin = i;
    while (i < n && IsWordByte(static_cast<unsigned char>(folded_[i]))) ++i;
    Gap gap = words_.empty() ? Gap::kStart : Classify(folded_.substr(prev_end, begin - prev_end));
    words_.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(i), gap});
    prev_end = i;
  }
}

std::string_view WordTokens::gap_text(size_t i) const {
  size_t begin = i == 0 ? 0 : words_[i - 1].end;
  return folded_.substr(begin, words_[i].begin - begin);
}

Span WordTokens::Original(size_t first, size_t last) const {
  return folded_text_.ToOriginal(Span{words_[first].begin, words_[last - 1].end});
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
