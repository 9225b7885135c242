// TextRewriter: builds a new text out of an old one, piece by piece, keeping
// the map from new offsets to old ones.
//
//   TextRewriter w(old_text);
//   w.Copy(0, 12);                    // "Le CHU de X " kept
//   w.Replace(12, 15, "œ");           // "?" repaired
//   w.Copy(15, old_text.size());
//   if (w.changed()) { text = w.TakeText(); map = w.TakeMap().Compose(map); }
//
// Pieces must come in increasing order of the old text; what is never copied
// is deleted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/offset_map.h"

namespace coopkb {

// A text and the map from its offsets to those of the text it was made from.
struct RewrittenText {
  std::string text;
  OffsetMap map;
};

// A change found by a cleaning rule, applied later with others (see Apply).
struct Replacement {
  size_t begin, end;  // the span of the old text replaced
  std::string with;   // empty: deleted
  std::string rule;   // which rule, for Document::edits
};

class TextRewriter {
 public:
  explicit TextRewriter(std::string_view input) : input_(input) { out_.reserve(input.size()); }

  // input[begin, end) unchanged.
  void Copy(size_t begin, size_t end);
  // input[begin, end) becomes `with`; an empty range inserts.
  void Replace(size_t begin, size_t end, std::string_view with);
  // input[begin, end) left out (a piece never copied is left out as well;
  // Delete also moves position(), which Finish() copies from).
  void Delete(size_t begin, size_t end) { Replace(begin, end, {}); }
  // Where the next piece is expected (the end of the last one).
  size_t position() const { return position_; }

  // False when the output is the input unchanged.
  bool changed() const { return changed_ || position_ != input_.size(); }
  const std::string& text() const { return out_; }
  std::string TakeText() { return std::move(out_); }
  OffsetMap TakeMap() { return std::move(map_).Build(); }
  // Copies the rest of the input and hands the result over.
  RewrittenText Finish();

 private:
  std::string_view input_;
  std::string out_;
  OffsetMapBuilder map_;
  size_t position_ = 0;
  bool changed_ = false;
};

// Applies `replacements` (sorted by begin; one that overlaps an earlier one is
// dropped from the vector) to `text`.
RewrittenText Apply(std::string_view text, std::vector<Replacement>& replacements);

}  // namespace coopkb
