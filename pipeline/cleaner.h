// Cleaner: the normalize-and-clean stage, rewriting Document::text in place.
//
//   auto cleaner = Cleaner::Create(lexicons);   // Result<Cleaner>: rules from lexicons/
//   cleaner.value().Clean(doc);                 // text, to_source, edits, title, published
//
// Unicode NFC; whitespace runs collapsed; control characters dropped; repairs
// of mis-decoded and lost characters; site chrome, related-article sections and
// repeated paragraphs removed. Every removal and repair is recorded in
// doc.edits with its source offsets, and doc.to_source still maps every byte of
// the cleaned text back to the original input.
#pragma once

#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class Cleaner {
 public:
  static Result<Cleaner> Create(const Lexicons& lexicons);
  void Clean(Document& doc) const;
};

}  // namespace coopkb
