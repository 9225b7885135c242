// Segmenter: paragraphs and sentences of the cleaned text.
//
//   auto seg = Segmenter::Create(lexicons);   // abbreviations from lexicons/
//   seg.value().Segment(doc);                 // fills doc.paragraphs, doc.sentences
//
// Paragraphs are the runs of text between line breaks. Sentences come from
// ICU's French sentence rules, never crossing a paragraph, and an abbreviation
// such as "Pr", "Dr", "M.", "Mme" or an initial ("G. DUMONT") does not end one.
#pragma once

#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class Segmenter {
 public:
  static Result<Segmenter> Create(const Lexicons& lexicons);
  void Segment(Document& doc) const;
};

}  // namespace coopkb
