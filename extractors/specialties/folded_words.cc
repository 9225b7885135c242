#include "extractors/specialties/folded_words.h"

namespace coopkb::specialties {
namespace {

// Folded text keeps only lower-case ASCII letters; bytes >= 0x80 belong to
// letters of other scripts (or to symbols folding left alone, which is harmless:
// no lexicon phrase contains them).
inline bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

void SplitFoldedWords(std::string_view folded, std::vector<FoldedWord>& out) {
  out.clear();
  const size_t n = folded.size();
  size_t i = 0;
  while (i < n) {
    while (i < n && !IsWordByte(static_cast<unsigned char>(folded[i]))) ++i;
    if (i == n) break;
    FoldedWord w;
    w.begin = i;
    while (i < n && IsWordByte(static_cast<unsigned char>(folded[i]))) ++i;
    w.end = i;
    w.key_size = w.end - w.begin;
    char last = folded[w.end - 1];
    if (w.key_size > 3 && (last == 's' || last == 'x')) {
      w.plural = true;
      --w.key_size;
    }
    out.push_back(w);
  }
}

std::vector<FoldedWord> SplitFoldedWords(std::string_view folded) {
  std::vector<FoldedWord> out;
  SplitFoldedWords(folded, out);
  return out;
}

bool InPhraseGap(std::string_view folded, const FoldedWord& a, const FoldedWord& b) {
  int line_breaks = 0;
  for (size_t i = a.end; i < b.begin; ++i) {
    switch (folded[i]) {
      case ' ': case '\t': case '-': case '\'': break;
      case '\n':
        if (++line_breaks > 1) return false;
        break;
      default: return false;
    }
  }
  return true;
}

bool JoinsNext(std::string_view folded, const FoldedWord& a, const FoldedWord& b) {
  if (folded[a.end - 1] != 'o') return false;
  return b.begin == a.end + 1 && (folded[a.end] == '-' || folded[a.end] == ' ');
}

}  // namespace coopkb::specialties
