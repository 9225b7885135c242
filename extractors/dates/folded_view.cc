#include "extractors/dates/folded_view.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

void FoldedView::Reset(std::string_view original) {
  original_ = original;
  anchors_.clear();
  hint_ = 0;
  anchors_.push_back(Anchor{0, 0, false});
  // Offsets are 32-bit: a text past 1 GiB is read up to there.
  std::string_view text = original.substr(0, size_t{1} << 30);
  static const std::array<char, 128> ascii = [] {
    std::array<char, 128> a;
    for (int c = 0; c < 128; ++c) {
      FoldedChar f = FoldCodePoint(c);
      a[c] = f.size == 1 ? f.bytes[0] : ' ';
    }
    return a;
  }();
  // Folding seldom lengthens a text; grown below if it does. Every byte up to
  // `size` is written before it is read, so the buffer of the previous text
  // is kept as it is: only room past it is cleared by resize().
  if (folded_.size() < text.size()) folded_.resize(text.size());
  char* out = folded_.data();
  size_t size = 0;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    if (p[i] < 0x80) {
      if (i + 8 <= length && FoldEightAscii(text.data() + i, out + size)) {
        i += 8;
        size += 8;
        continue;
      }
      out[size++] = ascii[p[i++]];
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, length, c);
    const FoldedChar folded = FoldCodePoint(c);
    const FoldedChar* f = &folded;
    size_t remaining = text.size() - static_cast<size_t>(i);
    if (size + f->size + remaining > folded_.size()) {
      folded_.resize(size + f->size + remaining);
      out = folded_.data();
    }
    anchors_.push_back(Anchor{static_cast<uint32_t>(size), static_cast<uint32_t>(start), true});
    for (uint8_t k = 0; k < f->size; ++k) out[size++] = f->bytes[k];
    anchors_.push_back(Anchor{static_cast<uint32_t>(size), static_cast<uint32_t>(i), false});
  }
  folded_.resize(size);
}

size_t FoldedView::ToOriginal(size_t i) const {
  if (i >= folded_.size()) return original_.size();
  // The last anchor at or before i (anchors are sorted by folded offset, and a
  // character that folds to nothing leaves two anchors at one offset: the
  // later wins). Rules ask about nearby offsets in turn, so the anchor found
  // last is tried first.
  size_t k = hint_;
  bool hit = k < anchors_.size() && anchors_[k].folded <= i &&
             (k + 1 == anchors_.size() || anchors_[k + 1].folded > i);
  if (!hit) {
    auto it = std::upper_bound(anchors_.begin(), anchors_.end(), static_cast<uint32_t>(i),
                               [](uint32_t v, const Anchor& a) { return v < a.folded; });
    k = static_cast<size_t>(it - anchors_.begin()) - 1;
    hint_ = k;
  }
  const Anchor& a = anchors_[k];
  return a.whole ? a.original : a.original + (i - a.folded);
}

size_t FoldedView::ToFolded(size_t i) const {
  if (i >= original_.size()) return folded_.size();
  // The last anchor at or before i (anchors are sorted by original offset too).
  auto it = std::upper_bound(anchors_.begin(), anchors_.end(), static_cast<uint32_t>(i),
                             [](uint32_t v, const Anchor& a) { return v < a.original; });
  const Anchor& a = *std::prev(it);
  if (!a.whole) return std::min<size_t>(a.folded + (i - a.original), folded_.size());
  // Inside a character (not a boundary): where the next one starts.
  return i == a.original ? a.folded : (it == anchors_.end() ? folded_.size() : it->folded);
}

Span FoldedView::ToOriginal(Span s) const {
  if (s.end <= s.begin) return Span{ToOriginal(s.begin), ToOriginal(s.begin)};
  // The span ends with the last character it holds: its UTF-8 length, cut
  // short by the next character when the byte was invalid UTF-8.
  size_t last = ToOriginal(s.end - 1);
  if (last >= original_.size()) return Span{ToOriginal(s.begin), original_.size()};
  size_t end = std::min(last + Utf8Length(static_cast<unsigned char>(original_[last])),
                        original_.size());
  if (s.end < folded_.size()) {
    size_t next = ToOriginal(s.end);
    if (next > last) end = std::min(end, next);
  }
  return Span{ToOriginal(s.begin), end};
}

const FoldedView& SharedFoldedView(std::string_view text) {
  thread_local std::string last_text;
  thread_local FoldedView last_view{std::string_view()};
  thread_local bool folded = false;
  if (!folded || last_text != text) {
    last_text.assign(text);
    last_view.Reset(last_text);
    folded = true;
  }
  return last_view;
}

}  // namespace coopkb
