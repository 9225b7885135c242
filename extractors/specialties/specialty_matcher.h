// SpecialtyMatcher: finds the specialty phrases of a text in one pass.
//
//   auto m = SpecialtyMatcher::Create(lexicons);     // specialties + specialty_exclusions
//   if (!m.ok()) die(m.status().message());           // "lexicons/specialties.tsv:40: ..."
//   std::vector<SpecialtyMatch> found;
//   m.value().FindAll("En chirurgie digestive, vasculaire et thoracique", found);
//   // three matches, in text order:
//   //   "chirurgie digestive" -> m.value().name(found[0].specialty) == "chirurgie viscérale et digestive"
//   //   "vasculaire"          -> "chirurgie vasculaire"
//   //   "thoracique"          -> "chirurgie thoracique"
//
// How a text is read (the lexicon header comments say the same for archivists):
//  - The text is cut into folded words (text_words.h, pipeline/fold.h); every
//    lexicon phrase (canonical name and synonyms) is a path of words in one
//    PhraseTrie, so the text is walked once, whatever the lexicon size.
//  - Words of a phrase may be separated by blanks, hyphens, apostrophes and one
//    line break; a combining form ending in 'o' may be glued to the next word
//    ("neuro-radiologie" = "neuroradiologie").
//  - At each word the longest phrase starting there wins, and the walk goes on
//    after it: "chirurgie cardiaque" is one match, not "chirurgie" too.
//  - Number: a lexicon word in the singular matches both numbers, a lexicon word
//    in the plural only the plural ("urgences" is not "en cas d'urgence").
//  - An acronym synonym (no lower-case letter: "SSR", "ORL") matches only when
//    the text writes it exactly so, in capitals ("Amp", "AMPS" are not "AMP").
//  - Coordination: after a phrase of two words or more, ", X", "et X", "ou X"
//    go on with the first word of that phrase ("chirurgie digestive et
//    vasculaire" -> also "chirurgie vasculaire", spanning "vasculaire"), as
//    long as first word + X is a lexicon phrase. A head written in the plural
//    distributes over the coordination instead of reading a compound phrase
//    that contains "et" ("chirurgies orthopédique et traumatologique" is two).
//  - Phrases of specialty_exclusions.tsv are matched like the others and give
//    nothing: "la santé publique" hides "santé publique".
//  - Every entry followed by "pédiatrique" is a specialty of its own
//    ("radiologie pédiatrique"), unless the lexicon reads that phrase already
//    ("neurologie pédiatrique" is neuropédiatrie).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/specialties/phrase_trie.h"
#include "extractors/specialties/text_words.h"
#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {


struct SpecialtyMatch {
  Span span;      // byte offsets in the original (unfolded) text
  int specialty;  // index for SpecialtyMatcher::name() and kind()
};

class SpecialtyMatcher {
  using PhraseTrie = specialties::PhraseTrie;
  using TextWords = specialties::TextWords;

 public:
  // Reads the tables "specialties" and "specialty_exclusions". Errors name the
  // file and line: a phrase that two entries claim, a comma in a phrase, an
  // unknown kind, a missing column.
  static Result<SpecialtyMatcher> Create(const Lexicons& lexicons);

  // Replaces `out` with the matches in `text`, in text order. Thread-safe.
  void FindAll(std::string_view text, std::vector<SpecialtyMatch>& out) const;

  const std::string& name(int specialty) const { return names_[specialty]; }
  const std::string& kind(int specialty) const { return kinds_[specialty]; }
  int specialty_count() const { return static_cast<int>(names_.size()); }
  // Number of phrases (names, synonyms, exclusions) read from the lexicons.
  int phrase_count() const { return phrase_count_; }

 private:
  static constexpr int kExcluded = -1;
  static constexpr int kMaxWords = 32;

  // A lexicon phrase ends at a trie node.
  struct PhraseEnd {
    int specialty;          // index in names_, or kExcluded
    uint32_t plural_words;  // bit k: word k is written in the plural
    bool coordinated;       // "et" or "ou" between its words
    bool capitals;          // an acronym: must be written as is, in capitals
    size_t size;            // bytes of the phrase as written (acronyms: no plural mark)
    int source;             // 0: specialties, 1: exclusions (for error messages)
    size_t line;
  };

  // The longest phrase found from one place of the text.
  struct Candidate {
    const PhraseEnd* end = nullptr;
    size_t end_word = 0;      // one past its last text word
    int words = 0;            // words on its trie path
    int head_node = PhraseTrie::kNone;
    bool head_plural = false;
  };

  // What one FindAll call reads.
  struct Text {
    std::string_view original;
    const TextWords& words;
  };

  SpecialtyMatcher() = default;
  // "radiologie pédiatrique", "anesthésie pédiatrique": for every entry not
  // already of children, the entry followed by "pédiatrique" reads as a
  // specialty of its own, named so, unless the lexicon reads that phrase
  // otherwise. Pediatric sub-specialties are too many to list, and all are
  // written this way.
  Result<SpecialtyMatcher> AddPediatricVariants(const LexiconTable& specialties) &&;
  // Whether a lexicon phrase already ends where `phrase` leads in the trie.
  bool Claimed(std::string_view phrase) const;
  Status AddPhrase(std::string_view phrase, int specialty, int source, const std::string& file,
                   size_t line);
  Status AddPath(const std::vector<std::string>& keys, const PhraseEnd& end,
                 std::string_view phrase, const std::string& file);

  // Walks the trie from `node` with the text words from `next` on; `depth`
  // words are already on the path, with plural marks `plurals`.
  void Extend(const Text& t, int node, size_t next, size_t first, int depth, uint32_t plurals,
              int head_node, bool head_plural, Candidate& best) const;
  void Visit(const Text& t, int node, size_t start, size_t next, int depth, uint32_t plurals,
             int head_node, bool head_plural, Candidate& best) const;
  const PhraseEnd* Accept(const Text& t, int node, size_t start, size_t end_word,
                          uint32_t plurals) const;
  // After a match ending at word `end`: the first word of a coordinated item
  // ("..., X", "... et X", "..., et X"), or false.
  bool CoordinatedItemAt(const Text& t, size_t end, size_t* item) const;
  Span OriginalSpan(const Text& t, size_t first_word, size_t end_word) const;
  // Whether a phrase may start at word i: most words of a text start none and
  // are dismissed by one bit test, before any hashing.
  bool MayStart(const TextWords& words, size_t i) const;
  static uint32_t StartKey(std::string_view head, std::string_view tail);

  PhraseTrie trie_;
  std::vector<std::vector<PhraseEnd>> ends_;  // by trie node
  std::vector<uint64_t> starts_;              // StartKey() bits of the first words
  std::vector<std::string> names_, kinds_;
  std::vector<std::string> sources_;          // file names, by PhraseEnd::source
  int phrase_count_ = 0;
};

}  // namespace coopkb
