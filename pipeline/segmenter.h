// Segmenter: paragraphs and sentences of the cleaned text.
//
//   auto seg = Segmenter::Create(lexicons);   // abbreviations from lexicons/
//   seg.value().Segment(doc);                 // fills doc.paragraphs, doc.sentences
//
// Paragraphs are the lines of the text (runs between '\n'). Sentences come from
// Unicode's sentence rules within each paragraph (pipeline/sentence_breaks.h:
// the breaks of ICU's sentence iterator), trimmed of surrounding spaces. The
// rules break after any period before a capital; three corrections keep a
// sentence going across such a break:
//   - the word before the period is an abbreviation (abbreviations.tsv, case as
//     written): "le Pr. Martin", "M. Dupont", "cf. Le rapport";
//   - it is a single capital initial: "G. DUMONT", "J.-P. Martin";
//   - what follows starts in lower case or with closing punctuation: French
//     puts a space before "?" and "»", so the rules break inside "« Pourquoi ? » dit-il".
// A Segmenter is immutable after Create() and may be used from several threads.
#pragma once

#include <memory>

#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class Segmenter {
 public:
  static Result<Segmenter> Create(const Lexicons& lexicons);
  void Segment(Document& doc) const;

 private:
  struct Rules;
  std::shared_ptr<const Rules> rules_;
};

}  // namespace coopkb
