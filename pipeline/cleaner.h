// Cleaner: the normalize-and-clean stage, rewriting Document::text in place.
//
//   auto cleaner = Cleaner::Create(lexicons);   // Result<Cleaner>: rules from lexicons/
//   cleaner.value().Clean(doc);                 // text, to_source, edits, title, published
//
// In order:
//   1. double-encoded UTF-8 undone when the whole text is (pipeline/mojibake.h);
//   2. Unicode NFC;
//   3. listed mojibake sequences repaired (cleaning_mojibake.tsv);
//   4. characters normalized: one paragraph per line, whitespace runs collapsed,
//      lines trimmed, control characters dropped (pipeline/text_normalizer.h);
//   5. "?" standing for lost characters repaired (pipeline/lost_char_repair.h);
//   6. paragraphs that are not the article removed: chrome, related content,
//      repeats, lone punctuation (pipeline/paragraph_filter.h);
//   7. metadata when the reader found none: the title from a first line that
//      looks like one, the publication date from a dateline among the first
//      lines (pipeline/dateline.h). Both lines stay in the text.
// Every removal and repair is recorded in doc.edits with its source offsets,
// and doc.to_source still maps every byte of the cleaned text back to the
// original input. A Cleaner is immutable after Create() and cheap to copy.
#pragma once

#include <memory>

#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class Cleaner {
 public:
  static Result<Cleaner> Create(const Lexicons& lexicons);
  void Clean(Document& doc) const;

 private:
  struct Rules;
  std::shared_ptr<const Rules> rules_;
};

}  // namespace coopkb
