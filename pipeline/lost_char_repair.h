// LostCharRepairer: a "?" standing for a character an earlier conversion could
// not encode, put back where the context leaves no doubt.
//
//   auto r = LostCharRepairer::Create(lexicons.Table("cleaning_lost_chars"));
//   std::vector<Replacement> found;
//   r.value().Find(text, found);
//
//   "la mise en ?uvre"                 -> "la mise en œuvre"     (a known œ word)
//   "l?offre de soins, qu?il"          -> "l’offre de soins, qu’il"   (elision)
//   "le programme ?Périnat?"           -> "le programme «Périnat»"    (a pair wrapping words)
//   "Lille ? Roubaix ? Tourcoing"      -> "Lille – Roubaix – Tourcoing"
//   "pôles hospitalo ? universitaires" -> "pôles hospitalo-universitaires"
//   "pôles hospitalo- universitaires"  -> "pôles hospitalo-universitaires" (a wrapped line)
//   "Quel avenir pour l'hôpital ?"     -> unchanged
//
// A "?" glued to the letters after it is never a question mark in French, so
// those are repaired from the words around them (lexicons/cleaning_lost_chars.tsv).
// A " ? " between two capitalized words could end a question followed by a new
// sentence, so it becomes a dash only when the text shows lost characters
// elsewhere (some "?" glued to a letter) or the pattern repeats on the line,
// and never before a word that starts sentences ("Le", "Il"...).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/status.h"
#include "pipeline/text_rewriter.h"

namespace coopkb {

class LostCharRepairer {
 public:
  static Result<LostCharRepairer> Create(const LexiconTable& table);
  // Appends the repairs of `text` (one paragraph per line) to `out`.
  void Find(std::string_view text, std::vector<Replacement>& out) const;

 private:
  void FindInLine(std::string_view text, size_t begin, size_t end, bool lost_chars_seen,
                  std::vector<Replacement>& out) const;
  void FindWrappedCompounds(std::string_view text, std::vector<Replacement>& out) const;
  bool IsOeWord(std::string_view before, std::string_view after) const;

  std::vector<std::string> oe_stems_;
  std::unordered_set<std::string> elisions_, prefixes_, starters_;
};

}  // namespace coopkb
